/**
 * Money and dates shared by the arrears and bankruptcy decisions: a fee month's due date (C-6), the
 * amount due for a month from its base and the rates of that month, and the late-fee line.
 */
import { addDays, type CalendarDate, daysBetween, firstOfMonth, type YearMonth } from '#domain/calendar.js';
import { applyRatio, type Fen, mulRatios, type Ratio, ratio } from '#domain/money.js';
import {
  dueDateOf as dueDateOfMonth,
  type FlexibleMode,
  flexibleComponents,
  monthlyLines,
  unitComponents,
} from '../contributions/rates.js';
import type { EvalContext } from '../engine.js';
import { monthsGapLastDay } from '../waiting-period/counting.js';

/** C-6: the last day a fee month may be paid without being in arrears (one definition, in rates.ts). */
export function dueDateOf(ctx: EvalContext, feeMonth: YearMonth): CalendarDate {
  return dueDateOfMonth(ctx, feeMonth).dueDate;
}

export interface MonthDue {
  readonly lines: ReadonlyArray<{ component: string; amountFen: Fen }>;
  readonly dueFen: Fen;
}

/**
 * what one fee month costs, at the base given and the rates in force in that month (not on the
 * payment day), each component rounded half up once.
 */
export function monthDue(
  ctx: EvalContext,
  feeMonth: YearMonth,
  baseFen: Fen,
  mode: 'unit' | 'flexible',
  flexibleMode?: FlexibleMode,
): MonthDue {
  const on = firstOfMonth(feeMonth);
  const components =
    mode === 'unit' ? unitComponents(ctx, on) : flexibleComponents(ctx, flexibleMode ?? 'combined', on);
  const { lines, totalFen } = monthlyLines(baseFen, components);
  return { lines: lines.map((l) => ({ component: l.component, amountFen: l.amountFen })), dueFen: totalFen };
}

/**
 * A-3 Reading: the late fee of one month is its unpaid amount × the daily rate × the days from the
 * day after `runsAfter` to the payment day inclusive (P − runsAfter days), rounded half up once.
 */
export function lateFeeLine(
  principalFen: Fen,
  dailyRate: Ratio,
  runsAfter: CalendarDate,
  paidOn: CalendarDate,
): { days: number; feeFen: Fen } {
  const days = Math.max(0, daysBetween(runsAfter, paidOn));
  return { days, feeFen: days === 0 ? 0 : applyRatio(principalFen, mulRatios(dailyRate, ratio(days, 1))) };
}

/**
 * A-4…A-6: the last payment day of the backfill window after E, the last paid day. In days (JL26):
 * P − E ≤ N, so E + N. In calendar months (TL22 §2(2)2): N months counting from the first unpaid day
 * E + 1 (E = Feb 28: Mar 1 … May 31), never cut short by the length of a month.
 */
export function windowLastDay(lastPaidDay: CalendarDate, window: { days: number } | { months: number }): CalendarDate {
  return 'days' in window ? addDays(lastPaidDay, window.days) : monthsGapLastDay(lastPaidDay, window.months);
}
