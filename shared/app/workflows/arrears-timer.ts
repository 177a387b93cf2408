/**
 * The arrears timer (A-1…A-7, W-5b, W-6, W-9): one case per run of unpaid employee fee months of one
 * enrollment, opened by the daily sweep (a month due and unpaid) or by a bankruptcy deferral that
 * ended unpaid (B-4). The tasks, in the order the state machine runs them (docs/tasks.md):
 *
 *   open → await-payment (callback, TimeoutSecondsPath = window's end) → settle | timeout
 *   timeout (unit, A-5) → await-payment again until the backfill horizon → settle | timeout (closed)
 *
 * Each task reads the case, asks the `arrears` decision, writes the case (and the enrollment) with
 * one audit record carrying the decision trace, and answers small JSON. A retried task finds the
 * case already moved on and answers from what it stored, writing nothing twice.
 */
import { addDays, type CalendarDate, maxDate } from '#domain/calendar.js';
import type { AtomicChange } from '#store/case-store.js';
import {
  ARREARS_STATE,
  ARREARS_TIMEOUT_NEXT,
  ARREARS_WAIT,
  ARREARS_WAITING_STATES,
  type ArrearsCase,
  type ArrearsChange,
  type ArrearsOpened,
  type ArrearsOutcomeRecord,
  type ArrearsState,
  isArrearsClosed,
  nextArrearsCase,
  readArrearsCase,
  updateArrearsCase,
} from '../cases/arrears.js';
import {
  decide,
  enrollmentInputOf,
  nowOf,
  restore,
  retryConflicts,
  secondsUntilEndOf,
  suspendFrom,
  systemCtx,
  terminateFrom,
  WorkflowError,
  type WorkflowDeps,
} from './common.js';
import { arrears } from '#rules/arrears/decision.js';

export type { ArrearsOutcomeRecord } from '../cases/arrears.js';

const COMPONENT = 'arrears-timer';

/**
 * Reading (not in the texts): how long after the 90-day window a unit-mode case stays open for an A-5
 * backfill (years and account, no cover) before it is closed and left to tax. Bounded by the
 * one-year limit of a Standard execution; a task input may set another value.
 */
export const UNIT_BACKFILL_WAIT_DAYS = 180;

/** The case as the tasks read it: an arrears case, its data parsed (Case.DataInvalid otherwise). */
async function getArrears(deps: WorkflowDeps, caseId: string): Promise<ArrearsCase> {
  return readArrearsCase(await deps.store.getCase(caseId));
}

const stateInvalid = (a: ArrearsCase, task: string, expected: readonly string[]) =>
  new WorkflowError(
    'Case.StateInvalid',
    `case ${a.caseId} is ${a.state}; ${task} applies to ${expected.join(' or ')} (nothing was changed)`,
  );

/** The written case as the tasks answer from it (the store's version is not read again). */
const asWritten = (a: ArrearsCase, next: ReturnType<typeof nextArrearsCase>): ArrearsCase =>
  ({ ...a, ...next, data: next.data }) as ArrearsCase;

function facts(a: ArrearsCase, paidAt?: CalendarDate) {
  const d = a.data;
  return {
    region: a.region,
    caseOpenedOn: a.openedOn,
    mode: d.mode,
    ...(d.flexibleMode ? { flexibleMode: d.flexibleMode } : {}),
    months: d.months.map((m) =>
      m.principalFen !== undefined
        ? { feeMonth: m.feeMonth, principalFen: m.principalFen }
        : m.baseFen !== undefined
          ? { feeMonth: m.feeMonth, baseFen: m.baseFen, paidFen: m.paidFen ?? 0 }
          : { feeMonth: m.feeMonth },
    ),
    firstUnpaidDay: d.firstUnpaidDay,
    baseDeclared: d.baseDeclared ?? true,
    ...(d.deferredUntil ? { deferredUntil: d.deferredUntil } : {}),
    ...(paidAt ? { paidAt } : {}),
  };
}

// ── open ────────────────────────────────────────────────────────────────

export interface OpenArrearsInput {
  readonly caseId: string;
  /** ISO instant the timeout counts from (`$$.State.EnteredTime`); default the clock. */
  readonly now?: string;
}

export interface ArrearsOpenedOutput {
  readonly caseId: string;
  readonly state: ArrearsState;
  readonly suspendedFrom: CalendarDate;
  /** the last payment day that still covers the arrears period. */
  readonly windowLastDay: CalendarDate;
  readonly principalFen: number | null;
  /** Seconds from `now` to the end (24:00 CST) of windowLastDay: the callback's TimeoutSecondsPath. */
  readonly timeoutSeconds: number;
  /** False when the window had already ended at `now` (go straight to timeout). */
  readonly windowOpen: boolean;
}

function openedOutput(a: ArrearsCase, o: ArrearsOpened, nowMs: number): ArrearsOpenedOutput {
  // A re-armed execution (rearm.ts) of a unit case already in its A-5 backfill wait waits to that horizon.
  const until = a.state === ARREARS_STATE.awaitingBackfill && a.wait ? a.wait.until : o.windowLastDay;
  const t = secondsUntilEndOf(until, nowMs);
  return {
    caseId: a.caseId,
    state: a.state,
    suspendedFrom: o.suspendedFrom,
    windowLastDay: o.windowLastDay,
    principalFen: o.principalFen,
    timeoutSeconds: t.timeoutSeconds,
    windowOpen: t.open,
  };
}

/** suspends the enrollment from the first unpaid day and sets the wait to the window's last day. */
export async function openArrears(deps: WorkflowDeps, input: OpenArrearsInput): Promise<ArrearsOpenedOutput> {
  const nowMs = nowOf(deps, input.now);
  return retryConflicts(async () => {
    const a = await getArrears(deps, input.caseId);
    const d = a.data;
    if (a.state !== ARREARS_STATE.opened) {
      if (!d.opened) throw stateInvalid(a, 'open', [ARREARS_STATE.opened]);
      return openedOutput(a, d.opened, nowMs);
    }
    const asOf = maxDate(deps.clock.today(), d.firstUnpaidDay);
    const result = decide(arrears, facts(a), asOf);
    const v = result.value;
    const opened: ArrearsOpened = {
      suspendedFrom: v.suspendedFrom,
      windowLastDay: v.windowLastDay,
      principalFen: v.principalFen,
      months: v.months.map((m) => ({ feeMonth: m.feeMonth, principalFen: m.principalFen, dueDate: m.dueDate })),
    };
    const next = nextArrearsCase(a, {
      state: 'waiting-payment',
      wait: { for: ARREARS_WAIT.payment, until: v.windowLastDay },
      data: { ...d, opened },
    });
    const enrollment = await deps.store.getEnrollment(d.identityKey, d.enrollmentId);
    const suspended = suspendFrom(enrollmentInputOf(enrollment), v.suspendedFrom, result.trace);
    const changes: AtomicChange[] = [
      ...(suspended
        ? [{ kind: 'enrollment' as const, enrollment: suspended, expectedVersion: enrollment.version }]
        : []),
      { kind: 'case', case: next, expectedVersion: a.version },
    ];
    await deps.store.commit(changes, systemCtx(COMPONENT, `A-1: ${result.trace.reason.en}`, result.trace));
    return openedOutput(asWritten(a, next), opened, nowMs);
  });
}

// ── await-payment (callback) ──────────────────────────────────────────────────

export interface AwaitPaymentInput {
  readonly caseId: string;
  readonly taskToken: string;
}

/**
 * Stores the token; if the months are already paid (a payment that came before the token was
 * stored), resumes the execution at once with the payment, so no payment is ever missed. A closed
 * case takes no token: its execution is resumed at once with `{ closed: true, state }`.
 */
export async function awaitArrearsPayment(deps: WorkflowDeps, input: AwaitPaymentInput): Promise<{ caseId: string }> {
  const a = await updateArrearsCase(
    deps.store,
    input.caseId,
    (cur) => (isArrearsClosed(cur.state) || cur.taskToken === input.taskToken ? null : { taskToken: input.taskToken }),
    (cur) => systemCtx(COMPONENT, `waiting for ${cur.wait?.for ?? 'an event'}: callback token stored`),
  );
  if (isArrearsClosed(a.state)) {
    await deps.callbacks?.succeed(input.taskToken, { closed: true, state: a.state });
    return { caseId: a.caseId };
  }
  if (!ARREARS_WAITING_STATES.includes(a.state))
    throw stateInvalid(a, 'storing a callback token', ARREARS_WAITING_STATES);
  const paid = await ledgerState(deps, a);
  if (paid.allPaid && deps.callbacks) {
    await deps.callbacks.succeed(input.taskToken, { event: 'payment', notificationId: paid.notificationId });
  }
  return { caseId: a.caseId };
}

interface LedgerState {
  readonly allPaid: boolean;
  readonly paidOn: CalendarDate | null;
  readonly notificationId?: string;
  /** Principal still missing (null when the principal awaits assessment, A-7). */
  readonly stillDueFen: number | null;
}

/** Reads the ledger of the arrears months: paid when each month holds what was paid before plus its principal. */
async function ledgerState(deps: WorkflowDeps, a: ArrearsCase): Promise<LedgerState> {
  const d = a.data;
  const months = d.months.map((m) => m.feeMonth).sort();
  const entries = await deps.store.ledger(d.identityKey, 'employee', { from: months[0]!, to: months.at(-1)! });
  const byMonth = new Map(entries.map((e) => [e.feePeriod, e]));
  const principals = new Map((d.opened?.months ?? []).map((m) => [m.feeMonth, m.principalFen]));
  let allPaid = true;
  let stillDue: number | null = 0;
  let paidOn: CalendarDate | null = null;
  let notificationId: string | undefined;
  for (const m of d.months) {
    const e = byMonth.get(m.feeMonth);
    const principal = principals.get(m.feeMonth) ?? m.principalFen ?? null;
    const required = (m.paidFen ?? 0) + (principal ?? 1);
    const held = e?.amount ?? 0;
    if (held < required) {
      allPaid = false;
      stillDue = principal === null || stillDue === null ? null : stillDue + (required - held);
    } else if (e && (paidOn === null || e.paidOn > paidOn)) {
      paidOn = e.paidOn;
      notificationId = e.notificationId;
    }
  }
  return allPaid
    ? { allPaid, paidOn, ...(notificationId ? { notificationId } : {}), stillDueFen: 0 }
    : { allPaid, paidOn: null, stillDueFen: stillDue };
}

// ── settle (A-2…A-6 on payment) ──────────────────────────────────────────────

export interface SettleArrearsInput {
  readonly caseId: string;
  /** The notification the callback carried; the ledger is what counts. */
  readonly notificationId?: string;
}

export interface ArrearsSettledOutput {
  readonly caseId: string;
  /** False: the ledger does not hold the arrears yet (a short payment); wait again. */
  readonly settled: boolean;
  readonly state: ArrearsState;
  readonly stillDueFen?: number | null;
  readonly outcome?: ArrearsOutcomeRecord;
}

const settledOutput = (a: ArrearsCase, outcome: ArrearsOutcomeRecord): ArrearsSettledOutput => ({
  caseId: a.caseId,
  settled: true,
  state: a.state,
  outcome,
});

/**
 * The arrears are in the ledger: decide on the payment day. A-4 (within 90 days): normal again from
 * the first unpaid day and covered from it (the arrears period retroactively, A-2 restored the next
 * day), principal and late fee recorded. A-5 (unit, later): normal from the next day, cover after a
 * W-6 waiting period, the arrears period not covered. A-6 (flexible, later): backfill closed.
 */
export async function settleArrears(deps: WorkflowDeps, input: SettleArrearsInput): Promise<ArrearsSettledOutput> {
  return retryConflicts(async () => {
    const a = await getArrears(deps, input.caseId);
    const d = a.data;
    if (d.outcome?.paid) return settledOutput(a, d.outcome);
    if (!ARREARS_WAITING_STATES.includes(a.state)) throw stateInvalid(a, 'settle', ARREARS_WAITING_STATES);
    const ledger = await ledgerState(deps, a);
    if (!ledger.allPaid) return { caseId: a.caseId, settled: false, state: a.state, stillDueFen: ledger.stillDueFen };
    const paidOn = maxDate(ledger.paidOn!, d.firstUnpaidDay);
    const result = decide(arrears, facts(a, paidOn), paidOn);
    const v = result.value;
    const notificationId = ledger.notificationId ?? input.notificationId;
    const outcome: ArrearsOutcomeRecord = {
      decidedBy: v.decidedBy,
      paid: true,
      paidOn,
      restoredOn: v.restoredOn,
      coverStarts: v.decidedBy === 'A-6' ? null : v.coverStarts,
      arrearsPeriodCovered: v.arrearsPeriodCovered,
      backfillAllowed: v.backfillAllowed,
      yearsAndAccountCredited: v.yearsAndAccountCredited,
      principalFen: v.principalFen,
      lateFeeFen: v.lateFeeFen,
      amountDueFen: v.amountDueFen,
      ...(notificationId ? { notificationId } : {}),
    };
    const enrollment = await deps.store.getEnrollment(d.identityKey, d.enrollmentId);
    const e = enrollmentInputOf(enrollment);
    const changed =
      v.decidedBy === 'A-4'
        ? restore(e, d.firstUnpaidDay, v.coverStarts, result, 'A-4', notificationId)
        : v.decidedBy === 'A-5'
          ? restore(e, addDays(paidOn, 1), v.coverStarts, result, 'A-5', notificationId)
          : terminateFrom(e, addDays(v.windowLastDay, 1), result.trace);
    const closing: ArrearsChange = {
      state: v.decidedBy === 'A-6' ? 'lapsed' : 'completed',
      wait: null,
      taskToken: null,
      closedOn: deps.clock.today(),
      data: { ...d, outcome },
    };
    const next = nextArrearsCase(a, closing);
    await deps.store.commit(
      [
        ...(changed ? [{ kind: 'enrollment' as const, enrollment: changed, expectedVersion: enrollment.version }] : []),
        { kind: 'case', case: next, expectedVersion: a.version },
      ],
      systemCtx(COMPONENT, `${v.decidedBy}: ${result.trace.reason.en}`, result.trace),
    );
    return settledOutput(asWritten(a, next), outcome);
  });
}

// ── timeout (window's end, then the backfill horizon) ─────────────────────────

export interface ArrearsTimeoutInput {
  readonly caseId: string;
  readonly now?: string;
  /** Unit mode: days after the window the case waits for an A-5 backfill (default UNIT_BACKFILL_WAIT_DAYS). */
  readonly backfillWaitDays?: number;
}

export interface ArrearsTimeoutOutput {
  readonly caseId: string;
  readonly state: ArrearsState;
  /** `await-backfill`: wait again (unit, A-5); `closed`: nothing more to wait for; `settled`: it was paid after all. */
  readonly next: (typeof ARREARS_TIMEOUT_NEXT)[keyof typeof ARREARS_TIMEOUT_NEXT];
  readonly decidedBy: 'A-4' | 'A-5' | 'A-6' | null;
  readonly backfillUntil?: CalendarDate;
  readonly timeoutSeconds?: number;
  readonly outcome?: ArrearsOutcomeRecord;
}

/**
 * The window passed with no payment. Unit mode: the case waits on for a backfill that credits
 * years and account without cover (`awaiting-backfill`), until the backfill horizon, then closes.
 * Flexible mode: backfill is closed, the enrollment ends (paying again is a new one, W-6).
 * A payment that raced the timer is settled instead.
 */
export async function arrearsTimedOut(deps: WorkflowDeps, input: ArrearsTimeoutInput): Promise<ArrearsTimeoutOutput> {
  const nowMs = nowOf(deps, input.now);
  const waitDays = input.backfillWaitDays ?? UNIT_BACKFILL_WAIT_DAYS;
  return retryConflicts(async (): Promise<ArrearsTimeoutOutput> => {
    const a = await getArrears(deps, input.caseId);
    const d = a.data;
    const done = d.outcome;
    if (done?.paid)
      return {
        caseId: a.caseId,
        state: a.state,
        next: ARREARS_TIMEOUT_NEXT.settled,
        decidedBy: done.decidedBy,
        outcome: done,
      };
    if (a.state === ARREARS_STATE.lapsed || a.state === ARREARS_STATE.closed)
      return {
        caseId: a.caseId,
        state: a.state,
        next: ARREARS_TIMEOUT_NEXT.closed,
        decidedBy: done?.decidedBy ?? null,
      };
    if (!ARREARS_WAITING_STATES.includes(a.state)) throw stateInvalid(a, 'timeout', ARREARS_WAITING_STATES);

    if ((await ledgerState(deps, a)).allPaid) {
      const s = await settleArrears(deps, { caseId: a.caseId });
      return {
        caseId: a.caseId,
        state: s.state,
        next: ARREARS_TIMEOUT_NEXT.settled,
        decidedBy: s.outcome?.decidedBy ?? null,
        ...(s.outcome ? { outcome: s.outcome } : {}),
      };
    }
    const opened = d.opened;
    if (!opened) throw stateInvalid(a, 'timeout', [ARREARS_STATE.waitingPayment]);

    if (a.state === ARREARS_STATE.awaitingBackfill && a.wait && secondsUntilEndOf(a.wait.until, nowMs).open) {
      // A retry of the window's timeout (the horizon has not passed): answer as that timeout did.
      const t = secondsUntilEndOf(a.wait.until, nowMs);
      return {
        caseId: a.caseId,
        state: a.state,
        next: ARREARS_TIMEOUT_NEXT.awaitBackfill,
        decidedBy: 'A-5',
        backfillUntil: a.wait.until,
        timeoutSeconds: t.timeoutSeconds,
      };
    }
    if (a.state === ARREARS_STATE.awaitingBackfill) {
      // The backfill horizon passed too: nothing more is awaited here; tax pursues the dues.
      const next = nextArrearsCase(a, {
        state: 'closed',
        wait: null,
        taskToken: null,
        closedOn: deps.clock.today(),
        data: { ...d, closedUnpaid: { on: deps.clock.today(), referredTo: 'tax' } },
      });
      await deps.store.saveCase(
        next,
        a.version,
        systemCtx(COMPONENT, `A-5/A-7: no backfill by ${a.wait?.until}; the case closes and tax pursues the dues`),
      );
      return { caseId: a.caseId, state: 'closed', next: ARREARS_TIMEOUT_NEXT.closed, decidedBy: 'A-5' };
    }

    const asOf = maxDate(deps.clock.today(), addDays(opened.windowLastDay, 1));
    const result = decide(arrears, facts(a), asOf);
    const v = result.value;
    const ctx = systemCtx(COMPONENT, `${v.decidedBy}: ${result.trace.reason.en}`, result.trace);
    if (v.decidedBy === 'A-6') {
      const outcome: ArrearsOutcomeRecord = {
        decidedBy: 'A-6',
        paid: false,
        paidOn: null,
        restoredOn: null,
        coverStarts: null,
        arrearsPeriodCovered: false,
        backfillAllowed: false,
        yearsAndAccountCredited: false,
        principalFen: v.principalFen,
        lateFeeFen: 0,
        amountDueFen: 0,
      };
      const enrollment = await deps.store.getEnrollment(d.identityKey, d.enrollmentId);
      const ended = terminateFrom(enrollmentInputOf(enrollment), addDays(opened.windowLastDay, 1), result.trace);
      const next = nextArrearsCase(a, {
        state: 'lapsed',
        wait: null,
        taskToken: null,
        closedOn: deps.clock.today(),
        data: { ...d, outcome },
      });
      await deps.store.commit(
        [
          ...(ended ? [{ kind: 'enrollment' as const, enrollment: ended, expectedVersion: enrollment.version }] : []),
          { kind: 'case', case: next, expectedVersion: a.version },
        ],
        ctx,
      );
      return { caseId: a.caseId, state: 'lapsed', next: ARREARS_TIMEOUT_NEXT.closed, decidedBy: 'A-6', outcome };
    }
    const backfillUntil = addDays(opened.windowLastDay, waitDays);
    const next = nextArrearsCase(a, {
      state: 'awaiting-backfill',
      wait: { for: ARREARS_WAIT.backfill, until: backfillUntil },
      taskToken: null,
      data: { ...d, afterWindow: { decidedBy: v.decidedBy, backfillAllowed: true, arrearsPeriodCovered: false } },
    });
    await deps.store.saveCase(next, a.version, ctx);
    const t = secondsUntilEndOf(backfillUntil, nowMs);
    return {
      caseId: a.caseId,
      state: 'awaiting-backfill',
      next: ARREARS_TIMEOUT_NEXT.awaitBackfill,
      decidedBy: 'A-5',
      backfillUntil,
      timeoutSeconds: t.timeoutSeconds,
    };
  });
}

// ── remind (optional) ─────────────────────────────────────────────────────────

export interface ArrearsReminderOutput {
  readonly caseId: string;
  readonly state: ArrearsState;
  readonly windowLastDay: CalendarDate | null;
  /** What paying today would cost (principal + late fee, A-3), null once nothing is awaited. */
  readonly amountDueFenToday: number | null;
  readonly remindedOn: CalendarDate;
  readonly recorded: boolean;
}

/** Records one reminder per day with what paying today costs; writes nothing on a second call the same day. */
export async function remindArrears(deps: WorkflowDeps, input: { caseId: string }): Promise<ArrearsReminderOutput> {
  const today = deps.clock.today();
  return retryConflicts(async () => {
    const a = await getArrears(deps, input.caseId);
    const d = a.data;
    const opened = d.opened;
    if (a.state !== ARREARS_STATE.waitingPayment || !opened)
      return {
        caseId: a.caseId,
        state: a.state,
        windowLastDay: opened?.windowLastDay ?? null,
        amountDueFenToday: null,
        remindedOn: today,
        recorded: false,
      };
    const result = decide(arrears, facts(a), maxDate(today, d.firstUnpaidDay));
    const reminders = d.reminders ?? [];
    const out = {
      caseId: a.caseId,
      state: a.state,
      windowLastDay: opened.windowLastDay,
      amountDueFenToday: result.value.amountDueFen,
      remindedOn: today,
    };
    if (reminders.some((r) => r.on === today)) return { ...out, recorded: false };
    await deps.store.saveCase(
      nextArrearsCase(a, {
        data: { ...d, reminders: [...reminders, { on: today, amountDueFen: result.value.amountDueFen }] },
      }),
      a.version,
      systemCtx(COMPONENT, `reminder: ${result.trace.reason.en}`, result.trace),
    );
    return { ...out, recorded: true };
  });
}
