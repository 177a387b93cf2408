/**
 * The major-illness maximum of a resident (大病保险最高支付限额) for one year, from the person's
 * year-by-year history (M-1…M-4, JL26 Art.12–13), as an adjustment of the original limit.
 *
 * The history is walked year by year (a fold, so the result is the same whatever asks):
 * - the continuous run counts insured years; a year not insured (a partial year counts whole) is a
 *   break and resets it (M-3); M-1 gives (run − 4) × 1 % from the 5th continuous year;
 * - each insured zero-reimbursement year adds 1 % from the next year (M-2); using the increased
 *   amount clears what had accumulated (M-3); M-1 + M-2 are capped at +20 % (M-3);
 * - re-enrolling after a break of N years: −N × 1 %, at most −20 %, from the re-enrollment year on,
 *   for as long as the new run lasts, with that run's increases added to it (M-4, Reading).
 * Adjustments are a single line item: the original limit × the net percentage, rounded half up once.
 */
import * as z from 'zod';
import { addRatios, applyRatio, type Fen, formatYuan, mulRatios, type Ratio, ratio } from '#domain/money.js';
import { baseFacts, feeYear, fen, strictObject } from '#schemas/common.js';
import { defineDecision } from '../engine.js';
import { NoApplicableRuleError } from '../errors.js';

export const majorIllnessFacts = baseFacts
  .extend({
    year: feeYear.describe('the limit year asked about (the person is insured as a resident in it)'),
    originalLimitFen: fen.describe('原最高支付限额: the original major-illness maximum of that year, in fen'),
    history: z
      .array(
        strictObject({
          year: feeYear,
          insured: z
            .boolean()
            .describe(
              'insured as a resident for the whole fee year; false for a year with any break (a partial year counts whole)',
            ),
          zeroReimbursement: z
            .boolean()
            .default(false)
            .describe('M-2: insured, and nothing was reimbursed by the fund that year'),
          usedIncrease: z.boolean().default(false).describe('M-3: the increased amount was used that year'),
        }),
      )
      .describe(
        'resident years before `year`, from the first year on record; years missing between the first listed year and `year` are years not insured',
      ),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<number>();
    f.history.forEach((h, i) => {
      if (h.year >= f.year)
        ctx.addIssue({ code: 'custom', path: ['history', i, 'year'], message: 'is not before `year`' });
      if (seen.has(h.year)) ctx.addIssue({ code: 'custom', path: ['history', i, 'year'], message: 'is listed twice' });
      seen.add(h.year);
      if (!h.insured && (h.zeroReimbursement || h.usedIncrease))
        ctx.addIssue({ code: 'custom', path: ['history', i], message: 'a year not insured has no reimbursement' });
      if (h.zeroReimbursement && h.usedIncrease)
        ctx.addIssue({
          code: 'custom',
          path: ['history', i],
          message: 'a zero-reimbursement year cannot use the increase',
        });
    });
  });

export type MajorIllnessFacts = z.output<typeof majorIllnessFacts>;

export interface MajorIllnessLimit {
  readonly year: number;
  /** Insured years of the run ending with `year` (years before the first adjusted year per parameter). */
  readonly continuousYears: number;
  readonly continuityIncreasePct: number;
  readonly zeroReimbursementIncreasePct: number;
  /** M-1 + M-2 after the cap of M-3. */
  readonly increasePct: number;
  readonly capped: boolean;
  /** Break years behind the reduction carried by this run (M-4), 0 when none. */
  readonly breakYears: number;
  readonly reductionPct: number;
  readonly adjustmentPct: number;
  readonly originalLimitFen: Fen;
  /** Signed: the limit less the original limit. */
  readonly adjustmentFen: Fen;
  readonly limitFen: Fen;
}

const times = (r: Ratio, n: number): Ratio => mulRatios(r, ratio(n, 1));
const cmp = (a: Ratio, b: Ratio): number => a.num * b.den - b.num * a.den;
const minR = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) <= 0 ? a : b);
const pctOf = (r: Ratio): number => (r.num * 100) / r.den;

export const majorIllnessLimit = defineDecision({
  id: 'major-illness-limit',
  title: { zh: '居民大病保险最高支付限额调整', en: 'Adjusted major-illness maximum of a resident' },
  rules: ['M-1', 'M-2', 'M-3', 'M-4', 'P-1', 'P-2'],
  input: majorIllnessFacts,
  // The rules in force on the day the limit is asked for (JL26 sets them “自2025年起”).
  businessDate: (_f, asOf) => asOf,
  evaluate(f, ctx): MajorIllnessLimit {
    const first = ctx.param<number>('illness.firstAdjustedYear');
    if (f.year < first) {
      throw new NoApplicableRuleError(
        `the major-illness limit of ${f.year}`,
        ['M-1', 'M-2', 'M-3', 'M-4'],
        `JL26 Art.12–13 adjust limits from ${first} on`,
      );
    }
    const threshold = ctx.param<number>('illness.continuityThresholdYears');
    const perYear = ctx.param<Ratio>('illness.continuityIncreasePerYear');
    const zeroStep = ctx.param<Ratio>('illness.zeroReimbursementIncrease');
    const zeroFrom = ctx.param<number>('illness.zeroReimbursementFromYear');
    const cap = ctx.param<Ratio>('illness.increaseCap');
    const perBreak = ctx.param<Ratio>('illness.reductionPerBreakYear');
    const reductionCap = ctx.param<Ratio>('illness.reductionCap');
    const countEarly = ctx.param<boolean>('illness.yearsBeforeFirstCountForContinuity');
    const breakClearsZero = ctx.param<boolean>('illness.breakClearsZeroReimbursement');

    const byYear = new Map(f.history.map((h) => [h.year, h]));
    const start = Math.min(f.year, ...f.history.map((h) => h.year));
    let everInsured = false;
    let run = 0;
    let breakLen = 0;
    let reductionYears = 0;
    let zeroYears = 0;
    let resets = 0;
    let clearedIn: number | null = null;
    let reenrolledIn: number | null = null;
    for (let y = start; y <= f.year; y++) {
      const h = byYear.get(y);
      const insured = y === f.year || h?.insured === true;
      if (!insured) {
        // Years before the first insured one are no break: there is nothing to re-enroll in.
        if (everInsured) {
          if (breakLen === 0) resets++;
          breakLen++;
          run = 0;
          if (breakClearsZero) zeroYears = 0;
        }
        continue;
      }
      if (breakLen > 0) {
        // M-4: re-enrollment; the reduction (from the first adjusted year on) stays with this run.
        reductionYears = y >= first ? breakLen : 0;
        reenrolledIn = y;
        breakLen = 0;
      }
      everInsured = true;
      if (countEarly || y >= first) run++;
      if (y === f.year) break;
      if (h!.zeroReimbursement && y >= zeroFrom) zeroYears++;
      if (h!.usedIncrease && zeroYears > 0) {
        zeroYears = 0;
        clearedIn = y;
      }
    }

    const continuityYears = Math.max(0, run - threshold);
    const continuity = times(perYear, continuityYears);
    const zero = times(zeroStep, zeroYears);
    const raw = addRatios(continuity, zero);
    const increase = minR(raw, cap);
    const capped = cmp(raw, cap) > 0;
    const reduction = minR(times(perBreak, reductionYears), reductionCap);

    if (continuityYears > 0) ctx.apply('M-1', `run of ${run} years: ${continuityYears} × ${pctOf(perYear)} %`);
    else ctx.skip('M-1', `run of ${run} years, not more than ${threshold}`);
    if (zeroYears > 0) ctx.apply('M-2', `${zeroYears} zero-reimbursement year(s) accumulated`);
    else ctx.skip('M-2', 'no zero-reimbursement increase accumulated');
    const m3: string[] = [];
    if (capped) m3.push(`${pctOf(raw)} % capped at ${pctOf(cap)} %`);
    if (resets > 0) m3.push(`the continuous count was reset by ${resets} break(s)`);
    if (clearedIn !== null) m3.push(`zero-reimbursement increases cleared after use in ${clearedIn}`);
    if (m3.length) ctx.apply('M-3', m3.join('; '));
    else ctx.skip('M-3', 'no cap, break or use of the increase');
    if (reductionYears > 0)
      ctx.apply(
        'M-4',
        `re-enrolled in ${reenrolledIn} after ${reductionYears} year(s) of break: −${pctOf(reduction)} %`,
      );
    else
      ctx.skip(
        'M-4',
        reenrolledIn !== null
          ? `re-enrolled in ${reenrolledIn}, before ${first}: no reduction`
          : 'no re-enrollment after a break',
      );

    const up = cmp(increase, reduction) >= 0;
    const net = up
      ? ratio(increase.num * reduction.den - reduction.num * increase.den, increase.den * reduction.den)
      : ratio(reduction.num * increase.den - increase.num * reduction.den, increase.den * reduction.den);
    const adjustmentFen = (up ? 1 : -1) * applyRatio(f.originalLimitFen, net);
    const limitFen = f.originalLimitFen + adjustmentFen;
    const adjustmentPct = (up ? 1 : -1) * pctOf(net);

    const parts = {
      zh: [
        `连续参保${run}年${continuityYears ? `（提高${pctOf(continuity)}%）` : ''}`,
        zeroYears ? `零报销累计提高${pctOf(zero)}%` : '',
        capped ? `累计提高以${pctOf(cap)}%为限` : '',
        clearedIn !== null ? `${clearedIn}年使用提高额度后零报销提高额度已清零` : '',
        reductionYears ? `断保${reductionYears}年后于${reenrolledIn}年再参保，降低${pctOf(reduction)}%` : '',
      ].filter(Boolean),
      en: [
        `continuous run of ${run} years${continuityYears ? ` (+${pctOf(continuity)} %)` : ''}`,
        zeroYears ? `zero-reimbursement increases +${pctOf(zero)} %` : '',
        capped ? `increases capped at ${pctOf(cap)} %` : '',
        clearedIn !== null ? `zero-reimbursement increases cleared after use in ${clearedIn}` : '',
        reductionYears
          ? `re-enrolled in ${reenrolledIn} after a ${reductionYears}-year break (−${pctOf(reduction)} %)`
          : '',
      ].filter(Boolean),
    };
    const sign = adjustmentPct > 0 ? '+' : '';
    ctx.because(
      `${f.year}年大病保险最高支付限额：${parts.zh.join('，')}；调整${sign}${adjustmentPct}%，由${formatYuan(f.originalLimitFen)}元调整为${formatYuan(limitFen)}元`,
      `major-illness maximum for ${f.year}: ${parts.en.join('; ')}; adjustment ${sign}${adjustmentPct} %, from ${formatYuan(f.originalLimitFen)} to ${formatYuan(limitFen)} yuan`,
    );
    return {
      year: f.year,
      continuousYears: run,
      continuityIncreasePct: pctOf(continuity),
      zeroReimbursementIncreasePct: pctOf(zero),
      increasePct: pctOf(increase),
      capped,
      breakYears: reductionYears,
      reductionPct: pctOf(reduction),
      adjustmentPct,
      originalLimitFen: f.originalLimitFen,
      adjustmentFen,
      limitFen,
    };
  },
  moreFavourable: (a, b) => a.limitFen > b.limitFen,
  example: {
    asOf: '2026-06-15',
    facts: {
      region: '220100',
      year: 2026,
      originalLimitFen: 30000000,
      history: [
        { year: 2019, insured: true },
        { year: 2020, insured: true },
        { year: 2021, insured: true },
        { year: 2022, insured: true },
        { year: 2023, insured: true },
        { year: 2024, insured: true },
        { year: 2025, insured: true, zeroReimbursement: true },
      ],
    },
  },
});
