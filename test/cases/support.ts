/**
 * What the case tests (test/cases) share: the intake and the daily sweep on one DynamoDB Local with the same
 * recording ports — one Step Functions starter that, like Step Functions, starts a name once — tax payment
 * events as the tax bureau sends them, and the persons and enrollments they are about.
 */
import { randomUUID } from 'node:crypto';
import { fixedClock } from '#app/clock.js';
import { createPaymentIntake, type PaymentIntake } from '#app/intake/index.js';
import type { DeadLetters, TaskCallbacks, WorkflowName, WorkflowStarter } from '#app/ports.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { checkCharacter } from '#domain/identity.js';
import { TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import type { ChangeContext, EnrollmentInput } from '#store/model.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import type { LocalDynamo } from '../support/dynamodb-local.js';

export const staff: ChangeContext = {
  actor: { kind: 'staff', staffId: 'cc-0042', region: '220100' },
  reason: 'test set-up at the counter',
};

export function storeOn(local: LocalDynamo, tableName = local.tableName): DynamoWorkflowStore {
  return new DynamoWorkflowStore({
    client: local.client,
    tableName,
    retry: { maxAttempts: 5, baseDelayMs: 2, maxDelayMs: 20 },
  });
}

let seq = 0;
/** A fresh valid resident ID number (GB 11643 check character), a new person each call. */
export function idNumber(birth = '19850612'): string {
  const first17 = `220102${birth}${String(100 + (seq++ % 900)).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** A unit employee in Changchun (220100) since 2020, covered while the months are paid. */
export function unitEnrollment(identityKey: string, enrollmentId: string, unitId = 'U-220100-0001'): EnrollmentInput {
  return {
    enrollmentId,
    identityKey,
    scheme: 'employee',
    mode: 'unit',
    region: '220100',
    unitId,
    enrolledOn: '2020-01-01',
    statusHistory: [
      {
        status: 'normal',
        from: '2020-01-01',
        rules: [{ id: 'E-1', cites: 'JL26 Art.4' }],
        reason: { zh: '单位参保', en: 'enrolled by the unit' },
      },
    ],
    coverPeriods: [
      {
        start: '2020-01-01',
        end: null,
        rules: [{ id: 'W-4', cites: 'JL26 Art.10, Art.20' }],
        reason: { zh: '按月足额缴费', en: 'months paid on time' },
      },
    ],
  };
}

export interface Recorded {
  readonly started: Array<{ machine: WorkflowName; caseId: string; input: unknown }>;
  readonly starts: Array<{ machine: WorkflowName; caseId: string; started: boolean }>;
  readonly succeeded: Array<{ token: string; output: unknown }>;
  readonly deadLetters: Array<{ body: string; reason: string; attributes: Record<string, string> }>;
}

/** The ports, shared by the intake and the sweep, recording what they were asked to do. */
export function recordingPorts(): {
  callbacks: TaskCallbacks;
  starter: WorkflowStarter;
  deadLetters: DeadLetters;
  recorded: Recorded;
} {
  const recorded: Recorded = { started: [], starts: [], succeeded: [], deadLetters: [] };
  const names = new Set<string>();
  return {
    recorded,
    callbacks: {
      async succeed(token, output) {
        recorded.succeeded.push({ token, output });
        return 'resumed';
      },
      async fail() {
        return 'resumed';
      },
    },
    starter: {
      async start(machine, caseId, input) {
        // The case id is the execution name: Step Functions starts a name once.
        const started = !names.has(`${machine}/${caseId}`);
        names.add(`${machine}/${caseId}`);
        recorded.starts.push({ machine, caseId, started });
        if (started) recorded.started.push({ machine, caseId, input });
        return { started };
      },
    },
    deadLetters: {
      async send(body, reason, attributes = {}) {
        recorded.deadLetters.push({ body, reason, attributes });
      },
    },
  };
}

/** The intake and the sweep's deps on one store, one clock (movable) and the same ports. */
export function system(store: DynamoWorkflowStore, isoNow: string) {
  const clock = fixedClock(Date.parse(isoNow));
  const ports = recordingPorts();
  const intake: PaymentIntake = createPaymentIntake({
    store,
    callbacks: ports.callbacks,
    workflows: ports.starter,
    deadLetters: ports.deadLetters,
    clock,
  });
  const sweepDeps: WorkflowDeps = { store, clock, callbacks: ports.callbacks, starter: ports.starter };
  return { clock, intake, sweepDeps, recorded: ports.recorded };
}

export interface PaidMonth {
  readonly feePeriod: string;
  readonly amountFen: number;
  readonly baseFen?: number;
  readonly dueFen?: number;
}

/** A unit's payroll notification: each insured person with the months paid for them. */
export function unitPayroll(p: {
  notificationId?: string;
  unitId?: string;
  paidAt: string;
  insured: ReadonlyArray<{ number: string; periods: readonly PaidMonth[] }>;
}) {
  return {
    schemaVersion: '1',
    notificationId: p.notificationId ?? `DW${randomUUID().slice(0, 8)}`,
    payer: { kind: 'unit', id: p.unitId ?? 'U-220100-0001' },
    scheme: 'employee',
    mode: 'unit',
    region: '220100',
    paidAt: p.paidAt,
    insured: p.insured.map((i) => ({ identity: { number: i.number }, periods: i.periods })),
  };
}

/** A flexible worker (combined mode) paying for themselves in Changchun. */
export function flexiblePayment(p: {
  notificationId?: string;
  number: string;
  paidAt: string;
  periods: readonly PaidMonth[];
}) {
  return {
    schemaVersion: '1',
    notificationId: p.notificationId ?? `SW${randomUUID().slice(0, 8)}`,
    payer: { kind: 'person' },
    scheme: 'employee',
    mode: 'flexible',
    flexibleMode: 'combined',
    region: '220100',
    paidAt: p.paidAt,
    insured: [{ identity: { number: p.number }, periods: p.periods }],
  };
}

/** The EventBridge event around a notification, as the SQS message body carries it. */
export function eventBody(detail: unknown): string {
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': TAX_PAYMENT_DETAIL_TYPE,
    source: TAX_PAYMENT_SOURCE,
    account: '123456789012',
    time: '2026-10-10T02:00:05Z',
    region: 'cn-north-1',
    resources: [],
    detail,
  });
}
