/**
 * The task handlers' dependencies in Lambda: the case store on CASE_TABLE_NAME and the Step Functions
 * ports, built once per container on first use (never per request, and not at import, so a module
 * can be imported where the environment is not set, e.g. by the bench or a test).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock } from '#app/clock.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import { requiredEnv, sfnTaskCallbacks, sfnWorkflowStarter } from '../../lib/aws-ports.js';

let deps: WorkflowDeps | undefined;

export function envDeps(): WorkflowDeps {
  if (!deps) {
    const sfn = new SFNClient({});
    deps = {
      store: new DynamoWorkflowStore({ tableName: requiredEnv('CASE_TABLE_NAME') }),
      clock: systemClock,
      callbacks: sfnTaskCallbacks(sfn),
      starter: sfnWorkflowStarter(sfn),
    };
  }
  return deps;
}

/** Deps resolved at call time: the env ones in Lambda, or the ones a test passes. */
export const lazyDeps = (given?: WorkflowDeps): (() => WorkflowDeps) => (given ? () => given : envDeps);
