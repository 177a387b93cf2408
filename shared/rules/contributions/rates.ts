/**
 * Bases and rates that several decisions share (contributions, arrears backfill, retirement lump
 * sums, maternity allowance). Each reads its parameters through the context, so the trace shows them.
 */
import {
  addYearMonths,
  type CalendarDate,
  firstOfMonth,
  firstOfYear,
  lastOfMonth,
  type YearMonth,
} from '#domain/calendar.js';
import { addRatios, applyRatio, type Fen, mulRatios, type Ratio } from '#domain/money.js';
import type { EvalContext } from '../engine.js';

export interface AverageWage {
  readonly year: number;
  readonly monthlyFen: Fen;
  readonly publishedOn: string;
}

/** The average wage in force on a date (it changes from the month after publication, C-4). */
export function averageWage(ctx: EvalContext, on: CalendarDate = ctx.businessDate): AverageWage {
  return ctx.param<AverageWage>('averageWage.monthly', on);
}

/** C-4: the flexible base, 83 % of the average wage in force, rounded to the fen. */
export function flexibleBase(ctx: EvalContext, on: CalendarDate = ctx.businessDate): Fen {
  return applyRatio(averageWage(ctx, on).monthlyFen, ctx.param<Ratio>('contribution.flexibleBaseShare', on));
}

export interface UnitRates {
  readonly medical: Ratio;
  readonly maternity: Ratio;
  readonly employee: Ratio;
}

/** C-3: the pooling region's unit rates and the employee rate. */
export function unitRates(ctx: EvalContext, on: CalendarDate = ctx.businessDate): UnitRates {
  return {
    medical: ctx.param<Ratio>('contribution.unitMedicalRate', on),
    maternity: ctx.param<Ratio>('contribution.unitMaternityRate', on),
    employee: ctx.param<Ratio>('contribution.employeeRate', on),
  };
}

export type FlexibleMode = 'combined' | 'pooling-only';

export interface RateComponent {
  readonly component: 'medical' | 'maternity' | 'employee-medical';
  readonly rate: Ratio;
}

/**
 * C-5: flexible components. Combined = unit medical + maternity + employee 2 %; pooling-only =
 * 80 % of the unit medical rate + maternity (no personal account, so no employee part).
 */
export function flexibleComponents(
  ctx: EvalContext,
  mode: FlexibleMode,
  on: CalendarDate = ctx.businessDate,
): RateComponent[] {
  const r = unitRates(ctx, on);
  if (mode === 'combined') {
    return [
      { component: 'medical', rate: r.medical },
      { component: 'maternity', rate: r.maternity },
      { component: 'employee-medical', rate: r.employee },
    ];
  }
  const share = ctx.param<Ratio>('contribution.poolingOnlyShareOfUnitMedical', on);
  return [
    { component: 'medical', rate: mulRatios(share, r.medical) },
    { component: 'maternity', rate: r.maternity },
  ];
}

export function totalRate(components: readonly RateComponent[]): Ratio {
  return components.reduce<Ratio>((acc, c) => addRatios(acc, c.rate), { num: 0, den: 1 });
}

export interface LineItem {
  readonly component: string;
  readonly rate: Ratio;
  readonly amountFen: Fen;
}

/** The money rule: each component of one month is rounded half up to the fen; the total is their sum. */
export function monthlyLines(baseFen: Fen, components: readonly RateComponent[]): { lines: LineItem[]; totalFen: Fen } {
  const lines = components.map((c) => ({
    component: c.component,
    rate: c.rate,
    amountFen: applyRatio(baseFen, c.rate),
  }));
  return { lines, totalFen: lines.reduce((s, l) => s + l.amountFen, 0) };
}

/**
 * C-2: clamp a declared base between the floor and the ceiling. The shares are those in force on `on`;
 * the average wage is the one in force on `wageOn` (default `on`; a unit employee's fee month passes
 * `unitBaseWageDate`).
 */
export function clampBase(
  ctx: EvalContext,
  declaredFen: Fen,
  on: CalendarDate = ctx.businessDate,
  wageOn: CalendarDate = on,
) {
  const wage = averageWage(ctx, wageOn).monthlyFen;
  const floorFen = applyRatio(wage, ctx.param<Ratio>('contribution.baseFloorShare', on));
  const ceilingFen = applyRatio(wage, ctx.param<Ratio>('contribution.baseCeilingShare', on));
  const baseFen = Math.min(Math.max(declaredFen, floorFen), ceilingFen);
  return { baseFen, floorFen, ceilingFen, clamped: baseFen !== declaredFen };
}

/**
 * C-1/C-2: the day whose average wage sets a unit employee's floor and ceiling for a fee month, by the
 * reading `contribution.unitBaseWageOn` in force in that month: the first day of the fee month, or
 * January 1 of the fee year (JL26 Art.14 ¶2: the base runs January to December of the fee year).
 */
export function unitBaseWageDate(ctx: EvalContext, feeMonth: YearMonth): CalendarDate {
  const on = firstOfMonth(feeMonth);
  const rule = ctx.param<'fee-month' | 'fee-year-start'>('contribution.unitBaseWageOn', on);
  return rule === 'fee-year-start' ? firstOfYear(Number(feeMonth.slice(0, 4))) : on;
}

/** C-3: the three lines of a unit employee's month: unit medical, unit (enterprise) maternity, employee 2 %. */
export function unitComponents(ctx: EvalContext, on: CalendarDate = ctx.businessDate): RateComponent[] {
  const r = unitRates(ctx, on);
  return [
    { component: 'medical', rate: r.medical },
    { component: 'maternity', rate: r.maternity },
    { component: 'employee-medical', rate: r.employee },
  ];
}

export type DueRule = 'end-of-month' | 'end-of-following-month';

/**
 * C-6: the last day on which a fee month of the employee scheme is paid on time. The rule in force
 * on the first day of the fee month decides (当月缴纳当月费用 from the month after the 2026 average
 * wage is published; the older end-of-following-month before).
 */
export function dueDateOf(ctx: EvalContext, feeMonth: YearMonth): { dueDate: CalendarDate; rule: DueRule } {
  const rule = ctx.param<DueRule>('employee.dueDate', firstOfMonth(feeMonth));
  return { dueDate: rule === 'end-of-month' ? lastOfMonth(feeMonth) : lastOfMonth(addYearMonths(feeMonth, 1)), rule };
}

/** Fee months `from` … `to`, inclusive. */
export function feeMonths(from: YearMonth, to: YearMonth): YearMonth[] {
  const out: YearMonth[] = [];
  for (let m = from; m <= to; m = addYearMonths(m, 1)) out.push(m);
  return out;
}

/** A check that does not refuse: something the agency should look at (e.g. C-11 place of study). */
export interface Finding {
  readonly rule: string;
  readonly zh: string;
  readonly en: string;
}
