/**
 * A unit's fee month (C-1, C-2, C-3, C-6): each employee's base (own prior-year monthly average
 * wage, or a new hire's first-month wage), clamped to the floor and ceiling of the average wage
 * (under JL26 the one in force on January 1 of the fee year: the base runs January to December,
 * Art.14 ¶2; parameter `contribution.unitBaseWageOn`), the three lines of the month (unit medical, unit maternity, the employee's 2 % withheld by
 * the unit) and the unit's totals.
 *
 * Money (docs/decisions.md): one line item is one component of one fee month of one employee,
 * rounded half up once; the unit's amounts are sums of its employees' lines, so every total equals
 * the sum of the lines it prints. The unit base is the sum of the employees' bases (C-1); computing
 * the unit's part once on that base instead could differ by at most half a fen per employee.
 */
import * as z from 'zod';
import { firstOfMonth, yearOf } from '#domain/calendar.js';
import { applyRatio, type Fen, formatRatio, formatYuan, type Ratio } from '#domain/money.js';
import { baseFacts, calendarDate, feeMonth, fen, strictObject } from '#schemas/common.js';
import { defineDecision, type EvalContext } from '../engine.js';
import {
  averageWage,
  clampBase,
  dueDateOf,
  type LineItem,
  monthlyLines,
  unitBaseWageDate,
  unitComponents,
} from './rates.js';

const employee = strictObject({
  employeeId: z.string().min(1).max(64).describe('the unit’s own reference for the employee'),
  priorYearMonthlyWageFen: fen
    .optional()
    .describe('C-1: the employee’s own prior-year monthly average wage (上年度本人月平均工资)'),
  hiredOn: calendarDate.optional().describe('C-1: date of hiring, for a new hire'),
  firstMonthWageFen: fen
    .optional()
    .describe('C-1: a new hire’s wage due or agreed for the first month (新入职当月应发或核定工资)'),
}).describe('one employee of the unit');

export const unitContributionFacts = baseFacts
  .extend({
    feeMonth: feeMonth.describe('the fee month (费款所属期) of the unit’s declaration'),
    employees: z.array(employee).min(1).max(5000).describe('the employees declared for the month'),
  })
  .superRefine((f, ctx) => {
    f.employees.forEach((e, i) => {
      if (e.hiredOn && e.hiredOn.slice(0, 7) > f.feeMonth)
        ctx.addIssue({ code: 'custom', path: ['employees', i, 'hiredOn'], message: 'is after the fee month' });
      if (e.firstMonthWageFen !== undefined && !e.hiredOn)
        ctx.addIssue({ code: 'custom', path: ['employees', i, 'hiredOn'], message: 'required with firstMonthWageFen' });
    });
    const ids = new Set<string>();
    f.employees.forEach((e, i) => {
      if (ids.has(e.employeeId))
        ctx.addIssue({ code: 'custom', path: ['employees', i, 'employeeId'], message: 'is listed twice' });
      ids.add(e.employeeId);
    });
  });

export type UnitContributionFacts = z.output<typeof unitContributionFacts>;

export interface EmployeeMonth {
  readonly employeeId: string;
  readonly baseRule: 'prior-year-average' | 'new-hire-first-month';
  readonly declaredFen: Fen;
  readonly baseFen: Fen;
  readonly clampedTo: 'floor' | 'ceiling' | null;
  readonly lines: readonly LineItem[];
  /** Unit medical + unit maternity. */
  readonly unitPartFen: Fen;
  /** The employee's part, withheld from the wage by the unit (JL26 Art.16). */
  readonly employeePartFen: Fen;
  readonly totalFen: Fen;
  /** C-14: credited to the employee's personal account at the region's standard (not an extra charge). */
  readonly accountCreditFen: Fen;
}

export interface UnitContribution {
  readonly feeMonth: string;
  readonly dueDate: string;
  readonly averageWage: { readonly year: number; readonly monthlyFen: Fen };
  readonly floorFen: Fen;
  readonly ceilingFen: Fen;
  readonly rates: { readonly unitMedical: Ratio; readonly unitMaternity: Ratio; readonly employee: Ratio };
  readonly employees: readonly EmployeeMonth[];
  /** C-1: the sum of the employees' bases. */
  readonly unitBaseFen: Fen;
  readonly unitMedicalFen: Fen;
  readonly unitMaternityFen: Fen;
  readonly unitPartFen: Fen;
  readonly employeeWithheldFen: Fen;
  readonly totalFen: Fen;
  readonly accountCreditFen: Fen;
}

type Employee = UnitContributionFacts['employees'][number];

/** C-1: the declared base, general rule (prior-year average) with the new-hire exception. */
function declaredBase(
  e: Employee,
  feeMonth: string,
  ctx: EvalContext,
): { declaredFen: Fen; baseRule: EmployeeMonth['baseRule'] } {
  return ctx.exceptions<{ declaredFen: Fen; baseRule: EmployeeMonth['baseRule'] }>(
    `the base of employee ${e.employeeId} (JL26 Art.14)`,
    [
      {
        rule: 'C-1',
        when: () =>
          e.hiredOn !== undefined &&
          e.firstMonthWageFen !== undefined &&
          yearOf(e.hiredOn) === yearOf(firstOfMonth(feeMonth))
            ? `${e.employeeId}: hired on ${e.hiredOn}, first-month wage ${formatYuan(e.firstMonthWageFen)}`
            : false,
        why: `${e.employeeId}: not hired in the fee year with a first-month wage`,
        then: () => ({ declaredFen: e.firstMonthWageFen!, baseRule: 'new-hire-first-month' as const }),
      },
      {
        rule: 'C-1',
        when: () =>
          e.priorYearMonthlyWageFen !== undefined
            ? `${e.employeeId}: prior-year monthly average ${formatYuan(e.priorYearMonthlyWageFen)}`
            : false,
        why: `${e.employeeId}: no prior-year monthly average wage given`,
        then: () => ({ declaredFen: e.priorYearMonthlyWageFen!, baseRule: 'prior-year-average' as const }),
      },
    ],
  );
}

export const unitContribution = defineDecision({
  id: 'unit-contribution',
  title: { zh: '单位职工医保月缴费额', en: 'Unit employee contributions for a fee month' },
  rules: ['C-1', 'C-2', 'C-3', 'C-6', 'C-14', 'P-1', 'P-2'],
  input: unitContributionFacts,
  // Bases and rates are those of the fee month (A-3 backfills at the arrears months' own).
  businessDate: (f) => firstOfMonth(f.feeMonth),
  evaluate(f, ctx): UnitContribution {
    const on = firstOfMonth(f.feeMonth);
    // C-1/C-2 (JL26 Art.14 ¶2): the average wage behind the floor and ceiling, by the reading in force.
    const wageOn = unitBaseWageDate(ctx, f.feeMonth);
    const wage = averageWage(ctx, wageOn);
    const components = unitComponents(ctx, on);
    const [medical, maternity, employeeRate] = components.map((c) => c.rate) as [Ratio, Ratio, Ratio];
    ctx.apply(
      'C-3',
      `unit medical ${formatRatio(medical)}, unit maternity ${formatRatio(maternity)}, employee ${formatRatio(employeeRate)} in ${f.region}`,
    );

    const crediting = ctx.param<Ratio>('account.creditingShareOfBase', on);
    let floorFen = 0;
    let ceilingFen = 0;
    const employees = f.employees.map((e): EmployeeMonth => {
      const { declaredFen, baseRule } = declaredBase(e, f.feeMonth, ctx);
      // C-2: the shares of the fee month applied to the average wage in force on `wageOn`.
      const c = clampBase(ctx, declaredFen, on, wageOn);
      floorFen = c.floorFen;
      ceilingFen = c.ceilingFen;
      const clampedTo = !c.clamped ? null : c.baseFen === c.floorFen ? ('floor' as const) : ('ceiling' as const);
      if (clampedTo)
        ctx.apply(
          'C-2',
          `${e.employeeId}: ${formatYuan(declaredFen)} ${clampedTo === 'floor' ? 'raised' : 'lowered'} to the ${clampedTo} ${formatYuan(c.baseFen)}`,
        );
      else
        ctx.skip(
          'C-2',
          `${e.employeeId}: ${formatYuan(declaredFen)} is within ${formatYuan(c.floorFen)} … ${formatYuan(c.ceilingFen)}`,
        );
      const { lines, totalFen } = monthlyLines(c.baseFen, components);
      const employeePartFen = lines[2]!.amountFen;
      return {
        employeeId: e.employeeId,
        baseRule,
        declaredFen,
        baseFen: c.baseFen,
        clampedTo,
        lines,
        unitPartFen: lines[0]!.amountFen + lines[1]!.amountFen,
        employeePartFen,
        totalFen,
        accountCreditFen: applyRatio(c.baseFen, crediting),
      };
    });

    const sum = (g: (e: EmployeeMonth) => Fen) => employees.reduce((s, e) => s + g(e), 0);
    const unitBaseFen = sum((e) => e.baseFen);
    const unitMedicalFen = sum((e) => e.lines[0]!.amountFen);
    const unitMaternityFen = sum((e) => e.lines[1]!.amountFen);
    const employeeWithheldFen = sum((e) => e.employeePartFen);
    const totalFen = unitMedicalFen + unitMaternityFen + employeeWithheldFen;
    const accountCreditFen = sum((e) => e.accountCreditFen);
    ctx.apply(
      'C-14',
      `personal accounts credited ${formatRatio(crediting)} of each base: ${formatYuan(accountCreditFen)}`,
    );
    ctx.apply(
      'C-1',
      `unit base = sum of ${employees.length} employee base(s) = ${formatYuan(unitBaseFen)}; floor and ceiling on the ${wage.year} average wage in force on ${wageOn}`,
    );

    const due = dueDateOf(ctx, f.feeMonth);
    ctx.apply('C-6', `${f.feeMonth} is due by ${due.dueDate} (${due.rule})`);

    const clamped = employees.filter((e) => e.clampedTo).length;
    ctx.because(
      `${f.feeMonth}费款所属期：${employees.length}名职工缴费基数合计${formatYuan(unitBaseFen)}元（社平工资${formatYuan(wage.monthlyFen)}元，基数上下限${formatYuan(floorFen)}—${formatYuan(ceilingFen)}元${clamped ? `，${clamped}人按上下限` : ''}）；单位医疗${formatRatio(medical)}计${formatYuan(unitMedicalFen)}元，生育${formatRatio(maternity)}计${formatYuan(unitMaternityFen)}元，个人${formatRatio(employeeRate)}由单位代扣${formatYuan(employeeWithheldFen)}元，合计${formatYuan(totalFen)}元，应于${due.dueDate}前缴纳`,
      `fee month ${f.feeMonth}: ${employees.length} employee base(s) totalling ${formatYuan(unitBaseFen)} yuan (average wage ${formatYuan(wage.monthlyFen)}, floor ${formatYuan(floorFen)}, ceiling ${formatYuan(ceilingFen)}${clamped ? `, ${clamped} clamped` : ''}); unit medical ${formatRatio(medical)} ${formatYuan(unitMedicalFen)}, maternity ${formatRatio(maternity)} ${formatYuan(unitMaternityFen)}, employee ${formatRatio(employeeRate)} withheld ${formatYuan(employeeWithheldFen)}; total ${formatYuan(totalFen)} yuan, due by ${due.dueDate}`,
    );
    return {
      feeMonth: f.feeMonth,
      dueDate: due.dueDate,
      averageWage: { year: wage.year, monthlyFen: wage.monthlyFen },
      floorFen,
      ceilingFen,
      rates: { unitMedical: medical, unitMaternity: maternity, employee: employeeRate },
      employees,
      unitBaseFen,
      unitMedicalFen,
      unitMaternityFen,
      unitPartFen: unitMedicalFen + unitMaternityFen,
      employeeWithheldFen,
      totalFen,
      accountCreditFen,
    };
  },
  moreFavourable: (a, b) => a.totalFen < b.totalFen,
  example: {
    asOf: '2026-09-10',
    facts: {
      region: '220100',
      feeMonth: '2026-09',
      employees: [
        { employeeId: 'E001', priorYearMonthlyWageFen: 812345 },
        { employeeId: 'E002', hiredOn: '2026-09-01', firstMonthWageFen: 300000 },
      ],
    },
  },
});
