/**
 * Registration deadlines of a unit (E-5, JL26 Art.5): a new employee is registered within 30 days
 * (含) of hiring; a change of the unit's own registration is reported within 30 days (含) of the
 * change. A missed deadline is a finding for the agency (JL26 Art.32 leaves the handling to the
 * agencies), never a refusal: the registration itself is accepted.
 *
 * How “within N days (含)” is counted is the parameter `enrollment.deadlineCounting`: by default
 * (JL26) a period of N days counting from D, the day of hiring or of the change, which covers
 * D … D + N − 1 (RULES.md §0), so the last day is D + N − 1 (hired 2026-03-10 → 2026-04-08); the
 * other setting, `elapsed-days`, takes `R − D ≤ N` with the last day D + N.
 */
import * as z from 'zod';
import { addDays, type CalendarDate, daysBetween, periodEnd } from '#domain/calendar.js';
import { baseFacts, businessDate } from '#schemas/common.js';
import { defineDecision } from '../engine.js';

export const registrationDeadlineFacts = baseFacts
  .extend({
    kind: z
      .enum(['new-employee', 'unit-change'])
      .describe('new-employee: a unit registers a hire; unit-change: a unit reports a change of its own registration'),
    eventDate: businessDate.describe('D: the day of hiring (用工之日) or of the change (变更之日)'),
    registeredOn: businessDate
      .optional()
      .describe('R: the day the registration or change was filed; absent while not yet filed'),
  })
  .superRefine((f, ctx) => {
    if (f.registeredOn && f.kind === 'unit-change' && f.registeredOn < f.eventDate)
      ctx.addIssue({ code: 'custom', path: ['registeredOn'], message: 'is before the change it reports' });
  });

export type RegistrationDeadlineFacts = z.output<typeof registrationDeadlineFacts>;

export interface RegistrationDeadline {
  /** The last day on which filing is on time. */
  readonly lastDay: CalendarDate;
  /** on-time / late for a filing; pending (still in time) / overdue when nothing is filed by as-of. */
  readonly status: 'on-time' | 'late' | 'pending' | 'overdue';
  /** Days from D to R (or to as-of while not filed). */
  readonly daysTaken: number;
  readonly daysLate: number;
  /** A missed deadline: a finding for the agency; the registration is never refused for it. */
  readonly finding: {
    readonly code: 'late-registration' | 'late-change-report';
    readonly zh: string;
    readonly en: string;
  } | null;
  readonly refused: false;
}

const WHAT = {
  'new-employee': {
    zh: '新招用职工参保登记',
    en: 'registration of a new employee',
    param: 'enrollment.newEmployeeDays',
  },
  'unit-change': {
    zh: '单位参保登记信息变更',
    en: 'report of a change to the unit’s registration',
    param: 'enrollment.unitChangeDays',
  },
} as const;

export const registrationDeadline = defineDecision({
  id: 'registration-deadline',
  title: { zh: '参保登记期限', en: 'Registration deadline of a unit' },
  rules: ['E-5', 'P-1'],
  input: registrationDeadlineFacts,
  // The deadline in force on the day it starts to run.
  businessDate: (f) => f.eventDate,
  evaluate(f, ctx): RegistrationDeadline {
    const what = WHAT[f.kind];
    const days = ctx.param<number>(what.param);
    const counting = ctx.param<'elapsed-days' | 'period-from-event-day'>('enrollment.deadlineCounting');
    // elapsed-days: R − D ≤ N, last day D + N; period-from-event-day: D counts as day 1, last day D + N − 1.
    const lastDay = counting === 'elapsed-days' ? addDays(f.eventDate, days) : periodEnd(f.eventDate, days).lastDay;
    const until = f.registeredOn ?? ctx.asOf;
    const daysTaken = daysBetween(f.eventDate, until);
    const daysLate = Math.max(0, daysBetween(lastDay, until));
    const filed = f.registeredOn !== undefined;
    const status: RegistrationDeadline['status'] =
      daysLate === 0 ? (filed ? 'on-time' : 'pending') : filed ? 'late' : 'overdue';
    const code = f.kind === 'new-employee' ? 'late-registration' : 'late-change-report';

    ctx.apply('E-5', `${f.kind}: D = ${f.eventDate}, ${days} days (含), last day ${lastDay}; ${status}`);
    const verb = filed
      ? { zh: `于${f.registeredOn}办理`, en: `filed on ${f.registeredOn}` }
      : { zh: `截至${ctx.asOf}尚未办理`, en: `not filed by ${ctx.asOf}` };
    let finding: RegistrationDeadline['finding'] = null;
    if (daysLate > 0) {
      finding = {
        code,
        zh: `${what.zh}逾期${daysLate}日（期限${lastDay}）`,
        en: `${what.en} ${daysLate} day(s) late (last day ${lastDay})`,
      };
      ctx.because(
        `${what.zh}应自${f.eventDate}起${days}日（含）内即${lastDay}前办理，${verb.zh}，逾期${daysLate}日；作为经办稽核发现记录，不影响登记受理`,
        `${what.en} was due within ${days} days (含) of ${f.eventDate}, by ${lastDay}; ${verb.en}, ${daysLate} day(s) late: a finding for the agency, the registration is not refused`,
      );
    } else {
      ctx.because(
        `${what.zh}应自${f.eventDate}起${days}日（含）内即${lastDay}前办理，${verb.zh}，未逾期`,
        `${what.en} is due within ${days} days (含) of ${f.eventDate}, by ${lastDay}; ${verb.en}, within the deadline`,
      );
    }
    return { lastDay, status, daysTaken, daysLate, finding, refused: false };
  },
  example: {
    asOf: '2026-04-15',
    facts: { region: '220100', kind: 'new-employee', eventDate: '2026-03-10', registeredOn: '2026-04-10' },
  },
});
