/**
 * Dates and money for the demo: our own arithmetic, so that the expected end states never come from the
 * system's helpers. §0 day arithmetic of RULES.md: a period of N days counting from D covers D … D+N−1 and what
 * it holds back starts on D+N; a gap is P − E.
 */

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

const DAY_MS = 86_400_000;
const utcOf = (d: Day) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
/** `d` plus `n` calendar days. */
export const addDays = (d: Day, n: number): Day => new Date(utcOf(d) + n * DAY_MS).toISOString().slice(0, 10);
/** 9:00 CST of a day, as an instant: the story's working hour. */
export const morningOf = (d: Day) => Date.parse(`${d}T09:00:00+08:00`);
export const nextMonth = (m: string) => {
  const [y, mo] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
/** A product of an amount and a rate, rounded half up to the fen (README, Money). */
export const times = (fen: number, percent: number) => Math.floor((fen * percent) / 100 + 0.5);
export const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '—' : `${(fen / 100).toFixed(2)} yuan`;

/**
 * A flexible worker's month in 2027 (C-4, C-5): the base is 83 % of the 7,500.00 average wage, 6,225.00;
 * each line rounded once: medical 6.5 % 404.63 + maternity 0.5 % 31.13 + employee 2 % 124.50 = 560.26.
 */
export const FLEXIBLE_MONTH = times(622_500, 6.5) + times(622_500, 0.5) + times(622_500, 2);
