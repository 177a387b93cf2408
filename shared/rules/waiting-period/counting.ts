/**
 * Counting shared by the waiting-period and arrears decisions, so that one parameter changes both
 * (RULES.md §0): the day a fixed waiting period counts from, and periods of calendar months.
 */
import { addDays, addMonths, type CalendarDate, lastOfMonth, monthOf } from '#domain/calendar.js';
import type { EvalContext } from '../engine.js';

/**
 * The day a waiting period counts from after a payment on `paid`, as the pack reads it
 * (`waiting.fixedCountsFrom`: JL26 Art.10 ¶4 “从缴费成功次日起”, TL22 “从实缴到账之日起”).
 */
export function waitingCountsFrom(ctx: EvalContext, paid: CalendarDate): CalendarDate {
  const from = ctx.param<'payment-day' | 'day-after-payment'>('waiting.fixedCountsFrom');
  return from === 'payment-day' ? paid : addDays(paid, 1);
}

/**
 * §0 for months: a period of N calendar months counting from day D covers D up to the day before the
 * same day N months on (Mar 1 + 3 months covers Mar 1 … May 31); where that month has no such day the
 * period runs to its last day (Jan 31 + 3 months covers Jan 31 … Apr 30), so no period is cut short by
 * the length of a month.
 */
export function monthsPeriod(
  countsFrom: CalendarDate,
  months: number,
): { lastDay: CalendarDate; nextDay: CalendarDate } {
  const target = addMonths(countsFrom, months);
  const nextDay = target.slice(8) === countsFrom.slice(8) ? target : addDays(lastOfMonth(monthOf(target)), 1);
  return { lastDay: addDays(nextDay, -1), nextDay };
}

/**
 * TL22 §2(2)2 / §3(1) “中断缴费不超过3个月”: the last payment day still within N months of a break
 * after the last covered day E, counting the months from the first uncovered day E + 1.
 */
export function monthsGapLastDay(lastCoveredDay: CalendarDate, months: number): CalendarDate {
  return monthsPeriod(addDays(lastCoveredDay, 1), months).lastDay;
}
