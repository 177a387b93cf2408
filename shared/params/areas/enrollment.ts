/**
 * Parameters of the enrollment rules (E-1…E-9) and of duplicate enrollment (D-1…D-8).
 *
 * Most of these are readings rather than figures: where RULES.md says **Reading**, or where the texts
 * leave a choice open, the choice is a value here (with the reading in words) so that an agency can
 * change it without code.
 */
import * as z from 'zod';
import { defineParam, type ParamArea, paramValue } from '../types.js';
import { countValue, daysValue } from '../values.js';

const JL = '220000';
const TL = '211200';

// The shared positional constructor, short because the tables below are long.
const v = paramValue;

/** The kinds of place a person may enroll at (E-2, E-3). */
export const enrollmentPlace = z.enum(['hukou', 'residence', 'employment', 'study']);
export type EnrollmentPlace = z.infer<typeof enrollmentPlace>;

export const enrollment: ParamArea = {
  definitions: [
    defineParam(
      'enrollment.flexiblePlaces',
      '灵活就业人员参保地',
      'where a flexible worker may enroll in the employee scheme (E-2)',
      z.array(enrollmentPlace).min(1),
    ),
    defineParam(
      'enrollment.flexibleWithMaternity',
      '灵活就业人员同步参加生育保险',
      'flexible workers in the employee scheme are also in maternity insurance (E-2)',
      z.boolean(),
    ),
    defineParam(
      'enrollment.residentPlaces',
      '居民医保参保地',
      'where a person may enroll in the resident scheme (E-3)',
      z.array(enrollmentPlace).min(1),
    ),
    defineParam(
      'enrollment.transferStop',
      '省内转移“即参即停”的停保日',
      'in-province transfer: the day the old enrollment stops, relative to the new one’s start (E-8)',
      z.enum(['day-before-start', 'start-day']),
    ),
    defineParam(
      'enrollment.newEmployeeDays',
      '新招用职工参保登记期限（日）',
      'days after hiring within which a unit registers a new employee (E-5)',
      daysValue,
    ),
    defineParam(
      'enrollment.unitChangeDays',
      '单位参保登记变更期限（日）',
      'days after a change within which a unit reports a change of its own registration (E-5)',
      daysValue,
    ),
    defineParam(
      'enrollment.deadlineCounting',
      '“N日（含）内”的计算方法',
      'how “within N days (含)” of an event day D is counted (E-5): period-from-event-day (D is day 1, last day D + N − 1, RULES.md §0) or elapsed-days (R − D ≤ N, last day D + N)',
      z.enum(['elapsed-days', 'period-from-event-day']),
    ),
    defineParam(
      'duplicates.employeeYearsToKeep',
      '跨制度重复参保保留职工医保的连续参保年限',
      'continuous employee years from which a cross-scheme duplicate keeps the employee enrollment (D-4)',
      countValue,
    ),
    defineParam(
      'duplicates.residentKeep',
      '居民医保制度内重复参保的保留规则',
      'which resident enrollment a within-scheme duplicate keeps (D-3)',
      z.enum(['residence-then-latest-payment', 'latest-payment']),
    ),
    defineParam(
      'duplicates.fallbackKeep',
      '其他重复参保保留哪一个',
      'which enrollment is kept where D-2…D-5 do not decide (D-6)',
      z.enum(['latest-payment', 'employee-then-latest-payment']),
    ),
    defineParam(
      'duplicates.writtenRequest',
      '本人书面申请保留的参保关系按申请办理',
      'a written request to keep another enrollment is recorded and followed (D-7)',
      z.boolean(),
    ),
    defineParam(
      'duplicates.studentFirstYearExempt',
      '大中专学生入学当年参加居民医保不属于重复参保',
      'a student’s first-year resident cover at the place of study is not a duplicate (D-8)',
      z.boolean(),
    ),
  ],
  values: [
    // E-2: FLX25 §1 (from 2025-05-01), restated by JL26 Art.4 ¶2.
    v('enrollment.flexiblePlaces', 'FLX25', JL, '2025-05-01', ['hukou', 'residence', 'employment'], {
      doc: 'FLX25',
      article: '§1(一)',
      reading: '户籍地、常住地、就业地; “不得以户籍地、户籍性质等条件限制”: any one of the three, no hukou condition',
    }),
    v('enrollment.flexiblePlaces', 'JL26', JL, '2026-03-01', ['hukou', 'residence', 'employment'], {
      doc: 'JL26',
      article: 'Art.4 ¶2',
    }),
    v('enrollment.flexibleWithMaternity', 'FLX25', JL, '2025-05-01', true, { doc: 'FLX25', article: '§1(一)' }),
    // E-3: JL26 Art.4 ¶3.
    v('enrollment.residentPlaces', 'JL26', JL, '2026-03-01', ['hukou', 'residence', 'study'], {
      doc: 'JL26',
      article: 'Art.4 ¶3',
      reading:
        '“户籍地、常住地、学籍地等”: the three places named; the 出生地 of a newborn (Art.24) is for the waiting-period rules',
    }),
    // E-8: JL26 Art.11 “省内实现即参即停”.
    v('enrollment.transferStop', 'JL26', JL, '2026-03-01', 'day-before-start', {
      doc: 'JL26',
      article: 'Art.11',
      reading:
        '即参即停: the old enrollment stops on the day before the new one starts, so the two neither overlap (D-1) nor leave a gap',
    }),
    // E-5: JL26 Art.5.
    v('enrollment.newEmployeeDays', 'JL26', JL, '2026-03-01', 30, { doc: 'JL26', article: 'Art.5 ¶2' }),
    v('enrollment.unitChangeDays', 'JL26', JL, '2026-03-01', 30, { doc: 'JL26', article: 'Art.5 ¶1' }),
    v('enrollment.deadlineCounting', 'JL26', JL, '2026-03-01', 'period-from-event-day', {
      doc: 'JL26',
      article: 'Art.5',
      reading:
        '“自用工之日起30日（含）内” / “自变更之日起30日（含）内” is a period of 30 days counting from D, the day of hiring or of the change: RULES.md §0 “a period of N days that counts from day D covers D … D+N−1”, so the last day is D + 29 (hired 2026-03-10 → last day 2026-04-08; day 30 after D is late). The other counting, elapsed days R − D ≤ 30 with the last day D + 30 (as for a gap measured from a last covered day), stays available as elapsed-days',
    }),
    // D-4: JL21 §6 and TL22 §4(3): “一年以上（含一年）”.
    v('duplicates.employeeYearsToKeep', 'JL21', JL, '2020-09-21', 1, { doc: 'JL21', article: '§6' }),
    v('duplicates.employeeYearsToKeep', 'TL22', TL, '2022-04-01', 1, { doc: 'TL22', article: '§4(3)' }),
    // D-3: “保留常住地参保关系，以参保人最近一次参保缴费为主”.
    v('duplicates.residentKeep', 'JL21', JL, '2020-09-21', 'residence-then-latest-payment', {
      doc: 'JL21',
      article: '§6',
      reading:
        'keep the enrollment at the place of habitual residence; where none or several are there, the most recently paid one (TL22 §4(2), PRC22 §2.3)',
    }),
    v('duplicates.residentKeep', 'TL22', TL, '2022-04-01', 'residence-then-latest-payment', {
      doc: 'TL22',
      article: '§4(2)',
      reading: '“原则上保留常住地参保关系，以参保人最近一次参保缴费为主”: residence first, then the latest payment',
    }),
    // D-6: “保留一个参保关系同时，终止重复的参保关系” does not say which one.
    v(
      'duplicates.fallbackKeep',
      'JL21',
      JL,
      '2020-09-21',
      'latest-payment',
      {
        doc: 'JL21',
        article: '§6',
        reading: 'the text keeps “one” without saying which; the most recently paid one, as D-3',
      },
      '2022-05-25',
    ),
    v('duplicates.fallbackKeep', 'JL21', JL, '2022-05-26', 'employee-then-latest-payment', {
      doc: 'PRC22',
      article: '§2.3',
      reading:
        '“跨制度重复参保以职工医保优先”: across schemes the employee enrollment first even under one year of cover, then the most recently paid one',
    }),
    v('duplicates.fallbackKeep', 'TL22', TL, '2022-04-01', 'latest-payment', {
      doc: 'TL22',
      article: '§4(1)',
      reading: 'the text keeps “one” without saying which; the most recently paid one, as D-3',
    }),
    // D-7 and D-8 are written only in TL22; RULES.md applies them everywhere, the Jilin texts being silent.
    v('duplicates.writtenRequest', 'JL21', JL, '2020-09-21', true, {
      doc: 'TL22',
      article: '§4(5)',
      reading: 'the Jilin texts are silent; RULES.md D-7 applies the Tieling rule in Jilin too',
    }),
    v('duplicates.writtenRequest', 'TL22', TL, '2022-04-01', true, { doc: 'TL22', article: '§4(5)' }),
    v('duplicates.studentFirstYearExempt', 'JL21', JL, '2020-09-21', true, {
      doc: 'TL22',
      article: '§8',
      reading: 'the Jilin texts are silent; RULES.md D-8 applies the Tieling rule in Jilin too',
    }),
    v('duplicates.studentFirstYearExempt', 'TL22', TL, '2022-04-01', true, { doc: 'TL22', article: '§8' }),
  ],
};
