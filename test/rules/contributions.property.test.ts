/**
 * Invariants of the contribution decisions (C-1…C-14) and the maternity allowance (G-2) over
 * generated facts: every total is the sum of its printed lines (the money rule: one rounding per
 * line item), a higher base never gives a lower amount, bases stay within the C-2 floor and ceiling,
 * a subsidy never exceeds what was paid (C-10) or the FLX25 §6 ceiling of 2/3 (C-13).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addYearMonths } from '#domain/calendar.js';
import { parameters } from '#params/index.js';
import { type FlexibleContribution, flexibleContribution } from '#rules/contributions/flexible.js';
import { type ResidentContribution, residentContribution } from '#rules/contributions/resident.js';
import { type UnemploymentContribution, unemploymentContribution } from '#rules/contributions/unemployment.js';
import { type UnitContribution, unitContribution } from '#rules/contributions/unit.js';
import { type AnyDecision, evaluate } from '#rules/engine.js';
import { type MaternityBenefit, maternityBenefit } from '#rules/maternity/decision.js';

const store = parameters();
const run = <O>(spec: unknown, facts: Record<string, unknown>, asOf: string): O => {
  const d = spec as AnyDecision;
  return evaluate(d, d.input.parse(facts), asOf, store).value as O;
};

const region = fc.constantFrom('220100', '220200', '220300', '222400', '220581', '229900');
/** Fee months from 2025-08 (first month with every parameter loaded) to 2027-12. */
const month = fc.integer({ min: 0, max: 28 }).map((n) => addYearMonths('2025-08', n));
const wage = fc.integer({ min: 0, max: 6_000_000 });
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe('unit-contribution invariants (C-1, C-2, C-3)', () => {
  it('totals are sums of the lines; bases are clamped; the unit base is the sum of the bases', () => {
    fc.assert(
      fc.property(region, month, fc.array(wage, { minLength: 1, maxLength: 6 }), (r, m, wages) => {
        const employees = wages.map((w, i) => ({ employeeId: `E${i}`, priorYearMonthlyWageFen: w }));
        const u = run<UnitContribution>(unitContribution, { region: r, feeMonth: m, employees }, `${m}-10`);
        for (const e of u.employees) {
          expect(e.totalFen).toBe(sum(e.lines.map((l) => l.amountFen)));
          expect(e.totalFen).toBe(e.unitPartFen + e.employeePartFen);
          expect(e.baseFen).toBeGreaterThanOrEqual(u.floorFen);
          expect(e.baseFen).toBeLessThanOrEqual(u.ceilingFen);
        }
        expect(u.unitBaseFen).toBe(sum(u.employees.map((e) => e.baseFen)));
        expect(u.totalFen).toBe(u.unitMedicalFen + u.unitMaternityFen + u.employeeWithheldFen);
        expect(u.totalFen).toBe(sum(u.employees.map((e) => e.totalFen)));
      }),
      { numRuns: 200 },
    );
  });

  it('a higher declared wage never gives a lower amount', () => {
    fc.assert(
      fc.property(region, month, wage, wage, (r, m, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const at = (w: number) =>
          run<UnitContribution>(
            unitContribution,
            { region: r, feeMonth: m, employees: [{ employeeId: 'E', priorYearMonthlyWageFen: w }] },
            `${m}-10`,
          );
        const x = at(lo);
        const y = at(hi);
        expect(y.totalFen).toBeGreaterThanOrEqual(x.totalFen);
        for (const i of [0, 1, 2])
          expect(y.employees[0]!.lines[i]!.amountFen).toBeGreaterThanOrEqual(x.employees[0]!.lines[i]!.amountFen);
      }),
      { numRuns: 200 },
    );
  });
});

describe('flexible-contribution invariants (C-4, C-5, C-13, C-14)', () => {
  const span = fc.tuple(month, fc.integer({ min: 0, max: 11 })).map(([m, n]) => [m, addYearMonths(m, n)] as const);
  const subsidy = fc.option(
    fc.record({
      group: fc.constantFrom('hard-to-employ', 'graduate'),
      recognisedByHR: fc.boolean(),
      employmentRegistered: fc.boolean(),
      leftSchoolOn: fc.constantFrom('2024-06-30', '2025-07-01', '2026-06-15'),
    }),
    { nil: undefined },
  );

  it('totals are sums of the lines, net + subsidy = total, the subsidy stays within 2/3 of each month', () => {
    fc.assert(
      fc.property(region, fc.constantFrom('combined', 'pooling-only'), span, subsidy, (r, mode, [from, to], s) => {
        const f = run<FlexibleContribution>(
          flexibleContribution,
          { region: r, mode, fromMonth: from, toMonth: to, ...(s ? { subsidy: s } : {}) },
          `${to}-10`,
        );
        for (const m of f.months) {
          expect(m.totalFen).toBe(sum(m.lines.map((l) => l.amountFen)));
          expect(3 * m.subsidyFen).toBeLessThanOrEqual(2 * m.totalFen + 2);
          if (mode === 'pooling-only') expect(m.accountCreditFen).toBe(0);
        }
        expect(f.totalFen).toBe(sum(f.months.map((m) => m.totalFen)));
        expect(f.netFen + f.subsidyFen).toBe(f.totalFen);
      }),
      { numRuns: 150 },
    );
  });

  it('combined mode never costs less than pooling-only for the same months', () => {
    fc.assert(
      fc.property(region, span, (r, [from, to]) => {
        const at = (mode: string) =>
          run<FlexibleContribution>(
            flexibleContribution,
            { region: r, mode, fromMonth: from, toMonth: to },
            `${to}-10`,
          );
        expect(at('combined').totalFen).toBeGreaterThanOrEqual(at('pooling-only').totalFen);
      }),
      { numRuns: 100 },
    );
  });
});

describe('unemployment-contribution invariants (C-7)', () => {
  it('the fund pays the sum of the lines for exactly the benefit months; the person pays nothing', () => {
    fc.assert(
      fc.property(region, fc.integer({ min: 0, max: 18 }), fc.integer({ min: 0, max: 11 }), (r, start, n) => {
        const from = addYearMonths('2026-03', start);
        const to = addYearMonths(from, n);
        const u = run<UnemploymentContribution>(
          unemploymentContribution,
          { region: r, benefitFrom: from, benefitTo: to },
          `${to}-10`,
        );
        expect(u.monthCount).toBe(n + 1);
        expect(u.personPaysFen).toBe(0);
        for (const m of u.months) expect(m.totalFen).toBe(sum(m.lines.map((l) => l.amountFen)));
        expect(u.fundPaysFen).toBe(sum(u.months.map((m) => m.totalFen)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('resident-contribution invariants (C-9, C-10)', () => {
  it('the subsidy never exceeds what the person paid; net = paid − subsidy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2021, 2026, 2027),
        fc.integer({ min: 1940, max: 2020 }),
        fc.constantFrom('extreme-poverty', 'orphan', 'minimum-living', 'registered-poor'),
        fc.constantFrom('2015-01-01', '2026-05-01', '2027-02-01'),
        fc.boolean(),
        (year, birthYear, category, recognisedOn, student) => {
          const paidOn = `${year - 1}-11-15`;
          const r = run<ResidentContribution>(
            residentContribution,
            {
              region: '220100',
              feeYear: year,
              paidOn,
              person: {
                birthDate: `${Math.min(birthYear, year - 1)}-06-01`,
                student,
                ...(student ? { studyRegion: '220100' } : {}),
              },
              assistance: { category, recognisedOn },
            },
            paidOn,
          );
          expect(r.personPaysFen).toBe(r.dueFen);
          expect(r.subsidyFen).toBeLessThanOrEqual(r.personPaysFen);
          expect(r.netFen).toBe(r.personPaysFen - r.subsidyFen);
          expect(r.netFen).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('maternity-benefit invariants (G-2)', () => {
  it('allowance = base × 98 / 30 rounded once, and a higher base never gives less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 5_000_000 }), (a, b) => {
        const at = (base: number) =>
          run<MaternityBenefit>(
            maternityBenefit,
            {
              region: '220100',
              deliveryDate: '2026-10-12',
              insuredAs: 'flexible',
              contributionBaseFen: base,
              continuousMonths: 12,
            },
            '2026-10-20',
          );
        const x = at(Math.min(a, b));
        const y = at(Math.max(a, b));
        expect(Math.abs(x.allowanceFen * 30 - Math.min(a, b) * 98)).toBeLessThanOrEqual(15);
        expect(y.allowanceFen).toBeGreaterThanOrEqual(x.allowanceFen);
      }),
      { numRuns: 200 },
    );
  });
});
