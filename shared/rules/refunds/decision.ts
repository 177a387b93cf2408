/**
 * Refunds of contributions (F-1…F-3).
 *
 * General rule (F-1, JL26 Art.23, JL21 §5): a payment may be refunded for a listed cause when the
 * cause arose before the payment's benefit period began; after it began, no refund in principle.
 * Each payment (a fee month or a fee year) is judged on its own, so the answer says which months or
 * years come back. Exceptions (F-3, TL22 §7(1)): Tieling's employee cases, each with its own span.
 * Channel (F-2): a subsidised person's refund goes through the place whose relationship ends.
 *
 * The readings (what "the benefit period" is, which day is compared with it) are parameters of each
 * pack: `refund.benefitPeriod`, `refund.reasons`. In Jilin and Tieling alike the benefit period begins
 * when cover starts, after any waiting period (JL21 §1 “待遇享受等待期”, TL22 §7(2)): the facts carry that
 * day as `coverStartsOn` (from the waiting-period decision); without it there is no waiting period and
 * the period begins on the fee period's first day.
 */
import * as z from 'zod';
import { type CalendarDate, firstOfMonth, firstOfYear, maxDate, monthOf, addYearMonths } from '#domain/calendar.js';
import { type Fen, formatYuan } from '#domain/money.js';
import { type RefundReason, refundReason } from '#params/areas/arrears.js';
import {
  baseFacts,
  businessDate,
  employeeMode,
  feeMonth,
  fen,
  feeYear,
  regionCode,
  scheme,
  strictObject,
} from '#schemas/common.js';
import { type Branch, defineDecision } from '../engine.js';

export const refundFacts = baseFacts
  .extend({
    scheme,
    mode: employeeMode.optional().describe('employee scheme: unit or flexible'),
    reason: refundReason.describe(
      'the cause: duplicate-payment, transfer, death, unemployment-fund-overpayment (F-1); retirement, found-job, unemployed-own-duplicate, imprisonment (F-3, Tieling); other',
    ),
    eventOn: businessDate.describe(
      'the day the cause arose: the duplicate payment, the transfer, the death, the employment, the start of imprisonment…',
    ),
    eventEndsOn: businessDate.optional().describe('imprisonment: the day of release (absent: still in custody)'),
    retirementMonth: feeMonth.optional().describe('retirement (F-3): the month of retirement'),
    retirementYearsMet: z
      .boolean()
      .optional()
      .describe('retirement (F-3): the required contribution years are met (已缴足规定年限)'),
    coverStartsOn: businessDate
      .optional()
      .describe(
        'the first day of cover after any waiting period (the waiting-period decision’s cover start); absent: no waiting period, cover starts with the fee period',
      ),
    subsidised: z
      .boolean()
      .default(false)
      .describe('F-2: the person’s contribution was subsidised by medical assistance'),
    endingRegion: regionCode.optional().describe('F-2: the region whose enrollment is ended (default: region)'),
    payments: z
      .array(
        strictObject({
          feeMonth: feeMonth.optional().describe('employee scheme: the fee month paid for'),
          feeYear: feeYear.optional().describe('resident scheme: the fee year paid for'),
          amountFen: fen.describe('the amount paid for that period'),
          accountCreditFen: fen.default(0).describe('personal-account credit already made from it (F-3 imprisonment)'),
        }),
      )
      .min(1)
      .describe('the payments the application concerns'),
  })
  .superRefine((f, ctx) => {
    f.payments.forEach((p, i) => {
      if (f.scheme === 'employee' && (p.feeMonth === undefined || p.feeYear !== undefined))
        ctx.addIssue({ code: 'custom', path: ['payments', i], message: 'an employee payment names its feeMonth only' });
      if (f.scheme === 'resident' && (p.feeYear === undefined || p.feeMonth !== undefined))
        ctx.addIssue({ code: 'custom', path: ['payments', i], message: 'a resident payment names its feeYear only' });
    });
    if (f.reason === 'retirement' && !f.retirementMonth)
      ctx.addIssue({ code: 'custom', path: ['retirementMonth'], message: 'required for a retirement refund' });
    if (f.eventEndsOn && f.eventEndsOn < f.eventOn)
      ctx.addIssue({ code: 'custom', path: ['eventEndsOn'], message: 'is before eventOn' });
  });

export type RefundFacts = z.output<typeof refundFacts>;

export interface RefundPeriod {
  readonly period: string;
  readonly amountFen: Fen;
  /** When the benefit period of this payment begins (F-1 reading of the pack). */
  readonly benefitStarts: CalendarDate;
  readonly refundable: boolean;
}

export interface RefundOutcome {
  readonly refundable: boolean;
  readonly refundFen: Fen;
  readonly periods: readonly RefundPeriod[];
  /** Who gets the money back: the payer, or the unemployment fund that over-paid. */
  readonly refundTo: 'payer' | 'unemployment-fund';
  /** F-2: through whom the refund goes. */
  readonly through: { readonly channel: 'agency' | 'ending-relationship-place'; readonly region: string };
  /** F-3 imprisonment: personal-account credits to recover. */
  readonly recoverAccountFen: Fen;
  readonly decidedBy: string;
}

type Payment = RefundFacts['payments'][number];
type Span = Omit<RefundOutcome, 'through' | 'refundTo'>;

const periodOf = (p: Payment) => p.feeMonth ?? String(p.feeYear);
const periodStart = (p: Payment): CalendarDate => (p.feeMonth ? firstOfMonth(p.feeMonth) : firstOfYear(p.feeYear!));

const REASON_ZH: Record<RefundReason, string> = {
  'duplicate-payment': '重复缴费',
  transfer: '关系转移接续',
  death: '死亡',
  'unemployment-fund-overpayment': '未及时停发失业保险金导致多代缴',
  retirement: '退休后多缴',
  'found-job': '灵活就业人员就业',
  'unemployed-own-duplicate': '失业人员个人重复缴费',
  imprisonment: '服刑期间缴费',
  other: '其他原因',
};

/** Builds the answer from the set of refundable payments. */
function span(
  f: RefundFacts,
  benefitStart: (p: Payment) => CalendarDate,
  refundableIf: (p: Payment) => boolean,
  rule: string,
  recover = false,
): Span {
  const periods = f.payments.map((p) => ({
    period: periodOf(p),
    amountFen: p.amountFen,
    benefitStarts: benefitStart(p),
    refundable: refundableIf(p),
  }));
  const refunded = f.payments.filter((_, i) => periods[i]!.refundable);
  return {
    refundable: refunded.length > 0,
    refundFen: refunded.reduce((s, p) => s + p.amountFen, 0),
    periods,
    recoverAccountFen: recover ? refunded.reduce((s, p) => s + p.accountCreditFen, 0) : 0,
    decidedBy: rule,
  };
}

export const refund = defineDecision({
  id: 'refund',
  title: { zh: '医保费退费', en: 'Refund of contributions' },
  rules: ['F-1', 'F-2', 'F-3', 'P-1', 'P-2'],
  input: refundFacts,
  businessDate: (_f, asOf) => asOf,
  evaluate(f, ctx): RefundOutcome {
    const applied = ctx.businessDate;
    const bp = ctx.param<{ starts: 'fee-period-start' | 'cover-start'; judgedOn: 'event-day' | 'application-day' }>(
      'refund.benefitPeriod',
    );
    const judged = bp.judgedOn === 'event-day' ? f.eventOn : applied;
    const benefitStart = (p: Payment) =>
      bp.starts === 'cover-start' && f.coverStartsOn ? maxDate(periodStart(p), f.coverStartsOn) : periodStart(p);
    const tlEmployee = ctx.pack.jurisdiction === 'TL' && f.scheme === 'employee';
    const m = (p: Payment) => p.feeMonth ?? '';

    // F-3 (TL22 §7(1)): Tieling's employee cases, one per cause, before the general rule.
    const f3: Branch<Span>[] = [
      {
        rule: 'F-3',
        when: () =>
          f.reason === 'death' && f.coverStartsOn && f.eventOn < f.coverStartsOn
            ? `died on ${f.eventOn}, in the waiting period ending ${f.coverStartsOn}`
            : false,
        why: 'not a death in the waiting period (TL22 §7(1))',
        then: () => span(f, benefitStart, () => true, 'F-3'),
      },
      {
        rule: 'F-3',
        when: () =>
          f.reason === 'retirement' && f.retirementYearsMet === true
            ? `years met, retired in ${f.retirementMonth}`
            : false,
        why: 'not a retiree with the years met (TL22 §7(1))',
        then: () => span(f, benefitStart, (p) => m(p) >= f.retirementMonth!, 'F-3'),
      },
      {
        rule: 'F-3',
        when: () => (f.reason === 'found-job' && f.mode === 'flexible' ? `employed from ${f.eventOn}` : false),
        why: 'not a flexible worker who found a job (TL22 §7(1))',
        then: () => {
          const from = ctx.param<'month-of-employment' | 'month-after-employment'>('refund.foundJobFrom');
          const first = from === 'month-of-employment' ? monthOf(f.eventOn) : addYearMonths(monthOf(f.eventOn), 1);
          const year = f.eventOn.slice(0, 4);
          return span(f, benefitStart, (p) => m(p) >= first && m(p).startsWith(year), 'F-3');
        },
      },
      {
        rule: 'F-3',
        when: () => (f.reason === 'unemployed-own-duplicate' ? 'own payments while the fund paid' : false),
        why: 'not an unemployed person’s own duplicate (TL22 §7(1))',
        then: () => span(f, benefitStart, () => true, 'F-3'),
      },
      {
        rule: 'F-3',
        when: () => (f.reason === 'imprisonment' ? `imprisoned from ${f.eventOn}` : false),
        why: 'not a payment during imprisonment (TL22 §7(1))',
        then: () => {
          // Reading: “服刑期间缴纳的医保费” = the fee months from the month imprisonment starts to the
          // month of release (or of the application while still in custody), whenever paid.
          const last = monthOf(f.eventEndsOn ?? applied);
          return span(f, benefitStart, (p) => m(p) >= monthOf(f.eventOn) && m(p) <= last, 'F-3', true);
        },
      },
    ];
    // F-1: a listed cause, before the payment's benefit period.
    const f1: Branch<Span> = {
      rule: 'F-1',
      when: () => {
        const listed = ctx.param<{ employee: RefundReason[]; resident: RefundReason[] }>('refund.reasons')[f.scheme];
        return listed.includes(f.reason) ? `${f.reason} is a listed cause; judged on ${judged}` : false;
      },
      why: `${f.reason} is not a cause this pack lists for the ${f.scheme} scheme: the agency decides`,
      then: () => span(f, benefitStart, (p) => judged < benefitStart(p), 'F-1'),
    };
    if (!tlEmployee) ctx.skip('F-3', 'Tieling employee refunds only (TL22 §7(1))');
    const s = ctx.exceptions(`a refund for ${f.reason} (${f.scheme} scheme)`, tlEmployee ? [f3, f1] : [f1]);

    // F-2: the channel.
    let through: RefundOutcome['through'] = { channel: 'agency', region: f.region };
    if (f.subsidised) {
      const channel = ctx.param<'ending-relationship-place' | 'agency'>('refund.subsidisedThrough');
      through = { channel, region: f.endingRegion ?? f.region };
      ctx.apply('F-2', `subsidised: through ${channel} ${through.region}`);
    } else ctx.skip('F-2', 'not subsidised');
    const refundTo = f.reason === 'unemployment-fund-overpayment' ? 'unemployment-fund' : 'payer';

    const yes = s.periods.filter((p) => p.refundable).map((p) => p.period);
    const no = s.periods.filter((p) => !p.refundable).map((p) => p.period);
    const chZh =
      through.channel === 'ending-relationship-place'
        ? `经需终止的参保关系所在地（${through.region}）办理`
        : `向医保经办机构（${through.region}）申请办理`;
    const chEn =
      through.channel === 'ending-relationship-place'
        ? `through the place whose enrollment ends (${through.region})`
        : `through the agency of ${through.region}`;
    const toZh = refundTo === 'unemployment-fund' ? '退回失业保险基金' : '退还缴费人';
    const toEn = refundTo === 'unemployment-fund' ? 'to the unemployment fund' : 'to the payer';
    const basisZh = s.decidedBy === 'F-3' ? '（铁岭退费情形）' : '（待遇享受期开始前）';
    const basisEn = s.decidedBy === 'F-3' ? ' (a Tieling refund case)' : ' (before the benefit period begins)';
    if (s.refundable) {
      ctx.because(
        `因${REASON_ZH[f.reason]}${basisZh}可退费：${yes.join('、')}共${formatYuan(s.refundFen)}元，${toZh}，${chZh}${no.length ? `；${no.join('、')}待遇享受期已开始或不在退费范围，不予退费` : ''}${s.recoverAccountFen ? `；已划入个人账户的${formatYuan(s.recoverAccountFen)}元应追回` : ''}`,
        `refundable for ${f.reason}${basisEn}: ${yes.join(', ')}, ${formatYuan(s.refundFen)} yuan, ${toEn}, ${chEn}${no.length ? `; ${no.join(', ')} not refunded (benefit period begun or outside the refund)` : ''}${s.recoverAccountFen ? `; ${formatYuan(s.recoverAccountFen)} yuan credited to the personal account is recovered` : ''}`,
      );
    } else {
      ctx.because(
        `因${REASON_ZH[f.reason]}申请退费，但${no.join('、')}的待遇享受期已开始或不在退费范围，原则上不予退费`,
        `refund applied for ${f.reason}, but the benefit period of ${no.join(', ')} has begun or lies outside the refund: no refund in principle`,
      );
    }
    return { ...s, refundTo, through };
  },
  moreFavourable: (a, b) => a.refundFen > b.refundFen,
  example: {
    asOf: '2026-12-10',
    facts: {
      region: '220100',
      scheme: 'resident',
      reason: 'duplicate-payment',
      eventOn: '2026-11-20',
      payments: [{ feeYear: 2027, amountFen: 40000 }],
    },
  },
});
