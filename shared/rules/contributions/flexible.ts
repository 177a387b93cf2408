/**
 * A flexible worker's fee months (C-4, C-5, C-6, C-13, C-14): the base (83 % of the average wage in
 * force in each month), the rates of the chosen mode, one line per component per month, the
 * personal-account credit of combined mode and the social-insurance subsidy of FLX25 §6.
 */
import * as z from 'zod';
import { addMonths, firstOfMonth, monthsBetween } from '#domain/calendar.js';
import { applyRatio, type Fen, formatRatio, formatYuan, type Ratio } from '#domain/money.js';
import { baseFacts, calendarDate, feeMonth, flexibleMode, strictObject } from '#schemas/common.js';
import { defineDecision, type EvalContext } from '../engine.js';
import {
  averageWage,
  dueDateOf,
  feeMonths,
  flexibleBase,
  flexibleComponents,
  type FlexibleMode,
  type LineItem,
  monthlyLines,
  totalRate,
} from './rates.js';

export const flexibleContributionFacts = baseFacts
  .extend({
    mode: flexibleMode,
    fromMonth: feeMonth.describe('first fee month'),
    toMonth: feeMonth.optional().describe('last fee month, inclusive (default: fromMonth)'),
    subsidy: strictObject({
      group: z
        .enum(['hard-to-employ', 'graduate'])
        .describe('C-13: 就业困难人员 recognised hard-to-employ person, or 离校2年内未就业高校毕业生 graduate'),
      recognisedByHR: z.boolean().optional().describe('hard-to-employ: recognised by the human-resources department'),
      employmentRegistered: z.boolean().describe('registered as employed flexibly (就业登记)'),
      leftSchoolOn: calendarDate.optional().describe('graduate: the day the person left school'),
    })
      .optional()
      .describe('C-13: a claim to the social-insurance subsidy'),
  })
  .superRefine((f, ctx) => {
    const to = f.toMonth ?? f.fromMonth;
    if (to < f.fromMonth) ctx.addIssue({ code: 'custom', path: ['toMonth'], message: 'is before fromMonth' });
    else if (monthsBetween(f.fromMonth, to) >= 120)
      ctx.addIssue({ code: 'custom', path: ['toMonth'], message: 'at most 120 months at once' });
    if (f.subsidy?.group === 'graduate' && !f.subsidy.leftSchoolOn)
      ctx.addIssue({ code: 'custom', path: ['subsidy', 'leftSchoolOn'], message: 'required for a graduate' });
  });

export type FlexibleContributionFacts = z.output<typeof flexibleContributionFacts>;

export interface FlexibleMonth {
  readonly feeMonth: string;
  readonly dueDate: string;
  readonly averageWageYear: number;
  readonly baseFen: Fen;
  readonly rate: Ratio;
  readonly lines: readonly LineItem[];
  readonly totalFen: Fen;
  /** C-14: credited to the personal account (combined mode only). */
  readonly accountCreditFen: Fen;
  /** C-13: the subsidy for this month's actual contribution. */
  readonly subsidyFen: Fen;
}

export interface FlexibleContribution {
  readonly mode: FlexibleMode;
  readonly months: readonly FlexibleMonth[];
  readonly totalFen: Fen;
  readonly accountCreditFen: Fen;
  readonly subsidyShare: Ratio | null;
  readonly subsidyFen: Fen;
  /** What the person bears after the subsidy. */
  readonly netFen: Fen;
}

/**
 * C-13: why a month is not subsidised, or null when it is. FLX25 §6: recognised hard-to-employ
 * persons and graduates within 2 years of leaving school, registered as employed flexibly.
 */
function subsidyRefusal(f: FlexibleContributionFacts, month: string, ctx: EvalContext): string | null {
  const s = f.subsidy!;
  if (!s.employmentRegistered) return 'not registered as employed (就业登记)';
  if (s.group === 'hard-to-employ')
    return s.recognisedByHR === true ? null : 'hard-to-employ status not recognised by HR';
  const limit = addMonths(s.leftSchoolOn!, ctx.param<number>('subsidy.graduateWindowMonths', firstOfMonth(month)));
  return firstOfMonth(month) < limit ? null : `${month} starts on or after ${limit}, 2 years after leaving school`;
}

/** C-13: the local share, held to the FLX25 ceiling (“原则上不超过其实际缴费的2/3”). */
function subsidyShare(month: string, ctx: EvalContext): Ratio {
  const on = firstOfMonth(month);
  const local = ctx.param<Ratio>('subsidy.socialInsuranceShare', on);
  const max = ctx.param<Ratio>('subsidy.socialInsuranceMaxShare', on);
  return local.num * max.den > max.num * local.den ? max : local;
}

export const flexibleContribution = defineDecision({
  id: 'flexible-contribution',
  title: { zh: '灵活就业人员职工医保缴费额', en: 'Flexible worker contributions' },
  rules: ['C-4', 'C-5', 'C-6', 'C-13', 'C-14', 'P-1', 'P-2'],
  input: flexibleContributionFacts,
  // Reading: the pack in force on the first day of the last fee month; every value is still read
  // on its own month, and the later packs inherit the earlier ones.
  businessDate: (f) => firstOfMonth(f.toMonth ?? f.fromMonth),
  evaluate(f, ctx): FlexibleContribution {
    const months = feeMonths(f.fromMonth, f.toMonth ?? f.fromMonth).map((m): FlexibleMonth => {
      const on = firstOfMonth(m);
      const wage = averageWage(ctx, on);
      const baseFen = flexibleBase(ctx, on);
      const components = flexibleComponents(ctx, f.mode, on);
      const { lines, totalFen } = monthlyLines(baseFen, components);
      const accountCreditFen =
        f.mode === 'combined' ? applyRatio(baseFen, ctx.param<Ratio>('account.creditingShareOfBase', on)) : 0;
      const share = f.subsidy && subsidyRefusal(f, m, ctx) === null ? subsidyShare(m, ctx) : null;
      return {
        feeMonth: m,
        dueDate: dueDateOf(ctx, m).dueDate,
        averageWageYear: wage.year,
        baseFen,
        rate: totalRate(components),
        lines,
        totalFen,
        accountCreditFen,
        subsidyFen: share ? applyRatio(totalFen, share) : 0,
      };
    });
    const first = months[0]!;
    const last = months[months.length - 1]!;
    const totalFen = months.reduce((s, m) => s + m.totalFen, 0);
    const accountCreditFen = months.reduce((s, m) => s + m.accountCreditFen, 0);
    const subsidyFen = months.reduce((s, m) => s + m.subsidyFen, 0);
    const bases = [...new Set(months.map((m) => m.baseFen))].map(formatYuan).join('/');

    const baseShare = formatRatio(ctx.param<Ratio>('contribution.flexibleBaseShare', firstOfMonth(last.feeMonth)));
    ctx.apply('C-4', `base ${bases} = ${baseShare} of the average wage in force in each month`);
    ctx.apply('C-5', `${f.mode}: ${formatRatio(last.rate)} of the base`);
    ctx.apply('C-6', `monthly; ${first.feeMonth} due by ${first.dueDate}`);
    if (f.mode === 'combined') ctx.apply('C-14', `personal account credited ${formatYuan(accountCreditFen)}`);
    else ctx.skip('C-14', 'pooling-only mode has no personal account (FLX25 §2)');
    let share: Ratio | null = null;
    if (f.subsidy) {
      const refusals = months.map((m) => subsidyRefusal(f, m.feeMonth, ctx));
      const eligible = months.filter((_, i) => refusals[i] === null);
      if (eligible.length) {
        share = subsidyShare(eligible[0]!.feeMonth, ctx);
        ctx.apply(
          'C-13',
          `${eligible.length} of ${months.length} month(s) subsidised at ${formatRatio(share)}: ${formatYuan(subsidyFen)}`,
        );
      } else ctx.skip('C-13', refusals[0]!);
    } else ctx.skip('C-13', 'no subsidy claimed');

    const span = months.length === 1 ? first.feeMonth : `${first.feeMonth}至${last.feeMonth}`;
    const spanEn = months.length === 1 ? first.feeMonth : `${first.feeMonth} to ${last.feeMonth}`;
    const modeZh = f.mode === 'combined' ? '统账结合' : '单建统筹';
    ctx.because(
      `灵活就业${modeZh}，${span}共${months.length}个月，缴费基数${bases}元（社平工资的${baseShare}），费率${formatRatio(last.rate)}，应缴${formatYuan(totalFen)}元${f.mode === 'combined' ? `，计入个人账户${formatYuan(accountCreditFen)}元` : '，不设个人账户'}${subsidyFen ? `，社会保险补贴${formatYuan(subsidyFen)}元，个人实际负担${formatYuan(totalFen - subsidyFen)}元` : ''}`,
      `flexible worker, ${f.mode}, ${spanEn} (${months.length} month(s)): base ${bases} yuan (${baseShare} of the average wage), rate ${formatRatio(last.rate)}, due ${formatYuan(totalFen)} yuan${f.mode === 'combined' ? `, personal account credited ${formatYuan(accountCreditFen)}` : ', no personal account'}${subsidyFen ? `; social-insurance subsidy ${formatYuan(subsidyFen)}, the person bears ${formatYuan(totalFen - subsidyFen)}` : ''}`,
    );
    return {
      mode: f.mode,
      months,
      totalFen,
      accountCreditFen,
      subsidyShare: share,
      subsidyFen,
      netFen: totalFen - subsidyFen,
    };
  },
  moreFavourable: (a, b) => a.netFen < b.netFen,
  example: {
    asOf: '2026-09-05',
    facts: { region: '220100', mode: 'combined', fromMonth: '2026-09', toMonth: '2026-12' },
  },
});
