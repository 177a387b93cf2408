/**
 * Unemployment-fund contributions (C-7): `record-month`, run monthly; contract: docs/tasks.md
 * § unemployment-contributions.
 */
import * as z from 'zod';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { recordBenefitMonths } from '#app/workflows/unemployment-contributions.js';
import { lazyDeps } from '../lib/deps.js';
import { dispatcher, task } from '../lib/task.js';

export function unemploymentContributionTasks(given?: WorkflowDeps) {
  const deps = lazyDeps(given);
  const tasks = {
    'record-month': task(
      'unemployment.record-month',
      z.object({ caseId: z.string().min(1).max(80), now: z.iso.datetime({ offset: true }).optional() }),
      (i) => recordBenefitMonths(deps(), i),
    ),
  };
  return { ...tasks, handler: dispatcher(tasks) };
}

const tasks = unemploymentContributionTasks();
export const { handler } = tasks;
export const recordMonth = tasks['record-month'];
