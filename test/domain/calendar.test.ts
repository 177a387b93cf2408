import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  cstDateOf,
  daysBetween,
  fromEpochDay,
  isValidDate,
  periodEnd,
  toEpochDay,
} from '#domain/calendar.js';

describe('calendar (RULES.md §0)', () => {
  it('epoch days round-trip and agree with Date.UTC over four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const d = fromEpochDay(n);
        expect(toEpochDay(d)).toBe(n);
        expect(d).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10));
      }),
    );
  });

  it('a gap from Dec 31 to Mar 31 is 90 days in a common year and 91 in a leap year', () => {
    expect(daysBetween('2026-12-31', '2027-03-31')).toBe(90);
    expect(daysBetween('2027-12-31', '2028-03-31')).toBe(91);
  });

  it('a 90-day period counting from 2027-01-01 covers up to Mar 31; benefits start Apr 1', () => {
    expect(periodEnd('2027-01-01', 90)).toEqual({ lastDay: '2027-03-31', nextDay: '2027-04-01' });
    expect(periodEnd('2027-05-11', 90).nextDay).toBe('2027-08-09');
  });

  it('month addition clamps to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('payment time-stamps become CST dates: 16:00 UTC is midnight in Changchun', () => {
    expect(cstDateOf('2026-12-31T15:59:59Z')).toBe('2026-12-31');
    expect(cstDateOf('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(cstDateOf('2027-01-01T00:30:00+08:00')).toBe('2027-01-01');
    expect(cstDateOf('2027-03-20')).toBe('2027-03-20');
  });

  it('rejects impossible dates', () => {
    expect(isValidDate('2027-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('2026-1-01')).toBe(false);
  });

  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -5000, max: 5000 }), (base, n) => {
        const d = fromEpochDay(base);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
    );
  });
});
