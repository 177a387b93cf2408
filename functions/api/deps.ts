/**
 * The staff services' dependencies in Lambda: the case store on CASE_TABLE_NAME, Step Functions for starting
 * workflows and resuming executions, the system clock. Built once per module (per container) on first use,
 * never per request. The local runtime and the tests install their own with `useStaffDeps` (local adapters,
 * DynamoDB Local, a fixed clock) and then call the very same handlers.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock } from '../../shared/app/clock.js';
import type { StaffDeps } from '../../shared/app/staff/context.js';
import { caseStoreFromEnv, sfnTaskCallbacks, sfnWorkflowStarter } from '../lib/aws-ports.js';

let current: StaffDeps | undefined;

function fromEnv(): StaffDeps {
  const sfn = new SFNClient({});
  return {
    store: caseStoreFromEnv(),
    workflows: sfnWorkflowStarter(sfn),
    callbacks: sfnTaskCallbacks(sfn),
    clock: systemClock,
  };
}

export function staffDeps(): StaffDeps {
  current ??= fromEnv();
  return current;
}

/** For the local runtime and tests: the handlers use these from now on. */
export function useStaffDeps(deps: StaffDeps | undefined): void {
  current = deps;
}
