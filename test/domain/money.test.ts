import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRatios,
  applyRatio,
  formatRatio,
  formatYuan,
  mulDivRound,
  mulRatios,
  pct,
  ratio,
  yuanToFen,
} from '#domain/money.js';

describe('money: integer fen, half up once per line item', () => {
  it('parses percentages exactly', () => {
    expect(pct('6')).toEqual({ num: 6, den: 100 });
    expect(pct('0.05')).toEqual({ num: 5, den: 10000 });
    expect(formatRatio(addRatios(pct('6.5'), pct('0.5')))).toBe('7%');
    expect(formatRatio(mulRatios(pct('80'), pct('6')))).toBe('4.8%');
    expect(formatRatio(ratio(2, 3))).toBe('2/3');
  });

  it('rounds half up to the fen: 597600 × 0.5 % = 2988.00; 123457 × 0.5 % = 617.285 → 617.29', () => {
    expect(applyRatio(597_600, pct('0.5'))).toBe(2988);
    expect(applyRatio(123_457, pct('0.5'))).toBe(617);
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(mulDivRound(4, 1, 8)).toBe(1);
    expect(mulDivRound(3, 1, 8)).toBe(0);
  });

  it('yuan text ↔ fen', () => {
    expect(yuanToFen('320')).toBe(32000);
    expect(yuanToFen('320.5')).toBe(32050);
    expect(yuanToFen('0.07')).toBe(7);
    expect(formatYuan(32050)).toBe('320.50');
    expect(formatYuan(7)).toBe('0.07');
    expect(() => yuanToFen('1.234')).toThrow();
  });

  it('is exact where floating point is not, and monotone in the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 0, max: 100_000 }), (a, num) => {
        const r = mulDivRound(a, num, 100_000);
        const exact = (BigInt(a) * BigInt(num) * 2n + 100_000n) / 200_000n;
        expect(BigInt(r)).toBe(exact);
        expect(mulDivRound(a + 1, num, 100_000)).toBeGreaterThanOrEqual(r);
      }),
    );
  });
});
