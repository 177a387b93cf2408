/**
 * The daily deadline sweep (EventBridge Scheduler, `cron(5 0 * * ? *)` in Asia/Shanghai). Input: the
 * day to sweep (`{ "date": "2026-12-01" }`), default today in CST. Throws `Sweep.Incomplete` when a
 * time budget or an item failure left work behind, so the scheduler's retry runs it again (safe:
 * what was done has left the indexes). See shared/app/sweep/daily-sweep.ts and docs/tasks.md.
 */
import * as z from 'zod';
import { runDailySweep } from '#app/sweep/daily-sweep.js';
import { type WorkflowDeps, WorkflowError } from '#app/workflows/common.js';
import { calendarDate, regionCode } from '#schemas/common.js';
import { lazyDeps } from '../tasks/lib/deps.js';
import { logger, task } from '../tasks/lib/task.js';

/** Stop taking new items this long before the Lambda's own timeout. */
const SAFETY_MS = 30_000;

const sweepInput = z.looseObject({
  date: calendarDate.optional(),
  regions: z.array(regionCode).min(1).optional(),
});

export function sweepHandler(given?: WorkflowDeps, budgetMs = 14 * 60_000) {
  const deps = lazyDeps(given);
  return task('sweep', sweepInput, async (input) => {
    const d = deps();
    const report = await runDailySweep(d, {
      ...(input.date ? { date: input.date } : {}),
      ...(input.regions ? { regions: input.regions } : {}),
      stopAtMs: d.clock.now() + budgetMs - SAFETY_MS,
    });
    logger.info('sweep report', { report: report as unknown as Record<string, unknown> });
    if (!report.complete)
      throw new WorkflowError(
        'Sweep.Incomplete',
        `sweep of ${report.date}: ${report.failures.length} item(s) failed${report.failures.length ? ` (first: ${report.failures[0]!.error})` : ', time budget reached'}; run it again`,
      );
    return report;
  });
}

export const handler = sweepHandler();
