/**
 * The middleware stack of every staff API handler (API Gateway HTTP API, payload format 2.0):
 *
 *   1. errors → problem+json (RFC 9457), whatever failed below; 5xx are logged without internals leaking;
 *   2. staff identity from the JWT authorizer's claims (401 when absent or bad) and the route's roles (403);
 *   3. the body's limits: at most 256 KB (413), JSON sent as `Content-Type: application/json` (415), nested
 *      at most 32 deep (400) — checked on the raw text, before anything parses or walks it;
 *   4. path, query and JSON body parsed with the route's zod schemas: 400 with one `invalid-params` entry
 *      per bad field, before any domain code runs (nothing half-written); a page cursor is opened (below);
 *   5. the optional `Idempotency-Key` header of the routes that create things, checked for shape and passed
 *      to the domain service, which derives the id of what it creates from it (shared/app/staff/context.ts);
 *   6. the handler's reply as JSON, its page cursor signed.
 *
 * Identity comes before parsing so that an anonymous caller learns nothing about the request format.
 * The route table (functions/api/routes.ts) gives each route its schemas and roles; this file only reads it.
 *
 * Page cursors are opaque to callers: the store's cursor with an HMAC-SHA256 over it and over the query it
 * belongs to (route, caller's region, path and query parameters but the cursor and the page size), keyed
 * with the deployment's secret (`CURSOR_SECRET`, which the stack sets from a Secrets Manager secret:
 * infra/constructs/staff-api.ts). A cursor that was altered, forged or taken from another query or region
 * is refused with 400 "invalid cursor" before the store sees it; the store checks the key's shape again
 * (shared/store/dynamo/common.ts). Without the variable (the local runtime, tests) each process makes its
 * own secret: cursors then hold within the process, which is all one process needs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import {
  IdempotencyKeyReusedError,
  RefusedByRulesError,
  StaffForbiddenError,
  StaffRefusal,
  StateConflictError,
  UnknownResourceError,
} from '#app/staff/errors.js';
import { inputErrorFrom } from '#rules/engine.js';
import { InputError } from '#rules/errors.js';
import { InvalidCursorError } from '#store/errors.js';
import { type Role, requireRole, type Staff, staffOf } from './auth.js';
import { createLogger } from './logger.js';
import { checkRequestBody, type Problem, problemResponse, toProblem } from './problem.js';

export {
  BODY_LIMIT_BYTES,
  checkRequestBody,
  isJsonMediaType,
  jsonNestingExceeds,
  MAX_JSON_DEPTH,
} from './problem.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRequestSchemas {
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
}

/** One route of the staff API, as data: the CDK stack, the local runtime and the OpenAPI file read it. */
export interface RouteSpec<S extends RouteRequestSchemas = RouteRequestSchemas, R extends z.ZodType = z.ZodType> {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway path with `{name}` parameters. */
  readonly path: string;
  /** The handler module (esbuild entry, relative to the repository root) and its export. */
  readonly handler: { readonly entry: string; readonly export: 'handler' };
  readonly roles: readonly Role[];
  readonly summary: string;
  readonly description: string;
  readonly tag: string;
  readonly request: S;
  readonly response: { readonly status: 200 | 201; readonly schema: R; readonly description: string };
  /** Accepts an `Idempotency-Key` header (routes that create things). */
  readonly idempotent: boolean;
  /** Error statuses the route may answer besides 400, 401, 403 and 500. */
  readonly errors: readonly (404 | 409 | 422 | 503)[];
  readonly example: {
    readonly params?: Record<string, string>;
    readonly query?: Record<string, string>;
    readonly body?: unknown;
  };
}

type Out<T> = T extends z.ZodType ? z.output<T> : Record<string, never>;

export interface ApiRequest<S extends RouteRequestSchemas> {
  readonly staff: Staff;
  readonly params: Out<S['params']>;
  readonly query: Out<S['query']>;
  readonly body: Out<S['body']>;
  readonly idempotencyKey: string | undefined;
  readonly event: APIGatewayProxyEventV2;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });

/** 201 for what a request created; a repeat with the same Idempotency-Key gets the same answer, marked replayed. */
export function created(result: { value: unknown; replayed: boolean }): Reply {
  return {
    status: 201,
    body: result.value,
    ...(result.replayed ? { headers: { 'idempotent-replayed': 'true' } } : {}),
  };
}

const PROBLEMS = 'https://jl-mi.example/problems/';

/** The staff services' refusals and the store's "already exists", which `toProblem` does not know. */
function refusalProblem(err: unknown): Problem | undefined {
  if (err instanceof StaffRefusal) {
    const status =
      err instanceof StaffForbiddenError
        ? 403
        : err instanceof UnknownResourceError
          ? 404
          : err instanceof StateConflictError
            ? 409
            : err instanceof RefusedByRulesError || err instanceof IdempotencyKeyReusedError
              ? 422
              : 400;
    const title =
      status === 403
        ? 'Forbidden'
        : status === 404
          ? 'Not found'
          : status === 409
            ? 'Conflict'
            : err instanceof RefusedByRulesError
              ? 'Refused by the rules'
              : 'Idempotency key reused';
    return { type: `${PROBLEMS}${err.code}`, title, status, detail: err.message, ...err.details };
  }
  return undefined;
}

export function problemOf(err: unknown): APIGatewayProxyResultV2 {
  const own = refusalProblem(err);
  if (own) return problemResponse(own);
  const { problem, headers } = toProblem(err);
  return problemResponse(problem, headers);
}

interface ApiState {
  staff?: Staff;
  params?: unknown;
  query?: unknown;
  body?: unknown;
  idempotencyKey?: string | undefined;
  /** What a page cursor of this request is bound to (see the header). */
  cursorBinding?: string;
}

type ApiContext = Context & { staffApi?: ApiState };
type Mw = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, ApiContext>;

const state = (context: ApiContext): ApiState => {
  context.staffApi ??= {};
  return context.staffApi;
};

/** 1. Any error → problem+json; unexpected ones are logged (identity numbers masked by the logger). */
function problems(route: RouteSpec, logger: Logger): Mw {
  return {
    // Fresh per invocation: nothing of one request (an Idempotency-Key, a caller) may leak into the next.
    before: (request) => {
      request.context.staffApi = {};
    },
    onError: (request) => {
      const response = problemOf(request.error);
      const status = typeof response === 'object' ? (response.statusCode ?? 500) : 500;
      // 503: a dependency's passing fault, answered with Retry-After; not a failure of this code.
      if (status === 503)
        logger.warn('dependency unavailable', { operation: route.operationId, error: request.error as Error });
      else if (status >= 500)
        logger.error('request failed', { operation: route.operationId, error: request.error as Error });
      else logger.info('request refused', { operation: route.operationId, status, detail: request.error?.message });
      request.response = response;
    },
  };
}

/** 2. Who is calling (401) and whether the route admits their role (403). */
function staffIdentity(route: RouteSpec): Mw {
  return {
    before: (request) => {
      const staff = staffOf(request.event);
      requireRole(staff, ...route.roles);
      state(request.context).staff = staff;
    },
  };
}

function decodeParams(raw: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue;
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

function bodyText(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null || event.body === '') return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const text = bodyText(event);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError([{ path: '(body)', message: 'is not valid JSON' }]);
  }
}

/** 3. The body's size, media type and nesting, on the raw text (API Gateway passes header names in lower case). */
function bodyLimits(): Mw {
  return {
    before: (request) => {
      checkRequestBody(bodyText(request.event), request.event.headers?.['content-type']);
    },
  };
}

// ── Page cursors ─────────────────────────────────────────────────────────────

/** 128 bits of HMAC-SHA256: forging one is out of reach, and the cursor stays short. */
const CURSOR_MAC_BYTES = 16;
let cursorSecret: Buffer | undefined;

function cursorKey(): Buffer {
  if (cursorSecret) return cursorSecret;
  const configured = process.env.CURSOR_SECRET;
  if (configured && configured.length >= 32) cursorSecret = Buffer.from(configured, 'utf8');
  else {
    // In Lambda the stack always sets it; without it a cursor would only hold in the container that made it.
    if (process.env.AWS_LAMBDA_FUNCTION_NAME)
      logger.warn('CURSOR_SECRET is not set (or shorter than 32 characters): page cursors hold in this container only');
    cursorSecret = randomBytes(32);
  }
  return cursorSecret;
}

const macOf = (cursor: string, binding: string) =>
  createHmac('sha256', cursorKey())
    .update(`${binding}\n${cursor}`)
    .digest()
    .subarray(0, CURSOR_MAC_BYTES)
    .toString('base64url');

/** The store's cursor, signed for one query: `<store cursor>.<mac>`. */
export function sealCursor(cursor: string, binding: string): string {
  return `${cursor}.${macOf(cursor, binding)}`;
}

/** The store's cursor out of a signed one, or InvalidCursorError (400) when it was not signed for this query. */
export function openCursor(sealed: string, binding: string): string {
  const dot = sealed.lastIndexOf('.');
  const cursor = dot > 0 ? sealed.slice(0, dot) : '';
  const given = Buffer.from(dot > 0 ? sealed.slice(dot + 1) : '', 'base64url');
  const expected = Buffer.from(macOf(cursor, binding), 'base64url');
  if (cursor === '' || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new InvalidCursorError('the cursor is not one this API issued for this query');
  return cursor;
}

const sortedJson = (o: unknown): string =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries((o ?? {}) as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  );

/** What a cursor is bound to: the route, the caller's region, the path and the query but cursor and page size. */
function cursorBindingOf(route: RouteSpec, staff: Staff | undefined, params: unknown, query: unknown): string {
  const { cursor: _c, limit: _l, ...rest } = (query ?? {}) as Record<string, unknown>;
  return [route.operationId, staff?.region ?? '', sortedJson(params), sortedJson(rest)].join('\n');
}

/** 4. Path, query and body through the route's schemas; every bad field is named at once. */
function parseRequest(route: RouteSpec): Mw {
  return {
    before: (request) => {
      const s = state(request.context);
      const issues: { path: string; message: string }[] = [];
      const parts: Array<[keyof RouteRequestSchemas, unknown]> = [
        ['params', decodeParams(request.event.pathParameters)],
        ['query', decodeParams(request.event.queryStringParameters)],
        ['body', route.request.body ? jsonBody(request.event) : undefined],
      ];
      for (const [part, raw] of parts) {
        const schema = route.request[part];
        if (!schema) {
          s[part] = {};
          continue;
        }
        const parsed = schema.safeParse(part === 'body' && raw === undefined ? undefined : raw);
        if (parsed.success) s[part] = parsed.data;
        else issues.push(...inputErrorFrom(parsed.error).issues);
      }
      if (issues.length) throw new InputError(issues);
      s.cursorBinding = cursorBindingOf(route, s.staff, s.params, s.query);
      const q = s.query as Record<string, unknown>;
      if (typeof q.cursor === 'string') s.query = { ...q, cursor: openCursor(q.cursor, s.cursorBinding) };
    },
  };
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** 5. `Idempotency-Key` (API Gateway passes header names in lower case). */
function idempotencyKey(route: RouteSpec): Mw {
  return {
    before: (request) => {
      if (!route.idempotent) return;
      const key = request.event.headers?.['idempotency-key'];
      if (key === undefined) return;
      if (!IDEMPOTENCY_KEY.test(key))
        throw new InputError([{ path: 'Idempotency-Key', message: '8 to 128 letters, digits or . _ : -' }]);
      state(request.context).idempotencyKey = key;
    },
  };
}

/** One logger per module (per Lambda container). */
const logger = createLogger('staff-api');

/** A Lambda handler for one route: the stack above around `fn`, which calls one domain service. */
export function httpHandler<S extends RouteRequestSchemas, R extends z.ZodType>(
  route: RouteSpec<S, R>,
  fn: (req: ApiRequest<S>) => Promise<Reply> | Reply,
) {
  const spec = route as unknown as RouteSpec;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, ApiContext>()
    .use(problems(spec, logger))
    .use(staffIdentity(spec))
    .use(bodyLimits())
    .use(parseRequest(spec))
    .use(idempotencyKey(spec))
    .handler(async (event, context): Promise<APIGatewayProxyResultV2> => {
      const s = state(context);
      const reply = await fn({
        staff: s.staff!,
        params: s.params as Out<S['params']>,
        query: s.query as Out<S['query']>,
        body: s.body as Out<S['body']>,
        idempotencyKey: s.idempotencyKey,
        event,
      });
      // 6. The next page's cursor, signed for the query it continues.
      const body = reply.body as { cursor?: unknown } | null;
      const out =
        body && typeof body === 'object' && typeof body.cursor === 'string' && s.cursorBinding !== undefined
          ? { ...body, cursor: sealCursor(body.cursor, s.cursorBinding) }
          : reply.body;
      return {
        statusCode: reply.status,
        headers: { 'content-type': 'application/json', ...reply.headers },
        body: JSON.stringify(out),
      };
    });
}
