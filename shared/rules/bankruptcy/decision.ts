/**
 * Bankruptcy deferral (破产缓缴, JL26 Art.27; B-1…B-4) for one employee of the enterprise.
 *
 * The bankruptcy-deferral workflow asks four questions:
 * - `status`: on asOf, does the agreement keep the employee's benefits (B-1, the exception to the A-1
 *   suspension) and how much personal-account credit is held back? Once an agreement that held is over
 *   (the court's ruling, or its own end) with months unpaid, benefits are suspended from the day after
 *   (B-4 Reading, as `agreement-ended`): the months it covered stay covered up to then.
 * - `paid-in-full`: the deferred contributions are paid: the held credits are made at once (B-2).
 * - `transaction`: a retirement transfer, transfer out or termination during the agreement needs this
 *   employee's individual and unit dues paid first (B-3; the retirement workflow's R-8 is the same
 *   gate seen from the retirement side).
 * - `agreement-ended`: the agreement ended without full payment: the remaining months are arrears
 *   from its end (B-4 Reading), with the window and late fee of §4; the arrears decision continues
 *   the case with `deferredUntil`.
 *
 * The deferral holds only between the filing and the court's ruling, with tax's confirmation and an
 * agreement filed with the agency (B-1); without all of these the general rule A-1 suspends benefits.
 */
import * as z from 'zod';
import { addDays, type CalendarDate, cstDateOf, firstOfMonth } from '#domain/calendar.js';
import { applyRatio, type Fen, formatYuan, type Ratio } from '#domain/money.js';
import { baseFacts, businessDate, feeMonth, fen, strictObject, timestampOrDate } from '#schemas/common.js';
import { type Branch, defineDecision, type EvalContext } from '../engine.js';
import { NoApplicableRuleError } from '../errors.js';
import { dueDateOf, lateFeeLine, monthDue, windowLastDay } from '../arrears/lines.js';

export const bankruptcyFacts = baseFacts
  .extend({
    question: z
      .enum(['status', 'paid-in-full', 'transaction', 'agreement-ended'])
      .describe('status (B-1), paid-in-full (B-2), transaction gate (B-3), agreement-ended (B-4)'),
    filedOn: businessDate.describe('the day the enterprise filed for bankruptcy with the court'),
    rulingOn: businessDate.optional().describe('the day of the court’s bankruptcy ruling, once issued'),
    taxConfirmed: z.boolean().describe('tax confirmed that the enterprise cannot pay (参保地税务部门审定)'),
    agreementFiledOn: businessDate
      .optional()
      .describe('the day the deferral agreement signed with tax was filed with the agency; absent: none'),
    agreementEndsOn: businessDate.optional().describe('the agreement’s last day (required for agreement-ended)'),
    paidInFullOn: businessDate.optional().describe('paid-in-full: the day the deferred contributions were all paid'),
    transaction: z
      .enum(['retirement-transfer', 'transfer-out', 'termination'])
      .optional()
      .describe('transaction: the business applied for during the agreement (B-3)'),
    paidAt: timestampOrDate
      .optional()
      .describe('agreement-ended: when the remaining months were paid; absent: as of asOf'),
    months: z
      .array(
        strictObject({
          feeMonth: feeMonth.describe('a fee month deferred under the agreement'),
          baseFen: fen.describe('this employee’s contribution base for the month'),
          paidFen: fen.default(0).describe('what has been paid of the month’s individual and unit dues'),
        }),
      )
      .min(1)
      .describe('this employee’s deferred fee months'),
  })
  .superRefine((f, ctx) => {
    if (f.question === 'paid-in-full' && !f.paidInFullOn)
      ctx.addIssue({ code: 'custom', path: ['paidInFullOn'], message: 'required for paid-in-full' });
    if (f.question === 'transaction' && !f.transaction)
      ctx.addIssue({ code: 'custom', path: ['transaction'], message: 'required for transaction' });
    if (f.question === 'agreement-ended' && !f.agreementEndsOn)
      ctx.addIssue({ code: 'custom', path: ['agreementEndsOn'], message: 'required for agreement-ended' });
    if (f.agreementFiledOn && f.agreementFiledOn < f.filedOn)
      ctx.addIssue({ code: 'custom', path: ['agreementFiledOn'], message: 'is before the bankruptcy filing' });
    if (f.rulingOn && f.rulingOn < f.filedOn)
      ctx.addIssue({ code: 'custom', path: ['rulingOn'], message: 'is before the bankruptcy filing' });
    const seen = new Set<string>();
    f.months.forEach((m, i) => {
      if (seen.has(m.feeMonth))
        ctx.addIssue({ code: 'custom', path: ['months', i, 'feeMonth'], message: 'listed twice' });
      seen.add(m.feeMonth);
    });
  });

export type BankruptcyFacts = z.output<typeof bankruptcyFacts>;

export interface DeferredMonthLine {
  readonly feeMonth: string;
  /** This employee's individual + unit dues for the month (A-3 rates of the month). */
  readonly dueFen: Fen;
  readonly unpaidFen: Fen;
  /** The personal-account credit of the month, held back during the agreement (B-1). */
  readonly creditFen: Fen;
  readonly lateFeeDays: number;
  readonly lateFeeFen: Fen;
}

export interface BankruptcyOutcome {
  readonly question: BankruptcyFacts['question'];
  /** B-1 holds on the business date. */
  readonly deferralInForce: boolean;
  readonly benefitsKept: boolean;
  /** A-1: benefits suspended from this day (no deferral, or after an agreement that ended unpaid). */
  readonly suspendedFrom: CalendarDate | null;
  readonly accountCreditsHeld: boolean;
  /** Credits of the deferred months held back (B-1) or made at once (B-2). */
  readonly heldCreditFen: Fen;
  /** B-2: the day the held credits are made. */
  readonly creditedOn: CalendarDate | null;
  /** B-3: the transaction asked about and whether it may proceed now. */
  readonly transaction: string | null;
  readonly allowed: boolean | null;
  readonly months: readonly DeferredMonthLine[];
  readonly unpaidFen: Fen;
  readonly lateFeeFen: Fen;
  /** What must be paid: this employee's dues (B-3), or principal + late fee (B-4). */
  readonly amountDueFen: Fen;
  /** B-4: the last day of the backfill window after the agreement's end. */
  readonly windowLastDay: CalendarDate | null;
  readonly decidedBy: string;
}

/** B-1's conditions on day d, or the ones that fail (in Chinese and English). */
function deferralOn(f: BankruptcyFacts, d: CalendarDate): { inForce: boolean; missing: string[]; missingZh: string[] } {
  const missing: string[] = [];
  const missingZh: string[] = [];
  const fail = (zh: string, en: string) => {
    missingZh.push(zh);
    missing.push(en);
  };
  if (d < f.filedOn) fail(`尚未提交破产申请（${f.filedOn}提交）`, `no bankruptcy filing yet (filed ${f.filedOn})`);
  if (f.rulingOn && d > f.rulingOn)
    fail(`法院已于${f.rulingOn}下发破产裁定书`, `after the court's ruling of ${f.rulingOn}`);
  if (!f.taxConfirmed) fail('未经税务部门审定确属不能正常缴费', 'tax has not confirmed that the enterprise cannot pay');
  if (!f.agreementFiledOn)
    fail('未签订延期缴费协议并向医保经办机构备案', 'no deferral agreement filed with the agency');
  else if (d < f.agreementFiledOn)
    fail(`协议于${f.agreementFiledOn}方才备案`, `agreement filed only on ${f.agreementFiledOn}`);
  if (f.agreementEndsOn && d > f.agreementEndsOn)
    fail(`协议已于${f.agreementEndsOn}到期`, `the agreement ended on ${f.agreementEndsOn}`);
  return { inForce: missing.length === 0, missing, missingZh };
}

/**
 * The last day a deferral that did hold covered (B-1 “到法院正式下发破产裁定书期间”): the court's ruling or
 * the agreement's own end, whichever comes first; null when no agreement ever held (no tax
 * confirmation, none filed, or filed only after the ruling or its own end).
 */
function agreementEnd(f: BankruptcyFacts): { on: CalendarDate; zh: string; en: string } | null {
  if (!f.agreementFiledOn || !deferralOn(f, f.agreementFiledOn).inForce) return null;
  const ruling = f.rulingOn ? { on: f.rulingOn, zh: '法院下发破产裁定书', en: "the court's ruling" } : null;
  const own = f.agreementEndsOn ? { on: f.agreementEndsOn, zh: '协议到期', en: "the agreement's end" } : null;
  if (ruling && own) return ruling.on <= own.on ? ruling : own;
  return ruling ?? own;
}

function monthLines(f: BankruptcyFacts, ctx: EvalContext): DeferredMonthLine[] {
  return f.months
    .slice()
    .sort((a, b) => (a.feeMonth < b.feeMonth ? -1 : 1))
    .map((m) => {
      const dueFen = monthDue(ctx, m.feeMonth, m.baseFen, 'unit').dueFen;
      const creditFen = applyRatio(
        m.baseFen,
        ctx.param<Ratio>('account.creditingShareOfBase', firstOfMonth(m.feeMonth)),
      );
      return {
        feeMonth: m.feeMonth,
        dueFen,
        unpaidFen: Math.max(0, dueFen - m.paidFen),
        creditFen,
        lateFeeDays: 0,
        lateFeeFen: 0,
      };
    });
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

export const bankruptcyDeferral = defineDecision({
  id: 'bankruptcy-deferral',
  title: { zh: '企业破产期间延期缴费', en: 'Contribution deferral during an enterprise bankruptcy' },
  rules: ['B-1', 'B-2', 'B-3', 'B-4', 'A-1', 'A-3', 'P-1', 'P-2'],
  input: bankruptcyFacts,
  businessDate: (f, asOf) =>
    f.question === 'paid-in-full'
      ? f.paidInFullOn!
      : f.question === 'agreement-ended' && f.paidAt
        ? cstDateOf(f.paidAt)
        : asOf,
  evaluate(f, ctx): BankruptcyOutcome {
    const d = ctx.businessDate;
    // The B rules are JL26's: where their parameters are not loaded (Tieling, Jilin before
    // 2026-03-01) the decision stops here with a missing-parameter error naming them.
    const release = ctx.param<'payment-day' | 'day-after-payment'>('bankruptcy.creditsReleasedOn');
    const months = monthLines(f, ctx);
    const heldCreditFen = sum(months.map((m) => m.creditFen));
    const unpaidFen = sum(months.map((m) => m.unpaidFen));
    const firstUnpaid = months.find((m) => m.unpaidFen > 0)?.feeMonth;
    const base = {
      question: f.question,
      deferralInForce: deferralOn(f, d).inForce,
      benefitsKept: false,
      suspendedFrom: null,
      accountCreditsHeld: false,
      heldCreditFen,
      creditedOn: null,
      transaction: null,
      allowed: null,
      months,
      unpaidFen,
      lateFeeFen: 0,
      amountDueFen: unpaidFen,
      windowLastDay: null,
    };

    if (f.question === 'status') {
      const on = deferralOn(f, d);
      const ended = agreementEnd(f);
      const levels: Array<Branch<BankruptcyOutcome>> = [
        {
          rule: 'B-1',
          when: () =>
            on.inForce ? `agreement filed ${f.agreementFiledOn}, filing ${f.filedOn}, no ruling by ${d}` : false,
          why: on.missing.join('; '),
          then: () => {
            ctx.skip('A-1', 'B-1: no suspension while the agreement is in force');
            ctx.because(
              `企业${f.filedOn}提交破产申请，经税务部门审定并签订延期缴费协议、于${f.agreementFiledOn}向医保经办机构备案；${d}职工正常享受医保待遇，个人账户暂不划拨（暂缓${formatYuan(heldCreditFen)}元），待全部缴清后一次性补划`,
              `the enterprise filed for bankruptcy on ${f.filedOn}; with tax's confirmation and a deferral agreement filed with the agency on ${f.agreementFiledOn}, on ${d} the employee keeps benefits and personal-account credits (${formatYuan(heldCreditFen)} yuan) are held back until everything is paid`,
            );
            return { ...base, benefitsKept: true, accountCreditsHeld: true, decidedBy: 'B-1' };
          },
        },
        {
          // B-4 Reading, seen from `status`: the agreement held (JL26 Art.27 ¶2: from its filing to the
          // ruling, or to its own end) and is over with months unpaid: those months are arrears from the
          // day after it ended, not from their first unpaid day, as the `agreement-ended` question says.
          rule: 'B-4',
          when: () =>
            firstUnpaid && ended && d > ended.on
              ? `the agreement held from ${f.agreementFiledOn} to ${ended.on} (${ended.en}); unpaid months become arrears from ${addDays(ended.on, 1)}`
              : false,
          why: ended ? `the agreement has not ended by ${d}, or nothing is unpaid` : 'no deferral agreement ever held',
          then: () => {
            const end = ended!;
            const dayAfter = addDays(end.on, 1);
            const firstDay = firstOfMonth(firstUnpaid!);
            const from = firstDay > dayAfter ? firstDay : dayAfter;
            const window = ctx.param<{ days: number } | { months: number }>('arrears.backfillWindow');
            const lastDay = windowLastDay(end.on, window);
            ctx.apply('A-1', `benefits suspended from ${from}`);
            ctx.because(
              `企业职工自延期缴费协议备案（${f.agreementFiledOn}）至${end.zh}（${end.on}）期间正常享受医保待遇；协议期满，欠缴月份转为欠费，自${from}起暂停待遇（补缴期截至${lastDay}）`,
              `the employee kept benefits from the agreement's filing (${f.agreementFiledOn}) to ${end.en} (${end.on}); with months still unpaid after it, they become arrears and benefits are suspended from ${from} (backfill window ends ${lastDay})`,
            );
            return { ...base, suspendedFrom: from, accountCreditsHeld: true, windowLastDay: lastDay, decidedBy: 'B-4' };
          },
        },
        {
          rule: 'A-1',
          when: () => (firstUnpaid ? `no deferral in force: ${on.missing.join('; ')}` : false),
          why: 'nothing unpaid',
          then: () => {
            const from = firstOfMonth(firstUnpaid!);
            ctx.because(
              `${d}不符合延期缴费条件（${on.missingZh.join('；')}），欠缴职工医保费，自${from}起暂停待遇`,
              `on ${d} no deferral holds (${on.missing.join('; ')}): contributions are unpaid and benefits are suspended from ${from}`,
            );
            return { ...base, suspendedFrom: from, decidedBy: 'A-1' };
          },
        },
      ];
      return ctx.exceptions('benefits during a bankruptcy (JL26 Art.27)', levels);
    }

    if (f.question === 'paid-in-full') {
      return ctx.exceptions('the held-back personal-account credits (JL26 Art.27)', [
        {
          rule: 'B-2',
          when: () => (f.taxConfirmed && f.agreementFiledOn ? `deferred contributions paid in full on ${d}` : false),
          why: 'no deferral agreement was filed: no credits were held back',
          then: () => {
            const creditedOn = release === 'payment-day' ? d : addDays(d, 1);
            ctx.because(
              `延期缴纳的职工医保费于${d}全部缴清，暂不划拨的个人账户${months.length}个月共${formatYuan(heldCreditFen)}元于${creditedOn}一次性补划`,
              `the deferred contributions were paid in full on ${d}: the ${months.length} months of held-back personal-account credits, ${formatYuan(heldCreditFen)} yuan, are made at once on ${creditedOn}`,
            );
            return {
              ...base,
              deferralInForce: false,
              benefitsKept: true,
              creditedOn,
              unpaidFen: 0,
              amountDueFen: 0,
              decidedBy: 'B-2',
            };
          },
        },
      ]);
    }

    if (f.question === 'transaction') {
      const on = deferralOn(f, d);
      const what = { 'retirement-transfer': '在职转退休', 'transfer-out': '转移接续', termination: '终止参保' }[
        f.transaction!
      ];
      if (!on.inForce) {
        ctx.skip('B-3', `no agreement in force: ${on.missing.join('; ')}`);
        ctx.because(
          `${d}无有效的延期缴费协议，办理${what}不受该协议约束（按一般规定办理）`,
          `no deferral agreement in force on ${d}: the ${f.transaction} is not gated by one (ordinary rules apply)`,
        );
        return { ...base, transaction: f.transaction!, allowed: true, amountDueFen: 0, decidedBy: 'B-3' };
      }
      const allowed = unpaidFen === 0;
      ctx.apply(
        'B-3',
        `${allowed ? 'dues paid' : `${formatYuan(unpaidFen)} yuan unpaid`}; the retirement side of this gate is R-8`,
      );
      ctx.because(
        allowed
          ? `延期缴费协议期间办理${what}，该职工个人及单位缴费义务已履行，可以办理`
          : `延期缴费协议期间办理${what}，须先缴清该职工个人及单位职工医保费${formatYuan(unpaidFen)}元后方可办理`,
        allowed
          ? `${f.transaction} during the deferral agreement: this employee's individual and unit dues are paid, so it may proceed`
          : `${f.transaction} during the deferral agreement: this employee's individual and unit dues of ${formatYuan(unpaidFen)} yuan must be paid first`,
      );
      return {
        ...base,
        benefitsKept: true,
        accountCreditsHeld: true,
        transaction: f.transaction!,
        allowed,
        decidedBy: 'B-3',
      };
    }

    // agreement-ended (B-4)
    const end = f.agreementEndsOn!;
    if (!f.agreementFiledOn || !f.taxConfirmed) {
      throw new NoApplicableRuleError(
        'the end of a bankruptcy deferral (JL26 Art.27)',
        ['B-4'],
        'no deferral agreement was filed',
      );
    }
    if (d <= end) {
      throw new NoApplicableRuleError(
        'the end of a bankruptcy deferral (JL26 Art.27)',
        ['B-4'],
        `the agreement runs until ${end}`,
      );
    }
    if (unpaidFen === 0) {
      ctx.skip('B-4', 'all deferred months are paid');
      ctx.because(
        `延期缴费协议于${end}到期，该职工各月费用均已缴清，无欠费`,
        `the agreement ended on ${end} with all of this employee's months paid: no arrears`,
      );
      return { ...base, amountDueFen: 0, decidedBy: 'B-4' };
    }
    const from = addDays(end, 1);
    const window = ctx.param<{ days: number } | { months: number }>('arrears.backfillWindow');
    const lastDay = windowLastDay(end, window);
    const windowZh = 'days' in window ? `${window.days}日` : `${window.months}个月`;
    const charged = ctx.param<Array<'unit' | 'flexible'>>('arrears.lateFeeModes').includes('unit');
    const rate = charged ? ctx.param<Ratio>('arrears.lateFeeDailyRate') : undefined;
    const feeFrom = ctx.param<'day-after-agreement-end' | 'original-due-date'>('bankruptcy.lateFeeFrom');
    const lines = months.map((m) => {
      if (!rate || m.unpaidFen === 0) return m;
      const due = dueDateOf(ctx, m.feeMonth);
      const runsAfter = feeFrom === 'day-after-agreement-end' && end > due ? end : due;
      const { days, feeFen } = lateFeeLine(m.unpaidFen, rate, runsAfter, d);
      return { ...m, lateFeeDays: days, lateFeeFen: feeFen };
    });
    const lateFeeFen = sum(lines.map((l) => l.lateFeeFen));
    ctx.apply('B-4', `unpaid at the end of ${end}: arrears from ${from}`);
    ctx.apply('A-1', `benefits suspended from ${from}`);
    ctx.apply(
      'A-3',
      rate
        ? `late fee from the day after ${feeFrom === 'day-after-agreement-end' ? end : 'each due date'}`
        : 'no late fee',
    );
    const unpaidMonths = lines.filter((l) => l.unpaidFen > 0).map((l) => l.feeMonth);
    const asWhen = f.paidAt ? `于${d}缴纳` : `截至${d}`;
    ctx.because(
      `延期缴费协议于${end}到期未缴清，${unpaidMonths.join('、')}转为欠费，自${from}起暂停待遇，${windowZh}补缴期截至${lastDay}；${asWhen}应缴本金${formatYuan(unpaidFen)}元、滞纳金${formatYuan(lateFeeFen)}元，合计${formatYuan(unpaidFen + lateFeeFen)}元；企业破产时须清偿欠缴本金及滞纳金`,
      `the agreement ended on ${end} unpaid: ${unpaidMonths.join(', ')} ${unpaidMonths.length > 1 ? 'become' : 'becomes'} arrears, benefits suspended from ${from}, window ends ${lastDay}; ${f.paidAt ? `paid on ${d}` : `as of ${d}`}: principal ${formatYuan(unpaidFen)} + late fee ${formatYuan(lateFeeFen)} = ${formatYuan(unpaidFen + lateFeeFen)} yuan; at bankruptcy the enterprise must clear principal and late fees`,
    );
    return {
      ...base,
      deferralInForce: false,
      suspendedFrom: from,
      accountCreditsHeld: true,
      months: lines,
      lateFeeFen,
      amountDueFen: unpaidFen + lateFeeFen,
      windowLastDay: lastDay,
      decidedBy: 'B-4',
    };
  },
  moreFavourable: (a, b) => (a.benefitsKept !== b.benefitsKept ? a.benefitsKept : a.amountDueFen < b.amountDueFen),
  example: {
    asOf: '2026-11-10',
    facts: {
      region: '220200',
      question: 'status',
      filedOn: '2026-09-15',
      taxConfirmed: true,
      agreementFiledOn: '2026-09-28',
      months: [
        { feeMonth: '2026-09', baseFen: 500000 },
        { feeMonth: '2026-10', baseFen: 500000 },
      ],
    },
  },
});
