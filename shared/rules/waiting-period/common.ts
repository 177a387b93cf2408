/**
 * What the waiting-period rule sets of every pack share (W-1…W-9): the facts schema, the result, the
 * values derived once from the facts (payment day, first day of the fee period, gap, window), and the
 * two result builders — no waiting (`none`) and a waiting period counted with RULES.md §0 (`waiting`).
 * The rules themselves are in jl26.ts, jl21.ts (with flx25.ts) and tl22.ts; decision.ts picks one (P-1).
 */
import * as z from 'zod';
import {
  addDays,
  type CalendarDate,
  cstDateOf,
  daysBetween,
  firstOfMonth,
  firstOfYear,
  maxDate,
  periodEnd,
} from '#domain/calendar.js';
import { assistanceKind } from '#params/areas/waiting.js';
import {
  baseFacts,
  calendarDate,
  employeeMode,
  feeMonth,
  feeYear,
  regionCode,
  scheme,
  strictObject,
  timestampOrDate,
  years,
} from '#schemas/common.js';
import type { Branch, EvalContext } from '../engine.js';

export const waitingPeriodFacts = baseFacts
  .extend({
    scheme,
    mode: employeeMode.optional().describe('employee scheme: unit or flexible'),
    paidAt: timestampOrDate.describe('when the payment succeeded; converted to its CST date'),
    feeYear: feeYear.optional().describe('resident scheme: the fee year paid for'),
    feeMonth: feeMonth.optional().describe('employee scheme: the fee month paid for'),
    group: z
      .enum(['none', 'newborn', 'identity-conversion', 'medical-assistance', 'new-graduate'])
      .default('none')
      .describe('special group (W-1, W-2, W-3; new-graduate for TL22)'),
    birthDate: calendarDate.optional().describe('newborn: date of birth'),
    conversionDate: calendarDate.optional().describe('identity conversion: date the status converted'),
    assistanceKind: assistanceKind
      .optional()
      .describe(
        'medical-assistance: which subsidised group (TL22 §2(1)1 starts cover by group; absent: the general rule)',
      ),
    assistanceRecognisedOn: calendarDate
      .optional()
      .describe('medical-assistance: the day the status was recognised (身份认定之日), TL22 §2(1)1'),
    previousCover: strictObject({
      scheme,
      region: regionCode
        .optional()
        .describe('pooling region of the previous cover (FLX25 §9: a transfer from another region)'),
      lastCoveredDay: calendarDate.describe('E: the last day of the previous cover'),
      continuousYears: years.describe('continuous insured years up to E'),
      lastCoveredFeeYear: feeYear.optional().describe('resident: last fee year covered (default: the year of E)'),
      priorYearPaidInFull: z.boolean().optional().describe('TL22 flexible workers: the whole prior year paid'),
    })
      .optional()
      .describe('absent for a first enrollment'),
    repairYears: z.number().int().min(0).max(50).default(0).describe('W-7: extra break years paid to repair'),
    carriedWaitingUntil: calendarDate.optional().describe('W-8: first benefit day of a waiting period still running'),
  })
  .superRefine((f, ctx) => {
    if (f.scheme === 'resident' && f.feeYear === undefined)
      ctx.addIssue({ code: 'custom', path: ['feeYear'], message: 'required for the resident scheme' });
    if (f.scheme === 'employee' && f.feeMonth === undefined)
      ctx.addIssue({ code: 'custom', path: ['feeMonth'], message: 'required for the employee scheme' });
    if (f.scheme === 'employee' && f.mode === undefined)
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'required for the employee scheme' });
    if (f.group === 'newborn' && !f.birthDate)
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'required for a newborn' });
    if (f.group === 'identity-conversion' && !f.conversionDate)
      ctx.addIssue({ code: 'custom', path: ['conversionDate'], message: 'required for an identity conversion' });
    if ((f.assistanceKind || f.assistanceRecognisedOn) && f.group !== 'medical-assistance')
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'must be medical-assistance with assistanceKind' });
    let paid: CalendarDate;
    try {
      paid = cstDateOf(f.paidAt);
    } catch {
      return; // reported by the paidAt schema
    }
    if (f.birthDate && f.birthDate > paid)
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'is after the payment' });
    if (f.assistanceRecognisedOn && f.assistanceRecognisedOn > paid)
      ctx.addIssue({
        code: 'custom',
        path: ['assistanceRecognisedOn'],
        message: 'is after the payment: a subsidised enrollment follows the recognition',
      });
  });

export type WaitingPeriodFacts = z.output<typeof waitingPeriodFacts>;

export interface WaitingPeriod {
  /** Total waiting days (fixed + variable); 0 when there is none. */
  readonly waitingDays: number;
  readonly fixedDays: number;
  readonly variableDays: number;
  /** First day of the waiting period, or null when there is none. */
  readonly countsFrom: CalendarDate | null;
  /** First day on which medical costs are covered by this payment. */
  readonly coverStarts: CalendarDate;
  /** When benefits resume after arrears (W-9), for employee gaps; else null. */
  readonly restoredOn: CalendarDate | null;
  /** True when cover reaches back before the payment day (a gap, a birth, Jan 1). */
  readonly retroactive: boolean;
  readonly gapDays: number | null;
  readonly breakYears: number | null;
  readonly inWindow: boolean | null;
  readonly backfillAllowed: boolean | null;
  /** A resident payment whose cover would start only after its fee year has ended: it buys no cover. */
  readonly coversNothing: boolean;
  readonly decidedBy: string;
}

export interface Derived {
  readonly paid: CalendarDate;
  readonly periodStart: CalendarDate;
  readonly gapDays: number | null;
  readonly inWindow: boolean | null;
}

/** A rule set in the engine's shape: levels tried most specific first, each one branch or several of equal rank. */
export type Levels = Array<Branch<WaitingPeriod> | Branch<WaitingPeriod>[]>;

export const none = (
  d: Derived,
  coverStarts: CalendarDate,
  decidedBy: string,
  extra: Partial<WaitingPeriod> = {},
): WaitingPeriod => ({
  waitingDays: 0,
  fixedDays: 0,
  variableDays: 0,
  countsFrom: null,
  coverStarts,
  restoredOn: null,
  retroactive: coverStarts < d.paid,
  gapDays: d.gapDays,
  breakYears: null,
  inWindow: d.inWindow,
  backfillAllowed: null,
  coversNothing: false,
  decidedBy,
  ...extra,
});

export function waiting(
  d: Derived,
  countsFrom: CalendarDate,
  fixedDays: number,
  variableDays: number,
  decidedBy: string,
  extra: Partial<WaitingPeriod> = {},
): WaitingPeriod {
  const total = fixedDays + variableDays;
  return {
    waitingDays: total,
    fixedDays,
    variableDays,
    countsFrom,
    coverStarts: periodEnd(countsFrom, total).nextDay,
    restoredOn: null,
    retroactive: false,
    gapDays: d.gapDays,
    breakYears: null,
    inWindow: d.inWindow,
    backfillAllowed: null,
    coversNothing: false,
    decidedBy,
    ...extra,
  };
}

export function derive(f: WaitingPeriodFacts, ctx: EvalContext): Derived {
  const paid = ctx.businessDate;
  const periodStart = f.scheme === 'resident' ? firstOfYear(f.feeYear!) : firstOfMonth(f.feeMonth!);
  // Paying while still covered (renewal in the window, an employee paying ahead) is no gap at all.
  const gapDays = f.previousCover ? Math.max(0, daysBetween(f.previousCover.lastCoveredDay, paid)) : null;
  let inWindow: boolean | null = null;
  if (f.scheme === 'resident') {
    const w = ctx.param<{ opens: string; closes: string }>('resident.collectionWindow');
    const prior = f.feeYear! - 1;
    inWindow = paid >= `${prior}-${w.opens}` && paid <= `${prior}-${w.closes}`;
  }
  return { paid, periodStart, gapDays, inWindow };
}

/**
 * No waiting and no retroactive cover: benefits from the day after payment, not before the fee period
 * starts. Reading: no text names that day; FLX25 §10 has the agency record a flexible worker's rights
 * (个人权益记录) the day after payment, and the same day is taken for every payment that starts cover.
 */
export const noWaitingStart = (d: Derived) => maxDate(addDays(d.paid, 1), d.periodStart);
