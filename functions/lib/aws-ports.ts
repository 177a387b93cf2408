/**
 * AWS adapters of the application ports (shared/app/ports.ts) and the case store, built once per module
 * (per Lambda container), never per request. The local runtime supplies its own adapters instead. The SQS
 * adapter lives in aws-sqs.ts so that only the function that needs it loads the SQS client at cold start.
 */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { TaskCallbacks, WorkflowName, WorkflowStarter } from '#app/ports.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';

export function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

/** The store (cases, ledger, expected fee months, renewals) on the table named by CASE_TABLE_NAME. */
export function caseStoreFromEnv(): DynamoWorkflowStore {
  return new DynamoWorkflowStore({ tableName: requiredEnv('CASE_TABLE_NAME') });
}

const gone = (e: unknown) => e instanceof TaskTimedOut || e instanceof InvalidToken || e instanceof TaskDoesNotExist;

export function sfnTaskCallbacks(client: SFNClient = new SFNClient({})): TaskCallbacks {
  return {
    async succeed(token, output) {
      try {
        await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output ?? {}) }));
        return 'resumed';
      } catch (e) {
        if (gone(e)) return 'gone';
        throw e;
      }
    },
    async fail(token, error, cause) {
      try {
        await client.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
        return 'resumed';
      } catch (e) {
        if (gone(e)) return 'gone';
        throw e;
      }
    },
  };
}

/** State machine ARNs come from STATE_MACHINE_<NAME> variables (e.g. STATE_MACHINE_ARREARS_TIMER). */
export function sfnWorkflowStarter(client: SFNClient = new SFNClient({})): WorkflowStarter {
  return {
    async start(machine: WorkflowName, caseId: string, input: unknown) {
      const arn = requiredEnv(`STATE_MACHINE_${machine.toUpperCase().replace(/-/g, '_')}`);
      try {
        await client.send(
          new StartExecutionCommand({ stateMachineArn: arn, name: caseId, input: JSON.stringify(input) }),
        );
        return { started: true };
      } catch (e) {
        // The case id is the execution name: a second start of the same case is harmless.
        if (e instanceof ExecutionAlreadyExists) return { started: false };
        throw e;
      }
    },
  };
}
