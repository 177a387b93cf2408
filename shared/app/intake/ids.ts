/**
 * Ids and names the intake shares with the workflows: the deterministic arrears case id (so the
 * due-date sweep and the intake open the same case for the same month), and the waits a payment
 * notification ends.
 */
import { createHash } from 'node:crypto';
import type { ChangeContext } from '#store/model.js';
import type { PersonPayment } from '#schemas/events.js';
import { ARREARS_WAIT } from '../cases/arrears.js';

/** Who the intake is in the audit trail. */
export const INTAKE_ACTOR = { kind: 'system', component: 'tax-payment-intake' } as const;

export function intakeContext(reason: string, trace?: ChangeContext['trace']): ChangeContext {
  return { actor: INTAKE_ACTOR, reason, ...(trace ? { trace } : {}) };
}

/** The arrears case id, from its natural key (the enrollment and the fee month): shared/app/cases/arrears.ts. */
export { arrearsCaseId } from '../cases/arrears.js';

/**
 * A tax bureau notification's content, for the guard that binds its id to it (`claimNotification`): a
 * SHA-256 of every person's part as the store keeps it (`raw`, a pure function of the event's detail), in
 * a stable order, so a redelivery — or the same list in another order, or in a new EventBridge envelope —
 * hashes the same, and the id reused for another person, amount or period does not.
 */
export function contentHashOf(payments: readonly PersonPayment[]): string {
  const h = createHash('sha256');
  for (const raw of payments.map((p) => p.raw).sort()) h.update(raw).update('\u0000');
  return h.digest('hex');
}

/** The enrollment the intake creates for a payer with no enrollment in the scheme and region. */
export function enrollmentIdFromPayment(notificationId: string): string {
  return `tax-${createHash('sha256').update(notificationId).digest('hex').slice(0, 16)}`;
}

/**
 * `wait.for` values that a payment notification ends (the contract with the workflows):
 * - `payment` (A-4 window) and `backfill` (A-5, unit mode after the window): an arrears case waiting
 *   for its fee months (`data.months[].feeMonth`) to be paid;
 * - `lump-sum-payment`: a retirement-transfer case waiting for the R-4(b) lump sum.
 */
export const PAYMENT_WAITS = {
  arrears: Object.values(ARREARS_WAIT) as readonly string[],
  retirementLumpSum: 'lump-sum-payment',
} as const;
