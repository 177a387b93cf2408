/**
 * The staff services' dependencies in Lambda: the case store on CASE_TABLE_NAME, Step Functions for starting
 * workflows and resuming executions, the system clock. Built once per module (per container) on first use,
 * never per request. The local runtime and the tests install their own with `useStaffDeps` (local adapters,
 * DynamoDB Local, a fixed clock; see installed.ts) and then call the very same handlers.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock } from '#app/clock.js';
import type { StaffDeps } from '#app/staff/context.js';
import { caseStoreFromEnv, sfnTaskCallbacks, sfnWorkflowStarter } from '../lib/aws-ports.js';
import { installedStaffDeps } from './installed.js';

export { useStaffDeps } from './installed.js';

let fromEnvironment: StaffDeps | undefined;

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
  const installed = installedStaffDeps();
  if (installed) return installed;
  fromEnvironment ??= fromEnv();
  return fromEnvironment;
}
