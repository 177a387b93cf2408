/**
 * Retirement-transfer application tasks (R-1…R-10, B-3); contract: docs/tasks.md § retirement-transfer.
 */
import * as z from 'zod';
import type { WorkflowDeps } from '#app/workflows/common.js';
import {
  awaitRetirementEvent,
  creditAccount,
  evaluateTransfer,
  expireApplication,
  recordChoice,
} from '#app/workflows/retirement-transfer.js';
import { calendarDate } from '#schemas/common.js';
import { lazyDeps } from '../lib/deps.js';
import { dispatcher, task } from '../lib/task.js';

const caseId = z.string().min(1).max(80);
const now = z.iso.datetime({ offset: true }).optional();

export function retirementTransferTasks(given?: WorkflowDeps) {
  const deps = lazyDeps(given);
  const tasks = {
    evaluate: task('retirement.evaluate', z.object({ caseId, now }), (i) => evaluateTransfer(deps(), i)),
    await: task('retirement.await', z.object({ caseId, taskToken: z.string().min(1) }), (i) =>
      awaitRetirementEvent(deps(), i),
    ),
    'record-choice': task(
      'retirement.record-choice',
      z.object({ caseId, choice: z.enum(['continue-paying', 'lump-sum', 'resident', 'transfer']), now }),
      (i) => recordChoice(deps(), i),
    ),
    'credit-account': task(
      'retirement.credit-account',
      z.object({ caseId, paidOn: calendarDate.optional(), notificationId: z.string().optional() }),
      (i) => creditAccount(deps(), i),
    ),
    expire: task('retirement.expire', z.object({ caseId }), (i) => expireApplication(deps(), i)),
  };
  return { ...tasks, handler: dispatcher(tasks) };
}

const tasks = retirementTransferTasks();
export const { evaluate, expire, handler } = tasks;
export const awaitEvent = tasks.await;
export const recordChoiceTask = tasks['record-choice'];
export const creditAccountTask = tasks['credit-account'];
