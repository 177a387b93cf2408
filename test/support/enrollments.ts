/**
 * The enrollments the store, task and workflow tests start from, with their status history: a unit employee,
 * a flexible worker, a resident, and the status changes a history is made of (enrolled, suspended for arrears,
 * restored, terminated), each with the rule that made it.
 *
 *   employeeEnrollment(k, 'E1', { region: '220200', unitId })           // a unit employee since 2020
 *   flexibleEnrollment(k, 'E1')                                          // the same, paying as a flexible worker
 *   employeeEnrollment(k, 'E-U1', { statusHistory: [enrolledByUnit('2020-01-01'), suspendedForArrears(…)] })
 *   asStored(residentEnrollment(k, 'R-2027'))                            // as the store reads it back
 */
import { decide } from '#rules/registry.js';
import type { DecisionResult } from '#rules/engine.js';
import type { WaitingPeriod } from '#rules/waiting-period/decision.js';
import { coverPeriodFromWaitingPeriod } from '#store/cover.js';
import type { Enrollment, EnrollmentInput, StatusChange } from '#store/model.js';

// ── Status history ───────────────────────────────────────────────────────────

/** E-1: enrolled in the employee scheme by the unit. */
export const enrolledByUnit = (from: string): StatusChange => ({
  status: 'normal',
  from,
  rules: [{ id: 'E-1', cites: 'JL26 Art.4' }],
  reason: { zh: '单位参保', en: 'enrolled by the unit' },
});

/** E-3: enrolled in the resident scheme. */
export const enrolledAsResident = (from: string): StatusChange => ({
  status: 'normal',
  from,
  rules: [{ id: 'E-3', cites: 'JL26 Art.4' }],
  reason: { zh: '参加居民医保', en: 'enrolled in the resident scheme' },
});

/** `feeMonth` unpaid, benefits suspended from the first unpaid day (`from`). */
export const suspendedForArrears = (from: string, feeMonth: string): StatusChange => ({
  status: 'suspended',
  from,
  rules: [{ id: 'A-1', cites: 'JL26 Art.18' }],
  reason: {
    zh: `${feeMonth}月费用未按期缴纳，自首个欠费日起暂停待遇`,
    en: `fee month ${feeMonth} unpaid: suspended from the first unpaid day`,
  },
});

/** the arrears paid, benefits restored from the next day (`from`). */
export const restoredAfterArrears = (from: string): StatusChange => ({
  status: 'normal',
  from,
  rules: [{ id: 'A-2', cites: 'JL26 Art.18' }],
  reason: { zh: '补缴欠费，次日恢复待遇', en: 'arrears paid: restored the next day' },
});

/** E-8: the enrollment ends (moved away, stopped), for the reason given. */
export const terminated = (from: string, reason: StatusChange['reason']): StatusChange => ({
  status: 'terminated',
  from,
  rules: [{ id: 'E-8', cites: 'JL26 Art.11' }],
  reason,
});

// ── Enrollments ──────────────────────────────────────────────────────────────

/** A unit employee of Changchun since 2020, every month paid on time (W-4). */
export function employeeEnrollment(
  identityKey: string,
  enrollmentId: string,
  overrides: Partial<EnrollmentInput> = {},
): EnrollmentInput {
  return {
    enrollmentId,
    identityKey,
    scheme: 'employee',
    mode: 'unit',
    region: '220100',
    unitId: 'U-220100-0001',
    enrolledOn: '2020-01-01',
    statusHistory: [enrolledByUnit('2020-01-01')],
    coverPeriods: [
      {
        start: '2020-01-01',
        end: null,
        rules: [{ id: 'W-4', cites: 'JL26 Art.10, Art.20' }],
        reason: { zh: '按月足额缴费', en: 'months paid on time' },
      },
    ],
    ...overrides,
  };
}

/** The same employee paying as a flexible worker (combined medical and maternity): no unit. */
export function flexibleEnrollment(
  identityKey: string,
  enrollmentId: string,
  overrides: Partial<EnrollmentInput> = {},
): EnrollmentInput {
  return employeeEnrollment(identityKey, enrollmentId, {
    mode: 'flexible',
    flexibleMode: 'combined',
    unitId: undefined,
    ...overrides,
  });
}

/**
 * A resident of Changchun, first enrollment, paid 2026-11-15 in the window for 2027 (notification N-2027): the
 * cover period is the engine's waiting-period decision (W-6, covered 2027-04-01 to 2027-12-31).
 */
export function residentEnrollment(
  identityKey: string,
  enrollmentId: string,
  overrides: Partial<EnrollmentInput> = {},
): EnrollmentInput {
  const wp = decide(
    'waiting-period',
    { region: '220100', scheme: 'resident', paidAt: '2026-11-15T10:30:00+08:00', feeYear: 2027 },
    '2026-11-15',
  ) as DecisionResult<WaitingPeriod>;
  return {
    enrollmentId,
    identityKey,
    scheme: 'resident',
    region: '220100',
    enrolledOn: '2026-11-15',
    statusHistory: [enrolledAsResident('2026-11-15')],
    coverPeriods: [coverPeriodFromWaitingPeriod(wp, '2027-12-31', 'N-2027')],
    ...overrides,
  };
}

/** An enrollment as the store returns it: the current status is the last of its history. */
export const asStored = (e: EnrollmentInput, version = 1): Enrollment => ({
  ...e,
  status: e.statusHistory.at(-1)!.status,
  version,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
