/**
 * The identity key of an insured person (E-6; PRC22 §3.1 “参保唯一识别码”, JL26 Art.29).
 *
 * - Chinese citizens: the 18-character resident ID number (GB 11643-1999): a 6-digit division code,
 *   the birth date YYYYMMDD, a 3-digit sequence (odd for men, even for women) and an ISO 7064
 *   MOD 11-2 check character.
 * - Hong Kong, Macao and Taiwan residents: the residence-permit number, built like an ID number with
 *   the division code 810000 / 820000 / 830000 and the same check character.
 * - Foreigners: the passport number together with the nationality (ISO 3166-1 alpha-3).
 *
 * Pure: the case store uses `key` as the person key, the logger uses `maskIdentity`, and the
 * retirement decisions read sex and birth date (`identityFacts`). Nothing here throws on a bad
 * number: `parseIdentity` returns the problems it found, each with its code and the words to say.
 */
import { type CalendarDate, isValidDate } from './calendar.js';

export type DocumentType = 'resident-id' | 'hmt-residence-permit' | 'passport';
export type KeyPrefix = 'CN' | 'HMT' | 'PP';

export type IdentityProblemCode =
  | 'wrong-length'
  | 'bad-characters'
  | 'bad-check-digit'
  | 'impossible-birth-date'
  | 'future-birth-date'
  | 'bad-region-prefix'
  | 'wrong-document-type'
  | 'missing-nationality'
  | 'unknown-nationality';

export interface IdentityProblem {
  readonly code: IdentityProblemCode;
  readonly zh: string;
  readonly en: string;
}

export interface Identity {
  readonly documentType: DocumentType;
  /** The normalised key: `CN:<18>`, `HMT:<18>` or `PP:<ISO alpha-3>:<number>`. */
  readonly key: string;
  /** The number alone, normalised (upper case, no spaces). */
  readonly number: string;
  readonly nationality: string | null;
  /** From the number, for ID numbers and residence permits; null for passports. */
  readonly birthDate: CalendarDate | null;
  readonly sex: 'male' | 'female' | null;
  /** The 6-digit division code the number begins with; null for passports. */
  readonly regionPrefix: string | null;
}

export type ParseResult =
  | { readonly ok: true; readonly identity: Identity }
  | {
      readonly ok: false;
      readonly documentType: DocumentType;
      readonly number: string;
      readonly problems: readonly IdentityProblem[];
    };

export interface IdentityInput {
  /** Absent: a passport when a nationality is given, else a permit when the number begins 810000/820000/830000, else an ID number. */
  readonly documentType?: DocumentType | undefined;
  readonly number: string;
  readonly nationality?: string | undefined;
}

/** GB 11643-1999: weights of the first 17 characters, and the check character for each sum mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level codes under which resident ID numbers are issued (GB/T 2260, mainland). */
// biome-ignore format: a table
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41',
  '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
]);

/** The division codes of residence permits for Hong Kong, Macao and Taiwan residents. */
export const HMT_PREFIXES: Readonly<Record<string, string>> = {
  '810000': 'Hong Kong',
  '820000': 'Macao',
  '830000': 'Taiwan',
};

/** ISO 3166-1 alpha-3, the 249 officially assigned codes. */
const ISO3166_ALPHA3 = new Set(
  (
    'AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BMU BTN BOL ' +
    'BES BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR CCK COL COM COG COD COK CRI ' +
    'CIV HRV CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FLK FRO FJI FIN FRA GUF PYF ATF GAB ' +
    'GMB GEO DEU GHA GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY HTI HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL ' +
    'IMN ISR ITA JAM JPN JEY JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS ' +
    'MDV MLI MLT MHL MTQ MRT MUS MYT MEX FSM MDA MCO MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA ' +
    'NIU NFK MKD MNP NOR OMN PAK PLW PSE PAN PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA ' +
    'MAF SPM VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE ' +
    'SYR TWN TJK TZA THA TLS TGO TKL TON TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT VEN VNM VGB ' +
    'VIR WLF ESH YEM ZMB ZWE'
  ).split(' '),
);

export function isIso3166Alpha3(code: string): boolean {
  return ISO3166_ALPHA3.has(code);
}

/**
 * Nationalities whose holders have a key other than a passport (E-6): Chinese citizens use the ID
 * number; residents of Hong Kong, Macao and Taiwan the residence permit.
 */
const NOT_BY_PASSPORT: Readonly<Record<string, { zh: string; en: string }>> = {
  CHN: { zh: '中国籍人员以居民身份证号码为参保识别码', en: 'Chinese citizens are keyed by the resident ID number' },
  HKG: { zh: '港澳台居民以居住证号码为参保识别码', en: 'Hong Kong residents are keyed by the residence permit' },
  MAC: { zh: '港澳台居民以居住证号码为参保识别码', en: 'Macao residents are keyed by the residence permit' },
  TWN: { zh: '港澳台居民以居住证号码为参保识别码', en: 'Taiwan residents are keyed by the residence permit' },
};

/** Passport numbers: ICAO 9303 letters and digits; 5–20 characters (reading: wide enough for every issuer). */
const PASSPORT_RE = /^[A-Z0-9]{5,20}$/;

/** The ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643-1999). */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('the check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

const normalise = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

function inferType(input: IdentityInput, number: string): DocumentType {
  if (input.documentType) return input.documentType;
  if (input.nationality !== undefined && input.nationality !== '') return 'passport';
  return HMT_PREFIXES[number.slice(0, 6)] ? 'hmt-residence-permit' : 'resident-id';
}

const problem = (code: IdentityProblemCode, zh: string, en: string): IdentityProblem => ({ code, zh, en });

/** ID numbers and residence permits share the layout and the check character. */
function parse18(type: 'resident-id' | 'hmt-residence-permit', n: string, today?: CalendarDate): IdentityProblem[] {
  const what =
    type === 'resident-id'
      ? { zh: '居民身份证号码', en: 'resident ID number' }
      : { zh: '港澳台居民居住证号码', en: 'residence-permit number' };
  if (n.length !== 18) {
    return [
      problem(
        'wrong-length',
        `${what.zh}应为18位，实为${n.length}位`,
        `a ${what.en} has 18 characters, this one has ${n.length}`,
      ),
    ];
  }
  if (!/^\d{17}[\dX]$/.test(n)) {
    return [
      problem(
        'bad-characters',
        `${what.zh}前17位应为数字，第18位为数字或X`,
        `a ${what.en} is 17 digits and a final digit or X`,
      ),
    ];
  }
  const problems: IdentityProblem[] = [];
  const prefix = n.slice(0, 6);
  const isHmt = HMT_PREFIXES[prefix] !== undefined;
  if (type === 'resident-id' && isHmt) {
    problems.push(
      problem(
        'wrong-document-type',
        `以${prefix}开头的是港澳台居民居住证号码，不是居民身份证号码`,
        `a number beginning ${prefix} is a Hong Kong, Macao or Taiwan residence permit, not a resident ID number`,
      ),
    );
  } else if (type === 'hmt-residence-permit' && !isHmt) {
    problems.push(
      problem(
        'bad-region-prefix',
        `港澳台居民居住证号码应以810000、820000或830000开头，实为${prefix}`,
        `a residence-permit number begins 810000, 820000 or 830000, not ${prefix}`,
      ),
    );
  } else if (type === 'resident-id' && (!PROVINCES.has(n.slice(0, 2)) || n.slice(2, 6) === '0000')) {
    problems.push(
      problem(
        'bad-region-prefix',
        `地址码${prefix}不是有效的县级行政区划代码`,
        `the division code ${prefix} is not a county-level division of a province`,
      ),
    );
  }
  const birth = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (!isValidDate(birth) || birth < '1900-01-01') {
    problems.push(
      problem(
        'impossible-birth-date',
        `出生日期码${n.slice(6, 14)}不是有效日期`,
        `the birth date ${n.slice(6, 14)} is not a possible date`,
      ),
    );
  } else if (today !== undefined && birth > today) {
    problems.push(
      problem('future-birth-date', `出生日期${birth}晚于${today}`, `the birth date ${birth} is after ${today}`),
    );
  }
  const expected = checkCharacter(n.slice(0, 17));
  if (n[17] !== expected) {
    problems.push(
      problem(
        'bad-check-digit',
        `校验码应为${expected}，实为${n[17]}`,
        `the check character should be ${expected}, not ${n[17]}`,
      ),
    );
  }
  return problems;
}

/**
 * Validates and normalises an identity document number into the person key (E-6).
 * `today`, when given, makes a birth date after it a problem.
 */
export function parseIdentity(input: IdentityInput, today?: CalendarDate): ParseResult {
  const number = normalise(input.number);
  const documentType = inferType(input, number);
  if (documentType === 'passport') {
    const nationality = normalise(input.nationality ?? '');
    const problems: IdentityProblem[] = [];
    if (!nationality) {
      problems.push(
        problem(
          'missing-nationality',
          '外国人以护照号码加国籍为参保识别码，缺少国籍',
          'a passport key needs the nationality',
        ),
      );
    } else if (!ISO3166_ALPHA3.has(nationality)) {
      problems.push(
        problem(
          'unknown-nationality',
          `国籍${nationality}不是ISO 3166-1三位字母代码`,
          `${nationality} is not an ISO 3166-1 alpha-3 code`,
        ),
      );
    } else if (NOT_BY_PASSPORT[nationality]) {
      const w = NOT_BY_PASSPORT[nationality]!;
      problems.push(problem('wrong-document-type', w.zh, w.en));
    }
    if (!PASSPORT_RE.test(number)) {
      problems.push(
        /^[A-Z0-9]*$/.test(number)
          ? problem(
              'wrong-length',
              `护照号码应为5至20位，实为${number.length}位`,
              `a passport number has 5 to 20 characters, this one has ${number.length}`,
            )
          : problem('bad-characters', '护照号码只能由字母和数字组成', 'a passport number is letters and digits only'),
      );
    }
    if (problems.length) return { ok: false, documentType, number, problems };
    return {
      ok: true,
      identity: {
        documentType,
        key: `PP:${nationality}:${number}`,
        number,
        nationality,
        birthDate: null,
        sex: null,
        regionPrefix: null,
      },
    };
  }
  const problems = parse18(documentType, number, today);
  if (problems.length) return { ok: false, documentType, number, problems };
  return {
    ok: true,
    identity: {
      documentType,
      key: `${documentType === 'resident-id' ? 'CN' : 'HMT'}:${number}`,
      number,
      nationality: null,
      ...identityFacts(number)!,
      regionPrefix: number.slice(0, 6),
    },
  };
}

/**
 * Birth date and sex from an 18-character ID or permit number (or a CN:/HMT: key); null when the
 * number does not carry them. GB 11643: the 17th character is odd for men, even for women.
 */
export function identityFacts(numberOrKey: string): { birthDate: CalendarDate; sex: 'male' | 'female' } | null {
  const n = normalise(numberOrKey).replace(/^(CN|HMT):/, '');
  if (!/^\d{17}[\dX]$/.test(n)) return null;
  const birthDate = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (!isValidDate(birthDate)) return null;
  return { birthDate, sex: Number(n[16]) % 2 === 1 ? 'male' : 'female' };
}

/**
 * A key (or a bare number) for logs: the number keeps only its first 6 and last 4 characters.
 * A number of 10 characters or fewer (a passport) would show everything that way, so it keeps
 * only its last third (at most 4). The prefix (`CN:`, `PP:USA:`) stays readable. Never throws.
 */
export function maskIdentity(key: string): string {
  const m = /^(CN:|HMT:|PP:[A-Z]{3}:)(.*)$/s.exec(key);
  const prefix = m ? m[1]! : '';
  const n = m ? m[2]! : key;
  if (n.length > 10) return `${prefix}${n.slice(0, 6)}${'*'.repeat(n.length - 10)}${n.slice(-4)}`;
  const tail = Math.min(4, Math.floor(n.length / 3));
  return `${prefix}${'*'.repeat(n.length - tail)}${tail ? n.slice(-tail) : ''}`;
}

/** The document type a normalised key was made from, or null if the string is not a key. */
export function keyPrefixOf(key: string): KeyPrefix | null {
  const m = /^(CN|HMT|PP):/.exec(key);
  return m ? (m[1] as KeyPrefix) : null;
}
