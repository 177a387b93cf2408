/** zod building blocks shared by every decision input, the store and the API. */
import * as z from 'zod';
import { isValidDate, isValidYearMonth } from '#domain/calendar.js';
import { REGION_CODES } from '#domain/regions.js';

export const calendarDate = z
  .string()
  .refine(isValidDate, { message: 'must be a calendar date YYYY-MM-DD' })
  .describe('calendar date in China Standard Time, YYYY-MM-DD');

export const yearMonth = z
  .string()
  .refine(isValidYearMonth, { message: 'must be a month YYYY-MM' })
  .describe('fee month YYYY-MM');

/** A payment time: an ISO time-stamp with a zone, or a bare CST date. */
export const timestampOrDate = z
  .string()
  .refine(
    (s) => isValidDate(s) || (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))),
    {
      message: 'must be an ISO time-stamp with a zone, or a date YYYY-MM-DD',
    },
  )
  .describe('ISO 8601 time-stamp with zone, or a CST date');

export const regionCode = z.enum(REGION_CODES).describe('pooling region code (GB/T 2260)');

export const feeYear = z.number().int().min(1990).max(2100).describe('fee year');

export const fen = z.number().int().nonnegative().describe('amount in fen (1 yuan = 100 fen)');

export const years = z.number().nonnegative().max(80);

export const scheme = z.enum(['employee', 'resident']).describe('职工医保 employee or 居民医保 resident');
export const employeeMode = z.enum(['unit', 'flexible']).describe('单位 unit or 灵活就业 flexible');
export const flexibleMode = z.enum(['combined', 'pooling-only']).describe('统账结合 combined or 单建统筹 pooling-only');
export const sex = z.enum(['male', 'female']);

/** Fields every decision accepts. */
export const baseFacts = z.object({
  region: regionCode,
  caseOpenedOn: calendarDate
    .optional()
    .describe('P-2: when the case was opened, if it was opened under an earlier policy set'),
});
