/** Typed value schemas that parameter definitions share. Data is written as text; rules get exact types. */
import * as z from 'zod';
import { type Fen, pct, type Ratio, ratio, yuanToFen } from '#domain/money.js';
import { calendarDate } from '#schemas/common.js';

/** "6%", "0.05%", or a fraction "2/3". */
export const ratioValue = z
  .string()
  .regex(/^(\d+(\.\d+)?%|\d+\/[1-9]\d*)$/, 'a percentage like "6%" or a fraction like "2/3"')
  .transform((s): Ratio => {
    if (s.endsWith('%')) return pct(s.slice(0, -1));
    const [n, d] = s.split('/');
    return ratio(Number(n), Number(d));
  });

/** Yuan written as a decimal string, "320" or "320.00"; rules get fen. */
export const yuanValue = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, 'yuan with at most two decimals, e.g. "320.00"')
  .transform((s): Fen => yuanToFen(s));

export const daysValue = z.number().int().nonnegative();
export const countValue = z.number().int().nonnegative();

/** A month-day of the year before the fee year, e.g. "10-01". */
export const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD');

export const dateValue = calendarDate;
