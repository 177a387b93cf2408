/**
 * Properties of the arrears, bankruptcy-deferral and refund decisions beyond their cases.json:
 * the 90-day boundary of A-4 for any first unpaid day (RULES.md §0), Tieling's 3 calendar months and
 * TL22 §7(3) pricing, the late-fee arithmetic of A-3 against an independent computation, the arrears timer's contract, and the input schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, addMonths, daysBetween, fromEpochDay, lastOfMonth, toEpochDay } from '#domain/calendar.js';
import type { ArrearsOutcome } from '#rules/arrears/decision.js';
import type { RefundOutcome } from '#rules/refunds/decision.js';
import { decide, findDecision } from '#rules/registry.js';

const OWN = ['arrears', 'bankruptcy-deferral', 'refund'];
const arrears = (facts: unknown, asOf: string) => decide('arrears', facts, asOf).value as ArrearsOutcome;

// First unpaid days from 2026-10-01 (JL26 in force, the in-month due date of the illustrative data) on.
const firstUnpaid = fc
  .integer({ min: toEpochDay('2026-10-01'), max: toEpochDay('2030-12-01') })
  .map((d) => `${fromEpochDay(d).slice(0, 7)}-01`);

describe('arrears: the 90-day window (A-4…A-6, RULES.md §0)', () => {
  it('paid on E + 90 is retroactive; on E + 91 it is not (unit: A-5, flexible: A-6)', () => {
    fc.assert(
      fc.property(firstUnpaid, fc.constantFrom('unit', 'flexible'), (first, mode) => {
        const e = addDays(first, -1);
        const facts = (paidAt: string) => ({
          region: '220100',
          mode,
          months: [{ feeMonth: first.slice(0, 7), principalFen: 54000 }],
          firstUnpaidDay: first,
          paidAt,
        });
        const last = addDays(e, 90);
        const on = arrears(facts(last), last);
        expect(on.windowLastDay).toBe(last);
        expect(on.gapDays).toBe(90);
        expect(on.decidedBy).toBe('A-4');
        expect(on.restoredOn).toBe(addDays(last, 1));
        const late = addDays(e, 91);
        const after = arrears(facts(late), late);
        expect(after.decidedBy).toBe(mode === 'unit' ? 'A-5' : 'A-6');
        expect(after.arrearsPeriodCovered).toBe(false);
        // W-6 after the window: 90 days counting from the day after payment.
        expect(after.coverStarts).toBe(addDays(late, 91));
      }),
      { numRuns: 60 },
    );
  });

  it('the timer learns the same deadline before and after the payment', () => {
    const facts = {
      region: '220200',
      mode: 'unit',
      months: [{ feeMonth: '2026-11', principalFen: 42500 }],
      firstUnpaidDay: '2026-11-01',
    };
    const before = arrears(facts, '2026-12-01');
    const paid = arrears({ ...facts, paidAt: '2027-01-15' }, '2027-01-15');
    expect(before.paid).toBe(false);
    expect(paid.paid).toBe(true);
    expect(before.windowLastDay).toBe(paid.windowLastDay);
    expect(before.windowLastDay).toBe('2027-01-29');
  });
});

describe('arrears, Tieling: 3 calendar months from the first unpaid day, priced by TL22 §7(3)', () => {
  it('first unpaid day the 1st of month M: the window ends on the last day of M + 2; each month costs 5 % / 7 % of the average wage, no late fee', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2023 * 12 + 7, max: 2030 * 12 + 11 }),
        fc.constantFrom('unit', 'flexible'),
        fc.constantFrom('combined', 'pooling-only'),
        fc.integer({ min: 1, max: 3 }),
        (ym, mode, insuredMode, n) => {
          const first = `${Math.floor(ym / 12)}-${String((ym % 12) + 1).padStart(2, '0')}-01`;
          const months = Array.from({ length: n }, (_, i) => ({ feeMonth: addMonths(first, i).slice(0, 7) }));
          const last = lastOfMonth(addMonths(first, 2).slice(0, 7));
          const facts = (paidAt: string) => ({
            region: '211200',
            mode,
            insuredMode,
            months,
            firstUnpaidDay: first,
            paidAt,
          });
          const on = arrears(facts(last), last);
          expect(on.windowLastDay).toBe(last);
          expect(on.decidedBy).toBe('A-4');
          // Illustrative TL-AGENCY wage from 2023-07-01: 6300.00 yuan.
          const monthly = insuredMode === 'combined' ? 44100 : 31500;
          expect(on.months.map((m) => m.principalFen)).toEqual(months.map(() => monthly));
          expect(on.lateFeeFen).toBe(0);
          expect(on.amountDueFen).toBe(n * monthly);
          expect(on.accountCredited).toBe(false);
          const late = addDays(last, 1);
          const after = arrears(facts(late), late);
          expect(after.decidedBy).toBe('A-5');
          expect(after.coverStarts).toBe(addDays(late, 30));
          expect(after.amountDueFen).toBe(n * monthly);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('arrears: late fee (A-3 Reading)', () => {
  it('each month is principal × 0.05 % × (P − due date), rounded half up once, and the total is the sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 200 }),
        (principals, extraDays) => {
          const months = principals.map((p, i) => ({ feeMonth: `2027-0${i + 1}`, principalFen: p }));
          const paidAt = addDays('2027-07-01', extraDays);
          const r = arrears({ region: '220100', mode: 'unit', months, firstUnpaidDay: '2027-01-01', paidAt }, paidAt);
          let total = 0;
          r.months.forEach((line, i) => {
            const days = Math.max(0, daysBetween(line.dueDate, paidAt));
            // Independent: half up of p × days × 5 / 10000 in integers.
            const expected = Number((2n * BigInt(principals[i]!) * BigInt(days) * 5n + 10000n) / 20000n);
            expect(line.lateFeeDays).toBe(days);
            expect(line.lateFeeFen).toBe(expected);
            total += expected;
          });
          expect(r.lateFeeFen).toBe(total);
          expect(r.amountDueFen).toBe(total + principals.reduce((s, p) => s + p, 0));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a half fen rounds up (54 fen × 0.05 % × 50 days = 1.35 → 1; 30 fen × 0.05 % × 100 = 1.5 → 2)', () => {
    const one = (principalFen: number, paidAt: string) =>
      arrears(
        {
          region: '220100',
          mode: 'unit',
          months: [{ feeMonth: '2026-10', principalFen }],
          firstUnpaidDay: '2026-10-01',
          paidAt,
        },
        paidAt,
      ).lateFeeFen;
    expect(one(54, addDays('2026-10-31', 50))).toBe(1);
    expect(one(30, addDays('2026-10-31', 100))).toBe(2);
  });
});

describe('refund: amounts', () => {
  it('the refund is the sum of the refundable periods', () => {
    const r = decide(
      'refund',
      {
        region: '220100',
        scheme: 'employee',
        mode: 'flexible',
        reason: 'death',
        eventOn: '2026-08-20',
        payments: ['2026-08', '2026-09', '2026-10', '2026-11'].map((m, i) => ({ feeMonth: m, amountFen: 56026 + i })),
      },
      '2026-09-01',
    ).value as RefundOutcome;
    expect(r.periods.filter((p) => p.refundable).map((p) => p.period)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(r.refundFen).toBe(56027 + 56028 + 56029);
  });
});

describe('arrears bundle: schemas and coverage', () => {
  it.each(OWN)('%s exports its input as JSON Schema (no transforms) and runs its example', (id) => {
    const spec = findDecision(id)!;
    expect(() => z.toJSONSchema(spec.input, { io: 'input' })).not.toThrow();
    expect(() => decide(id, spec.example.facts, spec.example.asOf)).not.toThrow();
  });

  it('every rule id of A, B and F is applied in some case of the bundle', () => {
    const applied = new Set<string>();
    for (const dir of ['arrears', 'bankruptcy', 'refunds']) {
      const file = JSON.parse(
        readFileSync(join(import.meta.dirname, `../../shared/rules/${dir}/cases.json`), 'utf8'),
      ) as {
        decision: string;
        cases: Array<{ rules: string[]; asOf: string; facts: unknown; expectError?: string }>;
      };
      for (const c of file.cases) {
        if (c.expectError) continue;
        const r = decide(file.decision, c.facts, c.asOf);
        for (const s of r.trace.rules) if (s.outcome === 'applied') applied.add(s.id);
      }
    }
    const wanted = [
      'A-1',
      'A-2',
      'A-3',
      'A-4',
      'A-5',
      'A-6',
      'A-7',
      'A-8',
      'B-1',
      'B-2',
      'B-3',
      'B-4',
      'F-1',
      'F-2',
      'F-3',
    ];
    expect(wanted.filter((id) => !applied.has(id))).toEqual([]);
  });
});
