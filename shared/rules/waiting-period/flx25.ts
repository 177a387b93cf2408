/**
 * FLX25 (Jilin 2025 flexible-worker notice, 2025-05-01 … 2026-02-28), §9: the two waiting-period
 * exceptions it adds to the JL21 rules it inherits — W-5a, switching schemes after 2+ continuous years
 * with a gap ≤ 90 days, and W-5b, a flexible worker's employee-to-employee transfer between regions with
 * a gap ≤ 90 days. They stand as one level of jl21.ts's rule set and apply only while FLX25 is in force
 * (P-1); under JL21 they are considered and skipped, which the trace records.
 */
import { addDays } from '#domain/calendar.js';
import type { Branch, EvalContext } from '../engine.js';
import { type Derived, none, type WaitingPeriod, type WaitingPeriodFacts } from './common.js';

/** FLX25 §9: W-5a and W-5b, of equal rank. */
export function flx25Section9(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): Branch<WaitingPeriod>[] {
  const prev = f.previousCover;
  return [
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
  ];
}
