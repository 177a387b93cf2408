/**
 * Invariants of the major-illness limit (M-1…M-4) over generated histories: the adjustment stays
 * within −20 % … +20 %, the limit is the original plus one rounded line, and one more insured year
 * with no use of the increase never lowers the limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRatio, pct } from '#domain/money.js';
import { parameters } from '#params/index.js';
import { evaluate } from '#rules/engine.js';
import { type MajorIllnessLimit, majorIllnessLimit } from '#rules/major-illness/decision.js';

const store = parameters();
const decide = (facts: Record<string, unknown>) =>
  evaluate(majorIllnessLimit, majorIllnessLimit.input.parse(facts), '2031-06-01', store).value as MajorIllnessLimit;

const year = fc.record({ insured: fc.boolean(), zero: fc.boolean(), used: fc.boolean() }).map((y) => ({
  insured: y.insured,
  zeroReimbursement: y.insured && y.zero,
  usedIncrease: y.insured && !y.zero && y.used,
}));

const history: fc.Arbitrary<History> = fc.record({
  // Fee years start with the 1998 reform (shared/schemas/common.ts); resident cover came later still.
  first: fc.integer({ min: 1998, max: 2024 }),
  years: fc.array(year, { minLength: 0, maxLength: 35 }),
  original: fc.integer({ min: 1, max: 100_000_000 }),
});

interface Year {
  insured: boolean;
  zeroReimbursement: boolean;
  usedIncrease: boolean;
}
interface History {
  first: number;
  years: Year[];
  original: number;
}

const factsOf = (h: History, limitYear: number) => ({
  region: '220100',
  year: limitYear,
  originalLimitFen: h.original,
  history: h.years.map((y, i) => ({ year: h.first + i, ...y })).filter((y) => y.year < limitYear),
});

describe('major-illness limit invariants', () => {
  it('stays within ±20 % and equals the original plus one rounded line', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 2025, max: 2031 }), (h, y) => {
        const r = decide(factsOf(h, y));
        expect(r.adjustmentPct).toBeGreaterThanOrEqual(-20);
        expect(r.adjustmentPct).toBeLessThanOrEqual(20);
        const magnitude = applyRatio(h.original, pct(String(Math.abs(r.adjustmentPct))));
        expect(Math.abs(r.adjustmentFen)).toBe(magnitude);
        expect(r.limitFen).toBe(h.original + r.adjustmentFen);
      }),
      { numRuns: 300 },
    );
  });

  it('one more insured year without using the increase never lowers the limit', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 2025, max: 2030 }), (h, y) => {
        const before = decide(factsOf(h, y));
        const quiet = { ...h, years: [...h.years] };
        const idx = y - h.first;
        while (quiet.years.length < idx)
          quiet.years.push({ insured: false, zeroReimbursement: false, usedIncrease: false });
        quiet.years[idx] = { insured: true, zeroReimbursement: false, usedIncrease: false };
        const after = decide(factsOf(quiet, y + 1));
        expect(after.limitFen).toBeGreaterThanOrEqual(before.limitFen);
      }),
      { numRuns: 300 },
    );
  });
});
