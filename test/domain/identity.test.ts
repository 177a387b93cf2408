/**
 * The identity key (E-6): GB 11643-1999 check characters, birth dates, residence permits and
 * passports, and the masking the logger relies on. Numbers here were checked by hand (sums in the
 * comments) as well as by the code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  identityFacts,
  isIso3166Alpha3,
  keyPrefixOf,
  maskIdentity,
  parseIdentity,
} from '#domain/identity.js';

describe('checkCharacter (ISO 7064 MOD 11-2)', () => {
  it('gives X for the example of GB 11643-1999 (11010519491231002X)', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
  });
  it('gives X for 22010219790615303 (Σ = 244, 244 mod 11 = 2)', () => {
    expect(checkCharacter('22010219790615303')).toBe('X');
  });
  it('gives 1 for 22010219900307002 and 9 for 81000019900101001', () => {
    expect(checkCharacter('22010219900307002')).toBe('1');
    expect(checkCharacter('81000019900101001')).toBe('9');
  });
  it('refuses anything but 17 digits', () => {
    expect(() => checkCharacter('1234')).toThrow(RangeError);
  });
  it('detects every single-digit substitution', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, at, delta) => {
          const a = digits.join('');
          const changed = [...digits];
          changed[at] = (changed[at]! + delta) % 10;
          expect(checkCharacter(changed.join(''))).not.toBe(checkCharacter(a));
        },
      ),
    );
  });
});

describe('parseIdentity: resident ID numbers', () => {
  it('normalises spaces and a lower-case x into the CN key, with birth date and sex', () => {
    const r = parseIdentity({ number: ' 220102 19790615 303x ' });
    expect(r).toEqual({
      ok: true,
      identity: {
        documentType: 'resident-id',
        key: 'CN:22010219790615303X',
        number: '22010219790615303X',
        nationality: null,
        birthDate: '1979-06-15',
        sex: 'male',
        regionPrefix: '220102',
      },
    });
  });
  it('reads a woman from an even 17th digit', () => {
    const r = parseIdentity({ number: '220102199003070021' });
    expect(r.ok && r.identity.sex).toBe('female');
  });
  it('names a bad check digit', () => {
    const r = parseIdentity({ number: '220102199003070022' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['bad-check-digit']);
    expect(!r.ok && r.problems[0]!.en).toBe('the check character should be 1, not 2');
  });
  it('names an impossible birth date (1992-02-30) and accepts a leap day (1992-02-29)', () => {
    const bad = parseIdentity({ number: '22030119920230004X' });
    expect(!bad.ok && bad.problems.map((p) => p.code)).toEqual(['impossible-birth-date']);
    expect(parseIdentity({ number: '222401199202290053' }).ok).toBe(true);
  });
  it('names a birth date after the reference day only when a day is given', () => {
    expect(parseIdentity({ number: '220102202701010020' }).ok).toBe(true);
    const r = parseIdentity({ number: '220102202701010020' }, '2026-04-01');
    expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['future-birth-date']);
  });
  it('names the wrong length and bad characters', () => {
    const short = parseIdentity({ number: '22010219900307002' });
    expect(!short.ok && short.problems.map((p) => p.code)).toEqual(['wrong-length']);
    const letters = parseIdentity({ number: '2201021990O3070021' });
    expect(!letters.ok && letters.problems.map((p) => p.code)).toEqual(['bad-characters']);
  });
  it('names a division code that is not a county of a mainland province', () => {
    const r = parseIdentity({ number: '110000198501010015' });
    expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['bad-region-prefix']);
    const noProvince = `99010219900307002${checkCharacter('99010219900307002')}`;
    const r2 = parseIdentity({ number: noProvince });
    expect(!r2.ok && r2.problems.map((p) => p.code)).toEqual(['bad-region-prefix']);
  });
  it('can report several problems at once', () => {
    const r = parseIdentity({ number: '220102199002300011' });
    expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['impossible-birth-date', 'bad-check-digit']);
  });
});

describe('parseIdentity: residence permits of Hong Kong, Macao and Taiwan residents', () => {
  it('infers a permit from the 810000 prefix', () => {
    const r = parseIdentity({ number: '810000199001010019' });
    expect(r.ok && r.identity).toMatchObject({
      documentType: 'hmt-residence-permit',
      key: 'HMT:810000199001010019',
      birthDate: '1990-01-01',
      sex: 'male',
    });
  });
  it('accepts 820000 and 830000', () => {
    expect(parseIdentity({ documentType: 'hmt-residence-permit', number: '820000199505150025' }).ok).toBe(true);
    expect(parseIdentity({ documentType: 'hmt-residence-permit', number: '830000198808080033' }).ok).toBe(true);
  });
  it('refuses a permit number given as an ID number, and an ID number given as a permit', () => {
    const asId = parseIdentity({ documentType: 'resident-id', number: '820000199505150025' });
    expect(!asId.ok && asId.problems.map((p) => p.code)).toEqual(['wrong-document-type']);
    const asPermit = parseIdentity({ documentType: 'hmt-residence-permit', number: '220102199003070021' });
    expect(!asPermit.ok && asPermit.problems.map((p) => p.code)).toEqual(['bad-region-prefix']);
  });
  it('uses the same check character', () => {
    const r = parseIdentity({ number: '810000199001010018' });
    expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['bad-check-digit']);
  });
});

describe('parseIdentity: passports', () => {
  it('keys a passport by nationality and number, upper-cased', () => {
    const r = parseIdentity({ number: 'm 1234 5678', nationality: 'kor' });
    expect(r.ok && r.identity).toMatchObject({
      documentType: 'passport',
      key: 'PP:KOR:M12345678',
      birthDate: null,
      sex: null,
    });
  });
  it('needs a known ISO 3166-1 alpha-3 nationality', () => {
    const none = parseIdentity({ documentType: 'passport', number: 'M12345678' });
    expect(!none.ok && none.problems.map((p) => p.code)).toEqual(['missing-nationality']);
    const unknown = parseIdentity({ number: 'M12345678', nationality: 'XXA' });
    expect(!unknown.ok && unknown.problems.map((p) => p.code)).toEqual(['unknown-nationality']);
    expect(isIso3166Alpha3('DEU')).toBe(true);
    expect(isIso3166Alpha3('D')).toBe(false);
  });
  it('refuses Chinese and Hong Kong/Macao/Taiwan nationalities (they have other keys)', () => {
    for (const n of ['CHN', 'HKG', 'MAC', 'TWN']) {
      const r = parseIdentity({ number: 'K12345678', nationality: n });
      expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['wrong-document-type']);
    }
  });
  it('refuses too short or non-alphanumeric numbers', () => {
    const short = parseIdentity({ number: 'A12', nationality: 'USA' });
    expect(!short.ok && short.problems.map((p) => p.code)).toEqual(['wrong-length']);
    const dash = parseIdentity({ number: 'A12-345678', nationality: 'USA' });
    expect(!dash.ok && dash.problems.map((p) => p.code)).toEqual(['bad-characters']);
  });
});

describe('identityFacts', () => {
  it('reads birth date and sex from a number or a key', () => {
    expect(identityFacts('CN:22010219790615303X')).toEqual({ birthDate: '1979-06-15', sex: 'male' });
    expect(identityFacts('220102199003070021')).toEqual({ birthDate: '1990-03-07', sex: 'female' });
    expect(identityFacts('HMT:830000198808080033')).toEqual({ birthDate: '1988-08-08', sex: 'male' });
  });
  it('is null for a passport key or an impossible date', () => {
    expect(identityFacts('PP:USA:567812345')).toBeNull();
    expect(identityFacts('22030119920230004X')).toBeNull();
  });
});

describe('maskIdentity', () => {
  it('keeps the first 6 and last 4 characters of an 18-character number', () => {
    expect(maskIdentity('CN:22010219790615303X')).toBe('CN:220102********303X');
    expect(maskIdentity('HMT:810000199001010019')).toBe('HMT:810000********0019');
    expect(maskIdentity('220102199003070021')).toBe('220102********0021');
  });
  it('hides more of a short passport number, keeping the nationality readable', () => {
    expect(maskIdentity('PP:USA:567812345')).toBe('PP:USA:******345');
    expect(maskIdentity('PP:KOR:M1234')).toBe('PP:KOR:****4');
  });
  it('never shows more than the first 6 and last 4 characters, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const m = maskIdentity(`CN:${s}`);
        const body = m.slice(3);
        expect(body.length).toBe(s.length);
        const shown = [...body].filter((c, i) => c === s[i] && c !== '*').length;
        expect(shown).toBeLessThanOrEqual(10);
      }),
    );
  });
  it('tells which kind of key it is', () => {
    expect(keyPrefixOf('PP:USA:567812345')).toBe('PP');
    expect(keyPrefixOf('220102199003070021')).toBeNull();
  });
});
