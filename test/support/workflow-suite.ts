/**
 * The life of a test file that runs workflow code on DynamoDB Local: one server per file, started before its
 * tests with the case table created and the workflow store on it, stopped after them.
 *
 *   const suite = useWorkflowStore();                 // registers beforeAll / afterAll
 *   it('…', async () => { await suite.store.openCase(…); });
 *
 * The state-machine tests add the synthesized stack and the local Step Functions runtime to this with
 * `useWorkflowSuite` (test/workflows/support.ts); this module stays free of the CDK so that the task-handler
 * tests do not load it.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from './dynamodb-local.js';

/**
 * The workflow store on the local server, retrying throttles quickly; `now` is its clock for the times it
 * writes (default the real one), `tableName` another table of the same server (default the case table).
 */
export function storeOn(local: LocalDynamo, now?: () => Date, tableName = local.tableName): DynamoWorkflowStore {
  return new DynamoWorkflowStore({
    client: local.client,
    tableName,
    retry: { maxAttempts: 5, baseDelayMs: 2, maxDelayMs: 20 },
    ...(now ? { now } : {}),
  });
}

export interface WorkflowStoreSuite {
  /** The file's DynamoDB Local, with its case table. */
  readonly local: LocalDynamo;
  /** The workflow store on the case table, on the real clock. */
  readonly store: DynamoWorkflowStore;
}

export interface WorkflowStoreSuiteOptions {
  /** Runs in beforeAll before the server starts (its set-up that needs no table, e.g. synthesizing a stack). */
  readonly before?: () => void | Promise<void>;
  /** Runs in afterAll once the server has stopped (e.g. to print what the tests counted). */
  readonly after?: () => void | Promise<void>;
}

/** Registers the beforeAll and afterAll of a file on DynamoDB Local; read the suite's fields inside its tests. */
export function useWorkflowStore(options: WorkflowStoreSuiteOptions = {}): WorkflowStoreSuite {
  let local: LocalDynamo | undefined;
  let store: DynamoWorkflowStore | undefined;
  beforeAll(async () => {
    await options.before?.();
    local = await startDynamoDbLocal();
    store = storeOn(local);
  });
  afterAll(async () => {
    await local?.stop();
    await options.after?.();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in beforeAll: read it inside a test or hook`);
    return value;
  };
  return {
    get local() {
      return ready(local, 'suite.local');
    },
    get store() {
      return ready(store, 'suite.store');
    },
  };
}
