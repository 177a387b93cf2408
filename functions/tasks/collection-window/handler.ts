/**
 * Concentrated collection window tasks (C-8…C-11, W-4, W-6, W-7); contract: docs/tasks.md
 * § collection-window. `create-renewals` and `lapse-unpaid` are Distributed Map ItemProcessor tasks
 * (ItemBatcher input `{ Items, BatchInput }`).
 */
import * as z from 'zod';
import {
  batchInput,
  createRenewals,
  lapseUnpaid,
  openWindow,
  renewalReport,
} from '#app/workflows/collection-window.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { regionCode } from '#schemas/common.js';
import { lazyDeps } from '../lib/deps.js';
import { dispatcher, task } from '../lib/task.js';

const feeYear = z.number().int().min(1990).max(2100);

export function collectionWindowTasks(given?: WorkflowDeps) {
  const deps = lazyDeps(given);
  const tasks = {
    'open-window': task('window.open', z.object({ region: regionCode, feeYear }), (i) => openWindow(deps(), i)),
    'create-renewals': task('window.create-renewals', batchInput, (i) => createRenewals(deps(), i)),
    'lapse-unpaid': task('window.lapse-unpaid', batchInput, (i) => lapseUnpaid(deps(), i)),
    report: task(
      'window.report',
      z.object({
        feeYear,
        regions: z.array(regionCode).min(1).optional(),
        caseId: z.string().min(1).optional(),
        final: z.boolean().optional(),
      }),
      (i) => renewalReport(deps(), i),
    ),
  };
  return { ...tasks, handler: dispatcher(tasks) };
}

const tasks = collectionWindowTasks();
export const { handler, report } = tasks;
export const openWindowTask = tasks['open-window'];
export const createRenewalsTask = tasks['create-renewals'];
export const lapseUnpaidTask = tasks['lapse-unpaid'];
