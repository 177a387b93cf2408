/**
 * Step 2 of the intake: rights are recorded the day after payment (FLX25 §10). The `waiting-period`
 * decision says from when this payment covers the person (W-1…W-9); the cover period it gives is
 * saved on the person's enrollment with the decision's trace in the audit record.
 *
 * Facts come only from what the store holds before this payment (the ledger without this
 * notification's own payments, the cover periods the engine decided earlier), so processing the same
 * notification again gives the same decision; a cover period carries its notification id, so it is
 * never recorded twice.
 */
import {
  type CalendarDate,
  cstDateOf,
  daysBetween,
  firstOfMonth,
  firstOfYear,
  lastOfMonth,
  lastOfYear,
  addYearMonths,
  minDate,
} from '#domain/calendar.js';
import { identityFacts } from '#domain/identity.js';
import type { PersonPayment } from '#schemas/events.js';
import type { DecisionResult } from '#rules/engine.js';
import { ruleEntry } from '#rules/catalogue.js';
import type { WaitingPeriod } from '#rules/waiting-period/decision.js';
import type { CaseStore } from '#store/case-store.js';
import { coverPeriodFromWaitingPeriod } from '#store/cover.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '#store/errors.js';
import type { CoverPeriod, Enrollment, EnrollmentInput, LedgerEntry, Scheme } from '#store/model.js';
import { allCasesOf } from '../workflows/common.js';
import { enrollmentIdFromPayment, intakeContext } from './ids.js';
import type { Decide } from './types.js';

export type CoverOutcome =
  | {
      /** A new cover period was saved on the enrollment. */
      readonly outcome: 'recorded';
      readonly enrollmentId: string;
      readonly coverPeriod: CoverPeriod;
      readonly enrollmentCreated: boolean;
    }
  | {
      /** The decided cover start lies inside a cover period already held: nothing to change (W-4 renewals). */
      readonly outcome: 'continues';
      readonly enrollmentId: string;
      readonly coverStarts: CalendarDate;
    }
  | { readonly outcome: 'already-recorded'; readonly enrollmentId: string };

/** What the waiting-period decision reads, derived from the store (exported for tests and the docs). */
export function waitingPeriodFacts(
  payment: PersonPayment,
  enrollments: readonly Enrollment[],
  ledger: readonly LedgerEntry[],
): Record<string, unknown> {
  const n = payment.notification;
  const paidOn = cstDateOf(n.paidAt);
  const periods = n.periods.map((p) => p.feePeriod).sort();
  const first = periods[0]!;
  const feeYear = Number(periods[periods.length - 1]);

  // The ledger as it was before this notification: its own payments left out (a redelivery sees them).
  const paidBefore = ledger
    .filter((e) => e.scheme === n.scheme)
    .map((e) => ({
      feePeriod: e.feePeriod,
      amount: e.payments.filter((x) => x.notificationId !== n.notificationId).reduce((t, x) => t + x.amount, 0),
    }))
    .filter((e) => e.amount > 0 && !periods.includes(e.feePeriod))
    .map((e) => e.feePeriod)
    .sort();
  const earlier = paidBefore.filter((p) => (n.scheme === 'employee' ? p < first : Number(p) < feeYear));

  const candidates: Array<{ scheme: Scheme; lastCoveredDay: CalendarDate; continuousYears: number; feeYear?: number }> =
    [];
  if (earlier.length) {
    const last = earlier[earlier.length - 1]!;
    // Continuous run of paid periods ending at `last`.
    let run = 1;
    for (let i = earlier.length - 2; i >= 0; i--) {
      const expected = n.scheme === 'employee' ? addYearMonths(last, -run) : String(Number(last) - run);
      if (earlier[i] !== expected) break;
      run++;
    }
    candidates.push(
      n.scheme === 'employee'
        ? { scheme: 'employee', lastCoveredDay: lastOfMonth(last), continuousYears: Math.floor((run / 12) * 100) / 100 }
        : { scheme: 'resident', lastCoveredDay: lastOfYear(Number(last)), continuousYears: run, feeYear: Number(last) },
    );
  }
  // W-5a: cover in the other scheme, as the engine recorded it.
  for (const e of enrollments) {
    if (e.scheme === n.scheme) continue;
    for (const c of e.coverPeriods) {
      if (c.start > paidOn) continue;
      const end = c.end === null || c.end > paidOn ? paidOn : c.end;
      candidates.push({
        scheme: e.scheme,
        lastCoveredDay: end,
        continuousYears: Math.floor(((daysBetween(c.start, end) + 1) / 365) * 100) / 100,
      });
    }
  }
  const latest = candidates.sort((a, b) => (a.lastCoveredDay < b.lastCoveredDay ? 1 : -1))[0];

  // W-8: a waiting period still running (a cover period decided under W-6 that has not begun) on the payment
  // day or on the first day of what the payment is for: December paid on 12-15 while the wait runs to
  // 12-15 carries the wait, rather than covering December from its first day (W-4).
  const periodStart = n.scheme === 'employee' ? firstOfMonth(first) : firstOfYear(feeYear);
  const waitingOn = minDate(paidOn, periodStart);
  const carried = enrollments
    .flatMap((e) => e.coverPeriods)
    .filter((c) => c.start > waitingOn && c.rules.some((r) => r.id === 'W-6') && c.notificationId !== n.notificationId)
    .map((c) => c.start)
    .sort()[0];

  const repairYears =
    n.scheme === 'resident' && latest?.scheme === 'resident'
      ? periods.filter((p) => Number(p) > latest.feeYear! && Number(p) < feeYear).length
      : 0;

  return {
    region: n.region,
    scheme: n.scheme,
    paidAt: n.paidAt,
    ...(n.scheme === 'employee' ? { mode: n.mode, feeMonth: first } : { feeYear }),
    ...(latest
      ? {
          previousCover: {
            scheme: latest.scheme,
            // §0: a cover still running on the payment day is unbroken up to it (the decision needs E ≤ P).
            lastCoveredDay: latest.lastCoveredDay > paidOn ? paidOn : latest.lastCoveredDay,
            continuousYears: latest.continuousYears,
            ...(latest.feeYear !== undefined ? { lastCoveredFeeYear: latest.feeYear } : {}),
          },
        }
      : {}),
    ...(repairYears ? { repairYears } : {}),
    ...(carried ? { carriedWaitingUntil: carried } : {}),
  };
}

/**
 * W-1/W-2: the person is a newborn or an identity conversion that staff registered (a `newborn-window` /
 * `identity-conversion-window` case, open or already closed): the waiting-period decision is given the
 * group and the date, and itself tells within the 90 days (cover from the event), later in the same year
 * (no waiting) and later still (a first enrollment, W-6). The notification itself carries no group.
 */
export async function specialGroupOf(store: CaseStore, identityKey: string): Promise<Record<string, unknown>> {
  const windows = (await allCasesOf(store, { kind: 'person', identityKey })).filter(
    (c) => (c.caseType === 'newborn-window' || c.caseType === 'identity-conversion-window') && c.state !== 'cancelled',
  );
  const newborn = windows.find((c) => c.caseType === 'newborn-window' && typeof c.data.birthDate === 'string');
  if (newborn) return { group: 'newborn', birthDate: newborn.data.birthDate };
  const conversion = windows.find((c) => typeof c.data.conversionDate === 'string');
  return conversion ? { group: 'identity-conversion', conversionDate: conversion.data.conversionDate } : {};
}

/** The enrollment a payment belongs to: same scheme, region (and mode), not terminated, latest first. */
export function enrollmentFor(payment: PersonPayment, enrollments: readonly Enrollment[]): Enrollment | undefined {
  const n = payment.notification;
  return enrollments
    .filter(
      (e) =>
        e.scheme === n.scheme &&
        e.region === n.region &&
        (n.scheme !== 'employee' || e.mode === n.mode) &&
        e.status !== 'terminated',
    )
    .sort((a, b) => (a.enrolledOn < b.enrolledOn ? 1 : a.enrolledOn > b.enrolledOn ? -1 : 0))[0];
}

const holds = (c: CoverPeriod, d: CalendarDate) => c.start <= d && (c.end === null || d <= c.end);

/**
 * A payer with no enrollment in the scheme and region: the tax bureau registers flexible workers and
 * residents when they pay (E-2, E-3), and units declare their employees to it (E-1), so the payment
 * is the registration as far as the agency learns of it. Holding the rights back until staff enter
 * the enrollment would cost the person days of cover FLX25 §10 gives them, so the intake creates the
 * enrollment from the notification, says so in the audit record, and leaves the details the tax
 * bureau does not send (a flexible worker's mode, a newborn's birth) to staff.
 */
function enrollmentFromPayment(payment: PersonPayment): EnrollmentInput {
  const n = payment.notification;
  const paidOn = cstDateOf(n.paidAt);
  const rule = n.scheme === 'resident' ? 'E-3' : n.mode === 'unit' ? 'E-1' : 'E-2';
  return {
    enrollmentId: enrollmentIdFromPayment(n.notificationId),
    identityKey: n.identityKey,
    scheme: n.scheme,
    ...(n.mode ? { mode: n.mode } : {}),
    ...(payment.flexibleMode ? { flexibleMode: payment.flexibleMode } : {}),
    region: n.region,
    ...(n.payer.kind === 'unit' && n.payer.id ? { unitId: n.payer.id } : {}),
    enrolledOn: paidOn,
    statusHistory: [
      {
        status: 'normal',
        from: paidOn,
        rules: [{ id: rule, cites: ruleEntry(rule).cites }],
        reason: {
          zh: `税务缴费信息${n.notificationId}到达时无该险种参保登记，据缴费信息登记参保，待经办人员核实`,
          en: `no enrollment in this scheme and region when tax payment notification ${n.notificationId} arrived: enrolled from the notification, for staff to confirm`,
        },
      },
    ],
    coverPeriods: [],
  };
}

async function ensurePerson(store: CaseStore, payment: PersonPayment): Promise<void> {
  const n = payment.notification;
  try {
    await store.getPerson(n.identityKey);
    return;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const facts = identityFacts(n.identityKey);
  try {
    await store.createPerson(
      { identityKey: n.identityKey, region: n.region, ...(facts ?? {}) },
      intakeContext(`person registered from tax payment notification ${n.notificationId}`),
    );
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
}

/**
 * Records the cover this payment gives. Re-reads and retries when another writer changed the
 * enrollment first (two notifications of one person in one batch).
 */
export async function recordCover(
  deps: { readonly store: CaseStore; readonly decide: Decide },
  payment: PersonPayment,
  maxAttempts = 5,
): Promise<CoverOutcome> {
  const { store } = deps;
  const n = payment.notification;
  const paidOn = cstDateOf(n.paidAt);
  for (let attempt = 1; ; attempt++) {
    const [enrollments, ledger] = await Promise.all([
      store.listEnrollments(n.identityKey),
      store.ledger(n.identityKey, n.scheme),
    ]);
    const done = enrollments.find((e) => e.coverPeriods.some((c) => c.notificationId === n.notificationId));
    if (done) return { outcome: 'already-recorded', enrollmentId: done.enrollmentId };

    let enrollment: EnrollmentInput | undefined = enrollmentFor(payment, enrollments);
    let expectedVersion: number | null = enrollment ? (enrollment as Enrollment).version : null;
    if (!enrollment) {
      await ensurePerson(store, payment);
      enrollment = enrollmentFromPayment(payment);
      expectedVersion = null;
    }

    // W-1/W-2 concern a first enrollment only: the window is read when the person has no cover in the scheme yet.
    const firstCover = !enrollments.some((e) => e.scheme === n.scheme && e.coverPeriods.length > 0);
    const result = deps.decide(
      'waiting-period',
      {
        ...waitingPeriodFacts(payment, enrollments, ledger),
        ...(firstCover ? await specialGroupOf(store, n.identityKey) : {}),
      },
      paidOn,
    ) as DecisionResult<WaitingPeriod>;
    // Employee cover runs on while the months are paid (an arrears case ends it, A-1); resident cover
    // is the fee year (C-8).
    const periods = n.periods.map((p) => p.feePeriod).sort();
    const end = n.scheme === 'resident' ? lastOfYear(Number(periods[periods.length - 1])) : null;
    const cover = coverPeriodFromWaitingPeriod(result, end, n.notificationId);

    const holding = enrollment.coverPeriods.find(
      (c) => holds(c, cover.start) && (c.end === null || (cover.end !== null && cover.end <= c.end)),
    );
    if (holding && expectedVersion !== null) {
      return { outcome: 'continues', enrollmentId: enrollment.enrollmentId, coverStarts: cover.start };
    }

    const base = stripStored(enrollment);
    // A first cover that starts before the enrollment's status does (W-1/W-2: from the birth or the
    // conversion) takes the status back with it: only a normal status carries benefits (E-7).
    const [firstStatus, ...laterStatus] = base.statusHistory;
    const retroactive =
      base.coverPeriods.length === 0 && firstStatus?.status === 'normal' && cover.start < firstStatus.from;
    const next: EnrollmentInput = {
      ...base,
      ...(retroactive ? { statusHistory: [{ ...firstStatus, from: cover.start }, ...laterStatus] } : {}),
      coverPeriods: [...enrollment.coverPeriods, cover].sort((a, b) => (a.start < b.start ? -1 : 1)),
    };
    const ctx = intakeContext(
      `FLX25 §10 rights recorded for payment ${n.notificationId} (paid ${paidOn}): covered from ${cover.start}${
        cover.end ? ` to ${cover.end}` : ''
      } — ${result.trace.reason.en}`,
      result.trace,
    );
    try {
      if (expectedVersion === null) await store.createEnrollment(next, ctx);
      else await store.saveEnrollment(next, expectedVersion, ctx);
      return {
        outcome: 'recorded',
        enrollmentId: next.enrollmentId,
        coverPeriod: cover,
        enrollmentCreated: expectedVersion === null,
      };
    } catch (e) {
      const retry = e instanceof ConflictError || e instanceof AlreadyExistsError || e instanceof NotFoundError;
      if (!retry || attempt >= maxAttempts) throw e;
    }
  }
}

/** An enrollment as read carries the store's own fields; the input schema does not want them. */
function stripStored(e: EnrollmentInput): EnrollmentInput {
  const { status: _s, version: _v, updatedAt: _u, ...input } = e as Enrollment;
  return input;
}
