/**
 * The one door to DynamoDB: every request of the store goes through `StoreClient.send`, which
 *
 * - asks for the consumed capacity (ReturnConsumedCapacity TOTAL) and reports each attempt to an
 *   optional observer (the bench and the tests count requests and capacity with it);
 * - retries throttling, 5xx answers, network failures and transaction conflicts with capped
 *   exponential back-off and full jitter, a fixed number of attempts;
 * - turns whatever is left into the store's typed errors, so no SDK exception reaches a caller.
 *
 * The retries live here, not in the SDK, so that their number is ours to state and to test (a
 * mocked client bypasses the SDK's retry middleware). The client the store builds itself therefore
 * has the SDK's retries switched off (maxAttempts 1); an injected client keeps what it was given.
 */
import { type ConsumedCapacity, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { StoreConfigurationError, StoreUnavailableError, StoreValidationError, ThrottledError } from './errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 25, maxDelayMs: 1_000 };

export interface RequestEvent {
  /** The SDK command, e.g. `TransactWriteItemsCommand`. */
  readonly command: string;
  /** The store operation that issued it, e.g. `intakeNotification`. */
  readonly operation: string;
  readonly attempt: number;
  readonly ms: number;
  readonly ok: boolean;
  readonly errorCode?: string;
  readonly consumedCapacity: readonly ConsumedCapacity[];
}

export type RequestObserver = (event: RequestEvent) => void;

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'Throttling',
  'TooManyRequestsException',
]);

const UNAVAILABLE = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Refusals that no retry cures: the table or the permission is wrong. */
const CONFIGURATION = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

/** Cancellation reason codes of a TransactWriteItems that a retry of the same request can cure. */
const RETRYABLE_CANCELLATION = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

export interface CancellationReason {
  readonly Code?: string;
  readonly Message?: string;
  readonly Item?: Record<string, unknown>;
}

/**
 * A condition expression failed. Internal to the store: the repositories turn it into a
 * ConflictError, NotFoundError, AlreadyExistsError or a duplicate-notification result.
 */
export class ConditionFailed extends Error {
  constructor(
    /** For a single write: the item as it was (ReturnValuesOnConditionCheckFailure ALL_OLD). */
    readonly item: Record<string, unknown> | undefined,
    /** For a transaction: one reason per action, in order (`None` where that action was fine). */
    readonly reasons: readonly CancellationReason[] | undefined,
  ) {
    super('condition failed');
  }
}

interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  CancellationReasons?: CancellationReason[];
  Item?: Record<string, unknown>;
}

function codeOf(e: AwsErrorLike): string {
  return e.name && e.name !== 'Error' ? e.name : (e.code ?? 'UnknownError');
}

type Classified =
  | { kind: 'throttled'; code: string }
  | { kind: 'unavailable'; code: string }
  | { kind: 'conflict'; code: string }
  | { kind: 'condition'; failed: ConditionFailed }
  | { kind: 'invalid'; code: string; message: string }
  | { kind: 'configuration'; code: string; message: string }
  | { kind: 'unknown'; code: string };

function classify(err: unknown): Classified {
  const e = (err ?? {}) as AwsErrorLike;
  const code = codeOf(e);
  if (code === 'ConditionalCheckFailedException')
    return { kind: 'condition', failed: new ConditionFailed(e.Item, undefined) };
  if (code === 'TransactionCanceledException') {
    const reasons = e.CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed'))
      return { kind: 'condition', failed: new ConditionFailed(undefined, reasons) };
    const retryable = reasons.find((r) => r.Code && RETRYABLE_CANCELLATION.has(r.Code));
    if (retryable?.Code === 'TransactionConflict') return { kind: 'conflict', code: 'TransactionConflict' };
    if (retryable) return { kind: 'throttled', code: retryable.Code! };
    const bad = reasons.find((r) => r.Code && r.Code !== 'None');
    return { kind: 'invalid', code: bad?.Code ?? code, message: bad?.Message ?? e.message ?? code };
  }
  if (code === 'TransactionConflictException' || code === 'TransactionInProgressException')
    return { kind: 'conflict', code };
  if (THROTTLING.has(code) || e.$retryable?.throttling) return { kind: 'throttled', code };
  if (UNAVAILABLE.has(code) || e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500)
    return { kind: 'unavailable', code };
  if (code === 'ValidationException' || code === 'ItemCollectionSizeLimitExceededException')
    return { kind: 'invalid', code, message: e.message ?? code };
  if (CONFIGURATION.has(code)) return { kind: 'configuration', code, message: e.message ?? code };
  return { kind: 'unknown', code };
}

export interface StoreClientOptions {
  /** An existing client (tests, aws-sdk-client-mock, a Lambda's shared client). */
  readonly client?: DynamoDBClient;
  /** Used only when no client is given. */
  readonly clientConfig?: DynamoDBClientConfig;
  readonly retry?: Partial<RetryPolicy>;
  readonly observer?: RequestObserver;
  /** Injected for tests: how to wait between attempts. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class StoreClient {
  readonly client: DynamoDBClient;
  readonly retry: RetryPolicy;
  private readonly observer: RequestObserver | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: StoreClientOptions = {}) {
    // Built once per store instance (and so once per Lambda container), never per request.
    this.client = options.client ?? new DynamoDBClient({ maxAttempts: 1, ...options.clientConfig });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.observer = options.observer;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /** Full-jitter back-off: a random wait in [0, min(cap, base × 2^(attempt−1))]. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  async pause(attempt: number): Promise<void> {
    const ms = this.backoffMs(attempt);
    if (ms > 0) await this.sleep(ms);
  }

  /**
   * Sends one command with the store's retries. Throws ConditionFailed (for the repository to
   * interpret) or a typed StoreError; never an SDK exception.
   */
  async send<O>(operation: string, command: { readonly input: object }): Promise<O> {
    const commandName = command.constructor.name;
    (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    let last: Classified | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      const started = performance.now();
      try {
        // biome-ignore lint/suspicious/noExplicitAny: the client's send is overloaded per command; this is the one generic call site.
        const out = (await this.client.send(command as any)) as O;
        this.report(commandName, operation, attempt, started, true, undefined, out);
        return out;
      } catch (err) {
        last = classify(err);
        this.report(
          commandName,
          operation,
          attempt,
          started,
          false,
          last.kind === 'condition' ? 'ConditionalCheckFailed' : last.code,
          err,
        );
        if (last.kind === 'condition') throw last.failed;
        if (last.kind === 'invalid') throw new StoreValidationError('request', [{ path: '', message: last.message }]);
        if (last.kind === 'configuration') throw new StoreConfigurationError(operation, last.code, last.message);
        // Not known to be transient (a fault of the request or of the SDK): not retried here.
        if (last.kind === 'unknown') throw new StoreUnavailableError(operation, attempt, last.code);
        if (attempt < this.retry.maxAttempts) await this.pause(attempt);
      }
    }
    const attempts = this.retry.maxAttempts;
    if (last?.kind === 'throttled') throw new ThrottledError(operation, attempts, last.code);
    if (last?.kind === 'conflict') throw new ConditionFailed(undefined, [{ Code: 'TransactionConflict' }]);
    throw new StoreUnavailableError(operation, attempts, last && 'code' in last ? last.code : 'UnknownError');
  }

  private report(
    command: string,
    operation: string,
    attempt: number,
    started: number,
    ok: boolean,
    errorCode: string | undefined,
    output: unknown,
  ): void {
    if (!this.observer) return;
    const o = (output ?? {}) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
    const cc = o.ConsumedCapacity;
    this.observer({
      command,
      operation,
      attempt,
      ms: performance.now() - started,
      ok,
      ...(errorCode ? { errorCode } : {}),
      consumedCapacity: cc === undefined ? [] : Array.isArray(cc) ? cc : [cc],
    });
  }
}
