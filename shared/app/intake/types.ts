/**
 * What the intake service needs: the store, the ports (shared/app/ports.ts) and the policy engine.
 * No AWS here: the Lambda passes its adapters (functions/lib/aws-ports.ts), the local runtime its own.
 */
import type { CalendarDate } from '#domain/calendar.js';
import type { DecisionResult } from '#rules/engine.js';
import type { WorkflowStore } from '#store/case-store.js';
import type { Clock, DeadLetters, TaskCallbacks, WorkflowStarter } from '../ports.js';

/** `decide` of shared/rules/registry.ts (injected so a test can pin parameters). */
export type Decide = (id: string, facts: unknown, asOf: CalendarDate) => DecisionResult<unknown>;

/** The few logger methods the service uses (Powertools' Logger fits; it masks identity numbers). */
export interface IntakeLog {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface IntakeDeps {
  /** The workflow store: the intake also settles expected fee months (the daily sweep's to-do list). */
  readonly store: WorkflowStore;
  readonly callbacks: TaskCallbacks;
  readonly workflows: WorkflowStarter;
  readonly deadLetters: DeadLetters;
  readonly clock: Clock;
  readonly decide?: Decide;
  readonly log?: IntakeLog;
  /** Persons of one notification processed at once (a unit's payroll). */
  readonly concurrency?: number;
}
