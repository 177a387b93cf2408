/**
 * Maternity benefits of flexible workers and unemployment-benefit recipients (G-1…G-3, FLX25 §8):
 * in-rules hospital delivery costs are reimbursed in full with no deductible; the allowance is the
 * contribution base ÷ 30 × 98 days, rounded once; it needs 12 continuous months of in-province
 * employee contributions, and a person continuously insured but short is paid once 12 are reached.
 */
import * as z from 'zod';
import { addYearMonths, monthOf } from '#domain/calendar.js';
import { applyRatio, type Fen, formatYuan, mulDivRound, type Ratio } from '#domain/money.js';
import { baseFacts, businessDate, fen, strictObject } from '#schemas/common.js';
import { averageWage, flexibleBase } from '../contributions/rates.js';
import { defineDecision, type EvalContext } from '../engine.js';

export const maternityBenefitFacts = baseFacts.extend({
  deliveryDate: businessDate.describe('date of delivery (分娩日期)'),
  insuredAs: z
    .enum(['flexible', 'unemployment-recipient', 'unit-employee'])
    .describe('灵活就业 flexible worker, 领金人员 unemployment-benefit recipient, or a unit employee'),
  contributionBaseFen: fen
    .optional()
    .describe(
      'G-2: the contribution base; default: the flexible (C-4) or recipient (C-7) base in force on the delivery date',
    ),
  continuousMonths: z
    .number()
    .int()
    .min(0)
    .max(600)
    .describe(
      'G-3: continuous in-province employee (maternity) contribution months up to and including the delivery month',
    ),
  continuouslyInsured: z
    .boolean()
    .default(false)
    .describe('G-3: continuously in basic medical insurance (any scheme) without a break, though short of the months'),
  deliveryCosts: strictObject({
    withinRulesFen: fen.describe('hospital delivery costs within the maternity-insurance rules'),
    outsideRulesFen: fen.default(0).describe('costs outside the rules'),
  })
    .optional()
    .describe('G-1: the hospital delivery bill'),
});

export type MaternityBenefitFacts = z.output<typeof maternityBenefitFacts>;

export interface MaternityBenefit {
  readonly insuredAs: MaternityBenefitFacts['insuredAs'];
  /** G-1: reimbursed by the fund; null when no bill was given. */
  readonly deliveryReimbursedFen: Fen | null;
  readonly deliveryOutOfPocketFen: Fen | null;
  readonly allowanceBaseFen: Fen;
  readonly allowanceDays: number;
  /** G-2: the allowance; 0 when G-3 refuses it. */
  readonly allowanceFen: Fen;
  readonly allowanceStatus: 'payable' | 'deferred' | 'not-eligible';
  /** The month from which the allowance is paid (deferred: the month the 12th is reached). */
  readonly allowancePayableFrom: string | null;
  readonly monthsShort: number;
}

/** G-2: the base — given, or the scheme's base in force on the delivery date. */
function allowanceBase(f: MaternityBenefitFacts, ctx: EvalContext): Fen {
  if (f.contributionBaseFen !== undefined) return f.contributionBaseFen;
  if (f.insuredAs === 'flexible') return flexibleBase(ctx);
  return applyRatio(averageWage(ctx).monthlyFen, ctx.param<Ratio>('contribution.unemployedBaseShare'));
}

interface Eligibility {
  readonly status: MaternityBenefit['allowanceStatus'];
  readonly from: string | null;
}

export const maternityBenefit = defineDecision({
  id: 'maternity-benefit',
  title: { zh: '灵活就业人员及领金人员生育待遇', en: 'Maternity benefits of flexible workers and benefit recipients' },
  rules: ['G-1', 'G-2', 'G-3', 'P-1', 'P-2'],
  input: maternityBenefitFacts,
  businessDate: (f) => f.deliveryDate,
  evaluate(f, ctx): MaternityBenefit {
    // FLX25 §8 covers flexible workers and recipients paid at the enterprise rate; a unit
    // employee's allowance follows the unit's rules, which are not among the sources.
    ctx.exceptions('whose maternity benefits FLX25 §8 sets', [
      {
        rule: 'G-2',
        when: f.insuredAs !== 'unit-employee' ? `insured as ${f.insuredAs}` : false,
        why: 'a unit employee',
        then: () => true,
      },
    ]);

    let reimbursed: Fen | null = null;
    let outOfPocket: Fen | null = null;
    let billZh = '';
    let billEn = '';
    if (f.deliveryCosts) {
      const deductible = ctx.param<Fen>('maternity.deliveryDeductible');
      const share = ctx.param<Ratio>('maternity.deliveryReimbursementShare');
      const c = f.deliveryCosts;
      reimbursed = applyRatio(Math.max(0, c.withinRulesFen - deductible), share);
      outOfPocket = c.withinRulesFen + c.outsideRulesFen - reimbursed;
      ctx.apply(
        'G-1',
        `in-rules ${formatYuan(c.withinRulesFen)}, deductible ${formatYuan(deductible)}: ${formatYuan(reimbursed)} reimbursed`,
      );
      billZh = `住院分娩政策范围内费用${formatYuan(c.withinRulesFen)}元不设起付标准，报销${formatYuan(reimbursed)}元；`;
      billEn = `in-rules delivery costs ${formatYuan(c.withinRulesFen)} with no deductible: ${formatYuan(reimbursed)} reimbursed; `;
    } else ctx.skip('G-1', 'no delivery bill given');

    const baseFen = allowanceBase(f, ctx);
    const days = ctx.param<number>('maternity.allowanceDays');
    const divisor = ctx.param<number>('maternity.allowanceDayDivisor');
    // One rounding: base × 98 / 30, not a rounded daily amount times 98.
    const entitled = mulDivRound(baseFen, days, divisor);
    ctx.apply('G-2', `${formatYuan(baseFen)} ÷ ${divisor} × ${days} = ${formatYuan(entitled)}`);

    const min = ctx.param<number>('maternity.minContinuousMonths');
    const month = monthOf(f.deliveryDate);
    const short = Math.max(0, min - f.continuousMonths);
    const e = ctx.exceptions<Eligibility>('the maternity allowance (FLX25 §8)', [
      {
        rule: 'G-3',
        when: f.continuousMonths >= min ? `${f.continuousMonths} continuous months (≥ ${min})` : false,
        why: `only ${f.continuousMonths} continuous months`,
        then: () => ({ status: 'payable', from: month }),
      },
      {
        rule: 'G-3',
        when: () =>
          f.continuouslyInsured && ctx.param<boolean>('maternity.retroactiveWhenShort')
            ? `continuously insured, ${short} month(s) short: paid once ${min} are reached`
            : false,
        why: 'not continuously insured, or the region pays nothing retroactively',
        then: () => ({ status: 'deferred', from: addYearMonths(month, short) }),
      },
      {
        rule: 'G-3',
        when: `${f.continuousMonths} continuous months and a break`,
        then: () => ({ status: 'not-eligible', from: null }),
      },
    ]);
    const allowanceFen = e.status === 'not-eligible' ? 0 : entitled;
    const tail =
      e.status === 'payable'
        ? {
            zh: `连续缴费${f.continuousMonths}个月，生育津贴按缴费基数${formatYuan(baseFen)}元÷${divisor}×${days}天核定为${formatYuan(entitled)}元`,
            en: `${f.continuousMonths} continuous months: allowance ${formatYuan(baseFen)} ÷ ${divisor} × ${days} = ${formatYuan(entitled)} yuan`,
          }
        : e.status === 'deferred'
          ? {
              zh: `连续参保但缴费仅${f.continuousMonths}个月，生育津贴${formatYuan(entitled)}元待缴满${min}个月（${e.from}）后回溯支付`,
              en: `continuously insured but only ${f.continuousMonths} months paid: the ${formatYuan(entitled)} yuan allowance is paid retroactively once ${min} months are reached (${e.from})`,
            }
          : {
              zh: `在省内连续缴费仅${f.continuousMonths}个月且未连续参保，不符合生育津贴领取条件`,
              en: `only ${f.continuousMonths} continuous in-province months and a break in cover: no maternity allowance`,
            };
    ctx.because(`${billZh}${tail.zh}`, `${billEn}${tail.en}`);
    return {
      insuredAs: f.insuredAs,
      deliveryReimbursedFen: reimbursed,
      deliveryOutOfPocketFen: outOfPocket,
      allowanceBaseFen: baseFen,
      allowanceDays: days,
      allowanceFen,
      allowanceStatus: e.status,
      allowancePayableFrom: e.from,
      monthsShort: short,
    };
  },
  moreFavourable: (a, b) =>
    a.allowanceFen + (a.deliveryReimbursedFen ?? 0) > b.allowanceFen + (b.deliveryReimbursedFen ?? 0),
  example: {
    asOf: '2026-10-20',
    facts: {
      region: '220100',
      deliveryDate: '2026-10-12',
      insuredAs: 'flexible',
      continuousMonths: 26,
      deliveryCosts: { withinRulesFen: 680000, outsideRulesFen: 45000 },
    },
  },
});
