/**
 * C-7 (JL26 Art.26): the unemployment fund pays the employee-scheme contribution of each month an
 * unemployment-benefit recipient (领金人员) draws benefit: base 60 % of the average wage in force
 * when paid, rate = the region's unit medical + enterprise maternity + employee rates, nothing from
 * the person, and exactly the benefit months.
 */
import { firstOfMonth, monthsBetween } from '#domain/calendar.js';
import { applyRatio, type Fen, formatRatio, formatYuan, type Ratio } from '#domain/money.js';
import { baseFacts, businessDate, feeMonth } from '#schemas/common.js';
import { defineDecision } from '../engine.js';
import { averageWage, feeMonths, type LineItem, monthlyLines, totalRate, unitComponents } from './rates.js';

export const unemploymentContributionFacts = baseFacts
  .extend({
    region: baseFacts.shape.region.describe(
      'the place of the unemployment-insurance relationship; cover follows it when it moves (C-7)',
    ),
    benefitFrom: feeMonth.describe('first month unemployment benefit is drawn'),
    benefitTo: feeMonth.describe('last month unemployment benefit is drawn, inclusive'),
    paidOn: businessDate
      .optional()
      .describe('when the fund pays, if all months at once; default: each month in its own month (C-6)'),
  })
  .superRefine((f, ctx) => {
    if (f.benefitTo < f.benefitFrom)
      ctx.addIssue({ code: 'custom', path: ['benefitTo'], message: 'is before benefitFrom' });
    else if (monthsBetween(f.benefitFrom, f.benefitTo) >= 24)
      ctx.addIssue({
        code: 'custom',
        path: ['benefitTo'],
        message: 'unemployment benefit is drawn for at most 24 months',
      });
  });

export interface UnemploymentMonth {
  readonly feeMonth: string;
  readonly paidOn: string;
  readonly averageWageYear: number;
  readonly baseFen: Fen;
  readonly rate: Ratio;
  readonly lines: readonly LineItem[];
  readonly totalFen: Fen;
}

export interface UnemploymentContribution {
  readonly months: readonly UnemploymentMonth[];
  readonly monthCount: number;
  readonly fundPaysFen: Fen;
  readonly personPaysFen: Fen;
}

export const unemploymentContribution = defineDecision({
  id: 'unemployment-contribution',
  title: {
    zh: '失业保险基金代缴领金人员职工医保费',
    en: 'Contributions the unemployment fund pays for benefit recipients',
  },
  rules: ['C-7', 'P-1', 'P-2'],
  input: unemploymentContributionFacts,
  businessDate: (f) => f.paidOn ?? firstOfMonth(f.benefitTo),
  evaluate(f, ctx): UnemploymentContribution {
    const months = feeMonths(f.benefitFrom, f.benefitTo).map((m): UnemploymentMonth => {
      // “缴费时执行的社平工资”: the wage in force on the payment day; rates are the fee month's.
      const paidOn = f.paidOn ?? firstOfMonth(m);
      const wage = averageWage(ctx, paidOn);
      const baseFen = applyRatio(wage.monthlyFen, ctx.param<Ratio>('contribution.unemployedBaseShare', paidOn));
      const components = unitComponents(ctx, firstOfMonth(m));
      const { lines, totalFen } = monthlyLines(baseFen, components);
      return { feeMonth: m, paidOn, averageWageYear: wage.year, baseFen, rate: totalRate(components), lines, totalFen };
    });
    const fundPaysFen = months.reduce((s, m) => s + m.totalFen, 0);
    const bases = [...new Set(months.map((m) => m.baseFen))].map(formatYuan).join('/');
    const rate = formatRatio(months[months.length - 1]!.rate);
    const share = formatRatio(ctx.param<Ratio>('contribution.unemployedBaseShare', months[months.length - 1]!.paidOn));
    ctx.apply('C-7', `${months.length} benefit month(s), base ${bases}, rate ${rate}, paid by the unemployment fund`);
    ctx.because(
      `领金人员${f.benefitFrom}至${f.benefitTo}共${months.length}个月，以缴费时社平工资的${share}（${bases}元）为基数，按单位医疗、企业生育与个人费率之和${rate}，由失业保险基金代缴${formatYuan(fundPaysFen)}元，个人不缴费`,
      `benefit recipient, ${f.benefitFrom} to ${f.benefitTo} (${months.length} month(s)): base ${share} of the average wage when paid (${bases} yuan), rate ${rate} (unit medical + enterprise maternity + employee); the unemployment fund pays ${formatYuan(fundPaysFen)} yuan, the person nothing`,
    );
    return { months, monthCount: months.length, fundPaysFen, personPaysFen: 0 };
  },
  example: {
    asOf: '2026-10-08',
    facts: { region: '220200', benefitFrom: '2026-07', benefitTo: '2026-09' },
  },
});
