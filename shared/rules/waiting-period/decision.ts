/**
 * Waiting period and cover start after a payment (W-1…W-9), with the day arithmetic of RULES.md §0.
 *
 * Three rule sets share this decision, chosen by the pack in force (P-1):
 * - JL26 (Jilin from 2026-03-01, jl26.ts): W-1…W-9 as in RULES.md §3, first applicable rule decides.
 * - JL21 / FLX25 (Jilin before, jl21.ts with flx25.ts): residents under the 2021 collection notice
 *   (window → full year, outside → 3 months), FLX25 §9 (a flexible worker's employee-to-employee
 *   transfer between regions, and switching schemes); other employee waiting periods of that time were
 *   set by the 2022 interim measures, which are not among the sources, so such a question is an error
 *   naming them.
 * - TL22 (Tieling, tl22.ts): its own periods, counted as `waiting.fixedCountsFrom` says (the payment
 *   day), and gaps in calendar months counted from the first uncovered day.
 * The facts, the result and the helpers they share are in common.ts.
 *
 * Whichever set decided, W-8 and the end of the fee year are then applied here. A resident payment whose
 * cover would start after its fee year has ended buys no cover: the result says so (`coversNothing`)
 * rather than returning a start outside the year as if it were one.
 */
import { addDays, cstDateOf, lastOfYear } from '#domain/calendar.js';
import { defineDecision } from '../engine.js';
import { derive, type WaitingPeriod, waitingPeriodFacts } from './common.js';
import { jl21 } from './jl21.js';
import { jl26 } from './jl26.js';
import { tl22 } from './tl22.js';

export { type WaitingPeriod, type WaitingPeriodFacts, waitingPeriodFacts } from './common.js';

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
