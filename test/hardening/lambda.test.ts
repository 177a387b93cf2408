/**
 * The same findings at the Lambda handlers, as API Gateway and SQS call them (no local runtime):
 *
 * - limits in the staff API's middleware (functions/lib/http.ts): 413 over 256 KB, 415 without
 *   `Content-Type: application/json`, 400 for JSON nested deeper than 32 levels — before any parsing;
 * - page cursors: signed for their query with the deployment's CURSOR_SECRET (one secret, every container),
 *   refused before the store is touched; the store checks a cursor's key shape itself;
 * - faults: a store that cannot reach DynamoDB (a real refused connection) is 503 with Retry-After, not 500;
 *   throttling and Step Functions being unavailable (aws-sdk-client-mock: DynamoDB Local cannot produce
 *   them) are 503 too; a fault of the request stays 500;
 * - intake: a notification that cannot be stored now is left for SQS to redeliver (partial batch failure);
 *   one nested too deep is dead-lettered as malformed, not redelivered for ever.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { InvalidArn, SFNClient, SFNServiceException, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '#app/clock.js';
import type { StaffDeps } from '#app/staff/context.js';
import { useStaffDeps } from '#functions/api/deps.js';
import { sfnWorkflowStarter } from '#functions/lib/aws-ports.js';
import { jsonNestingExceeds, openCursor, problemOf, sealCursor } from '#functions/lib/http.js';
import { TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import { cursorShapeOf, decodeCursor, encodeCursor } from '#store/dynamo/common.js';
import { InvalidCursorError, StoreUnavailableError } from '#store/errors.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import { INDEX } from '#store/table.js';
import { freePort } from '#tools/local-runtime/ports.js';
import { flexiblePayment } from '../local-runtime/support.js';
import { newIdentityKey } from '../workflows/support.js';
import { call, claims } from '../functions/api/support.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // One secret for the deployment, as the stack sets it on every function that pages.
  process.env.CURSOR_SECRET = 'hardening-test-cursor-secret-0123456789abcdef';
});

// Step Functions and SQS are mocked for the failures DynamoDB Local cannot produce (and the DLQ send).
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
afterAll(() => {
  sfn.restore();
  sqs.restore();
});

const untouchable = new Proxy(
  {},
  {
    get: (_t, name) => () => {
      throw new Error(`${String(name)} must not be called for this request`);
    },
  },
);
const clock = fixedClock(Date.parse('2026-04-20T02:00:00Z'));
const install = (deps: Partial<StaffDeps>) =>
  useStaffDeps({ store: untouchable, workflows: untouchable, callbacks: untouchable, clock, ...deps } as StaffDeps);
afterEach(() => useStaffDeps(undefined));

const CLERK = claims('clerk-1', '220100', 'clerk');
const PROBLEMS = 'https://jl-mi.example/problems/';
const enrollment = (extra: Record<string, unknown> = {}) => ({
  identity: { number: newIdentityKey('19850301').slice(3) },
  region: '220100',
  scheme: 'employee',
  mode: 'flexible',
  work: 'platform-worker',
  places: { residence: '220100' },
  ...extra,
});
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const bilingual = /[\u4e00-\u9fff].*[A-Za-z]/;

describe('request limits in the staff API middleware', () => {
  it('a body over 256 KB is 413, before it is parsed', async () => {
    install({});
    const a = await call('enrollPerson', {
      claims: CLERK,
      rawBody: JSON.stringify(enrollment({ note: 'x'.repeat(256 * 1024) })),
    });
    expect(a.status).toBe(413);
    expect(a.headers['content-type']).toBe('application/problem+json');
    expect(a.body).toMatchObject({ type: `${PROBLEMS}payload-too-large`, status: 413, limitBytes: 262_144 });
    expect(a.body.title).toMatch(bilingual);
  });

  it('a body without Content-Type: application/json is 415, on every route', async () => {
    install({});
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '', 'application/jsonx']) {
      const a = await call('enrollPerson', { claims: CLERK, body: enrollment(), headers: { 'content-type': type } });
      expect(a.status, type).toBe(415);
      expect(a.body.type).toBe(`${PROBLEMS}unsupported-media-type`);
      expect(a.body.detail).toMatch(bilingual);
    }
    const get = await call('listCases', {
      claims: CLERK,
      query: { state: 'opened' },
      rawBody: 'state=opened',
      headers: { 'content-type': 'text/plain' },
    });
    expect(get.status).toBe(415);
  });

  it('JSON nested deeper than 32 levels is 400 "nesting too deep"; 32 levels reach the schema', async () => {
    install({});
    const at = (n: number) => JSON.stringify(enrollment()).replace(/\}$/, `,"note":${deep(n - 1)}}`);
    const tooDeep = await call('enrollPerson', { claims: CLERK, rawBody: at(33) });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body).toMatchObject({ type: `${PROBLEMS}nesting-too-deep`, maxDepth: 32 });
    const huge = await call('enrollPerson', { claims: CLERK, rawBody: deep(100_000) });
    expect(huge.body.type).toBe(`${PROBLEMS}nesting-too-deep`);
    const ok = await call('enrollPerson', { claims: CLERK, rawBody: at(32) });
    expect(ok.status).toBe(400);
    expect(ok.body.type).toBe(`${PROBLEMS}invalid-input`);
  });

  it('counts nesting outside strings only', () => {
    expect(jsonNestingExceeds(JSON.stringify({ note: '['.repeat(1000) }), 32)).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ note: `\\"${'{'.repeat(50)}` }), 32)).toBe(false);
    expect(jsonNestingExceeds(deep(32), 32)).toBe(false);
    expect(jsonNestingExceeds(deep(33), 32)).toBe(true);
  });
});

describe('page cursors', () => {
  it('are refused before the store is touched when not signed for the query', async () => {
    install({});
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [b64('x'), b64({ pk: 'x' }), b64({ pk: { S: 'C#1' }, sk: { S: 'CASE' } }), 'x.y']) {
      for (const [op, c] of [
        ['listCases', { query: { state: 'opened', cursor } }],
        ['getCaseAuditTrail', { params: { caseId: 'AR-1' }, query: { cursor } }],
      ] as const) {
        // getCaseAuditTrail reads the case first; an untouchable store proves the cursor was refused before.
        const a = await call(op, { claims: CLERK, ...c });
        expect(a.status, `${op} ${cursor}`).toBe(400);
        expect(a.body).toMatchObject({ type: `${PROBLEMS}invalid-cursor`, title: '游标无效 Invalid cursor' });
      }
    }
  });

  it('hold across containers of one deployment (one CURSOR_SECRET), and not with another secret', async () => {
    const sealed = sealCursor('abc', 'listCases\n220100\n{}\n{"state":"opened"}');
    vi.resetModules();
    const other = await import('#functions/lib/http.js');
    expect(other.openCursor(sealed, 'listCases\n220100\n{}\n{"state":"opened"}')).toBe('abc');
    // Another region's query: refused.
    expect(() => openCursor(sealed, 'listCases\n220200\n{}\n{"state":"opened"}')).toThrow(InvalidCursorError);
    process.env.CURSOR_SECRET = 'another-deployment-secret-0123456789abcdefgh';
    vi.resetModules();
    const elsewhere = await import('#functions/lib/http.js');
    // (A fresh module graph: its own InvalidCursorError class.)
    expect(() => elsewhere.openCursor(sealed, 'listCases\n220100\n{}\n{"state":"opened"}')).toThrow(
      /not one this API issued/,
    );
    process.env.CURSOR_SECRET = 'hardening-test-cursor-secret-0123456789abcdef';
  });

  it('the store checks a cursor against the key shape of its query before DynamoDB sees it', () => {
    const query = {
      IndexName: INDEX.byRegionState,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :t)',
      ExpressionAttributeValues: { ':pk': { S: 'REGION#220100#STATE#opened' }, ':t': { S: 'refund#' } },
    };
    const shape = cursorShapeOf(query);
    const key = {
      pk: { S: 'C#1' },
      sk: { S: 'CASE' },
      gsi1pk: { S: 'REGION#220100#STATE#opened' },
      gsi1sk: { S: 'refund#2026-04-01#1' },
    };
    expect(decodeCursor(encodeCursor(key), shape)).toEqual(key);
    const bad = [
      { ...key, gsi1pk: { S: 'REGION#220200#STATE#opened' } }, // another region's partition
      { ...key, gsi1sk: { S: 'arrears#2026-04-01#1' } }, // outside the begins_with prefix
      { pk: key.pk, sk: key.sk }, // a table key for an index query
      { ...key, extra: { S: 'x' } },
      { ...key, pk: { N: '1' } },
      { ...key, pk: { S: '' } },
      { ...key, pk: { S: 'x'.repeat(3000) } },
      'x',
      ['x'],
      null,
    ];
    for (const b of bad)
      expect(() => decodeCursor(Buffer.from(JSON.stringify(b)).toString('base64url'), shape)).toThrow(
        InvalidCursorError,
      );
    expect(() => decodeCursor('%%%', shape)).toThrow(InvalidCursorError);
  });

  it('a forged cursor of the sweep’s paymentsDueOn is refused without a query', async () => {
    // Nothing listens on this port: a query would fail as unavailable, not as an invalid cursor.
    const store = new DynamoWorkflowStore({
      clientConfig: {
        endpoint: `http://127.0.0.1:${await freePort()}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
    });
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [
      forged('x'),
      forged({ s: 99 }),
      forged({ s: -1 }),
      forged({ s: 'x' }),
      forged({ s: 1, c: 5 }),
    ])
      await expect(store.paymentsDueOn('220100', '2026-11-30', { cursor })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('dependency faults are 503 with Retry-After, never 500', () => {
  it('DynamoDB unreachable (a real refused connection): staff routes answer 503', async () => {
    const store = new DynamoWorkflowStore({
      clientConfig: {
        endpoint: `http://127.0.0.1:${await freePort()}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    install({ store });
    for (const a of [
      await call('listCases', { claims: CLERK, query: { state: 'opened' } }),
      await call('getCase', { claims: CLERK, params: { caseId: 'AR-1' } }),
      await call('enrollPerson', { claims: CLERK, body: enrollment() }),
    ]) {
      expect(a.status).toBe(503);
      expect(a.headers['retry-after']).toBe('5');
      expect(a.body).toMatchObject({ type: `${PROBLEMS}database-unavailable`, status: 503 });
      expect(a.body.title).toMatch(bilingual);
      expect(JSON.stringify(a.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }
  });

  it('DynamoDB throttling after every attempt (mocked): 503 with Retry-After', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1' });
    mockClient(client)
      .onAnyCommand()
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    install({ store: new DynamoWorkflowStore({ client, retry: { baseDelayMs: 1, maxDelayMs: 2 } }) });
    const a = await call('listCases', { claims: CLERK, query: { state: 'opened' } });
    expect(a.status).toBe(503);
    expect(a.headers['retry-after']).toBe('1');
  });

  it('Step Functions unavailable, throttling or unreachable (mocked): 503; a bad request to it stays 500', async () => {
    {
      const starter = sfnWorkflowStarter(new SFNClient({ region: 'cn-north-1' }));
      process.env.STATE_MACHINE_ARREARS_TIMER = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:arrears-timer';
      const failWith = async (e: Error) => {
        sfn.reset();
        sfn.on(StartExecutionCommand).rejects(e);
        const err = await starter.start('arrears-timer', 'AR-1', {}).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(err).toBeDefined();
        return problemOf(err) as { statusCode: number; headers: Record<string, string>; body: string };
      };
      const server = (name: string) =>
        new SFNServiceException({ name, $fault: 'server', $metadata: { httpStatusCode: 503 }, message: name });
      const throttled = new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      });
      const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
      for (const e of [server('ServiceUnavailable'), server('InternalFailure'), throttled, refused, timeout]) {
        const r = await failWith(e);
        expect(r.statusCode, e.name).toBe(503);
        expect(r.headers['retry-after']).toBeDefined();
        expect(JSON.parse(r.body).type).toBe(`${PROBLEMS}dependency-unavailable`);
      }
      const bad = await failWith(new InvalidArn({ message: 'bad arn', $metadata: { httpStatusCode: 400 } }));
      expect(bad.statusCode).toBe(500);
    }
  });

  it('maps the store’s retryable errors the same wherever they come from', () => {
    const r = problemOf(new StoreUnavailableError('getCase', 5, 'ECONNREFUSED')) as {
      statusCode: number;
      headers: Record<string, string>;
    };
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
  });
});

describe('the intake Lambda', () => {
  const DLQ_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/tax-payment-malformed';
  let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

  beforeAll(async () => {
    // DynamoDB is a port nothing listens on: every store request is refused, as in an outage.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${await freePort()}`;
    process.env.CASE_TABLE_NAME = 'cases';
    process.env.MALFORMED_DLQ_URL = DLQ_URL;
    process.env.STATE_MACHINE_ARREARS_TIMER = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:arrears-timer';
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    ({ handler } = await import('#functions/intake/handler.js'));
  });

  const record = (body: string, messageId: string = randomUUID()): SQSRecord =>
    ({
      messageId,
      receiptHandle: `rh-${messageId}`,
      body,
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:cn-north-1:123456789012:tax-payment-intake',
      awsRegion: 'cn-north-1',
    }) as unknown as SQSRecord;
  const context = { functionName: 'tax-payment-intake', awsRequestId: 'req-1' } as unknown as Context;
  const number = newIdentityKey('19850301').slice(3);
  const event = (detail: unknown) =>
    JSON.stringify({
      version: '0',
      id: randomUUID(),
      'detail-type': TAX_PAYMENT_DETAIL_TYPE,
      source: TAX_PAYMENT_SOURCE,
      account: '123456789012',
      time: '2026-04-10T02:00:00Z',
      region: 'cn-north-1',
      resources: [],
      detail,
    });

  it('leaves a notification it cannot store now for redelivery (partial batch failure)', async () => {
    sqs.resetHistory();
    const body = event(
      flexiblePayment({
        notificationId: 'N-OUTAGE-1',
        number,
        feeMonth: '2026-03',
        amountFen: 62_400,
        paidAt: '2026-04-09T10:00:00+08:00',
      }).detail,
    );
    const malformed = event({ schemaVersion: '1' });
    // With a record that is handled (dead-lettered as malformed) beside it: only this one comes back.
    expect(await handler({ Records: [record(malformed, 'm-malformed'), record(body, 'm-outage')] }, context)).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-outage' }],
    });
    // Alone, the whole batch fails, and SQS redelivers all of it.
    await expect(handler({ Records: [record(body, 'm-outage-2')] }, context)).rejects.toThrow(/failed processing/);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
  }, 30_000);

  it('dead-letters a notification nested deeper than 32 levels instead of walking it', async () => {
    sqs.resetHistory();
    const body = event({ schemaVersion: '1', insured: '(deep)' }).replace('"(deep)"', deep(50_000));
    expect(await handler({ Records: [record(body, 'm-deep')] }, context)).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageAttributes: expect.objectContaining({
        reason: { DataType: 'String', StringValue: expect.stringContaining('nesting-too-deep') },
      }),
    });
  });
});
