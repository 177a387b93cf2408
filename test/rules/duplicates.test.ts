/**
 * Properties of duplicate-resolution (D-1…D-8) beyond the cases of shared/rules/duplicates/cases.json:
 * the result does not depend on the order the enrollments are listed in, and applying it leaves no
 * duplicates behind (E-4).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DuplicateResolution } from '#rules/duplicates/decision.js';
import { DecisionError } from '#rules/errors.js';
import { decide } from '#rules/registry.js';

const ID = 'duplicate-resolution';
const file = join(import.meta.dirname, '../../shared/rules/duplicates/cases.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as {
  cases: Array<{ name: string; asOf: string; facts: { enrollments: unknown[] }; expectError?: string }>;
};

const REGIONS = ['220100', '220200', '220300', '211200'];
const enrollment = (i: number) =>
  fc
    .record({
      scheme: fc.constantFrom('employee', 'resident'),
      mode: fc.constantFrom('unit', 'flexible'),
      region: fc.constantFrom(...REGIONS.slice(0, 3)),
      status: fc.constantFrom('normal', 'normal', 'normal', 'suspended', 'terminated'),
      place: fc.constantFrom('employment', 'habitual-residence', 'study', 'other'),
      startYear: fc.constantFrom(2024, 2025, 2026),
      startMonth: fc.integer({ min: 1, max: 12 }),
      open: fc.boolean(),
      paidDay: fc.integer({ min: 1, max: 28 }),
      years: fc.integer({ min: 0, max: 40 }).map((n) => n / 4),
      partTime: fc.boolean(),
      carries: fc.boolean(),
    })
    .map((r) => ({
      id: `X${i}`,
      scheme: r.scheme,
      ...(r.scheme === 'employee'
        ? {
            mode: r.mode,
            continuousEmployeeYears: r.years,
            fromPartTimeOrTemporaryWork: r.mode === 'flexible' && r.partTime,
          }
        : {}),
      region: r.region,
      status: r.status,
      place: r.place,
      start: `${r.startYear}-${String(r.startMonth).padStart(2, '0')}-01`,
      ...(r.open ? {} : { end: `${r.startYear}-12-31` }),
      lastPaidOn: `${r.startYear}-12-${String(r.paidDay).padStart(2, '0')}`,
      carriesBenefits: r.carries,
    }));
const person = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => enrollment(i))));

function run(facts: unknown, asOf = '2027-01-15'): DuplicateResolution | string {
  try {
    return decide(ID, facts, asOf).value as DuplicateResolution;
  } catch (e) {
    if (e instanceof DecisionError) return e.code;
    throw e;
  }
}

describe(`${ID}: properties`, () => {
  it('does not depend on the order of the enrollments (every case, reversed and rotated)', () => {
    for (const c of cases) {
      if (c.expectError === 'invalid-input') continue;
      const base = run(c.facts, c.asOf);
      const reversed = run({ ...c.facts, enrollments: [...c.facts.enrollments].reverse() }, c.asOf);
      const rotated = run(
        { ...c.facts, enrollments: [...c.facts.enrollments.slice(1), c.facts.enrollments[0]] },
        c.asOf,
      );
      expect(reversed, c.name).toEqual(base);
      expect(rotated, c.name).toEqual(base);
    }
  });

  it('keeps exactly one enrollment of each group, and what remains has no duplicates', () => {
    fc.assert(
      fc.property(fc.constantFrom('220100', '211200'), person, (region, enrollments) => {
        const r = run({ region, enrollments });
        if (typeof r === 'string') {
          expect(['rule-conflict', 'no-applicable-rule']).toContain(r);
          return;
        }
        expect(Object.keys(r.actions).sort()).toEqual(enrollments.map((e) => e.id).sort());
        for (const g of r.groups) {
          expect(g.ids.filter((id) => r.actions[id]!.action === 'keep')).toEqual([g.keep]);
          for (const id of g.ids)
            if (id !== g.keep) expect(r.actions[id]!.refundUnderF1).toBe(r.actions[id]!.action === 'terminate');
        }
        const remaining = enrollments.filter((e) => ['keep', 'unchanged'].includes(r.actions[e.id]!.action));
        const again = run({ region, enrollments: remaining });
        expect(typeof again === 'string' ? again : again.duplicates).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
