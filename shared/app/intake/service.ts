/**
 * The tax-payment intake: one message (an EventBridge event carried by SQS) in, for each insured
 * person in it:
 *   1. the notification stored idempotently (the ledger; a duplicate is a normal outcome);
 *   2. rights recorded the day after payment (FLX25 §10) — cover.ts;
 *   3. the cases waiting for this payment resumed — cases.ts;
 *   4. the arrears cases a short payment implies opened, their timers started — cases.ts.
 *
 * Before step 1 the tax bureau's notification id is bound to the message's content, all its persons
 * (`claimNotification`): a redelivery with the same content is a duplicate, the same id with other
 * content (another person, amounts, periods) is a conflict — nothing is written for anybody, and the
 * message goes to the dead-letter port with the reason, as a malformed one does (outcome `conflict`).
 *
 * Steps 2–4 run on a duplicate too, and each is idempotent on its own (keyed by the notification
 * id), so a delivery that died half-way is completed by SQS's redelivery, and a delivery that
 * finished changes nothing the second time. A malformed message goes to the dead-letter port with
 * its reason and counts as handled; anything else that fails (throttling, the store unavailable,
 * Step Functions throttled, a parameter not loaded yet) fails this message only, for SQS to redeliver.
 */
import { recordMonthPaid } from '../sweep/expected-payments.js';
import { allCasesOf } from '../workflows/common.js';
import { cstDateOf } from '#domain/calendar.js';
import { maskIdentity } from '#domain/identity.js';
import { arrears } from '#rules/arrears/decision.js';
import { flexibleContribution } from '#rules/contributions/flexible.js';
import { unitContribution } from '#rules/contributions/unit.js';
import { waitingPeriod } from '#rules/waiting-period/decision.js';
import { decideWith } from '#rules/decide-with.js';
import { type EventIssue, type PersonPayment, parseTaxPaymentEvent } from '#schemas/events.js';
import { StoreValidationError } from '#store/errors.js';
import type { IntakeOutcome } from '#store/model.js';
import { type OpenedArrears, openShortPaymentCases, type ResumeOutcome, resumeWaitingCases } from './cases.js';
import { type CoverOutcome, enrollmentFor, recordCover } from './cover.js';
import { contentHashOf, intakeContext } from './ids.js';
import type { Decide, IntakeDeps, IntakeLog } from './types.js';

export interface PersonOutcome {
  readonly notificationId: string;
  /** `duplicate`: the same notification, same content, stored before (a redelivery). */
  readonly intake: 'stored' | 'duplicate';
  readonly cover: CoverOutcome;
  readonly resumed: readonly ResumeOutcome[];
  readonly arrears: readonly OpenedArrears[];
}

export type MessageOutcome =
  | { readonly kind: 'processed'; readonly eventId: string; readonly persons: readonly PersonOutcome[] }
  | { readonly kind: 'malformed'; readonly reason: string; readonly issues: readonly EventIssue[] }
  | {
      /**
       * The notification id came before with other content: nothing was written for anybody, and the message
       * went to the dead-letter port with the reason (a fault at the sender, for staff to take up with tax).
       */
      readonly kind: 'conflict';
      readonly notificationId: string;
      readonly reason: string;
      readonly issues: readonly EventIssue[];
    };

/** A person's part of a notification was stored before with other content (the id reused): nothing written. */
export class NotificationConflictError extends Error {
  constructor(
    readonly notificationId: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'NotificationConflictError';
  }
}

/** The dead-letter reason of a reused notification id (Chinese first for staff, English beside it). */
const conflictReason = (notificationId: string, firstReceivedAt?: string) =>
  `通知编号已用于不同内容 notification id ${notificationId} was received before with other content${
    firstReceivedAt ? ` (first on ${firstReceivedAt})` : ''
  }: nothing was recorded for this copy`;

/** Some steps of a message failed; the completed ones are kept and redoing them changes nothing. */
export class IntakeIncompleteError extends Error {
  constructor(
    readonly failures: ReadonlyArray<{
      readonly notificationId: string;
      readonly step: string;
      readonly error: unknown;
    }>,
  ) {
    super(
      `tax payment intake incomplete, to be redelivered: ${failures
        .map((f) => `${f.notificationId} ${f.step}: ${f.error instanceof Error ? f.error.message : String(f.error)}`)
        .join('; ')}`,
    );
  }
}

const quiet: IntakeLog = { info: () => {}, warn: () => {}, error: () => {} };

export interface PaymentIntake {
  /** One SQS message body. Resolves when handled (processed or dead-lettered); throws to have it redelivered. */
  handleMessage(body: string, meta?: { readonly messageId?: string }): Promise<MessageOutcome>;
  /** One insured person's payment (the local runtime and the tests call this directly). */
  processPayment(payment: PersonPayment): Promise<PersonOutcome>;
}

/**
 * The decisions intake takes, by id: only these are bundled into the intake function (the whole registry
 * would put it over its 400 KB goal, docs/performance.md).
 */
const INTAKE_DECISIONS = new Map<string, Parameters<typeof decideWith>[0]>(
  [arrears, flexibleContribution, unitContribution, waitingPeriod].map((d) => [
    d.id,
    d as Parameters<typeof decideWith>[0],
  ]),
);

const decideIntake: Decide = (id, facts, asOf) => {
  const spec = INTAKE_DECISIONS.get(id);
  if (!spec) throw new RangeError(`intake does not take the ${id} decision`);
  return decideWith(spec, facts, asOf);
};

export function createPaymentIntake(deps: IntakeDeps): PaymentIntake {
  const decide: Decide = deps.decide ?? decideIntake;
  const log = deps.log ?? quiet;
  const concurrency = Math.max(1, deps.concurrency ?? 4);

  async function deadLetter(body: string, reason: string, issues: readonly EventIssue[], messageId?: string) {
    await deps.deadLetters.send(body, reason, {
      issues: JSON.stringify(issues).slice(0, 1000),
      ...(messageId ? { sourceMessageId: messageId } : {}),
    });
    log.warn('malformed tax payment notification sent to the dead-letter queue', { reason, messageId });
    return { kind: 'malformed', reason, issues } as const;
  }

  /**
   * Binds the tax bureau's notification id to the content of `payments` (all the persons of one message);
   * a conflict when the id came before with other content. One write per message, before any person's.
   */
  async function claim(payments: readonly PersonPayment[]) {
    const first = payments[0]!;
    return deps.store.claimNotification(
      { notificationId: first.sourceNotificationId, contentHash: contentHashOf(payments), persons: payments.length },
      intakeContext(`tax payment notification ${first.sourceNotificationId}: ${payments.length} person(s)`),
    );
  }

  async function processPerson(payment: PersonPayment): Promise<PersonOutcome> {
    const n = payment.notification;
    const paidOn = cstDateOf(n.paidAt);
    const outcome: IntakeOutcome = await deps.store.intakeNotification(
      payment.raw,
      intakeContext(`tax payment notification ${payment.sourceNotificationId}, paid ${paidOn}`),
    );
    if (outcome.outcome === 'conflict') {
      // Stored before with other content (before the id guard, or by another path): the first stands, and
      // nothing of this copy is followed — it would act on one person with another's payment.
      throw new NotificationConflictError(n.notificationId, conflictReason(payment.sourceNotificationId));
    }
    if (outcome.outcome === 'duplicate')
      log.info('duplicate notification: completing any step left undone', { notificationId: n.notificationId });

    const failures: Array<{ notificationId: string; step: string; error: unknown }> = [];
    async function step<T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> {
      try {
        return await fn();
      } catch (error) {
        failures.push({ notificationId: n.notificationId, step: name, error });
        return fallback;
      }
    }

    const cover = await step<CoverOutcome | null>(
      'cover',
      () => recordCover({ store: deps.store, decide }, payment),
      null,
    );
    // Read after the intake and the cover: the ledger with this payment, the cases as they are now.
    const [ledger, cases, enrollments] = await Promise.all([
      deps.store.ledger(n.identityKey, n.scheme),
      allCasesOf(deps.store, { kind: 'person', identityKey: n.identityKey }),
      deps.store.listEnrollments(n.identityKey),
    ]);
    const resumed = await step('resume-cases', () => resumeWaitingCases(deps, payment, cases, ledger), []);
    const arrears = await step(
      'open-arrears',
      () =>
        openShortPaymentCases(
          { store: deps.store, workflows: deps.workflows, decide, today: () => deps.clock.today() },
          payment,
          enrollmentFor(payment, enrollments),
          ledger,
          cases,
          (feeMonth) =>
            log.warn('fee month not judged for a short payment: no dueFen, no base and no flexible mode', {
              notificationId: n.notificationId,
              feeMonth,
            }),
        ),
      [],
    );
    const enrollment = enrollmentFor(payment, enrollments);
    if (n.scheme === 'employee' && enrollment) {
      // Settle each paid fee month on the daily sweep's to-do list and expect the next (C-6).
      await step(
        'expected-months',
        async () => {
          for (const p of payment.notification.periods) {
            await recordMonthPaid(
              deps.store,
              { identityKey: n.identityKey, enrollmentId: enrollment.enrollmentId, feeMonth: p.feePeriod },
              n.notificationId,
              paidOn,
              intakeContext(`fee month ${p.feePeriod} paid by notification ${n.notificationId}`),
              {
                identityKey: n.identityKey,
                enrollmentId: enrollment.enrollmentId,
                region: enrollment.region,
                mode: enrollment.mode ?? n.mode ?? 'unit',
                ...(enrollment.flexibleMode ? { flexibleMode: enrollment.flexibleMode } : {}),
                ...(enrollment.unitId ? { unitId: enrollment.unitId } : {}),
                ...(p.base !== undefined ? { baseFen: p.base } : {}),
              },
            );
          }
        },
        undefined,
      );
    }
    if (failures.length) throw new IntakeIncompleteError(failures);
    const result: PersonOutcome = {
      notificationId: n.notificationId,
      intake: outcome.outcome,
      cover: cover!,
      resumed,
      arrears,
    };
    log.info('tax payment notification processed', {
      notificationId: n.notificationId,
      person: maskIdentity(n.identityKey),
      intake: result.intake,
      cover: result.cover.outcome,
      resumed: resumed.map((r) => `${r.caseId}:${r.callback}`),
      arrears: arrears.map((a) => `${a.caseId}:${a.caseOutcome}:${a.workflow}`),
    });
    return result;
  }

  async function conflict(body: string, notificationId: string, reason: string, messageId?: string) {
    const issues = [{ path: 'detail.notificationId', message: reason }];
    await deps.deadLetters.send(body, reason, {
      kind: 'conflict',
      notificationId,
      issues: JSON.stringify(issues).slice(0, 1000),
      ...(messageId ? { sourceMessageId: messageId } : {}),
    });
    log.warn('tax payment notification id reused with other content, sent to the dead-letter queue', {
      notificationId,
      messageId,
    });
    return { kind: 'conflict', notificationId, reason, issues } as const;
  }

  /** One person's payment on its own (the tests call this): its notification claimed for it alone. */
  async function processPayment(payment: PersonPayment): Promise<PersonOutcome> {
    const claimed = await claim([payment]);
    if (claimed.outcome === 'conflict')
      throw new NotificationConflictError(
        payment.notification.notificationId,
        conflictReason(payment.sourceNotificationId, claimed.firstReceivedAt),
      );
    return processPerson(payment);
  }

  async function handleMessage(body: string, meta: { messageId?: string } = {}): Promise<MessageOutcome> {
    const parsed = parseTaxPaymentEvent(body, deps.clock.today());
    if (!parsed.ok) return deadLetter(body, parsed.reason, parsed.issues, meta.messageId);
    const claimed = await claim(parsed.payments);
    if (claimed.outcome === 'conflict')
      return conflict(
        body,
        claimed.notificationId,
        conflictReason(claimed.notificationId, claimed.firstReceivedAt),
        meta.messageId,
      );

    const persons: PersonOutcome[] = [];
    const failures: IntakeIncompleteError['failures'][number][] = [];
    let malformed: { reason: string; issues: EventIssue[] } | null = null;
    let conflicting: NotificationConflictError | null = null;
    // A unit's payroll: a few persons at a time; every person is tried even when one fails.
    const queue = [...parsed.payments];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let p = queue.shift(); p; p = queue.shift()) {
          try {
            persons.push(await processPerson(p));
          } catch (error) {
            if (error instanceof NotificationConflictError) conflicting = error;
            else if (error instanceof StoreValidationError) {
              // The store refused what the event schema let through: retrying cannot cure it.
              malformed = {
                reason: `refused by the store: ${error.message}`,
                issues: error.issues.map((i) => ({ path: i.path, message: i.message })),
              };
            } else if (error instanceof IntakeIncompleteError) failures.push(...error.failures);
            else failures.push({ notificationId: p.notification.notificationId, step: 'intake', error });
          }
        }
      }),
    );
    if (failures.length) throw new IntakeIncompleteError(failures);
    if (conflicting) {
      const c = conflicting as NotificationConflictError;
      return conflict(body, c.notificationId, c.reason, meta.messageId);
    }
    if (malformed) {
      const m = malformed as { reason: string; issues: EventIssue[] };
      return deadLetter(body, m.reason, m.issues, meta.messageId);
    }
    return { kind: 'processed', eventId: parsed.eventId, persons };
  }

  return { handleMessage, processPayment };
}
