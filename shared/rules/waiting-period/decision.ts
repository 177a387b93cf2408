/**
 * Waiting period and cover start after a payment (W-1…W-9), with the day arithmetic of RULES.md §0.
 *
 * Three rule sets share this decision, chosen by the pack in force (P-1):
 * - JL26 (Jilin from 2026-03-01): W-1…W-9 as in RULES.md §3, first applicable rule decides.
 * - JL21 / FLX25 (Jilin before): residents under the 2021 collection notice (window → full year,
 *   outside → 3 months), FLX25 §9 (a flexible worker's employee-to-employee transfer between regions,
 *   and switching schemes); other employee waiting periods of that time were set by the 2022 interim
 *   measures, which are not among the sources, so such a question is an error naming them.
 * - TL22 (Tieling): its own periods, counted as `waiting.fixedCountsFrom` says (the payment day), and
 *   gaps in calendar months counted from the first uncovered day.
 *
 * A resident payment whose cover would start after its fee year has ended buys no cover: the result
 * says so (`coversNothing`) rather than returning a start outside the year as if it were one.
 */
import * as z from 'zod';
import {
  addDays,
  addMonths,
  type CalendarDate,
  cstDateOf,
  daysBetween,
  firstOfMonth,
  firstOfYear,
  lastOfYear,
  maxDate,
  periodEnd,
  yearOf,
} from '#domain/calendar.js';
import { type AssistanceKind, assistanceKind } from '#params/areas/waiting.js';
import {
  baseFacts,
  calendarDate,
  employeeMode,
  feeYear,
  regionCode,
  scheme,
  timestampOrDate,
  years,
  yearMonth,
} from '#schemas/common.js';
import { dueDateOf } from '../contributions/rates.js';
import { type Branch, defineDecision, type EvalContext } from '../engine.js';
import { InputError, NoApplicableRuleError } from '../errors.js';
import { monthsGapLastDay, waitingCountsFrom } from './counting.js';

export const waitingPeriodFacts = baseFacts
  .extend({
    scheme,
    mode: employeeMode.optional().describe('employee scheme: unit or flexible'),
    paidAt: timestampOrDate.describe('when the payment succeeded; converted to its CST date'),
    feeYear: feeYear.optional().describe('resident scheme: the fee year paid for'),
    feeMonth: yearMonth.optional().describe('employee scheme: the fee month paid for'),
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
    previousCover: z
      .object({
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

interface Derived {
  readonly paid: CalendarDate;
  readonly periodStart: CalendarDate;
  readonly gapDays: number | null;
  readonly inWindow: boolean | null;
}

const none = (
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

function waiting(
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

function derive(f: WaitingPeriodFacts, ctx: EvalContext): Derived {
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
const noWaitingStart = (d: Derived) => maxDate(addDays(d.paid, 1), d.periodStart);

/**
 * W-7: the last fee year fully covered before the break. A cover that ended before Dec 31 leaves its
 * year partly uncovered, and a partial year of break counts whole (JL26 Art.12 “不足1年的按1年计算”,
 * applied to Art.13), so that year is a break year.
 */
function lastFullYearOf(prev: NonNullable<WaitingPeriodFacts['previousCover']>): number {
  if (prev.lastCoveredFeeYear !== undefined) return prev.lastCoveredFeeYear;
  const y = yearOf(prev.lastCoveredDay);
  return prev.lastCoveredDay === lastOfYear(y) ? y : y - 1;
}

function breakYearsOf(f: WaitingPeriodFacts): number {
  // W-7: fee years with no contribution between the last covered year and the fee year paid;
  // any break counts at least one.
  return Math.max(1, f.feeYear! - lastFullYearOf(f.previousCover!) - 1);
}

function jl26(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const prev = f.previousCover;
  const gapLimit = () => ctx.param<number>('waiting.gapLimitDays');
  const minYears = () => ctx.param<number>('waiting.minContinuousYears');
  const withinGap = () => d.gapDays !== null && d.gapDays <= gapLimit();
  const employeeGap = (rule: string) =>
    none(d, addDays(prev!.lastCoveredDay, 1), rule, {
      restoredOn: addDays(d.paid, 1),
      retroactive: true,
      backfillAllowed: true,
    });

  const levels: Array<Branch<WaitingPeriod> | Branch<WaitingPeriod>[]> = [
    {
      rule: 'W-1',
      when: () => {
        if (f.group !== 'newborn' || f.scheme !== 'resident') return false;
        const age = daysBetween(f.birthDate!, d.paid);
        if (age <= ctx.param<number>('waiting.newbornWindowDays')) return `enrolled ${age} days after birth`;
        return yearOf(d.paid) === yearOf(f.birthDate!)
          ? `enrolled ${age} days after birth, still in the birth year`
          : false;
      },
      why: 'not a newborn enrolled within 90 days or in the birth year',
      then: () => {
        const age = daysBetween(f.birthDate!, d.paid);
        if (age <= ctx.param<number>('waiting.newbornWindowDays')) {
          ctx.because(
            `新生儿${age === 0 ? '出生当日' : `出生后${age}日`}参保（90日（含）内），不设待遇等待期，待遇自出生之日${f.birthDate}起`,
            `newborn enrolled ${age} days after birth (within 90): no waiting, covered from birth on ${f.birthDate}`,
          );
          return none(d, f.birthDate!, 'W-1');
        }
        const start = addDays(d.paid, 1);
        ctx.because(
          `新生儿出生当年参保（出生后${age}日），不设待遇等待期，自缴费次日${start}起享受待遇，不追溯`,
          `newborn enrolled in the birth year (${age} days after birth): no waiting, covered from the day after payment, ${start}, nothing retroactive`,
        );
        return none(d, start, 'W-1');
      },
    },
    {
      rule: 'W-2',
      when: () => {
        if (f.group !== 'identity-conversion') return false;
        // “自身份转换之日起90日（含）内”: 90 days counting from the conversion day (§0), day 1 = that day.
        const last = periodEnd(f.conversionDate!, ctx.param<number>('waiting.conversionWindowDays')).lastDay;
        const day = daysBetween(f.conversionDate!, d.paid) + 1;
        return d.paid <= last ? `enrolled on day ${day} counting from the conversion (last day ${last})` : false;
      },
      why: 'no identity conversion within the 90 days counting from the conversion day',
      then: () => {
        const start = noWaitingStart(d);
        const last = periodEnd(f.conversionDate!, ctx.param<number>('waiting.conversionWindowDays')).lastDay;
        ctx.because(
          `自身份转换之日${f.conversionDate}起90日（含，至${last}）内参保，不设待遇等待期，自${start}起享受待遇`,
          `enrolled within the 90 days counting from the identity conversion on ${f.conversionDate} (last day ${last}): no waiting, covered from ${start}`,
        );
        return none(d, start, 'W-2');
      },
    },
    {
      rule: 'W-3',
      when: () => (f.group === 'medical-assistance' ? 'medical-assistance recipient' : false),
      why: 'not a medical-assistance recipient',
      then: () => {
        const start = noWaitingStart(d);
        ctx.because(
          `医疗救助资助参保对象不设待遇等待期，自${start}起享受待遇`,
          `medical-assistance recipient: no waiting, covered from ${start}`,
        );
        return none(d, start, 'W-3');
      },
    },
    {
      rule: 'W-4',
      when: () => {
        if (!prev || prev.scheme !== f.scheme) return false;
        if (f.scheme === 'resident') {
          const last = prev.lastCoveredFeeYear ?? yearOf(prev.lastCoveredDay);
          return last === f.feeYear! - 1 && d.inWindow === true
            ? `covered in ${last}, paid in the window for ${f.feeYear}`
            : false;
        }
        const due = dueDateOf(ctx, f.feeMonth!).dueDate;
        return prev.lastCoveredDay >= addDays(d.periodStart, -1) && d.paid <= due
          ? `previous month covered, ${f.feeMonth} paid on time (due ${due})`
          : false;
      },
      why: 'not a continuous renewal',
      then: () => {
        ctx.because(
          `连续参保按时缴费，待遇不中断，自${d.periodStart}起继续享受待遇`,
          `continuous renewal paid on time: no waiting, cover continues from ${d.periodStart}`,
        );
        return none(d, d.periodStart, 'W-4', { retroactive: false });
      },
    },
    [
      {
        rule: 'W-5a',
        when: () =>
          prev && prev.scheme !== f.scheme && prev.continuousYears >= minYears() && withinGap()
            ? `switching from the ${prev.scheme} scheme after ${prev.continuousYears} years, gap ${d.gapDays} days`
            : false,
        why: 'no scheme switch after ≥ 2 continuous years with a gap ≤ 90 days',
        then: () => {
          const r = employeeGap('W-5a');
          ctx.because(
            `连续参保${prev!.continuousYears}年切换参保关系，中断${d.gapDays}日（90日以内），补缴后不设等待期，中断期间待遇追溯至${r.coverStarts}`,
            `switched schemes after ${prev!.continuousYears} continuous years with a ${d.gapDays}-day gap (≤ 90): backfill, no waiting, the gap is covered from ${r.coverStarts}`,
          );
          return f.scheme === 'employee' ? r : { ...r, restoredOn: null };
        },
      },
      {
        rule: 'W-5b',
        when: () =>
          f.scheme === 'employee' && prev?.scheme === 'employee' && withinGap()
            ? `employee gap of ${d.gapDays} days`
            : false,
        why: 'no employee gap ≤ 90 days',
        then: () => {
          const r = employeeGap('W-5b');
          ctx.apply('W-9', `benefits restored on ${r.restoredOn}, the day after the arrears are cleared`);
          ctx.because(
            `职工医保中断缴费${d.gapDays}日（90日以内），补缴后不设等待期，自${r.restoredOn}起恢复待遇，中断期间待遇追溯至${r.coverStarts}`,
            `employee gap of ${d.gapDays} days (≤ 90): backfill, no waiting, benefits restored on ${r.restoredOn} and the gap covered from ${r.coverStarts}`,
          );
          return r;
        },
      },
      {
        rule: 'W-5c',
        when: () =>
          f.scheme === 'resident' &&
          prev?.scheme === 'resident' &&
          prev.continuousYears >= minYears() &&
          d.inWindow === false &&
          withinGap()
            ? `resident with ${prev.continuousYears} continuous years, paid ${d.gapDays} days after the break`
            : false,
        why: 'no resident break ≤ 90 days after ≥ 2 continuous years',
        then: () => {
          ctx.because(
            `居民医保连续参保${prev!.continuousYears}年，中断${d.gapDays}日（90日以内）在集中缴费期外缴费，不设等待期，待遇追溯至${d.periodStart}`,
            `resident with ${prev!.continuousYears} continuous years paid ${d.gapDays} days after the break (≤ 90), outside the window: no waiting, cover back to ${d.periodStart}`,
          );
          return none(d, d.periodStart, 'W-5c', { retroactive: true, backfillAllowed: true });
        },
      },
    ],
    {
      rule: 'W-6',
      when: true,
      then: () => fixedWaiting(f, ctx, d),
    },
  ];
  return ctx.exceptions('the waiting period (JL26 Art.10)', levels);
}

/** W-6 with W-7 for residents after a break (JL26 Art.10 ¶4, Art.13). */
function fixedWaiting(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const fixed = ctx.param<number>('waiting.fixedDays');
  const countsFrom =
    f.scheme === 'resident' && d.inWindow ? d.periodStart : maxDate(waitingCountsFrom(ctx, d.paid), d.periodStart);
  const what = !f.previousCover ? '首次参保' : '不符合免等待期情形';
  const whatEn = !f.previousCover ? 'first enrollment' : 'no exemption applies';

  if (f.scheme !== 'resident' || !f.previousCover) {
    if (f.scheme === 'resident') ctx.skip('W-7', 'first enrollment: no break to count');
    const r = waiting(d, countsFrom, fixed, 0, 'W-6');
    ctx.because(
      `${what}，设${fixed}日固定待遇等待期，自${countsFrom}起算，${r.coverStarts}起享受待遇`,
      `${whatEn}: ${fixed}-day fixed waiting period counting from ${countsFrom}; covered from ${r.coverStarts}`,
    );
    return r;
  }

  const n = breakYearsOf(f);
  const prev = f.previousCover;
  const partial =
    prev.lastCoveredFeeYear === undefined && lastFullYearOf(prev) < yearOf(prev.lastCoveredDay)
      ? `cover ended mid-year on ${prev.lastCoveredDay}, so ${yearOf(prev.lastCoveredDay)} counts as a break year; `
      : '';
  const perYear = ctx.param<number>('waiting.variableDaysPerBreakYear');
  const unrepaired = Math.max(0, n - 1 - f.repairYears);
  let variable = perYear * unrepaired;
  const longBreak = ctx.param<number>('waiting.longBreakYears');
  let floorApplied = false;
  if (n >= longBreak) {
    const floor = ctx.param<number>('waiting.longBreakFloorDays');
    if (fixed + variable < floor) {
      variable = floor - fixed;
      floorApplied = true;
    }
  }
  ctx.apply(
    'W-7',
    `${partial}break of ${n} year(s): ${perYear} × (${n} − 1) days, ${Math.min(f.repairYears, Math.max(0, n - 1))} repaired${floorApplied ? `, floor of ${fixed + variable} days after a break of ≥ ${longBreak} years` : ''}`,
  );
  const r = waiting(d, countsFrom, fixed, variable, 'W-6', { breakYears: n });
  const partialZh = partial ? `（原参保至${prev.lastCoveredDay}，${yearOf(prev.lastCoveredDay)}年不足1年按1年计）` : '';
  const partialEn = partial
    ? ` (cover ended on ${prev.lastCoveredDay}: the part-year ${yearOf(prev.lastCoveredDay)} counts whole)`
    : '';
  ctx.because(
    `断保${n}年${partialZh}后再参保：固定等待期${fixed}日＋变动等待期${variable}日${f.repairYears ? `（已修复${f.repairYears}年）` : ''}${floorApplied ? '（连续断缴4年及以上，修复后不少于180日）' : ''}，自${countsFrom}起算，${r.coverStarts}起享受待遇`,
    `re-enrolling after a ${n}-year break${partialEn}: ${fixed} fixed + ${variable} variable days${f.repairYears ? ` (${f.repairYears} year(s) repaired)` : ''}${floorApplied ? ' (break of 4+ years: at least 180 days)' : ''} counting from ${countsFrom}; covered from ${r.coverStarts}`,
  );
  return r;
}

/** JL21 and FLX25: resident rules of the 2021 notice, FLX25 §9 switching. */
function jl21(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const prev = f.previousCover;
  const levels: Array<Branch<WaitingPeriod> | Branch<WaitingPeriod>[]> = [
    {
      rule: 'W-1',
      when: () =>
        f.group === 'newborn' &&
        f.scheme === 'resident' &&
        daysBetween(f.birthDate!, d.paid) <= ctx.param<number>('waiting.newbornWindowDays')
          ? 'newborn enrolled within 90 days (JL21 §4)'
          : false,
      why: 'not a newborn enrolled within 90 days; a late newborn follows the new-enrollment rules (JL21 §4)',
      then: () => {
        ctx.because(
          `新生儿出生后90天内参保，自出生之日${f.birthDate}起发生的医疗费用纳入报销`,
          `newborn enrolled within 90 days: covered from birth on ${f.birthDate}`,
        );
        return none(d, f.birthDate!, 'W-1');
      },
    },
    [
      {
        rule: 'W-5a',
        when: () => {
          if (ctx.pack.id !== 'FLX25' || !prev || prev.scheme === f.scheme) return false;
          const limit = ctx.param<number>('waiting.gapLimitDays');
          return prev.continuousYears >= ctx.param<number>('waiting.minContinuousYears') && d.gapDays! <= limit
            ? `FLX25 §9 switch after ${prev.continuousYears} years, gap ${d.gapDays} days`
            : false;
        },
        why: 'FLX25 §9 does not apply',
        then: () => {
          const start = addDays(prev!.lastCoveredDay, 1);
          ctx.because(
            `连续参保2年以上切换参保关系且中断${d.gapDays}日，补缴后视为连续参保，不设等待期，中断期间待遇追溯`,
            `switched schemes after 2+ continuous years with a ${d.gapDays}-day gap: treated as continuous, no waiting, gap covered from ${start}`,
          );
          return none(d, start, 'W-5a', { retroactive: true, backfillAllowed: true });
        },
      },
      {
        // FLX25 §9, first clause: “办理职工医保间转移接续的灵活就业参保人员…中断缴费90天（含）以内的…不设待遇享受等待期”.
        rule: 'W-5b',
        when: () => {
          if (ctx.pack.id !== 'FLX25' || f.scheme !== 'employee' || f.mode !== 'flexible') return false;
          if (prev?.scheme !== 'employee' || !prev.region || prev.region === f.region) return false;
          return d.gapDays! <= ctx.param<number>('waiting.gapLimitDays')
            ? `FLX25 §9 flexible worker transferring employee cover from ${prev.region}, gap ${d.gapDays} days`
            : false;
        },
        why: 'not a flexible worker transferring employee cover from another region within 90 days (FLX25 §9)',
        then: () => {
          const start = addDays(prev!.lastCoveredDay, 1);
          ctx.because(
            `灵活就业人员办理职工医保间转移接续（由${prev!.region}转入${f.region}），中断缴费${d.gapDays}天（90天以内），补缴后视为连续参保，不设待遇享受等待期，中断期间待遇追溯至${start}`,
            `flexible worker transferring employee cover from ${prev!.region} to ${f.region} with a ${d.gapDays}-day gap (≤ 90): backfill, treated as continuous, no waiting, the gap covered from ${start}`,
          );
          return none(d, start, 'W-5b', { retroactive: true, backfillAllowed: true });
        },
      },
    ],
    {
      rule: 'W-6',
      when: () => (f.scheme === 'resident' ? 'JL21 §1 resident rule' : false),
      why: 'JL21 has no employee waiting-period rule',
      then: () => {
        if (d.inWindow) {
          ctx.because(
            `集中预缴期内按标准缴费（含新参保），享有${f.feeYear}年全年待遇`,
            `paid in the concentrated window (new enrollees included): covered for all of ${f.feeYear}`,
          );
          return none(d, d.periodStart, 'W-6', { retroactive: false });
        }
        const months = ctx.param<number>('waiting.residentOffWindowMonths');
        const countsFrom = maxDate(waitingCountsFrom(ctx, d.paid), d.periodStart);
        const coverStarts = addMonths(countsFrom, months);
        ctx.because(
          `集中预缴期外补缴${f.feeYear}年居民医保费，设${months}个月待遇等待期，${coverStarts}起享受待遇`,
          `paid for ${f.feeYear} outside the window: ${months}-month waiting period from ${countsFrom}; covered from ${coverStarts}`,
        );
        const days = daysBetween(countsFrom, coverStarts);
        return { ...waiting(d, countsFrom, days, 0, 'W-6'), coverStarts };
      },
    },
  ];
  try {
    return ctx.exceptions(`the waiting period (${ctx.pack.id})`, levels);
  } catch (e) {
    if (e instanceof NoApplicableRuleError) {
      throw new NoApplicableRuleError(
        `the employee waiting period under ${ctx.pack.id}`,
        e.considered,
        'employee waiting periods before 2026-03-01 were set by 吉医保联〔2022〕19号, which is not among the sources; load that pack to decide',
      );
    }
    throw e;
  }
}

const ASSISTANCE_ZH: Record<AssistanceKind, string> = {
  'minimum-living': '低保对象',
  destitute: '特困人员',
  'lifted-from-poverty': '已脱贫人口',
  monitored: '监测对象',
  'near-minimum-living': '低保边缘户',
  'special-care': '重点优抚对象',
  'severe-disability': '重残人员',
};

/** TL22 §2(1)1: the first day of cover of a subsidised resident, by group (W-3). */
function tl22Assistance(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const kind = f.assistanceKind;
  if (f.scheme === 'resident' && kind) {
    const from = ctx.param<{ recognitionDay: AssistanceKind[]; paymentDay: AssistanceKind[] }>(
      'waiting.assistanceCoverFrom',
    );
    if (from.recognitionDay.includes(kind)) {
      if (!f.assistanceRecognisedOn)
        throw new InputError([
          {
            path: 'assistanceRecognisedOn',
            message: `required for ${kind} under TL22 §2(1)1: cover starts on the day the status was recognised`,
          },
        ]);
      const start = maxDate(f.assistanceRecognisedOn, d.periodStart);
      ctx.because(
        `资助参保人员（${ASSISTANCE_ZH[kind]}）不设待遇等待期，自身份认定之日${f.assistanceRecognisedOn}起享受医保待遇，${f.feeYear}年待遇自${start}起`,
        `subsidised resident (${kind}): no waiting, covered from the day the status was recognised, ${f.assistanceRecognisedOn}; cover for ${f.feeYear} from ${start}`,
      );
      return none(d, start, 'W-3');
    }
    if (from.paymentDay.includes(kind)) {
      const start = maxDate(d.paid, d.periodStart);
      ctx.because(
        `资助参保人员（${ASSISTANCE_ZH[kind]}）不设待遇等待期，自缴费之日起享受医保待遇，${f.feeYear}年待遇自${start}起`,
        `subsidised resident (${kind}): no waiting, covered from the payment day; cover for ${f.feeYear} from ${start}`,
      );
      return none(d, start, 'W-3');
    }
  }
  const start = noWaitingStart(d);
  ctx.because(
    `资助参保人员不设待遇等待期，自${start}起享受待遇`,
    `subsidised person: no waiting, covered from ${start}`,
  );
  return none(d, start, 'W-3');
}

/** TL22 §2–3: Tieling, counting from the day the money arrives. */
function tl22(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const prev = f.previousCover;
  const fixed = () => ctx.param<number>('waiting.fixedDays');
  const short = () => ctx.param<number>('waiting.shortWaitDays');
  // “中断缴费不超过3个月”: 3 calendar months counting from the first uncovered day E + 1.
  const within3Months = () =>
    !!prev && d.paid <= monthsGapLastDay(prev.lastCoveredDay, ctx.param<number>('waiting.gapLimitMonths'));
  const fromPayment = (days: number, rule: string, zh: string, en: string, extra: Partial<WaitingPeriod> = {}) => {
    const r = waiting(d, maxDate(waitingCountsFrom(ctx, d.paid), d.periodStart), days, 0, rule, extra);
    ctx.because(
      `${zh}，自${r.countsFrom}起设${days}天待遇等待期，${r.coverStarts}起享受待遇`,
      `${en}: ${days}-day waiting from ${r.countsFrom}; covered from ${r.coverStarts}`,
    );
    return r;
  };
  const switching = !!prev && prev.scheme !== f.scheme;

  const levels: Array<Branch<WaitingPeriod> | Branch<WaitingPeriod>[]> = [
    {
      rule: 'W-1',
      when: () =>
        f.group === 'newborn' && f.scheme === 'resident'
          ? `newborn enrolled ${daysBetween(f.birthDate!, d.paid)} days after birth`
          : false,
      why: 'not a newborn',
      then: () => {
        const age = daysBetween(f.birthDate!, d.paid);
        if (age <= ctx.param<number>('waiting.newbornWindowDays')) {
          ctx.because(
            `新生儿出生后${age}天内参保，自出生之日起纳入报销`,
            `newborn enrolled ${age} days after birth: covered from birth on ${f.birthDate}`,
          );
          return none(d, f.birthDate!, 'W-1');
        }
        return fromPayment(fixed(), 'W-1', '新生儿未在90天内参保', 'newborn enrolled after 90 days');
      },
    },
    {
      rule: 'W-3',
      when: () =>
        f.group === 'medical-assistance'
          ? `subsidised person${f.assistanceKind ? ` (${f.assistanceKind})` : ''} (TL22 §2(1)1, §3(2))`
          : false,
      why: 'not a subsidised person',
      then: () => tl22Assistance(f, ctx, d),
    },
    {
      rule: 'W-5a',
      when: () =>
        switching && prev!.continuousYears >= ctx.param<number>('waiting.minContinuousYears')
          ? 'switch after 2+ years in the same scheme'
          : false,
      why: 'no switch after 2+ years in one scheme',
      then: () => {
        if (within3Months()) {
          const start = noWaitingStart(d);
          ctx.because(
            `连续参保2年以上切换参保关系，中断不超过3个月，缴费到账后即可享受待遇`,
            `switched schemes after 2+ years with a gap of at most 3 months: covered once paid, from ${start}`,
          );
          return none(d, start, 'W-5a');
        }
        return fromPayment(
          short(),
          'W-5a',
          '连续参保2年以上切换参保关系，中断超过3个月',
          'switched schemes after 2+ years with a gap over 3 months',
        );
      },
    },
    {
      rule: 'W-6',
      when: () => (switching ? 'switch after fewer than 2 years' : false),
      why: 'not a switch',
      then: () =>
        fromPayment(
          fixed(),
          'W-6',
          '参加同制度医保未连续2年，切换参保关系',
          'switched schemes after fewer than 2 continuous years',
        ),
    },
    {
      rule: 'W-6',
      when: () => (f.scheme === 'resident' ? 'resident (TL22 §2(1)1)' : false),
      why: 'not a resident enrollment',
      then: () => {
        if (d.inWindow) {
          ctx.because(
            `集中缴费期参保缴费不设待遇等待期，${d.periodStart}起享受待遇`,
            `paid in the concentrated window: no waiting, covered from ${d.periodStart}`,
          );
          return none(d, d.periodStart, 'W-6', { retroactive: false });
        }
        return fromPayment(fixed(), 'W-6', '非集中缴费期参保缴费', 'paid outside the concentrated window');
      },
    },
    {
      rule: 'W-6',
      when: () => (!prev ? 'first employee enrollment' : false),
      why: 'not a first employee enrollment',
      then: () => {
        if (f.group === 'new-graduate') {
          const start = noWaitingStart(d);
          ctx.because(
            `应届毕业生新入职首次参加职工医保，不设待遇等待期`,
            `new graduate in a first employee enrollment: no waiting, covered from ${start}`,
          );
          return none(d, start, 'W-6');
        }
        return fromPayment(fixed(), 'W-6', '职工医保首次参保', 'first employee enrollment');
      },
    },
    [
      {
        rule: 'W-4',
        when: () =>
          f.mode === 'flexible' && prev!.priorYearPaidInFull === true
            ? 'flexible worker, prior year paid in full (TL22 §2(2)3)'
            : false,
        why: 'not a flexible worker who paid the whole prior year',
        then: () => {
          const start = noWaitingStart(d);
          ctx.because(
            `灵活就业人员上年度足额缴费，当年实缴到账后即可享受待遇`,
            `flexible worker who paid the whole prior year: covered once paid, from ${start}`,
          );
          return none(d, start, 'W-4');
        },
      },
      {
        rule: 'W-6',
        when: () =>
          f.mode === 'flexible' && prev!.priorYearPaidInFull !== true
            ? 'flexible worker, prior year not paid in full (TL22 §2(2)3)'
            : false,
        why: 'not a flexible worker short of the prior year',
        then: () =>
          fromPayment(
            short(),
            'W-6',
            '灵活就业人员上年度未足额缴费',
            'flexible worker who did not pay the whole prior year',
          ),
      },
    ],
    {
      rule: 'W-5b',
      when: () => (within3Months() ? 'employee gap of at most 3 months' : false),
      why: 'employee gap over 3 months',
      then: () => {
        const start = addDays(prev!.lastCoveredDay, 1);
        ctx.because(
          `中断缴费不超过3个月，补缴后断缴期间可享受待遇，不设待遇等待期`,
          `employee gap of at most 3 months: backfill, no waiting, the gap covered from ${start}`,
        );
        return none(d, start, 'W-5b', { retroactive: true, backfillAllowed: true, restoredOn: addDays(d.paid, 1) });
      },
    },
    {
      rule: 'W-6',
      when: true,
      then: () =>
        fromPayment(
          short(),
          'W-6',
          '职工医保中断缴费超过3个月，断缴期间不享受待遇',
          'employee gap over 3 months, the gap not covered',
          { backfillAllowed: true },
        ),
    },
  ];
  return ctx.exceptions('the waiting period (TL22 §2–3)', levels);
}

export const waitingPeriod = defineDecision({
  id: 'waiting-period',
  title: { zh: '待遇等待期与待遇起始日', en: 'Waiting period and cover start' },
  rules: ['W-1', 'W-2', 'W-3', 'W-4', 'W-5a', 'W-5b', 'W-5c', 'W-6', 'W-7', 'W-8', 'W-9', 'P-1', 'P-2'],
  input: waitingPeriodFacts,
  businessDate: (f) => cstDateOf(f.paidAt),
  evaluate(f, ctx) {
    const d = derive(f, ctx);
    let r: WaitingPeriod;
    if (ctx.pack.jurisdiction === 'TL') r = tl22(f, ctx, d);
    else if (ctx.pack.id === 'JL26') r = jl26(f, ctx, d);
    else r = jl21(f, ctx, d);

    // W-8: a waiting period still running is not cancelled by switching scheme.
    if (f.carriedWaitingUntil) {
      if (f.carriedWaitingUntil > r.coverStarts) {
        ctx.apply('W-8', `a waiting period running until ${addDays(f.carriedWaitingUntil, -1)} carries over`);
        const reason = ctx.reason!;
        ctx.because(
          `${reason.zh}；但原等待期不随参保关系切换而取消，待遇自${f.carriedWaitingUntil}起`,
          `${reason.en}; but the waiting period still running carries over the switch, so cover starts on ${f.carriedWaitingUntil}`,
        );
        r = { ...r, coverStarts: f.carriedWaitingUntil, retroactive: false, decidedBy: 'W-8' };
      } else {
        ctx.skip('W-8', `the carried waiting period ends before ${r.coverStarts}`);
      }
    }

    // A resident payment buys cover for its fee year only: a start after Dec 31 buys nothing.
    if (f.scheme === 'resident' && r.coverStarts > lastOfYear(f.feeYear!)) {
      const reason = ctx.reason!;
      ctx.because(
        `${reason.zh}；该待遇起始日已在${f.feeYear}年度之后，本次缴费在${f.feeYear}年不能享受任何待遇`,
        `${reason.en}; that is after the fee year ${f.feeYear} has ended, so this payment buys no cover`,
      );
      r = { ...r, coversNothing: true };
    }
    return r;
  },
  moreFavourable: (a, b) => a.coverStarts < b.coverStarts,
  example: {
    asOf: '2026-11-15',
    facts: { region: '220100', scheme: 'resident', paidAt: '2026-11-15T10:30:00+08:00', feeYear: 2027 },
  },
});
