/**
 * Shared set-up of the task-handler tests: a DynamoDB Local per test file with the workflow store on it
 * (`useWorkflowStore`, test/support/workflow-suite.ts), a fixed clock, recording Step Functions ports, and
 * the persons, enrollments and payments the scenarios start from (test/support/fixtures.ts).
 */
import { fixedClock } from '#app/clock.js';
import type { TaskCallbacks, WorkflowName, WorkflowStarter } from '#app/ports.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';

export { employeeEnrollment, newIdentityKey, staff, uid } from '../../support/fixtures.js';
export { storeOn, useWorkflowStore } from '../../support/workflow-suite.js';

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

// The handlers log every task as JSON; the tests read outcomes, not logs.
import { logger } from '#functions/tasks/lib/task.js';
logger.setLogLevel('SILENT');
