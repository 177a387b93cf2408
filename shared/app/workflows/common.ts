/**
 * What every workflow task shares: its dependencies (the store and the ports, never AWS), the
 * errors a state machine can Catch by name, deterministic case ids, the CST end-of-day arithmetic of
 * callback timeouts, and the enrollment edits the arrears rules make (A-1 suspension, A-2/A-4/A-5
 * restoration, A-6 termination).
 */
import { createHash } from 'node:crypto';
import { addDays, type CalendarDate, toEpochDay } from '#domain/calendar.js';
import type { DecisionResult, Trace } from '#rules/engine.js';
import { appliedRules } from '#store/cover.js';
import type { CaseStore, WorkflowStore } from '#store/case-store.js';
import { ConflictError } from '#store/errors.js';
import type {
  Case,
  CaseInput,
  CaseSubject,
  ChangeContext,
  CoverPeriod,
  Enrollment,
  EnrollmentInput,
} from '#store/model.js';
import { CLOSED_STATES } from '#store/model.js';
import type { Clock, TaskCallbacks, WorkflowStarter } from '../ports.js';

export interface WorkflowDeps {
  readonly store: WorkflowStore;
  readonly clock: Clock;
  /** Needed by tasks that resume other executions (a payment found already made, blocked retirement cases). */
  readonly callbacks?: TaskCallbacks;
  /** Needed by tasks that start other executions (B-4 opens an arrears timer per employee). */
  readonly starter?: WorkflowStarter;
}

/**
 * An error a state machine catches by name (the Lambda error type is `name`). Store errors keep
 * their own retryable flag; the task handlers map them to `Store.Retryable` / `Store.Failed`.
 */
export class WorkflowError extends Error {
  constructor(
    /** `Case.StateInvalid`, `Case.DataInvalid`, `Choice.NotOffered`, `Rules.CannotDecide`. */
    name: string,
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

export const stateInvalid = (c: Case, task: string, expected: readonly string[]) =>
  new WorkflowError(
    'Case.StateInvalid',
    `case ${c.caseId} is ${c.state}; ${task} applies to ${expected.join(' or ')} (nothing was changed)`,
  );

export function requireDeps<K extends keyof WorkflowDeps>(deps: WorkflowDeps, key: K): NonNullable<WorkflowDeps[K]> {
  const v = deps[key];
  if (!v) throw new Error(`this task needs deps.${String(key)}`);
  return v as NonNullable<WorkflowDeps[K]>;
}

// ── Ids ────────────────────────────────────────────────────────────────────────

/**
 * A deterministic case id, also the execution name: readable parts, then a hash of the private ones
 * (identity keys never appear in an execution name). Step Functions names allow letters, digits,
 * `-` and `_` up to 80 characters; the store's ids allow the same.
 */
export function caseIdFor(prefix: string, readable: readonly string[], hashed: readonly string[]): string {
  const h = createHash('sha256').update(hashed.join('\u0000')).digest('hex').slice(0, 16);
  return [prefix, ...readable, h]
    .join('-')
    .replace(/[^0-9A-Za-z_-]/g, '_')
    .slice(0, 80);
}

// ── Time ─────────────────────────────────────────────────────────────────────

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** The instant the CST day `date` ends (its 24:00 +08:00), in ms since the epoch. */
export function endOfDayCst(date: CalendarDate): number {
  return (toEpochDay(date) + 1) * 86_400_000 - CST_OFFSET_MS;
}

/** ISO form of the end of a CST day, for a Wait state's TimestampPath. */
export function endOfDayCstIso(date: CalendarDate): string {
  return new Date(endOfDayCst(date)).toISOString();
}

/**
 * Seconds from `nowMs` to the end of the CST day `date`, for a callback task's TimeoutSecondsPath
 * (whole seconds, rounded up so the wait never ends before the day does; at least 1, as Step
 * Functions requires). `open` is false when the day has already ended.
 */
export function secondsUntilEndOf(date: CalendarDate, nowMs: number): { timeoutSeconds: number; open: boolean } {
  const s = Math.ceil((endOfDayCst(date) - nowMs) / 1000);
  return { timeoutSeconds: Math.max(1, s), open: s > 0 };
}

/** The task's "now": the state machine's `$$.State.EnteredTime` when it passes one, else the clock. */
export function nowOf(deps: WorkflowDeps, now?: string): number {
  if (now) {
    const ms = Date.parse(now);
    if (!Number.isNaN(ms)) return ms;
  }
  return deps.clock.now();
}

// ── Decisions and audit ─────────────────────────────────────────────────────────

/** Every case of a subject, page after page of the bySubject index (a handful per person). */
export async function allCasesOf(store: CaseStore, subject: CaseSubject): Promise<Case[]> {
  const out: Case[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.casesOf(subject, cursor ? { cursor } : {});
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** One decision on raw facts, by its spec (shared/rules/decide-with.ts): tasks import only their rules. */
export { decideWith as decide } from '#rules/decide-with.js';

export function systemCtx(component: string, reason: string, trace?: Trace): ChangeContext {
  return { actor: { kind: 'system', component }, reason, ...(trace ? { trace } : {}) };
}

/** The case as its input again (to write a changed copy). */
export function inputOf(c: Case): CaseInput {
  const { version: _v, updatedAt: _u, ...fields } = c;
  return fields;
}

export function enrollmentInputOf(e: Enrollment): EnrollmentInput {
  const { version: _v, updatedAt: _u, status: _s, ...fields } = e;
  return fields;
}

export const isClosed = (c: Case) => CLOSED_STATES.has(c.state);

export function data<T>(c: Case): T {
  return c.data as T;
}

// ── Enrollment edits of the arrears rules ──────────────────────────────────────

function withStatus(e: EnrollmentInput, change: EnrollmentInput['statusHistory'][number]): EnrollmentInput {
  // Stable: a change on the same day as an earlier one comes after it (and so decides that day).
  const history = [...e.statusHistory, change].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { ...e, statusHistory: history };
}

/** True when the enrollment already has this change (a retried task must not add it twice). */
const hasStatus = (e: EnrollmentInput, status: string, from: CalendarDate, rule: string) =>
  e.statusHistory.some((s) => s.status === status && s.from === from && s.rules.some((r) => r.id === rule));

/** suspended from the first unpaid day; open cover ends the day before. */
export function suspendFrom(e: EnrollmentInput, from: CalendarDate, trace: Trace): EnrollmentInput | null {
  if (hasStatus(e, 'suspended', from, 'A-1')) return null;
  const rules = appliedRules(trace).filter((r) => r.id === 'A-1' || r.id === 'B-4');
  const coverPeriods = e.coverPeriods.map((p) =>
    p.start < from && (p.end === null || p.end >= from) ? { ...p, end: addDays(from, -1) } : p,
  );
  return withStatus(
    { ...e, coverPeriods },
    { status: 'suspended', from, rules: rules.length ? rules : appliedRules(trace), reason: trace.reason },
  );
}

/** normal again from `from`, covered from `coverStarts` (open-ended) as the decision says. */
export function restore(
  e: EnrollmentInput,
  from: CalendarDate,
  coverStarts: CalendarDate,
  result: DecisionResult<unknown>,
  rule: string,
  notificationId?: string,
): EnrollmentInput | null {
  if (hasStatus(e, 'normal', from, rule)) return null;
  const cover: CoverPeriod = {
    start: coverStarts,
    end: null,
    rules: appliedRules(result.trace),
    reason: result.trace.reason,
    decision: result.decision,
    ...(notificationId ? { notificationId } : {}),
  };
  const next = withStatus(e, {
    status: 'normal',
    from,
    rules: appliedRules(result.trace),
    reason: result.trace.reason,
  });
  return { ...next, coverPeriods: [...next.coverPeriods.filter((p) => p.start < coverStarts), cover] };
}

/** backfill closed; paying again is a new enrollment, so this one ends. */
export function terminateFrom(e: EnrollmentInput, from: CalendarDate, trace: Trace): EnrollmentInput | null {
  if (hasStatus(e, 'terminated', from, 'A-6')) return null;
  return withStatus(e, { status: 'terminated', from, rules: appliedRules(trace), reason: trace.reason });
}

/** Days from `a` to `b`, for reminders and reports. */
export const daysFrom = (a: CalendarDate, b: CalendarDate) => toEpochDay(b) - toEpochDay(a);

/**
 * Re-runs `fn` while another writer changed what it read (ConflictError): each attempt re-reads, so a
 * task that lost a race finds the winner's state (often: the work already done) and answers from it.
 */
export async function retryConflicts<T>(fn: () => Promise<T>, maxAttempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ConflictError) || attempt >= maxAttempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 20 * 2 ** attempt)));
    }
  }
}
