/**
 * Calendar dates in China Standard Time, and the day arithmetic of RULES.md §0.
 *
 * A date is an ISO string `YYYY-MM-DD` with no time and no zone: rules speak of calendar days,
 * never of instants. A payment time-stamp is turned into its CST date once, at the edge
 * (`cstDateOf`), before any rule sees it.
 *
 * Arithmetic works on "epoch days" (days since 1970-01-01) computed with Howard Hinnant's
 * civil-from-days algorithm: exact for every Gregorian date, no Date objects, no time zones.
 */

export type CalendarDate = string;
export type YearMonth = string; // `YYYY-MM`

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isValidYearMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

function parts(date: CalendarDate): [number, number, number] {
  // Hot path (waiting-period decision at >100k/s): slice instead of a regex.
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

export function toEpochDay(date: CalendarDate): number {
  const [y0, m, d] = parts(date);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');

export function fromEpochDay(days: number): CalendarDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

export function date(y: number, m: number, d: number): CalendarDate {
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(d: CalendarDate, n: number): CalendarDate {
  return fromEpochDay(toEpochDay(d) + n);
}

/** `b − a` in days (RULES.md §0: a gap from last covered day E to payment day P is `P − E`). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/**
 * RULES.md §0: a period of N days that counts from day D covers D … D+N−1, and what it
 * holds back starts on D+N.
 */
export function periodEnd(countsFrom: CalendarDate, days: number): { lastDay: CalendarDate; nextDay: CalendarDate } {
  const start = toEpochDay(countsFrom);
  return { lastDay: fromEpochDay(start + days - 1), nextDay: fromEpochDay(start + days) };
}

/** Calendar-month addition; the day is clamped to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: CalendarDate, n: number): CalendarDate {
  const [y, m, day] = parts(d);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return date(ny, nm, Math.min(day, daysInMonth(ny, nm)));
}

export const yearOf = (d: CalendarDate): number => Number(d.slice(0, 4));
export const monthOf = (d: CalendarDate): YearMonth => d.slice(0, 7);
export const firstOfYear = (y: number): CalendarDate => date(y, 1, 1);
export const lastOfYear = (y: number): CalendarDate => date(y, 12, 31);
export const firstOfMonth = (ym: YearMonth): CalendarDate => `${ym}-01`;

export function lastOfMonth(ym: YearMonth): CalendarDate {
  const y = Number(ym.slice(0, 4));
  const m = Number(ym.slice(5, 7));
  return date(y, m, daysInMonth(y, m));
}

export function addYearMonths(ym: YearMonth, n: number): YearMonth {
  return monthOf(addMonths(firstOfMonth(ym), n));
}

/** Number of months from `a` to `b` (`2026-01` → `2026-03` is 2). */
export function monthsBetween(a: YearMonth, b: YearMonth): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

export const minDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a <= b ? a : b);
export const maxDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b);

const CST_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The CST (UTC+8) calendar date of an instant. Accepts an ISO time-stamp with a zone
 * (`2026-11-15T23:30:00Z` is 2026-11-16 in CST) or a bare date, which is already a CST date.
 */
export function cstDateOf(timestampOrDate: string): CalendarDate {
  if (timestampOrDate.length === 10 && DATE_RE.test(timestampOrDate)) return timestampOrDate;
  const ms = Date.parse(timestampOrDate);
  if (Number.isNaN(ms)) throw new RangeError(`not a time-stamp: ${timestampOrDate}`);
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today's date in CST. */
export function todayCst(now: number = Date.now()): CalendarDate {
  return new Date(now + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Inclusive date range membership (`to` undefined = open-ended). */
export function inRange(d: CalendarDate, from: CalendarDate, to?: CalendarDate): boolean {
  return d >= from && (to === undefined || d <= to);
}
