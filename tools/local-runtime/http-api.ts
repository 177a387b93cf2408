/**
 * The staff API on node:http: each request is matched against ROUTE_TABLE, its bearer token verified and
 * turned into JWT-authorizer claims, and the route's real handler module is called with an API Gateway
 * HTTP API (payload 2.0) event. Besides the table, the runtime's own `/_…` endpoints (runtime.ts): tax
 * payment notifications, the clock, the rosters.
 *
 * Limits, as in AWS (functions/lib/http.ts): a body over 256 KB is 413 (read no further than the limit),
 * JSON nested deeper than 32 levels 400, and a body without `Content-Type: application/json` 415 on the
 * staff API and `/_events` — all as problem+json, before anything parses the body. A 503 always carries
 * `Retry-After`; a dependency fault that escapes an endpoint is 503, not 500 (functions/lib/problem.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ROUTE_TABLE } from '#functions/api/routes.js';
// Types only from http.ts: importing it would create the staff API's logger before the runtime sets its level.
import type { RouteSpec } from '#functions/lib/http.js';
import { maskIdentitiesIn } from '#functions/lib/logger.js';
import {
  BODY_LIMIT_BYTES,
  checkRequestBody,
  payloadTooLarge,
  problemResponse,
  toProblem,
} from '#functions/lib/problem.js';
import type { TokenAuthority } from './tokens.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface LocalApiOptions {
  readonly repoRoot: string;
  readonly tokens: TokenAuthority;
  readonly log: (line: string) => void;
  /**
   * `/_…` endpoints of the runtime itself: path → handler of the parsed JSON body. A key also takes the
   * paths below it (`/_rosters` answers `/_rosters/2028/220100`), given as `rest` (`2028/220100`).
   */
  readonly internal: Record<string, (body: unknown, method: string, rest: string) => Promise<Reply>>;
  /** Awaited before each reply: the local API answers once the work a request set off has settled. */
  readonly settled?: () => Promise<void>;
}

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly names: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const names: string[] = [];
  const source = spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { spec, pattern: new RegExp(`^${source}$`), names };
}

const problem = (status: number, title: string, detail: string): Reply => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: { type: 'about:blank', title, status, detail },
});

/** An error as the staff API's problem+json (503 with Retry-After for a dependency fault, else 4xx/500). */
function replyOf(e: unknown): Reply {
  const { problem: p, headers } = toProblem(e);
  const r = problemResponse(p, headers);
  const o = typeof r === 'string' ? { statusCode: 500, body: r } : r;
  return {
    status: o.statusCode ?? 500,
    body: o.body ?? '',
    headers: Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/** Endpoints of the runtime that take JSON only (the others accept curl's default form type). */
const JSON_ONLY_INTERNAL = new Set(['/_events']);

/** A body beyond this is not even drained: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 16 * BODY_LIMIT_BYTES;

/** The body, or null when it is larger than the limit (what lies beyond is read and dropped, not kept). */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > DRAIN_LIMIT_BYTES) {
      req.destroy();
      break;
    }
    if (size <= BODY_LIMIT_BYTES) chunks.push(c as Buffer);
  }
  return size > BODY_LIMIT_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(text);
}

export function createRequestListener(options: LocalApiOptions) {
  const routes = ROUTE_TABLE.map(compile);
  const modules = new Map<string, Promise<Handler>>();
  const handlerOf = (spec: RouteSpec): Promise<Handler> => {
    let h = modules.get(spec.handler.entry);
    if (!h) {
      const url = pathToFileURL(resolve(options.repoRoot, spec.handler.entry)).href;
      h = import(url).then((m: Record<string, unknown>) => m[spec.handler.export] as Handler);
      modules.set(spec.handler.entry, h);
    }
    return h;
  };

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const read = await readBody(req);

    // The exact path, else the longest key the path lies below.
    const internalKey = Object.keys(options.internal)
      .filter((k) => url.pathname === k || url.pathname.startsWith(`${k}/`))
      .sort((a, b) => (a === url.pathname ? -1 : b === url.pathname ? 1 : b.length - a.length))[0];
    if (internalKey) {
      const internal = options.internal[internalKey]!;
      if (read === null) return replyOf(payloadTooLarge());
      try {
        checkRequestBody(read, req.headers['content-type'], {
          requireJsonMediaType: JSON_ONLY_INTERNAL.has(internalKey),
        });
      } catch (e) {
        return replyOf(e);
      }
      let body: unknown;
      try {
        body = read ? JSON.parse(read) : {};
      } catch {
        return problem(400, 'Bad request', 'the body is not valid JSON');
      }
      const reply = await internal(body, method, url.pathname.slice(internalKey.length + 1));
      // A 503 means "try again": say when, as the staff API does.
      if (reply.status === 503 && !Object.keys(reply.headers ?? {}).some((h) => h.toLowerCase() === 'retry-after'))
        return { ...reply, headers: { ...reply.headers, 'retry-after': '5' } };
      return reply;
    }

    let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
    let pathMatched = false;
    for (const route of routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.spec.method !== method) continue;
      matched = { route, params: Object.fromEntries(route.names.map((n, i) => [n, m[i + 1]!])) };
      break;
    }
    if (!matched)
      return pathMatched
        ? problem(405, 'Method not allowed', `${method} is not a method of ${url.pathname}`)
        : problem(404, 'Not found', `no route ${method} ${url.pathname}`);

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
    // API Gateway's JWT authorizer: a missing or bad token never reaches the function.
    const claims = await options.tokens.verify(headers.authorization);
    if (!claims) return problem(401, 'Unauthorized', 'a valid bearer token is required');
    // The size here, since this adapter buffers the body; the handler checks media type and nesting itself.
    if (read === null) return replyOf(payloadTooLarge());
    const text = read;

    const spec = matched.route.spec;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    const now = Date.now();
    const requestId = randomUUID();
    const event = {
      version: '2.0',
      routeKey: `${spec.method} ${spec.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(matched.route.names.length ? { pathParameters: matched.params } : {}),
      ...(text ? { body: text } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method: spec.method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: `${spec.method} ${spec.path}`,
        stage: '$default',
        time: new Date(now).toISOString(),
        timeEpoch: now,
        authorizer: { jwt: { claims, scopes: null } },
      },
    } as unknown as APIGatewayProxyEventV2;
    const context = {
      awsRequestId: requestId,
      functionName: `local-${spec.operationId}`,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:local-${spec.operationId}`,
      memoryLimitInMB: '512',
      logGroupName: `/aws/lambda/local-${spec.operationId}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 30_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } as Context;
    const result = await (await handlerOf(spec))(event, context);
    const r = typeof result === 'string' ? { statusCode: 200, body: result } : result;
    const reply: Reply = {
      status: r.statusCode ?? 200,
      body: r.body ?? '',
      headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)])),
    };
    options.log(`api ${spec.operationId} by ${claims.sub} → ${reply.status}`);
    return reply;
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req).then(
      async (reply) => {
        await options.settled?.();
        send(res, reply);
      },
      (e: unknown) => {
        options.log(maskIdentitiesIn(`api error: ${(e as Error).stack ?? String(e)}`));
        const reply = replyOf(e);
        send(
          res,
          reply.status >= 500 && reply.status !== 503
            ? problem(500, 'Internal error', 'the local runtime failed on this request')
            : reply,
        );
      },
    );
  };
}
