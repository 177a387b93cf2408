/**
 * The staff dependencies installed by the local runtime or a test (`useStaffDeps`), without any AWS
 * import. deps.ts builds the AWS ones when none are installed; a handler that only needs the clock (the
 * what-if calculator: no store, no Step Functions) reads `staffClock()` from here, so its bundle neither
 * carries the store nor loads an AWS SDK client at cold start — it never calls AWS.
 */
import { systemClock } from '#app/clock.js';
import type { Clock } from '#app/ports.js';
import type { StaffDeps } from '#app/staff/context.js';

let installed: StaffDeps | undefined;

/** For the local runtime and tests: the handlers use these from now on (`undefined`: the AWS ones again). */
export function useStaffDeps(deps: StaffDeps | undefined): void {
  installed = deps;
}

export function installedStaffDeps(): StaffDeps | undefined {
  return installed;
}

/** The installed clock, else the system clock. */
export function staffClock(): Clock {
  return installed?.clock ?? systemClock;
}
