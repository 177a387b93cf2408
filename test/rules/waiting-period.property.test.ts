/**
 * Invariants of the waiting-period decision (W-1…W-9) over generated facts, in every pack:
 * a later payment never gives an earlier cover start; waiting days are never negative and never
 * above the rules' maximum (W-6 fixed + W-7 variable); repairing never lengthens the wait. Also the
 * boundaries of W-2 (90 days counting from the conversion day) and of the TL22 3 calendar months,
 * and `waiting.fixedCountsFrom` moving the waiting and arrears decisions together.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysInMonth, fromEpochDay, lastOfMonth, toEpochDay, yearOf } from '#domain/calendar.js';
import { AREAS, parameters } from '#params/index.js';
import { AGENCY_DATASETS, PACKS } from '#params/packs.js';
import { ParameterStore } from '#params/store.js';
import { type ArrearsOutcome, arrears } from '#rules/arrears/decision.js';
import { evaluate } from '#rules/engine.js';
import { monthsGapLastDay } from '#rules/waiting-period/counting.js';
import { type WaitingPeriod, waitingPeriod } from '#rules/waiting-period/decision.js';

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

describe('W-2: “自身份转换之日起90日（含）内” (JL26 Art.25, RULES.md §0)', () => {
  it('paid on conversion + 89 is W-2; on conversion + 90 it is not', () => {
    fc.assert(
      fc.property(day('2026-03-01', '2029-06-30'), (conversion) => {
        const facts = (paidAt: string) => ({
          region: '220100',
          scheme: 'employee',
          mode: 'flexible',
          paidAt,
          feeMonth: paidAt.slice(0, 7),
          group: 'identity-conversion',
          conversionDate: conversion,
        });
        const last = addDays(conversion, 89);
        expect(decide(facts(last)).decidedBy).toBe('W-2');
        const after = decide(facts(addDays(last, 1)));
        expect(after.decidedBy).toBe('W-6');
        expect(after.waitingDays).toBe(90);
      }),
      { numRuns: 200 },
    );
  });
});

describe('TL22 “中断缴费不超过3个月”: 3 calendar months from the first uncovered day', () => {
  const tieling = (lastCoveredDay: string, paidAt: string) =>
    decide({
      region: '211200',
      scheme: 'employee',
      mode: 'unit',
      paidAt,
      feeMonth: paidAt.slice(0, 7),
      previousCover: { scheme: 'employee', lastCoveredDay, continuousYears: 4 },
    });

  it('a month-end E gives the whole third month after it (Feb 28 → May 31); the next day waits 30 days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2023 * 12, max: 2029 * 12 + 11 }), (ym) => {
        const y = Math.floor(ym / 12);
        const m = (ym % 12) + 1;
        const e = `${y}-${String(m).padStart(2, '0')}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
        const last = lastOfMonth(addMonths(addDays(e, 1), 2).slice(0, 7));
        expect(monthsGapLastDay(e, 3)).toBe(last);
        const on = tieling(e, last);
        expect(on.decidedBy).toBe('W-5b');
        expect(on.coverStarts).toBe(addDays(e, 1));
        const after = tieling(e, addDays(last, 1));
        expect(after.decidedBy).toBe('W-6');
        expect(after.waitingDays).toBe(30);
        expect(after.countsFrom).toBe(addDays(last, 1));
      }),
      { numRuns: 120 },
    );
  });

  it('any E: the last day is never before E + 3 months (clamped), nor more than one month-end later, and rises with E', () => {
    fc.assert(
      fc.property(day('2022-04-01', '2030-12-31'), (e) => {
        const last = monthsGapLastDay(e, 3);
        expect(last >= addMonths(e, 3)).toBe(true);
        expect(last <= lastOfMonth(addMonths(addDays(e, 1), 3).slice(0, 7))).toBe(true);
        expect(monthsGapLastDay(addDays(e, 1), 3) >= last).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('waiting.fixedCountsFrom is read by the waiting and the arrears decisions alike', () => {
  const withCounting = (value: 'payment-day' | 'day-after-payment') =>
    new ParameterStore(
      PACKS,
      AGENCY_DATASETS,
      AREAS.flatMap((a) => a.definitions),
      AREAS.flatMap((a) => a.values).map((v) =>
        v.name === 'waiting.fixedCountsFrom' && v.set === 'JL26' ? { ...v, value } : v,
      ),
    );

  it.each(['payment-day', 'day-after-payment'] as const)('JL26 set to %s', (value) => {
    const s = withCounting(value);
    const paid = '2026-12-04';
    const from = value === 'payment-day' ? paid : addDays(paid, 1);
    const w = evaluate(
      waitingPeriod,
      waitingPeriod.input.parse({
        region: '220100',
        scheme: 'employee',
        mode: 'unit',
        paidAt: paid,
        feeMonth: '2026-12',
      }),
      paid,
      s,
    ).value as WaitingPeriod;
    expect(w.countsFrom).toBe(from);
    expect(w.coverStarts).toBe(addDays(from, 90));
    const a = evaluate(
      arrears,
      arrears.input.parse({
        region: '220100',
        mode: 'unit',
        months: [{ feeMonth: '2026-08', principalFen: 54000 }],
        firstUnpaidDay: '2026-08-01',
        paidAt: paid,
      }),
      paid,
      s,
    ).value as ArrearsOutcome;
    expect(a.decidedBy).toBe('A-5');
    expect(a.coverStarts).toBe(w.coverStarts);
  });
});
