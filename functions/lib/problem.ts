/**
 * HTTP errors as RFC 9457 problem+json. Every route answers bad input with 400 and one entry per bad field
 * (`invalid-params`), so a member of staff sees at once what to correct.
 *
 * A fault of a dependency (DynamoDB or Step Functions unavailable, throttling, a refused connection, a
 * timeout) is 503 with `Retry-After`, never 500: the request was fine and the same one may succeed later.
 * 500 is left for what no retry cures. Text staff read is Chinese first, English beside it; DynamoDB's and
 * the SDK's own messages never reach a caller.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DecisionError, InputError } from '#rules/errors.js';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidCursorError,
  NotFoundError,
  StoreError,
  StoreUnavailableError,
  StoreValidationError,
  ThrottledError,
} from '#store/errors.js';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly 'invalid-params'?: ReadonlyArray<{ name: string; reason: string }>;
  readonly [extra: string]: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
    /** The problem type's slug; default: the title in kebab case. */
    readonly code?: string,
  ) {
    super(detail ?? title);
  }
}

/** The largest request body the staff API and the local runtime's `/_…` endpoints take (256 KB). */
export const BODY_LIMIT_BYTES = 256 * 1024;
/** The deepest JSON nesting taken: the API's bodies nest a handful of levels; 32 leaves room and no more. */
export const MAX_JSON_DEPTH = 32;

export const payloadTooLarge = () =>
  new HttpError(
    413,
    '请求体过大 Payload too large',
    '请求体超过 256 KB 的上限 The request body is larger than the limit of 256 KB',
    { limitBytes: BODY_LIMIT_BYTES },
    'payload-too-large',
  );

export const unsupportedMediaType = () =>
  new HttpError(
    415,
    '不支持的媒体类型 Unsupported media type',
    '请求体须为 JSON，并带 Content-Type: application/json The body must be JSON, sent with Content-Type: application/json',
    { accepted: ['application/json'] },
    'unsupported-media-type',
  );

export const nestingTooDeep = () =>
  new HttpError(
    400,
    'JSON 嵌套过深 JSON nested too deeply',
    `JSON 嵌套超过 ${MAX_JSON_DEPTH} 层的上限 The JSON nests deeper than the limit of ${MAX_JSON_DEPTH} levels`,
    { maxDepth: MAX_JSON_DEPTH },
    'nesting-too-deep',
  );

/**
 * True when the JSON text nests arrays and objects deeper than `max`. A linear scan of the raw text (strings
 * skipped), so a hostile body is refused before JSON.parse or anything recursive (zod, JSON.stringify) walks
 * it and runs out of stack.
 */
export function jsonNestingExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** `application/json`, with parameters (`; charset=utf-8`) or without. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return /^\s*application\/json\s*(;.*)?$/i.test(contentType ?? '');
}

/**
 * The limits of a request body, in the order a caller should fix them: size (413), media type (415),
 * nesting (400). An empty body passes; whether one is needed is the route schema's to say.
 */
export function checkRequestBody(
  text: string,
  contentType: string | undefined,
  options: { readonly requireJsonMediaType?: boolean } = {},
): void {
  if (text === '') return;
  if (Buffer.byteLength(text, 'utf8') > BODY_LIMIT_BYTES) throw payloadTooLarge();
  if ((options.requireJsonMediaType ?? true) && !isJsonMediaType(contentType)) throw unsupportedMediaType();
  if (jsonNestingExceeds(text)) throw nestingTooDeep();
}

/** Seconds a caller is asked to wait after a 503. */
const RETRY_AFTER_THROTTLED = '1';
const RETRY_AFTER_UNAVAILABLE = '5';

/** SDK error names of a dependency that is busy or down (DynamoDB, Step Functions, SQS). */
const FAULT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

/** Node's codes of a connection that failed or timed out. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface FaultLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * True when `err` (or what caused it) is a dependency's passing fault: a retryable store error, an SDK
 * error the SDK itself marks as a server fault or retryable, a 5xx or 429 answer, a refused, reset or
 * timed-out connection. Client faults (a bad token, an execution that exists) are not.
 */
export function isDependencyFault(err: unknown, depth = 0): boolean {
  if (depth > 5 || err === null || typeof err !== 'object') return false;
  if (err instanceof StoreError) return err.retryable;
  const e = err as FaultLike;
  if (e.$fault === 'server' || e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (typeof e.name === 'string' && FAULT_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDependencyFault(x, depth + 1))) return true;
  return isDependencyFault(e.cause, depth + 1);
}

export const unauthorized = (detail = 'a valid bearer token is required') => new HttpError(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);

export function problemResponse(p: Problem, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode: p.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(p),
  };
}

const slug = (t: string) => `https://jl-mi.example/problems/${t}`;

/** Maps any error to a problem response; unknown errors are 500 without internals. */
export function toProblem(err: unknown): { problem: Problem; headers?: Record<string, string> } {
  if (err instanceof InputError) {
    return {
      problem: {
        type: slug('invalid-input'),
        title: 'Invalid input',
        status: 400,
        detail: `${err.issues.length} field(s) are invalid`,
        'invalid-params': err.issues.map((i) => ({ name: i.path || '(body)', reason: i.message })),
      },
    };
  }
  if (err instanceof HttpError) {
    return {
      problem: {
        type: slug(err.code ?? err.title.toLowerCase().replace(/\s+/g, '-')),
        title: err.title,
        status: err.status,
        detail: err.message,
        ...err.extra,
      },
    };
  }
  if (err instanceof InvalidCursorError) {
    return {
      problem: {
        type: slug('invalid-cursor'),
        title: '游标无效 Invalid cursor',
        status: 400,
        detail:
          '游标不是本系统为此查询签发的，请从第一页重新查询 The cursor was not issued by this system for this query; start again from the first page',
      },
    };
  }
  if (err instanceof StoreValidationError) {
    // `request`: DynamoDB refused what the store sent. Its message names attributes and values of the
    // table, which are not the caller's to read.
    const detail =
      err.what === 'request' ? '存储拒绝了此请求的数据 The store refused the data of this request' : err.message;
    return { problem: { type: slug('invalid-input'), title: 'Invalid input', status: 400, detail } };
  }
  if (err instanceof NotFoundError)
    return { problem: { type: slug('not-found'), title: 'Not found', status: 404, detail: err.message } };
  if (err instanceof AlreadyExistsError) {
    return { problem: { type: slug('already-exists'), title: 'Already exists', status: 409, detail: err.message } };
  }
  if (err instanceof ConflictError) {
    return {
      problem: {
        type: slug('conflict'),
        title: 'Conflict',
        status: 409,
        detail: `${err.message}; read the case again and retry`,
      },
    };
  }
  if (err instanceof ThrottledError) {
    return {
      problem: {
        type: slug('throttled'),
        title: '服务繁忙 Service busy',
        status: 503,
        detail: '数据库正忙，请稍后重试 The database is busy; retry shortly',
      },
      headers: { 'retry-after': RETRY_AFTER_THROTTLED },
    };
  }
  if (err instanceof DecisionError) {
    return {
      problem: {
        type: slug(err.code),
        title: 'The rules cannot decide',
        status: 422,
        detail: err.message,
        ...err.toJSON(),
      },
    };
  }
  if (err instanceof StoreUnavailableError || (err instanceof StoreError && err.retryable)) {
    return {
      problem: {
        type: slug('database-unavailable'),
        title: '数据库暂不可用 Database unavailable',
        status: 503,
        detail: '数据库暂时无法访问，请稍后重试 The database cannot be reached for now; retry shortly',
      },
      headers: { 'retry-after': RETRY_AFTER_UNAVAILABLE },
    };
  }
  if (isDependencyFault(err)) {
    return {
      problem: {
        type: slug('dependency-unavailable'),
        title: '依赖的服务暂不可用 Service unavailable',
        status: 503,
        detail:
          '本系统依赖的服务暂时无法访问，请稍后重试 A service this system depends on cannot be reached for now; retry shortly',
      },
      headers: { 'retry-after': RETRY_AFTER_UNAVAILABLE },
    };
  }
  return { problem: { type: slug('internal'), title: 'Internal error', status: 500 } };
}
