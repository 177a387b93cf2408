/**
 * Where and when the story happens, and who is in it: Changchun (220100), 2027-09-01 to 2028-08-31; the
 * people with valid ID numbers, the two units, the bases the units declare and the residents' assistance.
 */
import type { Day } from './arithmetic.js';

export const DEMO_REGION = '220100';
export const DEMO_START_DAY: Day = '2027-09-01';
/** The clock is moved here before the first scene (a fresh system's clock is earlier). */
export const DEMO_START = `${DEMO_START_DAY}T09:00:00+08:00`;
export const DEMO_END_DAY: Day = '2028-08-31';

/** A valid GB 11643 ID number: division code, birth date, sequence (odd: male), check character. */
function idNumber(division: string, birth: Day, seq: number): string {
  const body = `${division}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return `${body}${'10X98765432'[sum % 11]}`;
}

export interface Person {
  readonly name: string;
  readonly number: string;
  readonly key: string;
  readonly birth: Day;
}

function person(name: string, division: string, birth: Day, seq: number): Person {
  const number = idNumber(division, birth, seq);
  return { name, number, key: `CN:${number}`, birth };
}

export const PEOPLE = {
  // 长春北方机电有限公司 (U1): pays every month.
  wang: person('王建国', '220102', '1982-03-14', 11), // employee since January
  zhao: person('赵磊', '220104', '1998-07-02', 21), // hired 2027-09-01 (case 1, E-1)
  // 长春红星机械厂 (U2): files for bankruptcy in September (case 6).
  li: person('李卫东', '220105', '1975-11-20', 31),
  chen: person('陈秀英', '220105', '1979-04-08', 42),
  // Flexible workers (灵活就业).
  feng: person('冯晓燕', '220104', '1995-02-14', 82), // enrolls 2027-09-01 (case 1, E-2)
  liu: person('刘洋', '220106', '1990-05-17', 51), // October short, the rest on day 60 (case 3a)
  he: person('何志强', '220102', '1988-08-08', 71), // October short, never the rest (case 3b)
  sun: person('孙丽', '220103', '1992-12-01', 62), // flexible, then hired by U1 (case 7)
  zhou: person('周德明', '220102', '1966-06-10', 91), // past retirement age, two years short (case 5)
  // Residents (城乡居民).
  wu: person('吴小梅', '220103', '1985-06-06', 182), // enrolls 2027-09-01 (case 1, E-3)
  zhang: person('张桂兰', '220102', '1958-10-03', 102),
  lisy: person('李思雨', '220103', '2011-04-21', 122), // a pupil
  zhaoch: person('赵春花', '220105', '1965-01-30', 142), // 低保 minimum-living assistance
  qian: person('钱福贵', '220106', '1950-07-07', 151), // 特困 extreme-poverty assistance
  zhouym: person('周玉梅', '220104', '1970-09-09', 162), // does not renew
  baby: person('王小宝', '220102', '2027-09-12', 191), // born 2027-09-12 (case 4)
} as const;
export type Who = keyof typeof PEOPLE;

export const UNITS = {
  u1: { id: '91220101MA17A0001X', name: '长春北方机电有限公司' },
  u2: { id: '91220105MA17B0002Y', name: '长春红星机械厂' },
} as const;
export type Unit = keyof typeof UNITS;

/** Monthly contribution bases (fen) the units declare (C-1): the prior-year wage, or a new hire's first wage. */
export const BASE: Partial<Record<Who, number>> = {
  wang: 600_000,
  zhao: 550_000,
  sun: 500_000,
  li: 500_000,
  chen: 500_000,
};

export const ASSISTANCE: Partial<Record<Who, { category: string; recognisedOn: Day }>> = {
  zhaoch: { category: 'minimum-living', recognisedOn: '2025-06-01' },
  qian: { category: 'extreme-poverty', recognisedOn: '2024-03-01' },
};

/** What the staff API is sent for each kind of enrollment (the scheme, mode, work and places). */
export const ENROLL_AS = {
  employee: { scheme: 'employee', mode: 'unit', work: 'unit-employee', places: { employment: DEMO_REGION } },
  flexible: { scheme: 'employee', mode: 'flexible', flexibleMode: 'combined', places: { residence: DEMO_REGION } },
  resident: { scheme: 'resident', work: 'not-working', places: { hukou: DEMO_REGION } },
} as const;

/** A unit as an enrollment's employer. */
export const employer = (unit: Unit) => ({ unitId: UNITS[unit].id, kind: 'enterprise', registeredIn: DEMO_REGION });
