/**
 * What DynamoDB Local cannot produce at the right moment: throttling that outlasts the store's
 * retries, and a conditional-check failure because another attempt of the same task wrote first.
 * A mocked client (aws-sdk-client-mock) answers; the tests check the error names the state machines
 * match and that a lost race answers from the winner's write instead of writing twice.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { sweepHandler } from '#functions/sweep/handler.js';
import { arrearsTimerTasks } from '#functions/tasks/arrears-timer/handler.js';
import { fixedClock } from '#app/clock.js';
import { PAYMENT_DUE_SHARDS, paymentDuePk, shardOf } from '#store/keys.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import { employeeEnrollment, recordingPorts } from './helpers.js';

const KEY = 'CN:220102198004121234';
const meta = { $metadata: {} };

function setup(isoNow: string) {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ddb = mockClient(client);
  const store = new DynamoWorkflowStore({
    client,
    tableName: 't',
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
  });
  const ports = recordingPorts();
  const deps = { store, clock: fixedClock(Date.parse(isoNow)), callbacks: ports.callbacks, starter: ports.starter };
  return { ddb, deps };
}

const arrearsCase = (state: string, extra: Record<string, unknown> = {}) => ({
  pk: 'C#arrears-1',
  sk: 'CASE',
  caseId: 'arrears-1',
  caseType: 'arrears',
  region: '220100',
  subject: { kind: 'person', identityKey: KEY },
  state,
  openedOn: '2026-10-01',
  wait: state === 'completed' ? null : { for: 'payment', until: '2026-11-29' },
  taskToken: null,
  executionArn: null,
  closedOn: state === 'completed' ? '2026-10-30' : null,
  data: {
    identityKey: KEY,
    enrollmentId: 'E1',
    mode: 'unit',
    months: [{ feeMonth: '2026-09', baseFen: 600_000, paidFen: 0 }],
    firstUnpaidDay: '2026-09-01',
    opened: {
      suspendedFrom: '2026-09-01',
      windowLastDay: '2026-11-29',
      principalFen: 54_000,
      months: [{ feeMonth: '2026-09', principalFen: 54_000, dueDate: '2026-09-30' }],
    },
    ...extra,
  },
  version: state === 'completed' ? 3 : 2,
  updatedAt: '2026-10-30T08:00:00.000Z',
});

const winnersOutcome = {
  decidedBy: 'A-4',
  paid: true,
  paidOn: '2026-10-30',
  restoredOn: '2026-10-31',
  coverStarts: '2026-09-01',
  arrearsPeriodCovered: true,
  backfillAllowed: true,
  yearsAndAccountCredited: true,
  principalFen: 54_000,
  lateFeeFen: 810,
  amountDueFen: 54_810,
  notificationId: 'N-1',
};

describe('throttling that outlasts the store’s retries', () => {
  it('leaves a task as Store.Retryable (the state machine’s Retry), after the store’s 4 attempts', async () => {
    const { ddb, deps } = setup('2026-10-01T01:00:00+08:00');
    ddb.on(GetItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta }));
    await expect(arrearsTimerTasks(deps).open({ caseId: 'arrears-1' })).rejects.toMatchObject({
      name: 'Store.Retryable',
    });
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 4);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteItemsCommand);
  });

  it('the sweep reports the month it could not handle and fails as Sweep.Incomplete, to run again', async () => {
    const { ddb, deps } = setup('2026-10-01T00:05:00+08:00');
    const shard = shardOf(KEY, PAYMENT_DUE_SHARDS);
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: paymentDuePk('220100', '2026-09-30', shard) } } })
      .resolves({
        Items: [
          marshall({
            pk: `P#${KEY}`,
            sk: 'EXPECT#E1#2026-09',
            identityKey: KEY,
            enrollmentId: 'E1',
            region: '220100',
            mode: 'unit',
            feeMonth: '2026-09',
            dueDate: '2026-09-30',
            status: 'expected',
            version: 1,
            updatedAt: '2026-09-01T00:00:00.000Z',
          }),
        ],
      });
    // The ledger read of that month keeps being throttled.
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: `P#${KEY}` } } })
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta }));
    const err = await sweepHandler(deps)({ date: '2026-10-01', regions: ['220100'] }).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'Sweep.Incomplete' });
    expect((err as Error).message).toContain('1 item(s) failed');
    expect((err as Error).message).not.toContain('198004121234');
    expect(ddb).not.toHaveReceivedCommand(TransactWriteItemsCommand);
  });
});

describe('a conditional-check failure at the moment of the write', () => {
  it('settle: another attempt settled the case first; this one answers from its write and writes nothing', async () => {
    const { ddb, deps } = setup('2026-10-30T16:00:00+08:00');
    ddb
      .on(GetItemCommand, { Key: { pk: { S: 'C#arrears-1' }, sk: { S: 'CASE' } } })
      .resolvesOnce({ Item: marshall(arrearsCase('waiting-payment')) })
      .resolves({ Item: marshall(arrearsCase('completed', { outcome: winnersOutcome })) });
    ddb.on(GetItemCommand, { Key: { pk: { S: `P#${KEY}` }, sk: { S: 'ENR#E1' } } }).resolves({
      Item: marshall(
        {
          pk: `P#${KEY}`,
          sk: 'ENR#E1',
          ...employeeEnrollment(KEY, 'E1'),
          status: 'suspended',
          version: 2,
          updatedAt: 'x',
        },
        { removeUndefinedValues: true },
      ),
    });
    ddb.on(QueryCommand).resolves({
      Items: [
        marshall({
          pk: `P#${KEY}`,
          sk: 'LEDGER#E#2026-09',
          identityKey: KEY,
          scheme: 'employee',
          feePeriod: '2026-09',
          region: '220100',
          amount: 54_000,
          paidOn: '2026-10-30',
          notificationId: 'N-1',
          payments: [],
          supersededIds: [],
          version: 1,
        }),
      ],
    });
    // Enrollment put, its audit, case put, its audit: the case's version check fails (the winner is at 3).
    ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        ...meta,
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: marshall({ version: 3 }) },
          { Code: 'None' },
        ],
      }),
    );
    const out = await arrearsTimerTasks(deps).settle({ caseId: 'arrears-1' });
    expect(out).toEqual({ caseId: 'arrears-1', settled: true, state: 'completed', outcome: winnersOutcome });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1);
  });
});
