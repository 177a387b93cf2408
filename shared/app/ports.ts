/**
 * The ports the application services need besides the store, so the same code runs in Lambda (AWS SDK
 * adapters in functions/) and in the local runtime (local adapters): Step Functions callbacks and
 * executions, the clock, and the dead-letter queue of malformed notifications.
 */
import type { CalendarDate } from '#domain/calendar.js';

/** SendTaskSuccess / SendTaskFailure. */
export interface TaskCallbacks {
  /**
   * Resumes the execution waiting on `token`. Returns `'gone'` when the token has already timed out or
   * finished (TaskTimedOut / InvalidToken): normal for a late or repeated payment, not an error.
   */
  succeed(token: string, output: unknown): Promise<'resumed' | 'gone'>;
  fail(token: string, error: string, cause: string): Promise<'resumed' | 'gone'>;
}

/** StartExecution, with the case id as the execution name so a second start is harmless. */
export interface WorkflowStarter {
  start(machine: WorkflowName, caseId: string, input: unknown): Promise<{ started: boolean }>;
}

export type WorkflowName =
  | 'arrears-timer'
  | 'collection-window'
  | 'retirement-transfer'
  | 'bankruptcy-deferral'
  | 'unemployment-contributions';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Today in China Standard Time. */
  today(): CalendarDate;
}

/** Where malformed inputs go, with the reason, so they never block the rest of a batch. */
export interface DeadLetters {
  send(body: string, reason: string, attributes?: Record<string, string>): Promise<void>;
}
