/**
 * JL26 (吉医保规〔2026〕1号, Jilin from 2026-03-01): the waiting period as RULES.md §3 reads it — W-1
 * newborns (Art.24), W-2 identity conversion (Art.25), W-3 medical-assistance recipients (PRC22 §3.4),
 * W-4 continuous renewal (Art.10, Art.20), W-5a/W-5b/W-5c gaps of ≤ 90 days (Art.10 ¶1–3; W-9, Art.18,
 * restores an employee's benefits), and the general rule W-6 (Art.10 ¶4) with the variable period W-7
 * after a resident's break (Art.13, a part-year counted whole as Art.12 says).
 */
import { addDays, daysBetween, lastOfYear, maxDate, periodEnd, yearOf } from '#domain/calendar.js';
import { dueDateOf } from '../contributions/rates.js';
import type { EvalContext } from '../engine.js';
import {
  type Derived,
  type Levels,
  none,
  noWaitingStart,
  type WaitingPeriod,
  type WaitingPeriodFacts,
  waiting,
} from './common.js';
import { waitingCountsFrom } from './counting.js';

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

/** JL26: the first applicable level decides, most specific first; W-6 is the general rule. */
export function jl26(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
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

  const levels: Levels = [
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
