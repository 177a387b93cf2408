/**
 * Ids and names the intake shares with the workflows: the deterministic arrears case id (so the
 * due-date sweep and the intake open the same case for the same month), and the waits a payment
 * notification ends.
 */
import { createHash } from 'node:crypto';
import type { ChangeContext } from '#store/model.js';
import { personTag } from '#schemas/events.js';

/** Who the intake is in the audit trail. */
export const INTAKE_ACTOR = { kind: 'system', component: 'tax-payment-intake' } as const;

export function intakeContext(reason: string, trace?: ChangeContext['trace']): ChangeContext {
  return { actor: INTAKE_ACTOR, reason, ...(trace ? { trace } : {}) };
}

/**
 * `arrears-<personTag>-<fee month>`: one arrears case per person and fee month, whoever opens it (the
 * due-date sweep should use this too). It is also the execution name, so it keeps to what Step
 * Functions allows there (no `:`; at most 80 characters), and the tag is a hash of the identity key
 * so that the name, visible in the console, never shows the ID number.
 */
export function arrearsCaseId(identityKey: string, feeMonth: string): string {
  return `arrears-${personTag(identityKey)}-${feeMonth}`;
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
  arrears: ['payment', 'backfill'] as readonly string[],
  retirementLumpSum: 'lump-sum-payment',
} as const;
