/**
 * The identity key of an insured person (E-6): validate a document number and normalise it into the
 * key the case store files a person under.
 *
 * A number that fails its check is a decided value, `status: "invalid"`, with a finding naming each
 * problem (wrong length, bad characters, impossible birth date, bad check character, wrong prefix):
 * the number is a fact the agency must correct, not malformed input. Only facts of the wrong shape
 * (a number that is not a string) are input errors.
 */
import * as z from 'zod';
import { type DocumentType, type IdentityProblem, maskIdentity, parseIdentity } from '#domain/identity.js';
import { baseFacts, businessDate } from '#schemas/common.js';
import { defineDecision } from '../engine.js';

export const identityKeyFacts = baseFacts.extend({
  documentType: z
    .enum(['resident-id', 'hmt-residence-permit', 'passport'])
    .optional()
    .describe(
      '居民身份证 resident-id (citizens), 港澳台居民居住证 hmt-residence-permit, 护照 passport (foreigners); absent: passport when a nationality is given, a permit when the number begins 810000/820000/830000, else resident-id',
    ),
  number: z.string().min(1).max(64).describe('the document number as written; spaces are ignored, x is read as X'),
  nationality: z.string().max(8).optional().describe('passports: the nationality, ISO 3166-1 alpha-3 (USA, KOR, RUS…)'),
  checkedOn: businessDate
    .optional()
    .describe('the day of the check (default: as-of); a birth date after it is invalid'),
});

export type IdentityKeyFacts = z.output<typeof identityKeyFacts>;

export interface IdentityKeyResult {
  readonly status: 'valid' | 'invalid';
  readonly documentType: DocumentType;
  /** `CN:…`, `HMT:…` or `PP:<nationality>:…`; null when invalid. */
  readonly key: string | null;
  /** The key (or the number, when invalid) masked for logs: first 6 and last 4 characters. */
  readonly masked: string;
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly problems: readonly IdentityProblem[];
}

const DOC_NAMES: Record<DocumentType, { zh: string; en: string }> = {
  'resident-id': { zh: '居民身份证号码', en: 'resident ID number' },
  'hmt-residence-permit': { zh: '港澳台居民居住证号码', en: 'Hong Kong, Macao or Taiwan residence-permit number' },
  passport: { zh: '护照号码（含国籍）', en: 'passport number with nationality' },
};

export const identityKey = defineDecision({
  id: 'identity-key',
  title: { zh: '参保唯一识别码', en: 'Identity key of an insured person' },
  rules: ['E-6', 'P-1'],
  input: identityKeyFacts,
  businessDate: (f, asOf) => f.checkedOn ?? asOf,
  evaluate(f, ctx): IdentityKeyResult {
    const parsed = parseIdentity(
      { documentType: f.documentType, number: f.number, nationality: f.nationality },
      ctx.businessDate,
    );
    if (!parsed.ok) {
      const doc = DOC_NAMES[parsed.documentType];
      ctx.apply('E-6', `${parsed.documentType}: ${parsed.problems.map((p) => p.code).join(', ')}`);
      ctx.because(
        `${doc.zh}无效：${parsed.problems.map((p) => p.zh).join('；')}`,
        `invalid ${doc.en}: ${parsed.problems.map((p) => p.en).join('; ')}`,
      );
      return {
        status: 'invalid',
        documentType: parsed.documentType,
        key: null,
        masked: maskIdentity(parsed.number),
        birthDate: null,
        sex: null,
        problems: parsed.problems,
      };
    }
    const id = parsed.identity;
    const doc = DOC_NAMES[id.documentType];
    const masked = maskIdentity(id.key);
    ctx.apply('E-6', `${id.documentType} → ${masked}`);
    const born =
      id.birthDate !== null
        ? {
            zh: `，出生日期${id.birthDate}，性别${id.sex === 'male' ? '男' : '女'}`,
            en: `, born ${id.birthDate}, ${id.sex}`,
          }
        : { zh: '', en: '' };
    ctx.because(
      `${doc.zh}校验通过，参保识别码为${masked}${born.zh}`,
      `valid ${doc.en}; identity key ${masked}${born.en}`,
    );
    return {
      status: 'valid',
      documentType: id.documentType,
      key: id.key,
      masked,
      birthDate: id.birthDate,
      sex: id.sex,
      problems: [],
    };
  },
  example: { asOf: '2026-04-01', facts: { region: '220100', number: '22010219790615303x' } },
});
