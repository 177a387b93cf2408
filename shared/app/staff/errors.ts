/**
 * What the staff services refuse, in the domain's words. The HTTP layer (functions/lib/http.ts) maps each
 * to a problem+json status; the services never speak HTTP, so the local runtime can use them as they are.
 */
import type { Reason } from '#rules/engine.js';

export abstract class StaffRefusal extends Error {
  abstract readonly code: string;
  /** Extra members of the problem document (a decision's reason, the case's state…). */
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.details = details;
  }
}

/** The caller acts outside their pooling region, or their role does not allow the action (Security). */
export class StaffForbiddenError extends StaffRefusal {
  readonly code = 'forbidden';
}

/** The rules decided "no" (not eligible here, not refundable, window closed): nothing was written. */
export class RefusedByRulesError extends StaffRefusal {
  readonly code = 'refused-by-rules';
  constructor(
    message: string,
    readonly reason: Reason,
    readonly rules: readonly string[],
    details: Record<string, unknown> = {},
  ) {
    super(message, { reason, rules, ...details });
  }
}

/**
 * The case or enrollment is not in a state that allows the action (already decided, not waiting for a
 * choice, its execution has timed out or finished). Re-read it; retrying the same request will not help.
 */
export class StateConflictError extends StaffRefusal {
  readonly code: string;
  constructor(
    code: 'wrong-state' | 'callback-gone' | 'not-waiting',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
    this.code = code;
  }
}

/** An Idempotency-Key already used for a different request (by content). */
export class IdempotencyKeyReusedError extends StaffRefusal {
  readonly code = 'idempotency-key-reused';
}

/** A path names something that is not there (a decision id, an enrollment of the person). */
export class UnknownResourceError extends StaffRefusal {
  readonly code = 'not-found';
}
