/**
 * The daily deadline sweep (EventBridge Scheduler, daily in Asia/Shanghai). Run for day D, it handles
 * what ended on D−1 in every region: `wait.until` is the last day of a wait (inclusive), and a due
 * date is the last day a month may be paid, so on D those deadlines have passed.
 *
 * - a waiting period ended (case `waiting-period-expiry`): the enrollment's cover period is in force
 *   from D (W-6/W-7); the case completes;
 * - a 90-day newborn or identity-conversion window closed with no enrollment (W-1, W-2): the case
 *   closes and records which rules apply now, from the engine;
 * - an employee fee month fell due unpaid (C-6): an arrears case is opened and its timer started
 *   or the month is added to the enrollment's open arrears case; a unit under a bankruptcy
 *   deferral is not in arrears (B-1); a flexible enrollment whose backfill closed is not
 *   expected any more.
 *
 * This file is the driver: it walks each region's cases whose wait ended and its fee months due, and
 * hands each to its job — cover-start.ts, window-close.ts, due-months.ts — counting the outcomes.
 *
 * Waits that belong to an execution (its own timer: arrears windows, retirement choices…) are left
 * to it. Every step is idempotent and what is done leaves the index, so a second run of the same
 * day finds nothing new; a run cut short (time budget, a failure) is finished by the next one.
 */
import { addDays, type CalendarDate } from '#domain/calendar.js';
import { maskIdentity } from '#domain/identity.js';
import { REGIONS } from '#domain/regions.js';
import type { Case } from '#store/model.js';
import { isClosed, type WorkflowDeps } from '../workflows/common.js';
import { startCover } from './cover-start.js';
import { handleDueMonth } from './due-months.js';
import { closeWindow } from './window-close.js';

export { arrearsCaseId } from './due-months.js';

export interface SweepInput {
  /** The day the sweep runs for (CST); deadlines of the day before are handled. Default: today. */
  readonly date?: CalendarDate;
  readonly regions?: readonly string[];
  readonly pageSize?: number;
  /** Stop taking new items after this instant (ms), leaving the rest to the next run. */
  readonly stopAtMs?: number;
}

export interface SweepReport {
  readonly date: CalendarDate;
  /** The last day of the waits and the due date handled. */
  readonly deadlineDay: CalendarDate;
  readonly complete: boolean;
  readonly coverStarted: number;
  readonly coverRescheduled: number;
  readonly windowsClosed: number;
  readonly windowsCompleted: number;
  readonly arrearsOpened: number;
  readonly arrearsExtended: number;
  readonly monthsPaid: number;
  readonly monthsDeferred: number;
  readonly monthsNotDue: number;
  readonly monthsLapsed: number;
  readonly ownedByExecution: number;
  readonly unhandled: number;
  readonly failures: ReadonlyArray<{ readonly item: string; readonly error: string }>;
}

type Counter = Exclude<keyof SweepReport, 'date' | 'deadlineDay' | 'complete' | 'failures'>;

export async function runDailySweep(deps: WorkflowDeps, input: SweepInput = {}): Promise<SweepReport> {
  const date = input.date ?? deps.clock.today();
  const deadlineDay = addDays(date, -1);
  const counts: Record<Counter, number> = {
    coverStarted: 0,
    coverRescheduled: 0,
    windowsClosed: 0,
    windowsCompleted: 0,
    arrearsOpened: 0,
    arrearsExtended: 0,
    monthsPaid: 0,
    monthsDeferred: 0,
    monthsNotDue: 0,
    monthsLapsed: 0,
    ownedByExecution: 0,
    unhandled: 0,
  };
  const failures: Array<{ item: string; error: string }> = [];
  const deferredUnits = new Map<string, boolean>();
  const regions = input.regions ?? REGIONS.map((r) => r.code);
  const limit = input.pageSize ?? 100;
  const outOfTime = () => input.stopAtMs !== undefined && deps.clock.now() >= input.stopAtMs;
  let complete = true;

  const attempt = async (item: string, fn: () => Promise<Counter | null>) => {
    try {
      const counter = await fn();
      if (counter) counts[counter]++;
    } catch (e) {
      failures.push({ item, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  };

  // Regions are independent (their own index partitions): swept side by side.
  const sweepRegion = async (region: string) => {
    let cursor: string | undefined;
    do {
      if (outOfTime()) {
        complete = false;
        break;
      }
      const page = await deps.store.casesExpiringOn(region, deadlineDay, { limit, ...(cursor ? { cursor } : {}) });
      for (const c of page.items) await attempt(`case:${c.caseId}`, () => handleCase(deps, c, date));
      cursor = page.cursor;
    } while (cursor);

    cursor = undefined;
    do {
      if (outOfTime()) {
        complete = false;
        break;
      }
      const page = await deps.store.paymentsDueOn(region, deadlineDay, { limit, ...(cursor ? { cursor } : {}) });
      for (const p of page.items)
        await attempt(`month:${maskIdentity(p.identityKey)}/${p.enrollmentId}/${p.feeMonth}`, () =>
          handleDueMonth(deps, p, date, deferredUnits),
        );
      cursor = page.cursor;
    } while (cursor);
  };
  // A region that fails is reported (complete: false, the scheduler runs it again), never left running
  // behind a rejected invocation.
  const swept = await Promise.allSettled(regions.map(sweepRegion));
  swept.forEach((r, i) => {
    if (r.status === 'rejected')
      failures.push({
        item: `region:${regions[i]}`,
        error: r.reason instanceof Error ? `${r.reason.name}: ${r.reason.message}` : String(r.reason),
      });
  });
  return { date, deadlineDay, complete: complete && failures.length === 0, ...counts, failures };
}

// ── Cases whose wait ended ─────────────────────────────────────────────────────

async function handleCase(deps: WorkflowDeps, c: Case, date: CalendarDate): Promise<Counter | null> {
  if (isClosed(c)) return null;
  switch (c.caseType) {
    case 'waiting-period-expiry':
      return startCover(deps, c.caseId, date);
    case 'newborn-window':
    case 'identity-conversion-window':
      return closeWindow(deps, c.caseId, date);
    default:
      // Its execution's own timer (TimeoutSecondsPath, Wait) handles it (WORKFLOWS.md).
      return c.executionArn || c.taskToken ? 'ownedByExecution' : 'unhandled';
  }
}
