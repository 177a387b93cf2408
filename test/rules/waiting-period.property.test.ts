/**
 * Invariants of the waiting-period decision (W-1…W-9) over generated facts, in every pack:
 * a later payment never gives an earlier cover start; waiting days are never negative and never
 * above the rules' maximum (W-6 fixed + W-7 variable); repairing never lengthens the wait.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromEpochDay, toEpochDay, yearOf } from '../../shared/domain/calendar.js';
import { parameters } from '../../shared/params/index.js';
import { evaluate } from '../../shared/rules/engine.js';
import { type WaitingPeriod, waitingPeriod } from '../../shared/rules/waiting-period/decision.js';

const store = parameters();
const decide = (facts: Record<string, unknown>) =>
  evaluate(waitingPeriod, waitingPeriod.input.parse(facts), String(facts.paidAt), store).value as WaitingPeriod;

const day = (from: string, to: string) => fc.integer({ min: toEpochDay(from), max: toEpochDay(to) }).map(fromEpochDay);

const residentFacts = fc
  .record({
    region: fc.constantFrom('220100', '220200', '222400', '229900', '211200'),
    paidAt: day('2026-03-01', '2029-12-31'),
    ahead: fc.boolean(),
    lastCoveredYearsBack: fc.integer({ min: 0, max: 9 }),
    continuousYears: fc.integer({ min: 0, max: 10 }),
    previous: fc.boolean(),
    repairYears: fc.integer({ min: 0, max: 9 }),
  })
  .map((r) => {
    const feeYear = yearOf(r.paidAt) + (r.ahead && r.paidAt.slice(5) >= '10-01' ? 1 : 0);
    const lastYear = feeYear - 1 - r.lastCoveredYearsBack;
    return {
      region: r.region,
      scheme: 'resident',
      paidAt: r.paidAt,
      feeYear,
      repairYears: r.repairYears,
      ...(r.previous
        ? {
            previousCover: {
              scheme: 'resident',
              lastCoveredDay: `${lastYear}-12-31`,
              continuousYears: r.continuousYears,
            },
          }
        : {}),
    };
  });

describe('waiting-period invariants', () => {
  it('W-6/W-7: waiting days are within 0 … 90 + 30 × (breakYears − 1), and ≥ 180 after a 4-year break', () => {
    fc.assert(
      fc.property(residentFacts, (facts) => {
        const r = decide(facts);
        expect(r.waitingDays).toBeGreaterThanOrEqual(0);
        const n = r.breakYears ?? 1;
        expect(r.waitingDays).toBeLessThanOrEqual(90 + 30 * Math.max(0, n - 1));
        if (r.breakYears !== null && r.breakYears >= 4 && facts.region !== '211200')
          expect(r.waitingDays).toBeGreaterThanOrEqual(180);
        if (r.countsFrom) expect(r.coverStarts > r.countsFrom).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a later payment never gives an earlier cover start (same person, same fee period)', () => {
    fc.assert(
      fc.property(residentFacts, fc.integer({ min: 1, max: 400 }), (facts, later) => {
        const paidLater = addDays(facts.paidAt, later);
        fc.pre(yearOf(paidLater) <= facts.feeYear);
        const a = decide(facts);
        const b = decide({ ...facts, paidAt: paidLater });
        expect(b.coverStarts >= a.coverStarts).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('W-7: each repaired year shortens the wait or leaves it (never lengthens it)', () => {
    fc.assert(
      fc.property(residentFacts, (facts) => {
        fc.pre(facts.repairYears > 0);
        const a = decide({ ...facts, repairYears: facts.repairYears - 1 });
        const b = decide(facts);
        expect(b.waitingDays).toBeLessThanOrEqual(a.waitingDays);
      }),
      { numRuns: 300 },
    );
  });

  it('employee months: a later payment never starts cover earlier', () => {
    const employeeFacts = fc.record({
      region: fc.constantFrom('220100', '220581', '211200'),
      mode: fc.constantFrom('unit', 'flexible'),
      paidAt: day('2026-03-01', '2028-12-31'),
      gap: fc.integer({ min: 0, max: 400 }),
      continuousYears: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(employeeFacts, fc.integer({ min: 1, max: 200 }), (e, later) => {
        const base = {
          region: e.region,
          scheme: 'employee',
          mode: e.mode,
          feeMonth: e.paidAt.slice(0, 7),
          previousCover: {
            scheme: 'employee',
            lastCoveredDay: addDays(e.paidAt, -e.gap),
            continuousYears: e.continuousYears,
          },
        };
        const paidLater = addDays(e.paidAt, later);
        const a = decide({ ...base, paidAt: e.paidAt });
        const b = decide({ ...base, paidAt: paidLater });
        expect(b.coverStarts >= a.coverStarts).toBe(true);
        expect(a.waitingDays).toBeGreaterThanOrEqual(0);
        expect(a.waitingDays).toBeLessThanOrEqual(90);
      }),
      { numRuns: 500 },
    );
  });
});
