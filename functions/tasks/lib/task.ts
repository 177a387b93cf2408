/**
 * One Step Functions task as a Lambda handler: middy parses the input with the task's zod schema,
 * the domain function (shared/app/workflows) does the work, and errors leave with a stable `name`
 * (the Lambda error type) that the state machine's Retry and Catch match:
 *
 *   Store.Retryable     throttling, DynamoDB unavailable, a write conflict that outlived its retries → Retry
 *   Case.NotFound       no such case (or enrollment, notification) → Catch
 *   Case.StateInvalid   the case is not where this task applies, nothing was changed → Catch
 *   Case.DataInvalid    the case's data does not have what the task needs → Catch
 *   Choice.NotOffered   retirement: a choice the evaluation did not offer → Catch
 *   Rules.CannotDecide  the engine cannot decide (missing parameter, no rule) → Catch, staff review
 *   Task.InputInvalid   the state machine passed a bad input (a definition bug) → Catch
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { WorkflowError } from '#app/workflows/common.js';
import { DecisionError } from '#rules/errors.js';
import { NotFoundError, StoreError } from '#store/errors.js';
import { createLogger } from '../../lib/logger.js';

export const logger = createLogger('workflow-tasks');

/** The error a state machine sees, by name. */
export function taskError(e: unknown): Error {
  if (e instanceof WorkflowError) return e;
  if (e instanceof NotFoundError) return named('Case.NotFound', e.message);
  if (e instanceof StoreError) return named(e.retryable ? 'Store.Retryable' : 'Store.Failed', e.message);
  if (e instanceof DecisionError) return named('Rules.CannotDecide', e.message);
  return e instanceof Error ? e : new Error(String(e));
}

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export type TaskHandler<O> = (event: unknown, context?: Partial<Context>) => Promise<O>;

/** A task handler: `schema` parses the event, `run` is the domain function. */
export function task<S extends z.ZodType, O>(
  name: string,
  schema: S,
  run: (input: z.output<S>) => Promise<O>,
): TaskHandler<O> {
  const h = middy<unknown, O>()
    .use({
      before: (request) => {
        const r = schema.safeParse(request.event);
        if (!r.success)
          throw new WorkflowError(
            'Task.InputInvalid',
            `${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
          );
        request.event = r.data;
      },
      onError: (request) => {
        const e = taskError(request.error);
        logger.error(`${name} failed`, { task: name, errorName: e.name, error: e.message });
        request.error = e;
      },
    })
    .handler(async (event) => {
      const out = await run(event as z.output<S>);
      logger.info(`${name} done`, { task: name, output: out as Record<string, unknown> });
      return out;
    });
  return (event, context = {}) => h(event, context as Context);
}

/**
 * One Lambda for all the tasks of a workflow: the state machine passes `{ "task": "<name>", … }`.
 * Each task is also exported on its own, so a definition may bind one function per task instead.
 */
export function dispatcher(tasks: Record<string, TaskHandler<unknown>>): TaskHandler<unknown> {
  return async (event, context) => {
    const name = (event as { task?: unknown } | null)?.task;
    const t = typeof name === 'string' ? tasks[name] : undefined;
    if (!t) {
      const e = new WorkflowError(
        'Task.InputInvalid',
        `unknown task ${String(name)}; one of ${Object.keys(tasks).join(', ')}`,
      );
      logger.error('dispatch failed', { errorName: e.name, error: e.message });
      throw e;
    }
    return t(event, context);
  };
}
