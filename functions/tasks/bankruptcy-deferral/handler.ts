/**
 * Bankruptcy deferral tasks (B-1…B-4, A-1); contract: docs/tasks.md § bankruptcy-deferral.
 */
import * as z from 'zod';
import { awaitSettlement, endDeferral, fileDeferral, recordSettlement } from '#app/workflows/bankruptcy-deferral.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { lazyDeps } from '../lib/deps.js';
import { dispatcher, task } from '../lib/task.js';

const caseId = z.string().min(1).max(80);

export function bankruptcyDeferralTasks(given?: WorkflowDeps) {
  const deps = lazyDeps(given);
  const tasks = {
    file: task('bankruptcy.file', z.object({ caseId, now: z.iso.datetime({ offset: true }).optional() }), (i) =>
      fileDeferral(deps(), i),
    ),
    'await-settlement': task('bankruptcy.await-settlement', z.object({ caseId, taskToken: z.string().min(1) }), (i) =>
      awaitSettlement(deps(), i),
    ),
    'record-settlement': task('bankruptcy.record-settlement', z.object({ caseId }), (i) => recordSettlement(deps(), i)),
    end: task('bankruptcy.end', z.object({ caseId }), (i) => endDeferral(deps(), i)),
  };
  return { ...tasks, handler: dispatcher(tasks) };
}

const tasks = bankruptcyDeferralTasks();
export const { file, end, handler } = tasks;
export const awaitSettlementTask = tasks['await-settlement'];
export const recordSettlementTask = tasks['record-settlement'];
