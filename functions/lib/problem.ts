/**
 * HTTP errors as RFC 9457 problem+json. Every route answers bad input with 400 and one entry per bad field
 * (`invalid-params`), so a member of staff sees at once what to correct.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DecisionError, InputError } from '#rules/errors.js';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
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
  ) {
    super(detail ?? title);
  }
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
        type: slug(err.title.toLowerCase().replace(/\s+/g, '-')),
        title: err.title,
        status: err.status,
        detail: err.message,
        ...err.extra,
      },
    };
  }
  if (err instanceof StoreValidationError) {
    return { problem: { type: slug('invalid-input'), title: 'Invalid input', status: 400, detail: err.message } };
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
      problem: { type: slug('throttled'), title: 'Service busy', status: 503, detail: 'retry shortly' },
      headers: { 'retry-after': '1' },
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
  return { problem: { type: slug('internal'), title: 'Internal error', status: 500 } };
}
