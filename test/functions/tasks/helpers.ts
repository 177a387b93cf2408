/**
 * Shared set-up of the task-handler tests: a DynamoDB Local per test file, the workflow store on it,
 * a fixed clock, recording Step Functions ports, and the persons, enrollments and payments the
 * scenarios start from (real dates and amounts).
 */
import { fixedClock } from '../../../shared/app/clock.js';
import type { TaskCallbacks, WorkflowName, WorkflowStarter } from '../../../shared/app/ports.js';
import type { WorkflowDeps } from '../../../shared/app/workflows/common.js';
import type { ChangeContext, EnrollmentInput } from '../../../shared/store/model.js';
import { DynamoWorkflowStore } from '../../../shared/store/workflow-store.js';
import type { LocalDynamo } from '../../support/dynamodb-local.js';

export const staff: ChangeContext = {
  actor: { kind: 'staff', staffId: 'cc-0042', region: '220100' },
  reason: 'test set-up at the counter',
};

export function storeOn(local: LocalDynamo, now?: () => Date): DynamoWorkflowStore {
  return new DynamoWorkflowStore({
    client: local.client,
    tableName: local.tableName,
    retry: { maxAttempts: 5, baseDelayMs: 2, maxDelayMs: 20 },
    ...(now ? { now } : {}),
  });
}

export interface Recorded {
  readonly succeeded: Array<{ token: string; output: unknown }>;
  readonly failed: Array<{ token: string; error: string }>;
  readonly started: Array<{ machine: WorkflowName; caseId: string; input: unknown }>;
}

export function recordingPorts(): { callbacks: TaskCallbacks; starter: WorkflowStarter; recorded: Recorded } {
  const recorded: Recorded = { succeeded: [], failed: [], started: [] };
  const names = new Set<string>();
  return {
    recorded,
    callbacks: {
      async succeed(token, output) {
        recorded.succeeded.push({ token, output });
        return 'resumed';
      },
      async fail(token, error) {
        recorded.failed.push({ token, error });
        return 'resumed';
      },
    },
    starter: {
      async start(machine, caseId, input) {
        // The case id is the execution name: a second start of the same case starts nothing.
        if (names.has(`${machine}/${caseId}`)) return { started: false };
        names.add(`${machine}/${caseId}`);
        recorded.started.push({ machine, caseId, input });
        return { started: true };
      },
    },
  };
}

/** Deps on a fixed clock at `isoNow`. */
export function depsAt(store: DynamoWorkflowStore, isoNow: string) {
  const clock = fixedClock(Date.parse(isoNow));
  const ports = recordingPorts();
  const deps: WorkflowDeps = { store, clock, callbacks: ports.callbacks, starter: ports.starter };
  return { deps, clock, recorded: ports.recorded };
}

let seq = 0;
/** A fresh valid Chinese ID number (GB 11643 checksum) for each scenario, so tests never share a person. */
export function newIdentityKey(birth = '19800412'): string {
  const body = `220102${birth}${String(100 + (seq++ % 900)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return `CN:${body}${'10X98765432'[sum % 11]}`;
}

export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
}

const E1 = { id: 'E-1', cites: 'JL26 Art.4' };

export function employeeEnrollment(
  identityKey: string,
  enrollmentId: string,
  overrides: Partial<EnrollmentInput> = {},
): EnrollmentInput {
  return {
    enrollmentId,
    identityKey,
    scheme: 'employee',
    mode: 'unit',
    region: '220100',
    unitId: 'U-220100-0001',
    enrolledOn: '2020-01-01',
    statusHistory: [
      { status: 'normal', from: '2020-01-01', rules: [E1], reason: { zh: '单位参保', en: 'enrolled by the unit' } },
    ],
    coverPeriods: [
      {
        start: '2020-01-01',
        end: null,
        rules: [{ id: 'W-4', cites: 'JL26 Art.10, Art.20' }],
        reason: { zh: '按月足额缴费', en: 'months paid on time' },
      },
    ],
    ...overrides,
  };
}

// The handlers log every task as JSON; the tests read outcomes, not logs.
import { logger } from '../../../functions/tasks/lib/task.js';
logger.setLogLevel('SILENT');
