/**
 * The retirement-transfer case (在职转退休, R-1…R-10): what its two writers — the staff API that opens the
 * application (shared/app/staff/retirement.ts) and the workflow that evaluates it
 * (shared/app/workflows/retirement-transfer.ts) — must agree on. For now, the one window the person has
 * to choose in; the rest of the case type is still each writer's own.
 */
import type { CalendarDate } from '#domain/calendar.js';
import { parameters } from '#params/index.js';

/**
 * the days the person has to choose among the options, the agency parameter
 * `retirement.choiceWindowDays` (illustrative, a Reading: no seed text sets it) in force in the region on `on`.
 */
export function choiceWindowDays(region: string, on: CalendarDate): number {
  const store = parameters();
  return store.lookup<number>(store.packInForce(region, on).id, 'retirement.choiceWindowDays', region, on).value;
}
