/**
 * What DynamoDB Local cannot produce: throttling, internal errors, cancelled transactions. A mocked
 * client (aws-sdk-client-mock) answers with them, and the tests check how many attempts the store
 * makes, how long it backs off, and that callers only ever see the store's typed errors.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  QueryCommand,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '#store/dynamo-client.js';
import { DynamoCaseStore } from '#store/dynamo-store.js';
import {
  ConflictError,
  NotFoundError,
  StoreConfigurationError,
  StoreError,
  StoreUnavailableError,
  StoreValidationError,
  ThrottledError,
} from '#store/errors.js';
import type { ChangeContext } from '#store/model.js';

const KEY = 'CN:220102199003071234';
const ctx: ChangeContext = { actor: { kind: 'system', component: 'test' }, reason: 'test' };
const meta = { $metadata: {} };

const throttled = () => new ProvisionedThroughputExceededException({ message: 'slow down', ...meta });

function setup(maxAttempts = 4) {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ddb = mockClient(client);
  const sleep = vi.fn(async (_ms: number) => {});
  const events: RequestEvent[] = [];
  const store = new DynamoCaseStore({
    client,
    tableName: 't',
    retry: { maxAttempts, baseDelayMs: 20, maxDelayMs: 100 },
    sleep,
    random: () => 0.999_999,
    observer: (e) => events.push(e),
  });
  return { ddb, store, sleep, events };
}

describe('throttling', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup(4);
  });

  it('retries ProvisionedThroughputExceededException and ends as ThrottledError after maxAttempts', async () => {
    t.ddb.on(GetItemCommand).rejects(throttled());
    const err = await t.store.getCase('c1').catch((e) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err).toMatchObject({ code: 'throttled', retryable: true, attempts: 4, operation: 'getCase' });
    expect(err.awsCode).toBe('ProvisionedThroughputExceededException');
    expect(t.ddb).toHaveReceivedCommandTimes(GetItemCommand, 4);
    // Capped exponential back-off with full jitter: waits between attempts, none after the last.
    expect(t.sleep.mock.calls.map((c) => c[0])).toEqual([19, 39, 79]);
    expect(t.events.map((e) => [e.attempt, e.ok, e.errorCode])).toEqual([
      [1, false, 'ProvisionedThroughputExceededException'],
      [2, false, 'ProvisionedThroughputExceededException'],
      [3, false, 'ProvisionedThroughputExceededException'],
      [4, false, 'ProvisionedThroughputExceededException'],
    ]);
  });

  it('retries ThrottlingException and succeeds when DynamoDB recovers', async () => {
    t.ddb
      .on(QueryCommand)
      .rejectsOnce(new ThrottlingException({ message: 'rate exceeded', ...meta }))
      .rejectsOnce(throttled())
      .resolves({ Items: [], ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } });
    await expect(t.store.listEnrollments(KEY)).resolves.toEqual([]);
    expect(t.ddb).toHaveReceivedCommandTimes(QueryCommand, 3);
    expect(t.events.at(-1)).toMatchObject({ ok: true, attempt: 3, consumedCapacity: [{ CapacityUnits: 0.5 }] });
  });

  it('asks DynamoDB for the consumed capacity on every request', async () => {
    t.ddb.on(GetItemCommand).resolves({});
    await t.store.getCase('c1').catch(() => undefined);
    expect(t.ddb).toHaveReceivedCommandWith(GetItemCommand, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
  });

  it('treats a transaction cancelled for throttling as throttling', async () => {
    t.ddb.on(QueryCommand).resolves({ Items: [] });
    t.ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        ...meta,
        CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }, { Code: 'None' }],
      }),
    );
    const err = await t.store
      .intakeNotification(
        {
          notificationId: 'N1',
          identityKey: KEY,
          scheme: 'resident',
          region: '220100',
          payer: { kind: 'person' },
          paidAt: '2026-11-15',
          periods: [{ feePeriod: '2027', amount: 40000 }],
        },
        ctx,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err.attempts).toBe(4);
    expect(t.ddb).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 4);
    // The same request is retried: one read before it, none between the attempts.
    expect(t.ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });
});

describe('internal and other errors', () => {
  it('retries InternalServerError, then StoreUnavailableError (retryable)', async () => {
    const t = setup(3);
    t.ddb.on(GetItemCommand).rejects(new InternalServerError({ message: 'oops', ...meta }));
    const err = await t.store.getCase('c1').catch((e) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err).toMatchObject({ attempts: 3, retryable: true, awsCode: 'InternalServerError' });
    expect(t.ddb).toHaveReceivedCommandTimes(GetItemCommand, 3);
  });

  it('retries a 5xx without a known name, and a network error', async () => {
    const t = setup(3);
    const fiveHundred = Object.assign(new Error('bad gateway'), { name: 'Weird', $metadata: { httpStatusCode: 502 } });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    t.ddb.on(GetItemCommand).rejectsOnce(fiveHundred).rejectsOnce(reset).resolves({});
    await expect(t.store.getCase('c1')).rejects.toBeInstanceOf(NotFoundError);
    expect(t.ddb).toHaveReceivedCommandTimes(GetItemCommand, 3);
  });

  it('does not retry a missing table: StoreConfigurationError, one attempt', async () => {
    const t = setup(5);
    t.ddb.on(GetItemCommand).rejects(new ResourceNotFoundException({ message: 'no table', ...meta }));
    const err = await t.store.getCase('c1').catch((e) => e);
    expect(err).toBeInstanceOf(StoreConfigurationError);
    expect(err.retryable).toBe(false);
    expect(t.ddb).toHaveReceivedCommandTimes(GetItemCommand, 1);
  });

  it('turns a ValidationException into StoreValidationError, one attempt', async () => {
    const t = setup(5);
    t.ddb
      .on(GetItemCommand)
      .rejects(
        Object.assign(new Error('key too long'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(t.store.getCase('c1')).rejects.toBeInstanceOf(StoreValidationError);
    expect(t.ddb).toHaveReceivedCommandTimes(GetItemCommand, 1);
  });

  it('retries a transaction conflict, then ConflictError', async () => {
    const t = setup(3);
    t.ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        ...meta,
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );
    const err = await t.store
      .openCase(
        {
          caseId: 'c1',
          caseType: 'refund',
          region: '220100',
          subject: { kind: 'person', identityKey: KEY },
          state: 'open',
          openedOn: '2026-05-01',
          wait: null,
          taskToken: null,
        },
        ctx,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(t.ddb).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 3);
  });

  it('never lets an SDK exception through, and never shows an identity key unmasked', async () => {
    const t = setup(2);
    t.ddb.on(QueryCommand).rejects(new Error('something unexpected'));
    const err = await t.store.listEnrollments(KEY).catch((e) => e);
    expect(err).toBeInstanceOf(StoreError);
    t.ddb.on(GetItemCommand).resolves({});
    const nf = await t.store.getPerson(KEY).catch((e) => e);
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf.message).not.toContain('220102199003071234');
    expect(nf.message).toContain('CN:2201');
  });
});

describe('input validation', () => {
  it('refuses a bad notification before any request, listing the fields, without echoing values', async () => {
    const t = setup();
    const err = await t.store
      .intakeNotification(
        {
          notificationId: 'N1',
          identityKey: 'CN 220102199003071234',
          scheme: 'employee',
          region: '220100',
          payer: { kind: 'person' },
          paidAt: '2026-04-10',
          periods: [{ feePeriod: '2026-13', amount: -1 }],
        },
        ctx,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(StoreValidationError);
    const paths = (err as StoreValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['identityKey', 'periods.0.amount', 'periods.0.feePeriod']));
    expect(err.message).not.toContain('220102199003071234');
    expect(t.ddb.calls()).toHaveLength(0);
  });
});
