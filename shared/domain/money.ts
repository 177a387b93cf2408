/**
 * Money is integer fen (1 yuan = 100 fen). Rates and shares are exact rationals.
 *
 * The one rounding rule of the system (docs/decisions.md, "Money"): a product of an amount
 * and a rate is computed exactly and rounded **half up to the fen once per line item**
 * (one insurance component of one fee month, one late-fee line, one subsidy). Totals are
 * sums of rounded line items, so every printed total equals the sum of its printed lines.
 */

export type Fen = number;

/** An exact non-negative rational, e.g. 6 % = {num: 6, den: 100}; 2/3 = {num: 2, den: 3}. */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export function ratio(num: number, den: number): Ratio {
  if (!Number.isInteger(num) || !Number.isInteger(den) || den <= 0 || num < 0) {
    throw new RangeError(`bad ratio ${num}/${den}`);
  }
  return { num, den };
}

/** Parses a percentage written as a decimal string: `pct("0.05")` = 0.05 % = 5/10000. */
export function pct(text: string): Ratio {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`bad percentage: ${text}`);
  const frac = m[2] ?? '';
  return ratio(Number(`${m[1]}${frac}`), 100 * 10 ** frac.length);
}

export function addRatios(a: Ratio, b: Ratio): Ratio {
  return simplify(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function mulRatios(a: Ratio, b: Ratio): Ratio {
  return simplify(a.num * b.num, a.den * b.den);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function simplify(num: number, den: number): Ratio {
  const g = gcd(num, den) || 1;
  return { num: num / g, den: den / g };
}

/** `round_half_up(amount × num / den)`, exact in BigInt so no float ever touches money. */
export function mulDivRound(amount: Fen, num: number, den: number): Fen {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`bad amount ${amount}`);
  const n = BigInt(amount) * BigInt(num);
  const d = BigInt(den);
  return Number((2n * n + d) / (2n * d));
}

export function applyRatio(amount: Fen, r: Ratio): Fen {
  return mulDivRound(amount, r.num, r.den);
}

export function yuanToFen(yuan: string | number): Fen {
  const text = typeof yuan === 'number' ? yuan.toFixed(2) : yuan;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new RangeError(`bad yuan amount: ${yuan}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** `123456` → `"1234.56"` (yuan, two decimals), for reasons and reports. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function formatRatio(r: Ratio): string {
  // Prints a percentage when it is exact in at most 4 decimals, else the fraction.
  for (let places = 0; places <= 4; places++) {
    const scaled = (r.num * 100 * 10 ** places) / r.den;
    if (Number.isInteger(scaled)) return `${(scaled / 10 ** places).toFixed(places)}%`;
  }
  return `${r.num}/${r.den}`;
}
