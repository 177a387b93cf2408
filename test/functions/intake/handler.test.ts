/**
 * The tax-payment intake Lambda end to end: SQS batches through the real handler, the case store on a
 * real DynamoDB Local, Step Functions and SQS mocked (aws-sdk-client-mock) for what a local server
 * cannot produce: the dead-letter send, task tokens that timed out, executions that already exist,
 * and DynamoDB throttling one person's partition at the moment of the intake.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arrearsCaseId } from '#app/intake/index.js';
import { enrollmentIdFromPayment } from '#app/intake/ids.js';
import { checkCharacter } from '#domain/identity.js';
import { personTag, TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import type { CaseInput, ChangeContext } from '#store/model.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalDynamo, startDynamoDbLocal } from '../../support/dynamodb-local.js';

const DLQ_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/tax-payment-malformed';
const TIMER_ARN = 'arn:aws:states:cn-north-1:123456789012:stateMachine:arrears-timer';

const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);

let local: LocalDynamo;
let store: DynamoWorkflowStore;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  process.env.CASE_TABLE_NAME = local.tableName;
  process.env.MALFORMED_DLQ_URL = DLQ_URL;
  process.env.STATE_MACHINE_ARREARS_TIMER = TIMER_ARN;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // The handler builds its clients at import, from the environment, as in Lambda.
  ({ handler } = await import('#functions/intake/handler.js'));
  store = new DynamoWorkflowStore({ client: local.client, tableName: local.tableName });
});
afterAll(() => local?.stop());

beforeEach(() => {
  sfn.reset();
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${TIMER_ARN}:x`, startDate: new Date() });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

// ── Helpers ──────────────────────────────────────────────────────────────────

let seq = 100;
/** A valid resident ID number (GB 11643 check character), a new person each call. */
function idNumber(): string {
  const first17 = `22010219850612${String(seq++).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
const keyOf = (number: string) => `CN:${number}`;

interface PaymentSpec {
  readonly notificationId?: string;
  readonly number: string;
  readonly months: ReadonlyArray<readonly [string, number]>;
  readonly paidAt?: string;
  readonly dueFen?: number;
  readonly extra?: Record<string, unknown>;
}

/** A flexible worker (combined mode) paying for themselves, in 长春 (220100). */
function flexiblePayment(p: PaymentSpec) {
  return {
    schemaVersion: '1',
    notificationId: p.notificationId ?? `SW${randomUUID().slice(0, 8)}`,
    payer: { kind: 'person' },
    scheme: 'employee',
    mode: 'flexible',
    flexibleMode: 'combined',
    region: '220100',
    paidAt: p.paidAt ?? '2026-04-10T10:00:00+08:00',
    insured: [
      {
        identity: { number: p.number },
        periods: p.months.map(([feePeriod, amountFen]) => ({
          feePeriod,
          amountFen,
          ...(p.dueFen !== undefined ? { dueFen: p.dueFen } : {}),
        })),
      },
    ],
    ...p.extra,
  };
}

function eventBody(detail: unknown, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': TAX_PAYMENT_DETAIL_TYPE,
    source: TAX_PAYMENT_SOURCE,
    account: '123456789012',
    time: '2026-04-10T02:00:05Z',
    region: 'cn-north-1',
    resources: [],
    detail,
    ...overrides,
  });
}

function record(body: string, messageId: string = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1775786405000',
      SenderId: 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: '1775786405000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:cn-north-1:123456789012:tax-payment-intake',
    awsRegion: 'cn-north-1',
  };
}

const context = { functionName: 'tax-payment-intake', awsRequestId: 'req-1' } as unknown as Context;
const run = (...records: SQSRecord[]) => handler({ Records: records }, context);

/** The flexible combined due for a 2026 month in 220100: base 5976.00 yuan × 9 % (C-4, C-5). */
const FLEXIBLE_DUE_2026_04 = 53_784;

const staff: ChangeContext = {
  actor: { kind: 'system', component: 'arrears-timer' },
  reason: 'month not received by 2026-03-31',
};

async function arrearsCaseWaiting(number: string, feeMonth: string, taskToken: string): Promise<string> {
  const caseId = arrearsCaseId({ identityKey: keyOf(number), enrollmentId: 'enr-1', feeMonth });
  const input: CaseInput = {
    caseId,
    caseType: 'arrears',
    region: '220100',
    subject: { kind: 'person', identityKey: keyOf(number) },
    state: 'waiting-payment',
    openedOn: '2026-04-01',
    wait: { for: 'payment', until: '2026-05-30' },
    taskToken,
    // The arrears timer's case data (shared/app/workflows/arrears-timer.ts, arrearsCaseData).
    data: {
      identityKey: keyOf(number),
      enrollmentId: 'enr-1',
      mode: 'flexible',
      flexibleMode: 'combined',
      months: [{ feeMonth, principalFen: 53_784, paidFen: 0 }],
      firstUnpaidDay: `${feeMonth}-01`,
    },
  };
  await store.openCase(input, staff);
  return caseId;
}

// ── A mixed batch ────────────────────────────────────────────────────────────

describe('a batch of notifications', () => {
  it('stores the good one once, keeps months arriving out of order, dead-letters the malformed ones', async () => {
    const a = idNumber();
    const b = idNumber();
    const good = eventBody(
      flexiblePayment({ notificationId: 'SW2026041000001', number: a, months: [['2026-04', FLEXIBLE_DUE_2026_04]] }),
    );
    // B paid March earlier (JL26 is in force from 2026-03-01); May and then April arrive in one batch.
    await run(
      record(
        eventBody(flexiblePayment({ number: b, months: [['2026-03', 53_784]], paidAt: '2026-03-10T09:00:00+08:00' })),
      ),
    );
    const may = eventBody(
      flexiblePayment({ number: b, months: [['2026-05', 53_784]], paidAt: '2026-05-10T10:00:00+08:00' }),
    );
    const april = eventBody(
      flexiblePayment({ number: b, months: [['2026-04', 53_784]], paidAt: '2026-05-10T11:00:00+08:00' }),
    );
    const badNumber = `${a.slice(0, 17)}${a[17] === '1' ? '2' : '1'}`;
    const malformedId = eventBody(flexiblePayment({ number: badNumber, months: [['2026-04', 100]] }));
    const unknownVersion = eventBody({
      ...flexiblePayment({ number: a, months: [['2026-04', 100]] }),
      schemaVersion: '2',
    });
    const notJson = '{"detail": ';

    const response = await run(
      record(good, 'm-good'),
      record(good, 'm-duplicate'),
      record(may, 'm-may'),
      record(april, 'm-april'),
      record(malformedId, 'm-bad-id'),
      record(unknownVersion, 'm-v2'),
      record(notJson, 'm-not-json'),
    );

    // Nothing to redeliver: the duplicate is normal, the malformed ones are handled by the DLQ.
    expect(response).toEqual({ batchItemFailures: [] });

    // The good notification: one ledger entry made of one payment, despite the second copy.
    const ledgerA = await store.ledger(keyOf(a), 'employee');
    expect(ledgerA).toHaveLength(1);
    expect(ledgerA[0]).toMatchObject({ feePeriod: '2026-04', amount: 53_784, paidOn: '2026-04-10' });
    expect(ledgerA[0]!.payments.map((p) => p.notificationId)).toEqual(['SW2026041000001']);

    // First enrollment (W-6): 90 days counting from the day after payment, 2026-04-11 → covered from 2026-07-10.
    const [enrollment] = await store.listEnrollments(keyOf(a));
    expect(enrollment).toMatchObject({
      scheme: 'employee',
      mode: 'flexible',
      region: '220100',
      enrolledOn: '2026-04-10',
    });
    expect(enrollment!.coverPeriods).toHaveLength(1);
    expect(enrollment!.coverPeriods[0]).toMatchObject({
      start: '2026-07-10',
      end: null,
      decision: 'waiting-period',
      notificationId: 'SW2026041000001',
    });
    expect(enrollment!.coverPeriods[0]!.rules.map((r) => r.id)).toContain('W-6');
    expect((await store.statusOn(keyOf(a), '2026-07-09')).covered).toBe(false);
    expect((await store.statusOn(keyOf(a), '2026-07-10')).covered).toBe(true);

    // The audit record of the cover carries the decision's trace.
    const trail = await store.auditTrail({ identityKey: keyOf(a) });
    const saved = trail.items.filter((r) => r.action === 'enrollment-created');
    expect(saved).toHaveLength(1);
    expect(saved[0]!.trace?.decision).toBe('waiting-period');
    expect(saved[0]!.reason).toContain('covered from 2026-07-10');
    expect(trail.items.filter((r) => r.action === 'notification-stored')).toHaveLength(1);

    // Months out of order read back in calendar order, each once.
    const ledgerB = await store.ledger(keyOf(b), 'employee');
    expect(ledgerB.map((e) => [e.feePeriod, e.amount])).toEqual([
      ['2026-03', 53_784],
      ['2026-04', 53_784],
      ['2026-05', 53_784],
    ]);
    // B's waiting period from March (90 days from 2026-03-11 → covered from 2026-06-09) is not restarted by
    // the later months (W-5b for the 40-day gap, then W-8: the running waiting period carries).
    const [enrollmentB] = await store.listEnrollments(keyOf(b));
    expect(enrollmentB!.coverPeriods.map((c) => c.start)).toEqual(['2026-06-09']);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);

    // Three messages dead-lettered, each with its reason, the body as received, and no ID number in the reason.
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 3);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    const reasonOf = (body: string) => sent.find((s) => s.MessageBody === body)?.MessageAttributes?.reason?.StringValue;
    expect(sent.every((s) => s.QueueUrl === DLQ_URL)).toBe(true);
    expect(reasonOf(malformedId)).toMatch(
      /detail\.insured\.0\.identity\.number: invalid identity number: the check character should be/,
    );
    expect(reasonOf(malformedId)).not.toContain(badNumber);
    expect(reasonOf(unknownVersion)).toContain('unknown schemaVersion "2"; this intake reads 1');
    expect(reasonOf(notJson)).toBe('not JSON');
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageBody: notJson,
      MessageAttributes: expect.objectContaining({
        sourceMessageId: { DataType: 'String', StringValue: 'm-not-json' },
      }),
    });
    // Nothing stored for the malformed number's person.
    expect(await store.ledger(keyOf(badNumber), 'employee')).toEqual([]);
    // A full payment opens no arrears case and starts no timer.
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('fails only the record whose store calls are throttled; its redelivery then goes through', async () => {
    const ok = idNumber();
    const throttled = idNumber();
    const realSend = DynamoDBClient.prototype.send;
    const ddb = mockClient(DynamoDBClient);
    try {
      // Throttle every request that touches the throttled person's partition; pass the others to DynamoDB Local.
      const passOrThrottle = (make: (input: never) => unknown) => (input: object, getClient: () => DynamoDBClient) => {
        if (JSON.stringify(input).includes(keyOf(throttled)))
          throw new ProvisionedThroughputExceededException({
            message: 'Rate of requests exceeds the allowed throughput',
            $metadata: {},
          });
        // biome-ignore lint/suspicious/noExplicitAny: the real send, for every other person
        return (realSend as any).call(getClient(), make(input as never));
      };
      ddb.on(GetItemCommand).callsFake(passOrThrottle((i) => new GetItemCommand(i)));
      ddb.on(QueryCommand).callsFake(passOrThrottle((i) => new QueryCommand(i)));
      ddb.on(TransactWriteItemsCommand).callsFake(passOrThrottle((i) => new TransactWriteItemsCommand(i)));
      const throttledBody = eventBody(
        flexiblePayment({ number: throttled, months: [['2026-04', FLEXIBLE_DUE_2026_04]] }),
      );
      const response = await run(
        record(eventBody(flexiblePayment({ number: ok, months: [['2026-04', FLEXIBLE_DUE_2026_04]] })), 'm-ok'),
        record(throttledBody, 'm-throttled'),
      );
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-throttled' }] });
      expect(ddb).toHaveReceivedCommand(TransactWriteItemsCommand);
      ddb.restore();
      expect((await store.ledger(keyOf(ok), 'employee')).map((e) => e.feePeriod)).toEqual(['2026-04']);
      expect(await store.ledger(keyOf(throttled), 'employee')).toEqual([]);
      expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);

      // SQS redelivers it: stored now, with its cover.
      expect(await run(record(throttledBody, 'm-throttled'))).toEqual({ batchItemFailures: [] });
      expect((await store.ledger(keyOf(throttled), 'employee')).map((e) => e.amount)).toEqual([FLEXIBLE_DUE_2026_04]);
      expect((await store.listEnrollments(keyOf(throttled)))[0]!.coverPeriods[0]!.start).toBe('2026-07-10');
    } finally {
      ddb.restore();
    }
  });
});

// ── Unit payments: one notification, several persons ──────────────────────────

describe('a unit payment for several employees', () => {
  it('becomes one notification per person, with ids that a redelivery in another order maps to again', async () => {
    const x = idNumber();
    const y = idNumber();
    const detail = (order: string[]) => ({
      schemaVersion: '1',
      notificationId: 'DW2026040900042',
      payer: { kind: 'unit', id: '91220101MA0000001X' },
      scheme: 'employee',
      mode: 'unit',
      region: '220100',
      paidAt: '2026-04-09T15:30:00+08:00',
      insured: order.map((n) => ({
        identity: { number: n },
        periods: [{ feePeriod: '2026-04', amountFen: 54_000, baseFen: 600_000, dueFen: 54_000 }],
      })),
    });
    expect(await run(record(eventBody(detail([x, y]))))).toEqual({ batchItemFailures: [] });
    expect(await run(record(eventBody(detail([y, x]))))).toEqual({ batchItemFailures: [] });

    for (const n of [x, y]) {
      const ledger = await store.ledger(keyOf(n), 'employee');
      expect(ledger).toHaveLength(1);
      expect(ledger[0]!.payments.map((p) => p.notificationId)).toEqual([`DW2026040900042.${personTag(keyOf(n))}`]);
      expect(ledger[0]).toMatchObject({
        amount: 54_000,
        base: 600_000,
        payer: { kind: 'unit', id: '91220101MA0000001X' },
      });
      const [e] = await store.listEnrollments(keyOf(n));
      expect(e).toMatchObject({ mode: 'unit', unitId: '91220101MA0000001X' });
      expect(e!.coverPeriods).toHaveLength(1);
    }
  });
});

// ── Cases waiting for the payment ─────────────────────────────────────────────

describe('an arrears case waiting for the payment', () => {
  it('is resumed with SendTaskSuccess on its token, once, and records the payment', async () => {
    const d = idNumber();
    const caseId = await arrearsCaseWaiting(d, '2026-03', 'token-D-1');
    const body = eventBody(
      flexiblePayment({ notificationId: 'SW2026041000007', number: d, months: [['2026-03', 53_784]] }),
    );

    expect(await run(record(body))).toEqual({ batchItemFailures: [] });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const call = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(call.taskToken).toBe('token-D-1');
    const output = JSON.parse(call.output!);
    expect(output).toMatchObject({
      event: 'payment',
      caseId,
      notificationId: 'SW2026041000007',
      paidOn: '2026-04-10',
      periods: [{ feePeriod: '2026-03', amountFen: 53_784, ledgerAmountFen: 53_784 }],
    });
    // The execution history never sees the ID number.
    expect(call.output).not.toContain(d);

    const after = await store.getCase(caseId);
    expect(after.taskToken).toBeNull();
    expect(after.data.paymentsReceived).toEqual([
      {
        notificationId: 'SW2026041000007',
        paidOn: '2026-04-10',
        feePeriods: ['2026-03'],
        amountFen: 53_784,
        callback: 'resumed',
      },
    ]);
    const trail = await store.auditTrail({ caseId });
    expect(trail.items.at(-1)).toMatchObject({
      actor: { kind: 'system', component: 'tax-payment-intake' },
      reason: expect.stringContaining('the waiting execution was resumed'),
    });

    // Delivered again: nothing more is sent, nothing changes.
    expect(await run(record(body))).toEqual({ batchItemFailures: [] });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect((await store.getCase(caseId)).version).toBe(after.version);
  });

  it('whose token timed out (TaskTimedOut) records the late payment and fails nothing', async () => {
    const e = idNumber();
    const caseId = await arrearsCaseWaiting(e, '2026-03', 'token-E-expired');
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const response = await run(
      record(
        eventBody(flexiblePayment({ number: e, months: [['2026-03', 53_784]], paidAt: '2026-07-20T09:00:00+08:00' })),
      ),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-E-expired' });
    const after = await store.getCase(caseId);
    expect(after.taskToken).toBeNull();
    expect(after.data.paymentsReceived).toMatchObject([{ paidOn: '2026-07-20', callback: 'gone' }]);
    const trail = await store.auditTrail({ caseId });
    expect(trail.items.at(-1)!.reason).toContain('arrived after the wait ended');
  });
});

describe('a retirement-transfer case waiting for the lump sum', () => {
  it('is resumed by a payment marked retirement-lump-sum, not by an ordinary month', async () => {
    const r = idNumber();
    const caseId = `retirement-${personTag(keyOf(r))}`;
    await store.openCase(
      {
        caseId,
        caseType: 'retirement-transfer',
        region: '220100',
        subject: { kind: 'person', identityKey: keyOf(r) },
        state: 'waiting-lump-sum',
        openedOn: '2026-04-01',
        wait: { for: 'lump-sum-payment', until: '2026-06-30' },
        taskToken: 'token-R',
        data: {},
      },
      staff,
    );
    await run(record(eventBody(flexiblePayment({ number: r, months: [['2026-04', FLEXIBLE_DUE_2026_04]] }))));
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);

    const lumpSum = eventBody(
      flexiblePayment({
        number: r,
        months: [['2026-05', 4_500_000]],
        paidAt: '2026-05-06T09:00:00+08:00',
        extra: { purpose: 'retirement-lump-sum' },
      }),
    );
    expect(await run(record(lumpSum))).toEqual({ batchItemFailures: [] });
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskSuccessCommand, { taskToken: 'token-R' });
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!)).toMatchObject({
      purpose: 'retirement-lump-sum',
      paidOn: '2026-05-06',
      periods: [{ feePeriod: '2026-05', amountFen: 4_500_000 }],
    });
    // A lump sum is not a month's contribution: no arrears case for it.
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

// ── Short payments ───────────────────────────────────────────────────────────

describe('a short payment', () => {
  it('opens the month’s arrears case until the A-4 window’s last day and starts one arrears timer', async () => {
    const f = idNumber();
    const body = eventBody(
      flexiblePayment({ notificationId: 'SW2026041000099', number: f, months: [['2026-04', 30_000]] }),
    );

    expect(await run(record(body))).toEqual({ batchItemFailures: [] });

    const [enrollment] = await store.listEnrollments(keyOf(f));
    // The enrollment's month: the sweep opens the same case for it (test/cases/arrears-one-case.test.ts).
    const caseId = arrearsCaseId({
      identityKey: keyOf(f),
      enrollmentId: enrollment!.enrollmentId,
      feeMonth: '2026-04',
    });
    // Also the execution name: no ':' (Step Functions refuses it there), no ID number, at most 80 characters.
    expect(caseId).toMatch(/^arrears-2026-04-[0-9a-f]{16}$/);
    expect(caseId).not.toContain(f);
    const opened = await store.getCase(caseId);
    expect(opened).toMatchObject({
      caseType: 'arrears',
      // The timer's first task suspends the enrollment and moves it to waiting-payment.
      state: 'opened',
      subject: { kind: 'person', identityKey: keyOf(f) },
      // the first unpaid day is 2026-04-01, so E = 2026-03-31 and the window ends 90 days later.
      wait: { for: 'payment', until: '2026-06-29' },
      data: {
        identityKey: keyOf(f),
        enrollmentId: enrollment!.enrollmentId,
        mode: 'flexible',
        flexibleMode: 'combined',
        months: [{ feeMonth: '2026-04', principalFen: FLEXIBLE_DUE_2026_04 - 30_000, paidFen: 30_000 }],
        firstUnpaidDay: '2026-04-01',
        dueFen: FLEXIBLE_DUE_2026_04,
        dueSource: 'flexible-contribution',
        paidFen: 30_000,
        shortFen: FLEXIBLE_DUE_2026_04 - 30_000,
        suspendedFrom: '2026-04-01',
        openedBy: 'SW2026041000099',
        workflow: { machine: 'arrears-timer', executionName: caseId, started: true },
      },
    });
    const trail = await store.auditTrail({ caseId });
    expect(trail.items[0]).toMatchObject({ action: 'case-opened:opened' });
    expect(trail.items[0]!.trace?.decision).toBe('arrears');

    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, {
      stateMachineArn: TIMER_ARN,
      name: caseId,
    });
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!);
    expect(input).toEqual({
      caseId,
      caseType: 'arrears',
      region: '220100',
      feeMonths: ['2026-04'],
      waitUntil: '2026-06-29',
    });

    // A second delivery starts nothing and sends no callback to its own case.
    expect(await run(record(body))).toEqual({ batchItemFailures: [] });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('handles ExecutionAlreadyExists when the timer was started before its start was recorded', async () => {
    const g = idNumber();
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    const response = await run(
      record(eventBody(flexiblePayment({ number: g, months: [['2026-04', 20_000]], dueFen: 53_784 }))),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const [enrollment] = await store.listEnrollments(keyOf(g));
    const c = await store.getCase(
      arrearsCaseId({ identityKey: keyOf(g), enrollmentId: enrollment!.enrollmentId, feeMonth: '2026-04' }),
    );
    expect(c.data).toMatchObject({ dueSource: 'tax-bureau', shortFen: 33_784, workflow: { started: false } });
  });

  it('topped up later, resumes the case it opened with the whole month paid', async () => {
    const h = idNumber();
    const first = flexiblePayment({ number: h, months: [['2026-04', 30_000]] });
    await run(record(eventBody(first)));
    const caseId = arrearsCaseId({
      identityKey: keyOf(h),
      enrollmentId: enrollmentIdFromPayment(first.notificationId),
      feeMonth: '2026-04',
    });
    // The timer began to wait: its task stored the token on the case.
    await store.updateCase(caseId, (c) => ({ ...c, taskToken: 'token-H' }), staff);

    await run(
      record(
        eventBody(flexiblePayment({ number: h, months: [['2026-04', 23_784]], paidAt: '2026-04-20T10:00:00+08:00' })),
      ),
    );

    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const call = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(call.taskToken).toBe('token-H');
    expect(JSON.parse(call.output!).periods).toEqual([
      { feePeriod: '2026-04', amountFen: 23_784, ledgerAmountFen: FLEXIBLE_DUE_2026_04 },
    ]);
  });
});

// ── Passing failures of the other services ───────────────────────────────────

describe('a passing failure of Step Functions or SQS', () => {
  it('fails only the record whose timer start was throttled; the redelivery starts it once', async () => {
    const k = idNumber();
    const other = idNumber();
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }))
      .resolves({ executionArn: `${TIMER_ARN}:k`, startDate: new Date() });
    const shortDetail = flexiblePayment({ number: k, months: [['2026-04', 10_000]] });
    const short = eventBody(shortDetail);

    const response = await run(
      record(short, 'm-short'),
      record(eventBody(flexiblePayment({ number: other, months: [['2026-04', FLEXIBLE_DUE_2026_04]] })), 'm-full'),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-short' }] });
    const caseId = arrearsCaseId({
      identityKey: keyOf(k),
      enrollmentId: enrollmentIdFromPayment(shortDetail.notificationId),
      feeMonth: '2026-04',
    });
    // The case is open (its audit holds the decision); only the start is owed.
    expect((await store.getCase(caseId)).data.workflow).toBeUndefined();

    expect(await run(record(short, 'm-short'))).toEqual({ batchItemFailures: [] });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    expect((await store.getCase(caseId)).data.workflow).toMatchObject({ started: true });
    // The ledger kept one payment through both deliveries.
    expect((await store.ledger(keyOf(k), 'employee'))[0]!.payments).toHaveLength(1);
  });

  it('fails a malformed record whose dead-letter send failed, so it is not lost', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    const good = idNumber();
    const response = await run(
      record('not json at all', 'm-lost?'),
      record(eventBody(flexiblePayment({ number: good, months: [['2026-04', FLEXIBLE_DUE_2026_04]] })), 'm-good'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-lost?' }] });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: DLQ_URL, MessageBody: 'not json at all' });
  });
});

afterEach(() => {
  // Each test states its own SFN/SQS behaviour.
  sfn.reset();
});

describe('an enrollment the tax bureau’s first payment created', () => {
  it('is watched from then on: the next month is expected by its due date (C-6), an old month starts no chain', async () => {
    const number = idNumber();
    const key = `CN:${number}`;
    const paid = await run(
      record(
        eventBody(flexiblePayment({ number, months: [['2026-04', 56_026]], paidAt: '2026-04-10T10:00:00+08:00' })),
      ),
    );
    expect(paid.batchItemFailures).toEqual([]);
    const [enrollment] = await store.listEnrollments(key);
    const ref = { identityKey: key, enrollmentId: enrollment!.enrollmentId };
    // May is expected for the daily sweep, due at the end of June: C-6, before the 2026 average wage is
    // published the older due date applies (Reading: end of the following month).
    expect(await store.getExpectedPayment({ ...ref, feeMonth: '2026-05' })).toMatchObject({
      status: 'expected',
      dueDate: '2026-06-30',
      mode: 'flexible',
      flexibleMode: 'combined',
    });
    // A month paid long after its due date (2026-03, due 2026-04-30, paid 2026-06-15) expects no month that
    // is past due already (April, due 2026-05-31): the sweep reads only each day's due dates.
    const late = await run(
      record(
        eventBody(flexiblePayment({ number, months: [['2026-03', 56_026]], paidAt: '2026-06-15T10:00:00+08:00' })),
      ),
    );
    expect(late.batchItemFailures).toEqual([]);
    await expect(store.getExpectedPayment({ ...ref, feeMonth: '2026-04' })).rejects.toThrow();
  });
});

describe('a newborn registered by staff (newborn-window case)', () => {
  /** A newborn of Changchun (the ID number gives the birth date, GB 11643) and the window case staff opened. */
  async function newborn(birth: string, window: Partial<CaseInput>) {
    const first17 = `220102${birth.replaceAll('-', '')}${String(seq++).padStart(3, '0')}`;
    const number = first17 + checkCharacter(first17);
    const key = `CN:${number}`;
    await store.openCase(
      {
        caseId: `NB-${randomUUID().slice(0, 8)}`,
        caseType: 'newborn-window',
        region: '220100',
        subject: { kind: 'person', identityKey: key },
        state: 'waiting-enrollment',
        openedOn: birth,
        wait: null,
        taskToken: null,
        ...window,
        data: { identityKey: key, birthDate: birth },
      },
      { actor: { kind: 'staff', staffId: 'clerk-1', region: '220100' }, reason: 'newborn registered' },
    );
    return { number, key };
  }

  /** The 2026 resident fee paid for them; returns their cover periods. */
  async function payResident2026(number: string, key: string, paidAt: string) {
    const detail = {
      schemaVersion: '1',
      notificationId: `RS${randomUUID().slice(0, 8)}`,
      payer: { kind: 'person' },
      scheme: 'resident',
      region: '220100',
      paidAt,
      insured: [{ identity: { number }, periods: [{ feePeriod: '2026', amountFen: 38_000 }] }],
    };
    expect((await run(record(eventBody(detail)))).batchItemFailures).toEqual([]);
    return (await store.listEnrollments(key))[0]!.coverPeriods;
  }

  it('is covered from birth when the first payment comes within the 90 days (W-1), not after a wait (W-6)', async () => {
    const { number, key } = await newborn('2026-09-12', {
      wait: { for: 'enrollment-and-payment', until: '2026-12-11' },
    });
    const cover = await payResident2026(number, key, '2026-10-08T10:00:00+08:00');
    expect(cover).toHaveLength(1);
    expect(cover[0]).toMatchObject({ start: '2026-09-12', end: '2026-12-31' });
    expect(cover[0]!.rules.map((r) => r.id)).toContain('W-1');
    expect((await store.statusOn(key, '2026-09-12')).covered).toBe(true);
  });

  it('registered but paid after the 90 days, still in the birth year: no waiting, cover from the day after payment (W-1)', async () => {
    // The sweep closed the window on 2026-04-10 with no enrollment.
    const { number, key } = await newborn('2026-01-10', { state: 'closed', closedOn: '2026-04-10' });
    const cover = await payResident2026(number, key, '2026-06-01T10:00:00+08:00');
    // Not a first enrollment's 90 days (W-6 would give 2026-08-31).
    expect(cover[0]).toMatchObject({ start: '2026-06-02', end: '2026-12-31' });
    expect(cover[0]!.rules.map((r) => r.id)).toContain('W-1');
  });
});
