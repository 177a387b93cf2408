/** zod building blocks shared by every decision input, the store and the API. */
import * as z from 'zod';
import { isValidDate, isValidYearMonth } from '#domain/calendar.js';
import { REGION_CODES } from '#domain/regions.js';

// ── Unknown fields ───────────────────────────────────────────────────────────

/**
 * What a field the schema does not declare is checked against: it always fails, with an issue at the field's
 * own path. zod's own strict objects report one `unrecognized_keys` issue at the object instead, which the
 * API and the CLI would show as `(body)` or the parent's name; this way a misspelt `enrolment` or a stray
 * `insured.0.idNumber` is named as such. In JSON Schema it is `{ "not": {} }`, i.e. `additionalProperties: false`.
 */
const unknownField = z
  .unknown()
  .superRefine((_, ctx) => {
    ctx.addIssue({ code: 'custom', message: '未知字段 unknown field' });
  })
  .meta({ not: {} });

/**
 * An object that refuses fields it does not declare, each named in its own issue (see `unknownField`). Input
 * comes from staff, the CLI and the tax bureau: a misspelt field silently dropped would decide a case on
 * facts nobody gave. Typed as zod's strict object; `.extend`, `.pick` and `.omit` keep the refusal.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, params?: string | z.core.$ZodObjectParams) {
  const o = z.strictObject(shape, params);
  return o.catchall(unknownField) as unknown as typeof o;
}

// ── Plausible dates ──────────────────────────────────────────────────────────
//
// A date far outside what can be meant is a typo, and some are traps: a status change `from: 9999-12-31`
// would leave that person's status unchangeable for good (a later change may not come before it). Each kind
// of date has its own range; clock-relative bounds (not after today) are checked where the day is known.

/** No date the system reads, a birth date included, is older: nobody insured today was born before it. */
export const EARLIEST_DATE = '1900-01-01';
/** The oldest plausible birth date (the identity-number check of shared/domain/identity.ts uses the same). */
export const EARLIEST_BIRTH_DATE = EARLIEST_DATE;
/**
 * 国发〔1998〕44号 (December 1998) set up the employee basic medical insurance; the resident scheme came later.
 * No enrollment, status change, payment, application or filing of these schemes is dated before 1998.
 */
export const EARLIEST_BUSINESS_DATE = '1998-01-01';
/** The system's horizon: no policy set or parameter reaches further, so a later date is a typo. */
export const LATEST_DATE = '2100-12-31';
/** Fee years and months span the same years as business dates. */
export const EARLIEST_FEE_YEAR = 1998;
export const LATEST_FEE_YEAR = 2100;
/**
 * A payment is notified after it succeeds, so its time is not after the day it is read; a day's margin
 * absorbs a tax bureau clock running ahead of ours around midnight.
 */
export const PAYMENT_FUTURE_DAYS = 1;

const outOfRange = (min: string, max: string) => `超出合理范围，须在${min}至${max}之间 out of range: ${min} to ${max}`;

/** A calendar date within [min, max]; a bad date is not also reported out of range. */
function dateWithin(min: string, max: string) {
  return z
    .string()
    .refine(isValidDate, { message: 'must be a calendar date YYYY-MM-DD', abort: true })
    .refine((s) => s >= min && s <= max, { message: outOfRange(min, max) });
}

function monthWithin(min: string, max: string, format: string) {
  return z
    .string()
    .refine(isValidYearMonth, { message: format, abort: true })
    .refine((s) => s >= min && s <= max, { message: outOfRange(min, max) });
}

/** Any date: 1900-01-01 … 2100-12-31. */
export const calendarDate = dateWithin(EARLIEST_DATE, LATEST_DATE).describe(
  'calendar date in China Standard Time, YYYY-MM-DD',
);

/**
 * A date of the insurance business itself — an enrollment's start, a status change, a payment, an application,
 * a filing, a recognition: 1998-01-01 … 2100-12-31.
 */
export const businessDate = dateWithin(EARLIEST_BUSINESS_DATE, LATEST_DATE).describe(
  `calendar date in China Standard Time, YYYY-MM-DD, from ${EARLIEST_BUSINESS_DATE}`,
);

/** A date of birth: 1900-01-01 on; "not after today" is checked against the day of the request where it is known. */
export const birthDate = dateWithin(EARLIEST_BIRTH_DATE, LATEST_DATE).describe('date of birth, YYYY-MM-DD');

/** Any month (a schedule's birth month, military service before the schemes): 1900-01 … 2100-12. */
export const yearMonth = monthWithin(
  EARLIEST_DATE.slice(0, 7),
  LATEST_DATE.slice(0, 7),
  'must be a month YYYY-MM',
).describe('month YYYY-MM');

/** A fee month (费款所属期): 1998-01 … 2100-12. */
export const feeMonth = monthWithin(
  EARLIEST_BUSINESS_DATE.slice(0, 7),
  LATEST_DATE.slice(0, 7),
  'must be a fee month YYYY-MM',
).describe('fee month YYYY-MM');

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A payment time: an ISO time-stamp with a zone, or a bare CST date, on a business date. The range is read on
 * the date as written (a zone shifts it by a day at most, which a plausibility bound does not care about).
 */
export const timestampOrDate = z
  .string()
  .refine((s) => isValidDate(s) || (TIMESTAMP_RE.test(s) && !Number.isNaN(Date.parse(s))), {
    message: 'must be an ISO time-stamp with a zone, or a date YYYY-MM-DD',
    abort: true,
  })
  .refine((s) => s.slice(0, 10) >= EARLIEST_BUSINESS_DATE && s.slice(0, 10) <= LATEST_DATE, {
    message: outOfRange(EARLIEST_BUSINESS_DATE, LATEST_DATE),
  })
  .describe('ISO 8601 time-stamp with zone, or a CST date');

export const regionCode = z.enum(REGION_CODES).describe('pooling region code (GB/T 2260)');

export const feeYear = z
  .number()
  .int()
  .min(EARLIEST_FEE_YEAR, { message: outOfRange(String(EARLIEST_FEE_YEAR), String(LATEST_FEE_YEAR)) })
  .max(LATEST_FEE_YEAR, { message: outOfRange(String(EARLIEST_FEE_YEAR), String(LATEST_FEE_YEAR)) })
  .describe('fee year');

export const fen = z.number().int().nonnegative().describe('amount in fen (1 yuan = 100 fen)');

export const years = z.number().nonnegative().max(80);

export const scheme = z.enum(['employee', 'resident']).describe('职工医保 employee or 居民医保 resident');
export const employeeMode = z.enum(['unit', 'flexible']).describe('单位 unit or 灵活就业 flexible');
export const flexibleMode = z.enum(['combined', 'pooling-only']).describe('统账结合 combined or 单建统筹 pooling-only');
export const sex = z.enum(['male', 'female']);

/** Fields every decision accepts; every decision's facts refuse a field they do not declare. */
export const baseFacts = strictObject({
  region: regionCode,
  caseOpenedOn: businessDate
    .optional()
    .describe('P-2: when the case was opened, if it was opened under an earlier policy set'),
});
