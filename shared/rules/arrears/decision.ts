/**
 * Employee arrears and their backfill (A-1…A-8), with cover restarting under A-2/W-9 or W-6.
 *
 * The arrears-timer workflow calls this decision twice: when a month is not received by its due date
 * (no payment yet: "as of asOf, if paid today"), to learn the suspension day and the timer's
 * deadline `windowLastDay`; and when the payment notification arrives, to learn the amount with the
 * late fee and the day cover resumes.
 *
 * General rule: arrears suspend benefits from the first unpaid day (A-1). Exceptions by payment day:
 * within the window the arrears period is covered (A-4, A-2, W-9); after it a unit may still
 * backfill years and account with no cover for the period and a waiting period on payment (A-5,
 * W-6); a flexible worker may not backfill at all and paying again is a new enrollment (A-6, W-6).
 * Jilin (JL26 Art.18) counts 90 days (§0: E = first unpaid day − 1, retroactive iff P − E ≤ 90) and
 * prices each month at its own base and rates plus a late fee; Tieling (TL22 §2(2)2) counts 3 calendar
 * months from the first unpaid day, prices the backfill by §7(3) (5 % / 7 % of the average wage in force
 * when paid, no late fee, no personal-account credit) and adds A-8. Months left unpaid by a bankruptcy
 * deferral agreement (B-4) come here with `deferredUntil`: their late fee runs from its end.
 */
import * as z from 'zod';
import { addDays, type CalendarDate, cstDateOf, daysBetween, firstOfMonth, periodEnd } from '#domain/calendar.js';
import { applyRatio, type Fen, formatRatio, formatYuan, type Ratio } from '#domain/money.js';
import {
  baseFacts,
  businessDate,
  employeeMode,
  feeMonth,
  fen,
  flexibleMode,
  strictObject,
  timestampOrDate,
} from '#schemas/common.js';
import { averageWage } from '../contributions/rates.js';
import { type Branch, defineDecision, type EvalContext } from '../engine.js';
import { InputError, NoApplicableRuleError } from '../errors.js';
import { waitingCountsFrom } from '../waiting-period/counting.js';
import { dueDateOf, lateFeeLine, monthDue, windowLastDay } from './lines.js';

const arrearsMonth = strictObject({
  feeMonth: feeMonth.describe('fee month (费款所属期) unpaid or short-paid'),
  principalFen: fen
    .optional()
    .describe(
      'the unpaid amount of the month as declared or assessed (give this or baseFen; not used where the pack prices the backfill from the average wage, TL22 §7(3))',
    ),
  baseFen: fen
    .optional()
    .describe('the month’s contribution base: the amount due is computed at that month’s rates (A-3)'),
  paidFen: fen.default(0).describe('with baseFen: what was already paid for the month (a short payment)'),
});

export const arrearsFacts = baseFacts
  .extend({
    mode: employeeMode,
    flexibleMode: flexibleMode.optional().describe('flexible mode with baseFen: which rates apply (C-5)'),
    insuredMode: flexibleMode
      .optional()
      .describe(
        'TL22 §7(3): how the person is insured, 统账结合 combined (7 %) or 单建统筹 pooling-only (5 %); default: flexibleMode',
      ),
    months: z.array(arrearsMonth).min(1).describe('the fee months in arrears'),
    firstUnpaidDay: businessDate.describe(
      'A-1: the first day not paid for (normally the first day of the earliest unpaid fee month)',
    ),
    paidAt: timestampOrDate
      .optional()
      .describe('when the arrears were paid; absent: the answer as of asOf, if paid that day'),
    baseDeclared: z.boolean().default(true).describe('A-7: whether the unit declared the base of the months'),
    deferredUntil: businessDate
      .optional()
      .describe('B-4: last day of a bankruptcy deferral agreement that covered these months and ended unpaid'),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.months.forEach((m, i) => {
      if (seen.has(m.feeMonth))
        ctx.addIssue({ code: 'custom', path: ['months', i, 'feeMonth'], message: 'listed twice' });
      seen.add(m.feeMonth);
      if (m.principalFen !== undefined && m.baseFen !== undefined)
        ctx.addIssue({ code: 'custom', path: ['months', i], message: 'give principalFen or baseFen, not both' });
      if (m.baseFen !== undefined && f.mode === 'flexible' && !f.flexibleMode)
        ctx.addIssue({ code: 'custom', path: ['flexibleMode'], message: 'required with baseFen in flexible mode' });
    });
    if (!f.baseDeclared && f.mode !== 'unit')
      ctx.addIssue({ code: 'custom', path: ['baseDeclared'], message: 'only a unit declares a base (A-7)' });
    if (f.deferredUntil && f.mode !== 'unit')
      ctx.addIssue({ code: 'custom', path: ['deferredUntil'], message: 'a deferral agreement is a unit’s (B-4)' });
    if (f.paidAt && cstDateOf(f.paidAt) < f.firstUnpaidDay)
      ctx.addIssue({ code: 'custom', path: ['paidAt'], message: 'is before the first unpaid day' });
  });

export type ArrearsFacts = z.output<typeof arrearsFacts>;

export interface ArrearsMonthLine {
  readonly feeMonth: string;
  readonly dueDate: CalendarDate;
  /** Unpaid amount; null when the base is undeclared and not yet assessed (A-7). */
  readonly principalFen: Fen | null;
  readonly lateFeeDays: number;
  readonly lateFeeFen: Fen | null;
  /** A-7: who sets the amount: the declared base, the agency (then pushed to tax), or tax. */
  readonly assessedBy: 'declared' | 'agency' | 'tax' | null;
}

/** How the amount was priced (A-3): JL26 by each month's base and rates, TL22 §7(3) from the average wage. */
export type ArrearsPricing =
  | { readonly method: 'arrears-months' }
  | {
      readonly method: 'average-wage-rate';
      readonly insuredMode: 'combined' | 'pooling-only';
      readonly averageWageYear: number;
      readonly baseFen: Fen;
      readonly rate: string;
      readonly monthlyFen: Fen;
    };

export interface ArrearsOutcome {
  readonly mode: 'unit' | 'flexible';
  /** P: the payment day, or asOf when not paid yet. */
  readonly paidOn: CalendarDate;
  readonly paid: boolean;
  /** A-1: benefits suspended from this day. */
  readonly suspendedFrom: CalendarDate;
  /** E: the last day paid for. */
  readonly lastPaidDay: CalendarDate;
  /** The last payment day that still covers the arrears period (the arrears timer's deadline). */
  readonly windowLastDay: CalendarDate;
  readonly gapDays: number;
  readonly withinWindow: boolean;
  readonly backfillAllowed: boolean;
  readonly arrearsPeriodCovered: boolean;
  /** The backfilled months count as contribution years. */
  readonly yearsCredited: boolean;
  /** The backfilled months are credited to the personal account (not under TL22 §7(3)). */
  readonly accountCredited: boolean;
  /** A-5: both the years and the personal account are credited (yearsCredited && accountCredited). */
  readonly yearsAndAccountCredited: boolean;
  /** A-6: paying again is a new enrollment. */
  readonly newEnrollment: boolean;
  /** A-2 / W-9: benefits resume on this day (null: not by this payment, A-6). */
  readonly restoredOn: CalendarDate | null;
  readonly waitingDays: number;
  /** First day covered by paying on paidOn (the first unpaid day when retroactive). */
  readonly coverStarts: CalendarDate;
  readonly months: readonly ArrearsMonthLine[];
  readonly principalFen: Fen | null;
  readonly lateFeeFen: Fen | null;
  /** Principal + late fee payable now; 0 when backfill is closed; null while an amount awaits assessment. */
  readonly amountDueFen: Fen | null;
  readonly pricing: ArrearsPricing;
  /** A-8: employees of the unit may choose the resident scheme while it is in arrears. */
  readonly residentOption: boolean | null;
  readonly decidedBy: 'A-4' | 'A-5' | 'A-6';
}

const sumOrNull = (xs: ReadonlyArray<Fen | null>): Fen | null =>
  xs.some((x) => x === null) ? null : xs.reduce<number>((s, x) => s + (x as number), 0);

/** W-6 after the window: the waiting parameter the pack names, counted as the pack counts it. */
function waitingAfterWindow(
  ctx: EvalContext,
  paid: CalendarDate,
): { days: number; countsFrom: CalendarDate; coverStarts: CalendarDate } {
  const which = ctx.param<'waiting.fixedDays' | 'waiting.shortWaitDays'>('arrears.waitingAfterWindow');
  const days = ctx.param<number>(which);
  const countsFrom = waitingCountsFrom(ctx, paid);
  return { days, countsFrom, coverStarts: periodEnd(countsFrom, days).nextDay };
}

/** TL22 §7(3): one month's backfill = the rate of the person's mode × the average wage in force on `paid`. */
function averageWagePricing(f: ArrearsFacts, ctx: EvalContext, paid: CalendarDate): ArrearsPricing {
  const insuredMode = f.insuredMode ?? f.flexibleMode;
  if (!insuredMode)
    throw new InputError([
      {
        path: 'insuredMode',
        message: `required under ${ctx.pack.id}: the backfill rate depends on whether the person is insured combined or pooling-only`,
      },
    ]);
  const rates = ctx.param<{ combined: Ratio; poolingOnly: Ratio }>('arrears.backfillRate');
  const rate = insuredMode === 'combined' ? rates.combined : rates.poolingOnly;
  const wage = averageWage(ctx, paid);
  return {
    method: 'average-wage-rate',
    insuredMode,
    averageWageYear: wage.year,
    baseFen: wage.monthlyFen,
    rate: formatRatio(rate),
    monthlyFen: applyRatio(wage.monthlyFen, rate),
  };
}

/** A-7; null where the pack prices the backfill from the average wage (no month's base is used). */
function assessedByOf(
  f: ArrearsFacts,
  ctx: EvalContext,
  feeMonth: string,
  pricing: ArrearsPricing,
): ArrearsMonthLine['assessedBy'] {
  if (pricing.method !== 'arrears-months') return null;
  if (f.baseDeclared) return 'declared';
  if (ctx.pack.jurisdiction !== 'JL') return null;
  return firstOfMonth(feeMonth) < ctx.param<CalendarDate>('arrears.undeclaredBaseTaxFrom') ? 'agency' : 'tax';
}

export const arrears = defineDecision({
  id: 'arrears',
  title: {
    zh: '职工医保欠费：暂停、补缴、滞纳金与待遇恢复',
    en: 'Employee arrears: suspension, backfill, late fee and restored cover',
  },
  rules: ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'A-7', 'A-8', 'B-4', 'W-6', 'W-9', 'P-1', 'P-2'],
  input: arrearsFacts,
  businessDate: (f, asOf) => (f.paidAt ? cstDateOf(f.paidAt) : asOf),
  evaluate(f, ctx): ArrearsOutcome {
    const paid = ctx.businessDate;
    if (paid < f.firstUnpaidDay) {
      throw new NoApplicableRuleError(
        'employee arrears (JL26 Art.18)',
        ['A-1'],
        `${paid} is before the first unpaid day ${f.firstUnpaidDay}: nothing is in arrears yet`,
      );
    }
    const window = ctx.param<{ days: number } | { months: number }>('arrears.backfillWindow');
    const lastPaidDay = addDays(f.firstUnpaidDay, -1);
    const lastDay = windowLastDay(lastPaidDay, window);
    const gapDays = daysBetween(lastPaidDay, paid);
    const within = paid <= lastDay;
    const windowText = 'days' in window ? `${window.days}日` : `${window.months}个月`;
    const windowTextEn = 'days' in window ? `${window.days} days` : `${window.months} months`;
    const windowAdjEn = 'days' in window ? `${window.days}-day` : `${window.months}-month`;
    ctx.apply('A-1', `benefits suspended from ${f.firstUnpaidDay}; window ends ${lastDay}`);

    // The months, before any exception: due dates (C-6), the unpaid principal (A-3) and A-7.
    const pricing: ArrearsPricing =
      ctx.param<string>('arrears.backfillPricing') === 'average-wage-rate'
        ? averageWagePricing(f, ctx, paid)
        : { method: 'arrears-months' };
    const months = f.months
      .slice()
      .sort((a, b) => (a.feeMonth < b.feeMonth ? -1 : 1))
      .map((m) => {
        if (
          pricing.method === 'arrears-months' &&
          f.baseDeclared &&
          m.principalFen === undefined &&
          m.baseFen === undefined
        )
          throw new InputError([
            {
              path: `months.${f.months.indexOf(m)}`,
              message: `give principalFen or baseFen: ${ctx.pack.id} prices each month at its own base and rates`,
            },
          ]);
        const principal =
          pricing.method === 'average-wage-rate'
            ? pricing.monthlyFen
            : (m.principalFen ??
              (m.baseFen !== undefined
                ? Math.max(0, monthDue(ctx, m.feeMonth, m.baseFen, f.mode, f.flexibleMode).dueFen - m.paidFen)
                : null));
        return {
          feeMonth: m.feeMonth,
          dueDate: dueDateOf(ctx, m.feeMonth),
          principal,
          assessedBy: assessedByOf(f, ctx, m.feeMonth, pricing),
        };
      });

    const base = (m: (typeof months)[number]) => ({
      feeMonth: m.feeMonth,
      dueDate: m.dueDate,
      principalFen: m.principal,
      assessedBy: m.assessedBy,
    });

    const creditsAccount = ctx.param<boolean>('arrears.backfillCreditsAccount');
    const pricingNote =
      pricing.method === 'average-wage-rate'
        ? `${pricing.rate} (${pricing.insuredMode}) of the ${pricing.averageWageYear} average wage ${formatYuan(pricing.baseFen)} = ${formatYuan(pricing.monthlyFen)} a month${f.months.some((m) => m.principalFen !== undefined || m.baseFen !== undefined) ? '; the months’ declared amounts are not used' : ''}`
        : 'each month at its own base and rates';

    // A-3: principal plus a late fee per month, for the modes the pack charges.
    const withLateFee = (): { lines: ArrearsMonthLine[]; note: string } => {
      const modes = ctx.param<Array<'unit' | 'flexible'>>('arrears.lateFeeModes');
      const charged = modes.includes(f.mode);
      const rate = charged ? ctx.param<Ratio>('arrears.lateFeeDailyRate') : undefined;
      // B-4: months a bankruptcy deferral agreement covered may run their late fee from its end.
      const deferredTo =
        rate && f.deferredUntil && ctx.param<string>('bankruptcy.lateFeeFrom') === 'day-after-agreement-end'
          ? f.deferredUntil
          : undefined;
      if (f.deferredUntil) ctx.apply('B-4', `months deferred until ${f.deferredUntil} are arrears from its end`);
      const lines = months.map((m): ArrearsMonthLine => {
        if (!rate) return { ...base(m), lateFeeDays: 0, lateFeeFen: 0 };
        const runsAfter = deferredTo && deferredTo > m.dueDate ? deferredTo : m.dueDate;
        const { days, feeFen } = lateFeeLine(m.principal ?? 0, rate, runsAfter, paid);
        return { ...base(m), lateFeeDays: days, lateFeeFen: m.principal === null ? null : feeFen };
      });
      const fee = charged
        ? `late fee on ${f.mode} mode`
        : modes.length
          ? `no late fee in ${f.mode} mode`
          : 'no late fee';
      return { lines, note: `${pricingNote}; ${fee}` };
    };

    type Outcome = Omit<ArrearsOutcome, 'residentOption'>;
    const common = {
      mode: f.mode,
      paidOn: paid,
      paid: f.paidAt !== undefined,
      suspendedFrom: f.firstUnpaidDay,
      lastPaidDay,
      windowLastDay: lastDay,
      gapDays,
      withinWindow: within,
      pricing,
    };
    const payable = (lines: ArrearsMonthLine[]) => {
      const principalFen = sumOrNull(lines.map((l) => l.principalFen));
      const lateFeeFen = sumOrNull(lines.map((l) => l.lateFeeFen));
      return {
        months: lines,
        principalFen,
        lateFeeFen,
        amountDueFen: principalFen === null || lateFeeFen === null ? null : principalFen + lateFeeFen,
      };
    };
    const amountText = (p: ReturnType<typeof payable>) => {
      if (p.amountDueFen === null) return { zh: '欠费金额待核定', en: 'the amount awaits assessment' };
      if (pricing.method === 'average-wage-rate') {
        const n = p.months.length;
        const modeZh = pricing.insuredMode === 'combined' ? '统账结合' : '单建统筹';
        return {
          zh: `按办理补缴时上一年度（${pricing.averageWageYear}年）平均工资${formatYuan(pricing.baseFen)}元×${pricing.rate}（${modeZh}）补缴，每月${formatYuan(pricing.monthlyFen)}元×${n}个月＝${formatYuan(p.amountDueFen)}元，不加收滞纳金${creditsAccount ? '' : '，不补划个人账户'}`,
          en: `backfill at ${pricing.rate} (${pricing.insuredMode}) of the ${pricing.averageWageYear} average wage ${formatYuan(pricing.baseFen)}: ${formatYuan(pricing.monthlyFen)} × ${n} month(s) = ${formatYuan(p.amountDueFen)} yuan, no late fee${creditsAccount ? '' : ', nothing credited to the personal account'}`,
        };
      }
      return {
        zh: `本金${formatYuan(p.principalFen!)}元、滞纳金${formatYuan(p.lateFeeFen!)}元，合计${formatYuan(p.amountDueFen)}元`,
        en: `principal ${formatYuan(p.principalFen!)} + late fee ${formatYuan(p.lateFeeFen!)} = ${formatYuan(p.amountDueFen)} yuan`,
      };
    };
    const verbZh = f.paidAt ? '补缴' : `若于${paid}补缴`;
    const verbEn = f.paidAt ? 'paid' : `if paid on ${paid}`;

    const levels: Array<Branch<Outcome> | Branch<Outcome>[]> = [
      {
        rule: 'A-4',
        when: () => (within ? `${verbEn} ${gapDays} days after ${lastPaidDay}, by ${lastDay}` : false),
        why: `paid after the window's last day ${lastDay}`,
        then: () => {
          const { lines, note } = withLateFee();
          ctx.apply('A-3', note);
          const restoredOn = addDays(paid, 1);
          ctx.apply('A-2', `benefits restored on ${restoredOn}`);
          ctx.apply('W-9', 'no waiting period: the arrears period is covered');
          const p = payable(lines);
          const a = amountText(p);
          ctx.because(
            `自${f.firstUnpaidDay}起欠费暂停待遇；${verbZh}于欠费${windowText}（含）内（距${lastPaidDay}为${gapDays}日，截止${lastDay}），${a.zh}；自${restoredOn}起恢复待遇，欠费期间待遇追溯至${f.firstUnpaidDay}`,
            `benefits suspended from ${f.firstUnpaidDay}; ${verbEn} within ${windowTextEn} (${gapDays} days after ${lastPaidDay}, window ends ${lastDay}): ${a.en}; benefits restored on ${restoredOn} and the arrears period covered from ${f.firstUnpaidDay}`,
          );
          return {
            ...common,
            backfillAllowed: true,
            arrearsPeriodCovered: true,
            yearsCredited: true,
            accountCredited: creditsAccount,
            yearsAndAccountCredited: creditsAccount,
            newEnrollment: false,
            restoredOn,
            waitingDays: 0,
            coverStarts: f.firstUnpaidDay,
            ...p,
            decidedBy: 'A-4',
          };
        },
      },
      [
        {
          rule: 'A-5',
          when: () => {
            if (f.mode === 'unit') return `unit mode ${verbEn} after ${lastDay}`;
            return ctx.param<boolean>('arrears.flexibleBackfillAfterWindow')
              ? `flexible mode ${verbEn} after ${lastDay}: the pack allows backfill`
              : false;
          },
          why: 'flexible mode: no backfill after the window',
          then: () => {
            const { lines, note } = withLateFee();
            ctx.apply('A-3', note);
            const w = waitingAfterWindow(ctx, paid);
            ctx.apply('W-6', `${w.days}-day waiting from ${w.countsFrom}, cover from ${w.coverStarts}`);
            const p = payable(lines);
            const a = amountText(p);
            ctx.because(
              `自${f.firstUnpaidDay}起欠费暂停待遇；${verbZh}已超过欠费${windowText}（截止${lastDay}），${a.zh}，可补记缴费年限${creditsAccount ? '和个人账户' : ''}，欠费期间待遇不予追溯；自${w.countsFrom}起设${w.days}日等待期，${w.coverStarts}起恢复待遇`,
              `benefits suspended from ${f.firstUnpaidDay}; ${verbEn} after the ${windowAdjEn} window (ended ${lastDay}): ${a.en}; years ${creditsAccount ? 'and personal account are' : 'are'} credited but the arrears period is not covered; a ${w.days}-day waiting period from ${w.countsFrom}, cover from ${w.coverStarts}`,
            );
            return {
              ...common,
              backfillAllowed: true,
              arrearsPeriodCovered: false,
              yearsCredited: true,
              accountCredited: creditsAccount,
              yearsAndAccountCredited: creditsAccount,
              newEnrollment: false,
              restoredOn: w.coverStarts,
              waitingDays: w.days,
              coverStarts: w.coverStarts,
              ...p,
              decidedBy: 'A-5',
            };
          },
        },
        {
          rule: 'A-6',
          when: () =>
            f.mode === 'flexible' && !ctx.param<boolean>('arrears.flexibleBackfillAfterWindow')
              ? `flexible mode ${verbEn} after ${lastDay}`
              : false,
          why: 'not a flexible worker past the window',
          then: () => {
            ctx.skip('A-3', 'no backfill: nothing to compute');
            const w = waitingAfterWindow(ctx, paid);
            ctx.apply('W-6', `paying again is a new enrollment: ${w.days}-day waiting from ${w.countsFrom}`);
            const lines = months.map((m): ArrearsMonthLine => ({ ...base(m), lateFeeDays: 0, lateFeeFen: 0 }));
            ctx.because(
              `自${f.firstUnpaidDay}起欠费暂停待遇；灵活就业人员欠费已超过${windowText}（截止${lastDay}），不可补缴；再次缴费按新参保办理，自${w.countsFrom}起设${w.days}日等待期，${w.coverStarts}起享受待遇`,
              `benefits suspended from ${f.firstUnpaidDay}; a flexible worker more than ${windowTextEn} in arrears (window ended ${lastDay}) cannot backfill; paying again is a new enrollment with a ${w.days}-day waiting period from ${w.countsFrom}, cover from ${w.coverStarts}`,
            );
            return {
              ...common,
              backfillAllowed: false,
              arrearsPeriodCovered: false,
              yearsCredited: false,
              accountCredited: false,
              yearsAndAccountCredited: false,
              newEnrollment: true,
              restoredOn: null,
              waitingDays: w.days,
              coverStarts: w.coverStarts,
              months: lines,
              principalFen: sumOrNull(lines.map((l) => l.principalFen)),
              lateFeeFen: 0,
              amountDueFen: 0,
              decidedBy: 'A-6',
            };
          },
        },
      ],
    ];
    const outcome = ctx.exceptions('the backfill of employee arrears (JL26 Art.18)', levels);

    // A-7: who assesses months whose base the unit did not declare.
    if (f.baseDeclared) ctx.skip('A-7', 'the unit declared its base');
    else if (ctx.pack.jurisdiction !== 'JL') ctx.skip('A-7', 'JL26 Art.18 only');
    else {
      const agency = months.filter((m) => m.assessedBy === 'agency').map((m) => m.feeMonth);
      const tax = months.filter((m) => m.assessedBy === 'tax').map((m) => m.feeMonth);
      ctx.apply('A-7', `agency assesses ${agency.join(', ') || 'none'}; tax pursues ${tax.join(', ') || 'none'}`);
      const r = ctx.reason!;
      ctx.because(
        `${r.zh}。单位未申报缴费基数：${agency.length ? `${agency.join('、')}由医保经办机构按统筹地区历年社平工资核定后推送税务部门征收` : ''}${agency.length && tax.length ? '；' : ''}${tax.length ? `${tax.join('、')}由主管税务机关追缴` : ''}`,
        `${r.en}. The unit declared no base: ${agency.length ? `${agency.join(', ')} assessed by the agency from the region's historical average wages and pushed to tax` : ''}${agency.length && tax.length ? '; ' : ''}${tax.length ? `${tax.join(', ')} pursued by tax` : ''}`,
      );
    }

    // A-8 (TL22 §2(2)4): employees of a unit in arrears may choose the resident scheme meanwhile.
    let residentOption: boolean | null = null;
    if (f.mode !== 'unit') ctx.skip('A-8', 'not a unit in arrears');
    else {
      residentOption = ctx.param<boolean>('arrears.unitEmployeesMayChooseResident');
      if (!residentOption) ctx.skip('A-8', 'no resident option in this pack');
      else {
        ctx.apply('A-8', 'employees may choose the resident scheme while the unit is in arrears');
        const r = ctx.reason!;
        ctx.because(
          `${r.zh}。单位欠缴期间，职工可自愿选择参加城乡居民医保`,
          `${r.en}. While the unit is in arrears its employees may choose resident insurance`,
        );
      }
    }
    return { ...outcome, residentOption };
  },
  moreFavourable: (a, b) => {
    if (a.arrearsPeriodCovered !== b.arrearsPeriodCovered) return a.arrearsPeriodCovered;
    const ra = a.restoredOn ?? '9999-12-31';
    const rb = b.restoredOn ?? '9999-12-31';
    if (ra !== rb) return ra < rb;
    return (a.amountDueFen ?? 0) < (b.amountDueFen ?? 0);
  },
  example: {
    asOf: '2026-10-30',
    facts: {
      region: '220100',
      mode: 'unit',
      months: [{ feeMonth: '2026-09', baseFen: 600000 }],
      firstUnpaidDay: '2026-09-01',
      paidAt: '2026-10-30T15:20:00+08:00',
    },
  },
});
