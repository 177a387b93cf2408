/**
 * Typed errors of the case store. Callers (Lambdas, Step Functions tasks, the staff API) see only
 * these, never an SDK exception: each has a stable `code`, says whether retrying can help, and its
 * message never carries an identity key unmasked.
 */

export abstract class StoreError extends Error {
  abstract readonly code: string;
  /** True when the same request may succeed later unchanged (after a back-off or a re-read). */
  abstract readonly retryable: boolean;
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, retryable: this.retryable };
  }
}

/** The item asked for is not in the table. */
export class NotFoundError extends StoreError {
  readonly code = 'not-found';
  readonly retryable = false;
  constructor(
    readonly entity: string,
    /** Already masked when it is an identity key. */
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/**
 * Another writer changed the item first (version check failed) or DynamoDB cancelled a
 * transaction for a concurrent one. Re-read and retry: see `retryOnConflict`.
 */
export class ConflictError extends StoreError {
  readonly code = 'conflict';
  readonly retryable = true;
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly expectedVersion: number | null,
    detail = '',
  ) {
    super(
      `${entity} ${id} was changed by another writer${expectedVersion === null ? '' : ` (expected version ${expectedVersion})`}${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** An item that already exists where a new one was to be created (a case id reused, a person added twice). */
export class AlreadyExistsError extends StoreError {
  readonly code = 'already-exists';
  readonly retryable = false;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} already exists`);
  }
}

/** DynamoDB kept throttling after every attempt the store makes. Retry later (Step Functions Retry). */
export class ThrottledError extends StoreError {
  readonly code = 'throttled';
  readonly retryable = true;
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly awsCode: string,
  ) {
    super(`DynamoDB throttled ${operation} after ${attempts} attempt(s) (${awsCode})`);
  }
}

/** DynamoDB failed on its side (5xx, network) after every attempt. Retry later. */
export class StoreUnavailableError extends StoreError {
  readonly code = 'store-unavailable';
  readonly retryable = true;
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly awsCode: string,
  ) {
    super(`DynamoDB failed ${operation} after ${attempts} attempt(s) (${awsCode})`);
  }
}

/** A request DynamoDB refuses for a reason retrying cannot cure: no such table, no permission, bad credentials. */
export class StoreConfigurationError extends StoreError {
  readonly code = 'store-configuration';
  readonly retryable = false;
  constructor(
    readonly operation: string,
    readonly awsCode: string,
    detail: string,
  ) {
    super(`DynamoDB refused ${operation} (${awsCode}): ${detail}`);
  }
}

export interface StoreIssue {
  readonly path: string;
  readonly message: string;
}

/** Input the store refuses (bad field, too many fee periods for one transaction), or a request DynamoDB rejects as invalid. */
export class StoreValidationError extends StoreError {
  // Widened to string: InvalidCursorError narrows it to its own code.
  readonly code: string = 'invalid-store-input';
  readonly retryable = false;
  constructor(
    readonly what: string,
    readonly issues: readonly StoreIssue[],
  ) {
    super(`invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
  override toJSON() {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/**
 * A page cursor the store did not issue for this query: not base64url JSON, not a key of the index the
 * query reads, or a key outside the query's partition or sort-key prefix. Checked before DynamoDB sees it,
 * so a forged cursor is a plain refusal (400), never a retried SDK failure or DynamoDB's own message.
 * A StoreValidationError, so callers that refuse bad input refuse this too.
 */
export class InvalidCursorError extends StoreValidationError {
  override readonly code = 'invalid-cursor';
  constructor(message = 'not a cursor this store issued for this query') {
    super('cursor', [{ path: 'cursor', message }]);
  }
}
