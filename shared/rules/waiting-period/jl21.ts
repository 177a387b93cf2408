/**
 * JL21 (吉医保联〔2020〕25号, Jilin 2020-09-21 … 2025-04-30) and FLX25 after it (2025-05-01 … 2026-02-28),
 * which inherits it: W-1 newborns enrolled within 90 days (JL21 §4) and W-6 residents by the collection
 * window (JL21 §1: in the window → the whole fee year, outside → 3 months), with FLX25 §9 (flx25.ts)
 * between them. Other employee waiting periods of that time were set by the 2022 interim measures
 * (吉医保联〔2022〕19号), which are not among the sources, so such a question is an error naming them.
 */
import { addMonths, daysBetween, maxDate } from '#domain/calendar.js';
import type { EvalContext } from '../engine.js';
import { NoApplicableRuleError } from '../errors.js';
import { type Derived, type Levels, none, type WaitingPeriod, type WaitingPeriodFacts, waiting } from './common.js';
import { waitingCountsFrom } from './counting.js';
import { flx25Section9 } from './flx25.js';

/** JL21 and FLX25: resident rules of the 2021 notice, FLX25 §9 switching. */
export function jl21(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const levels: Levels = [
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
    flx25Section9(f, ctx, d),
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
