/**
 * What a probe of hostile requests found, through the real HTTP of the local runtime (`npm start`, here
 * in-process on free ports, its data in a temporary folder so that DynamoDB Local can be stopped and
 * started again without losing it):
 *
 * - page cursors: anything but a cursor this API issued for this query and region is 400 "invalid cursor"
 *   (before: a cursor of valid base64url JSON that is no key gave 500, others DynamoDB's own message);
 * - limits: a body over 256 KB is 413, JSON nested deeper than 32 levels 400, a body without
 *   `Content-Type: application/json` 415, on the staff API and `/_events` (before: accepted, or for deep
 *   JSON on /_events 503 "Maximum call stack size exceeded");
 * - faults: with DynamoDB Local stopped mid-run, staff routes and /_events answer 503 with Retry-After
 *   (before: 500, and /_events without Retry-After); "database unavailable" and "database back" are logged
 *   once each; started again, the same runtime answers without a restart;
 * - dev tokens live 12 hours at most (before: 30 days).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { localDynamoAt } from '#tools/local-runtime/dynamo.js';
import { type LocalRuntime, startLocalRuntime } from '#tools/local-runtime/runtime.js';
import type { CaseInput, ChangeContext } from '#store/model.js';
import { devToken, flexiblePayment } from '../local-runtime/support.js';
import { newIdentityKey } from '../workflows/support.js';

let rt: LocalRuntime;
let dataDir: string;
const lines: string[] = [];
let consoleLog: MockInstance<typeof console.log>;

beforeAll(async () => {
  // DynamoDB Local's outage lines go to the console when the runtime does not pass its own log.
  consoleLog = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  dataDir = mkdtempSync(join(tmpdir(), 'jl-hardening-'));
  rt = await startLocalRuntime({
    dataDir,
    apiPort: 0,
    clockStart: '2026-04-10T02:30:00Z',
    followRealTime: false,
    log: (l) => void lines.push(l),
  });
}, 180_000);

afterAll(async () => {
  await rt?.stop();
  consoleLog?.mockRestore();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const token = (role: string, region = '220100') => devToken(rt, role, region);

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read problem+json and replies of several routes
  readonly body: any;
}

/** A request as a hostile client sends it: any body, any content type (none when `contentType` is null). */
async function send(
  method: string,
  path: string,
  o: { body?: string | Uint8Array; contentType?: string | null; bearer?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (o.contentType !== null && o.body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  const res = await fetch(`${rt.apiUrl}${path}`, {
    method,
    headers,
    ...(o.body !== undefined ? { body: o.body } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, text, body };
}

const get = (path: string, bearer = token('auditor')) => send('GET', path, { bearer });
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A problem+json answer of `status` whose type ends in `slug`, with Chinese and English in its title. */
function expectProblem(a: Answer, status: number, slug: string): void {
  expect(a.status, a.text).toBe(status);
  expect(a.headers.get('content-type')).toContain('application/problem+json');
  expect(a.body.type).toBe(`https://jl-mi.example/problems/${slug}`);
  expect(a.body.status).toBe(status);
  expect(a.body.title).toMatch(/[\u4e00-\u9fff].*[A-Za-z]/);
  expect(a.body.detail).toMatch(/[\u4e00-\u9fff].*[A-Za-z]/);
}

const staff: ChangeContext = { actor: { kind: 'staff', staffId: 'hardening', region: '220100' }, reason: 'test' };
let seq = 0;
const listState = 'hardening-list';

function testCase(region: string, over: Partial<CaseInput> = {}): CaseInput {
  return {
    caseId: `hardening-${Date.now().toString(36)}-${seq++}`,
    caseType: 'refund',
    region,
    subject: { kind: 'person', identityKey: newIdentityKey('19800101') },
    state: listState,
    openedOn: '2026-04-01',
    wait: null,
    taskToken: null,
    ...over,
  };
}

describe('page cursors are opaque, signed and bound to their query and region', () => {
  let auditCase: string;
  let otherCase: string;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await rt.store.openCase(testCase('220100'), staff);
    await rt.store.openCase(testCase('220200'), staff);
    // Two cases with two audit records each (opened, then saved).
    for (const which of ['audit', 'other'] as const) {
      const c = await rt.store.openCase(testCase('220100', { state: 'hardening-audit' }), staff);
      await rt.store.saveCase({ ...c, state: 'hardening-audited' }, c.version, staff);
      if (which === 'audit') auditCase = c.caseId;
      else otherCase = c.caseId;
    }
  });

  it('pages GET /cases to the end with the cursors it issues', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const a = await get(`/cases?state=${listState}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(a.status, a.text).toBe(200);
      ids.push(...a.body.items.map((c: { caseId: string }) => c.caseId));
      cursor = a.body.cursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses forged, altered and foreign cursors with 400 "invalid cursor", never DynamoDB’s text', async () => {
    const first = await get(`/cases?state=${listState}&limit=1`);
    const issued: string = first.body.cursor;
    expect(issued).toBeTruthy();
    const [storeCursor, mac] = [issued.slice(0, issued.lastIndexOf('.')), issued.slice(issued.lastIndexOf('.') + 1)];
    const flipped = `${storeCursor}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const forged = [
      b64('"x"'), // valid base64url JSON, not a key: was 500 after five retries
      b64({ pk: 'x' }), // an object, not a key: was 400 with DynamoDB's message
      b64({ pk: { S: 'x' }, sk: { S: 'y' } }),
      storeCursor, // the store's own cursor, unsigned
      flipped, // signed, one character of the signature altered
      `${b64({ pk: { S: 'C#x' }, sk: { S: 'CASE' } })}.${mac}`, // another key under the issued signature
      'not base64url!',
      '.',
      `${issued}x`,
    ];
    for (const cursor of forged) {
      const a = await get(`/cases?state=${listState}&limit=1&cursor=${encodeURIComponent(cursor)}`);
      expectProblem(a, 400, 'invalid-cursor');
      expect(a.body.title).toBe('游标无效 Invalid cursor');
      expect(a.text).not.toMatch(/DynamoDB|ExclusiveStartKey|starting key|ValidationException|AttributeValue/i);
    }
    // The issued cursor for another query (another state), and in another region (220200's staff).
    expectProblem(
      await get(`/cases?state=hardening-other&limit=1&cursor=${encodeURIComponent(issued)}`),
      400,
      'invalid-cursor',
    );
    expectProblem(
      await get(`/cases?state=${listState}&limit=1&cursor=${encodeURIComponent(issued)}`, token('auditor', '220200')),
      400,
      'invalid-cursor',
    );
    // And the genuine one still works.
    expect((await get(`/cases?state=${listState}&limit=1&cursor=${encodeURIComponent(issued)}`)).status).toBe(200);
  });

  it('refuses the same on GET /cases/{caseId}/audit-trail, and a cursor of another case’s trail', async () => {
    const page = await get(`/cases/${auditCase}/audit-trail?limit=1`);
    expect(page.status, page.text).toBe(200);
    const issued: string = page.body.cursor;
    expect(issued).toBeTruthy();
    const next = await get(`/cases/${auditCase}/audit-trail?limit=1&cursor=${encodeURIComponent(issued)}`);
    expect(next.status, next.text).toBe(200);
    expect(next.body.items).toHaveLength(1);
    for (const cursor of [b64('"x"'), b64({ pk: 'x' }), b64({ pk: { S: `C#${otherCase}` }, sk: { S: 'AUDIT#' } })]) {
      const a = await get(`/cases/${auditCase}/audit-trail?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(a, 400, 'invalid-cursor');
      expect(a.text).not.toMatch(/DynamoDB|ExclusiveStartKey|starting key|ValidationException/i);
    }
    expectProblem(
      await get(`/cases/${otherCase}/audit-trail?limit=1&cursor=${encodeURIComponent(issued)}`),
      400,
      'invalid-cursor',
    );
  });
});

describe('request limits on the staff API and /_events', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const enrollment = (extra: Record<string, unknown> = {}) => ({
    identity: { number: newIdentityKey('19850301').slice(3) },
    region: '220100',
    scheme: 'employee',
    mode: 'flexible',
    work: 'platform-worker',
    places: { residence: '220100' },
    ...extra,
  });

  it('a body over 256 KB is 413, on the staff API (after the token check) and on /_events', async () => {
    const big = JSON.stringify(enrollment({ note: 'x'.repeat(300 * 1024) }));
    expectProblem(await send('POST', '/enrollments', { body: big, bearer: token('clerk') }), 413, 'payload-too-large');
    // Anonymous: 401 first, the body's size says nothing.
    expect((await send('POST', '/enrollments', { body: big })).status).toBe(401);
    expectProblem(await send('POST', '/_events', { body: big }), 413, 'payload-too-large');
  });

  it('JSON nested deeper than 32 levels is 400 (on /_events it ran out of stack: 503)', async () => {
    const nested = JSON.stringify(enrollment()).replace(/\}$/, `,"note":${deep(10_000)}}`);
    expectProblem(
      await send('POST', '/enrollments', { body: nested, bearer: token('clerk') }),
      400,
      'nesting-too-deep',
    );
    expectProblem(await send('POST', '/_events', { body: deep(100_000) }), 400, 'nesting-too-deep');
    expectProblem(await send('POST', '/_events', { body: `{"detail":${deep(33)}}` }), 400, 'nesting-too-deep');
    // 32 levels pass the limit (and fail the schema instead).
    const at32 = await send('POST', '/_events', { body: `{"detail":${deep(31)}}` });
    expect(at32.body?.type ?? '').not.toContain('nesting-too-deep');
  });

  it('a body without Content-Type: application/json is 415', async () => {
    const body = JSON.stringify(enrollment());
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', null]) {
      expectProblem(
        await send('POST', '/enrollments', {
          body: contentType === null ? new TextEncoder().encode(body) : body,
          contentType,
          bearer: token('clerk'),
        }),
        415,
        'unsupported-media-type',
      );
    }
    const event = JSON.stringify(
      flexiblePayment({
        notificationId: 'N-HARDEN-415',
        number: newIdentityKey('19850301').slice(3),
        feeMonth: '2026-03',
        amountFen: 100,
        paidAt: '2026-04-09T10:00:00+08:00',
      }),
    );
    expectProblem(
      await send('POST', '/_events', { body: event, contentType: 'text/plain' }),
      415,
      'unsupported-media-type',
    );
    // With the right type (and a charset), the same body is taken.
    const ok = await send('POST', '/enrollments', {
      body,
      contentType: 'application/json; charset=utf-8',
      bearer: token('clerk'),
    });
    expect(ok.status, ok.text).toBe(201);
  });
});

describe('dev tokens', () => {
  it('live 12 hours at most', () => {
    for (const t of rt.tokens) {
      const claims = decodeJwt(t.token);
      expect(claims.exp).toBeDefined();
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(12 * 3600);
    }
  });
});

describe('DynamoDB Local stopped mid-run, then started again', () => {
  const key = newIdentityKey('19790615');
  const number = key.slice(3);
  const enroll = (n = number) =>
    send('POST', '/enrollments', {
      body: JSON.stringify({
        identity: { number: n },
        region: '220100',
        scheme: 'employee',
        mode: 'flexible',
        work: 'platform-worker',
        places: { residence: '220100' },
      }),
      bearer: token('clerk'),
    });
  const status = () => get(`/persons/${encodeURIComponent(key)}/status?date=2026-04-10`);
  const dbLines = (what: string) => lines.filter((l) => l.includes(what));

  it('answers 503 with Retry-After while it is down, logs it once, and recovers without a restart', async () => {
    expect((await enroll()).status).toBe(201);
    expect((await status()).status).toBe(200);
    const dynamo = localDynamoAt(rt.dynamoEndpoint)!;
    expect(dynamo).toBeDefined();

    await dynamo.halt();
    const down = [
      await get(`/cases?state=${listState}`),
      await status(),
      await enroll(newIdentityKey('19790616').slice(3)),
      await get(`/persons/${encodeURIComponent(key)}/status?date=2026-04-10`, token('clerk')),
    ];
    for (const a of down) {
      expectProblem(a, 503, 'database-unavailable');
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // A notification during the outage: 503 with Retry-After (SQS would redeliver it).
    const event = await send('POST', '/_events', {
      body: JSON.stringify(
        flexiblePayment({
          notificationId: 'N-HARDEN-OUTAGE',
          number,
          feeMonth: '2026-03',
          amountFen: 62_400,
          paidAt: '2026-04-09T10:00:00+08:00',
        }),
      ),
    });
    expect(event.status, event.text).toBe(503);
    expect(Number(event.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const a of [...down, event]) expect(a.text).not.toContain(number);
    expect(dbLines('database unavailable')).toHaveLength(1);
    expect(dbLines('database back')).toHaveLength(0);

    await dynamo.restart();
    const back = await status();
    expect(back.status, back.text).toBe(200);
    expect(back.body.enrollment.region).toBe('220100');
    expect((await get(`/cases?state=${listState}`)).status).toBe(200);
    expect((await enroll(newIdentityKey('19790617').slice(3))).status).toBe(201);
    expect(dbLines('database unavailable')).toHaveLength(1);
    expect(dbLines('database back')).toHaveLength(1);
    // No identity number in any line the runtime wrote.
    for (const l of lines) expect(l).not.toContain(number);
  }, 120_000);
});
