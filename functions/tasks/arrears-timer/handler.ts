/**
 * Arrears timer tasks (A-1…A-7, W-5b, W-6, W-9); the contract is docs/tasks.md § arrears-timer.
 * `handler` dispatches on `task`; each task is also exported for a function of its own.
 */
import * as z from 'zod';
import {
  arrearsTimedOut,
  awaitArrearsPayment,
  openArrears,
  remindArrears,
  settleArrears,
} from '#app/workflows/arrears-timer.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { lazyDeps } from '../lib/deps.js';
import { dispatcher, task } from '../lib/task.js';

const caseId = z.string().min(1).max(80);
const now = z.iso.datetime({ offset: true }).optional();

export function arrearsTimerTasks(given?: WorkflowDeps) {
  const deps = lazyDeps(given);
  const tasks = {
    open: task('arrears.open', z.object({ caseId, now }), (i) => openArrears(deps(), i)),
    'await-payment': task('arrears.await-payment', z.object({ caseId, taskToken: z.string().min(1) }), (i) =>
      awaitArrearsPayment(deps(), i),
    ),
    settle: task('arrears.settle', z.object({ caseId, notificationId: z.string().optional() }), (i) =>
      settleArrears(deps(), i),
    ),
    timeout: task(
      'arrears.timeout',
      z.object({ caseId, now, backfillWaitDays: z.number().int().min(0).max(300).optional() }),
      (i) => arrearsTimedOut(deps(), i),
    ),
    remind: task('arrears.remind', z.object({ caseId }), (i) => remindArrears(deps(), i)),
  };
  return { ...tasks, handler: dispatcher(tasks) };
}

const tasks = arrearsTimerTasks();
export const { open, settle, timeout, remind, handler } = tasks;
export const awaitPayment = tasks['await-payment'];
