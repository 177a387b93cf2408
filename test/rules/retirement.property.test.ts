/**
 * Invariants of the retirement decisions over generated facts:
 * - the delay never decreases with a later birth month, stays within the cap, and a birth
 *   month before the group's start keeps the original age;
 * - paying exactly the shortfall (and converting the R-6 months) makes the person eligible,
 *   one month less does not; a lump sum's total is the sum of its lines, each line months × monthly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addYearMonths } from '#domain/calendar.js';
import { parameters } from '#params/index.js';
import { evaluate } from '#rules/engine.js';
import { type LegalRetirement, retirementAge } from '#rules/retirement/age.js';
import { type RetirementTransfer, retirementTransfer } from '#rules/retirement/transfer.js';

const store = parameters();
const age = (facts: Record<string, unknown>) =>
  evaluate(retirementAge, retirementAge.input.parse(facts), '2026-06-01', store).value as LegalRetirement;
const transfer = (facts: Record<string, unknown>) =>
  evaluate(retirementTransfer, retirementTransfer.input.parse(facts), String(facts.processedOn), store)
    .value as RetirementTransfer;

const GROUPS = [
  { sex: 'male', start: '1965-01', base: 60, cap: 36, step: 4 },
  { sex: 'female', post: 'cadre', start: '1970-01', base: 55, cap: 36, step: 4 },
  { sex: 'female', post: 'worker', start: '1975-01', base: 50, cap: 60, step: 2 },
] as const;

describe('R-9 retirement age invariants', () => {
  it('monotone, capped, and the original age before the start month', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GROUPS), fc.integer({ min: -120, max: 240 }), (g, m) => {
        const facts = (k: number) => ({
          region: '220100',
          sex: g.sex,
          ...('post' in g ? { post: g.post } : {}),
          birthDate: `${addYearMonths(g.start, k)}-15`,
        });
        const a = age(facts(m));
        const b = age(facts(m + 1));
        expect(b.delayMonths!).toBeGreaterThanOrEqual(a.delayMonths!);
        expect(a.delayMonths!).toBeLessThanOrEqual(g.cap);
        expect(a.ageYears * 12 + a.ageMonths).toBe(g.base * 12 + a.delayMonths!);
        if (m < 0) expect(a.delayMonths).toBe(0);
        else expect(a.delayMonths).toBe(Math.min(Math.floor(m / g.step) + 1, g.cap));
      }),
      { numRuns: 300 },
    );
  });
});

describe('R-1…R-7 retirement transfer invariants', () => {
  interface Rec {
    sex: 'male' | 'female';
    mode: 'unit' | 'flexible';
    deemed: number;
    out: number;
    local: number;
    pooling: number;
    region: string;
  }
  const record: fc.Arbitrary<Rec> = fc.record({
    sex: fc.constantFrom('male', 'female'),
    mode: fc.constantFrom('unit', 'flexible'),
    deemed: fc.integer({ min: 0, max: 200 }),
    out: fc.integer({ min: 0, max: 200 }),
    local: fc.integer({ min: 0, max: 300 }),
    pooling: fc.integer({ min: 0, max: 120 }),
    region: fc.constantFrom('220100', '220200', '222400'),
  });
  const facts = (r: Rec, extraLocal = 0) => ({
    region: r.region,
    processedOn: '2026-05-20',
    sex: r.sex,
    post: 'cadre',
    birthDate: '1962-02-10',
    mode: r.mode,
    record: {
      deemedMonths: r.deemed,
      outOfProvinceMonths: r.out,
      localCombinedMonths: r.local + extraLocal,
      localPoolingOnlyMonths: r.mode === 'flexible' ? r.pooling : 0,
    },
  });

  it('paying the shortfall and converting the pooling-only months makes the person eligible', () => {
    fc.assert(
      fc.property(record, (r) => {
        const t = transfer(facts(r));
        const due = t.shortfallMonths + t.conversionMonths;
        expect(t.eligibleNow).toBe(due === 0);
        if (due === 0) return;
        // Paid (or converted) months become combined in-province months.
        const paid = { ...r, pooling: r.mode === 'flexible' ? r.pooling - t.conversionMonths : 0 };
        expect(transfer(facts(paid, due)).eligibleNow).toBe(true);
        expect(transfer(facts(paid, due - 1)).eligibleNow).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('a lump sum is the sum of its lines, each line months × its monthly amount', () => {
    fc.assert(
      fc.property(record, (r) => {
        const t = transfer(facts(r));
        if (!t.lumpSum) return;
        expect(t.options).toContain('lump-sum');
        for (const l of t.lumpSum.lines) expect(l.amountFen).toBe(l.monthlyFen * l.months);
        expect(t.lumpSum.totalFen).toBe(t.lumpSum.lines.reduce((s, l) => s + l.amountFen, 0));
        const full = t.lumpSum.lines.filter((l) => l.part === 'missing-months');
        expect(full.reduce((s, l) => s + l.amountFen, 0)).toBe(t.lumpSum.monthlyFen * t.shortfallMonths);
        expect(t.accountCreditMonths).toBe(t.shortfallMonths + t.conversionMonths);
      }),
      { numRuns: 200 },
    );
  });
});
