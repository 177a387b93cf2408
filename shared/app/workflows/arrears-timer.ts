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
import * as z from 'zod';
import { addDays, type CalendarDate, maxDate } from '#domain/calendar.js';
import { calendarDate, employeeMode, fen, flexibleMode, yearMonth } from '#schemas/common.js';
import type { AtomicChange } from '#store/case-store.js';
import { type Case, type CaseInput, identityKey } from '#store/model.js';
import {
  decide,
  enrollmentInputOf,
  inputOf,
  nowOf,
  restore,
  retryConflicts,
  secondsUntilEndOf,
  stateInvalid,
  suspendFrom,
  systemCtx,
  terminateFrom,
  WorkflowError,
  type WorkflowDeps,
} from './common.js';
import { storeTaskToken } from './tokens.js';
import { arrears } from '#rules/arrears/decision.js';

const COMPONENT = 'arrears-timer';

/**
 * Reading (not in the texts): how long after the 90-day window a unit-mode case stays open for an A-5
 * backfill (years and account, no cover) before it is closed and left to tax (A-7). Bounded by the
 * one-year limit of a Standard execution; a task input may set another value.
 */
export const UNIT_BACKFILL_WAIT_DAYS = 180;

const arrearsMonth = z.object({
  feeMonth: yearMonth,
  baseFen: fen.optional(),
  principalFen: fen.optional(),
  /** What the ledger held for the month when the case opened (a short payment). */
  paidFen: fen.default(0),
});

/** What the opener (sweep, bankruptcy end) puts in `data`; the tasks add `opened`, `outcome`, `reminders`. */
export const arrearsCaseData = z.looseObject({
  identityKey,
  enrollmentId: z.string().min(1),
  mode: employeeMode,
  flexibleMode: flexibleMode.optional(),
  unitId: z.string().optional(),
  months: z.array(arrearsMonth).min(1),
  firstUnpaidDay: calendarDate,
  deferredUntil: calendarDate.optional(),
  baseDeclared: z.boolean().default(true),
});
export type ArrearsCaseData = z.output<typeof arrearsCaseData>;

interface Opened {
  readonly suspendedFrom: CalendarDate;
  readonly windowLastDay: CalendarDate;
  readonly principalFen: number | null;
  readonly months: ReadonlyArray<{ feeMonth: string; principalFen: number | null; dueDate: string }>;
}

export interface ArrearsOutcomeRecord {
  readonly decidedBy: 'A-4' | 'A-5' | 'A-6';
  readonly paid: boolean;
  readonly paidOn: CalendarDate | null;
  readonly restoredOn: CalendarDate | null;
  readonly coverStarts: CalendarDate | null;
  readonly arrearsPeriodCovered: boolean;
  readonly backfillAllowed: boolean;
  readonly yearsAndAccountCredited: boolean;
  readonly principalFen: number | null;
  readonly lateFeeFen: number | null;
  readonly amountDueFen: number | null;
  readonly notificationId?: string;
}

function parseData(c: Case): ArrearsCaseData {
  if (c.caseType !== 'arrears') throw new WorkflowError('Case.DataInvalid', `case ${c.caseId} is not an arrears case`);
  const r = arrearsCaseData.safeParse(c.data);
  if (!r.success)
    throw new WorkflowError(
      'Case.DataInvalid',
      `arrears case ${c.caseId}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

function facts(c: Case, d: ArrearsCaseData, paidAt?: CalendarDate) {
  return {
    region: c.region,
    caseOpenedOn: c.openedOn,
    mode: d.mode,
    ...(d.flexibleMode ? { flexibleMode: d.flexibleMode } : {}),
    months: d.months.map((m) =>
      m.principalFen !== undefined
        ? { feeMonth: m.feeMonth, principalFen: m.principalFen }
        : m.baseFen !== undefined
          ? { feeMonth: m.feeMonth, baseFen: m.baseFen, paidFen: m.paidFen }
          : { feeMonth: m.feeMonth },
    ),
    firstUnpaidDay: d.firstUnpaidDay,
    baseDeclared: d.baseDeclared,
    ...(d.deferredUntil ? { deferredUntil: d.deferredUntil } : {}),
    ...(paidAt ? { paidAt } : {}),
  };
}

const openedOf = (c: Case) => (c.data as { opened?: Opened }).opened;
const outcomeOf = (c: Case) => (c.data as { outcome?: ArrearsOutcomeRecord }).outcome;

// ── open (A-1) ────────────────────────────────────────────────────────────────

export interface OpenArrearsInput {
  readonly caseId: string;
  /** ISO instant the timeout counts from (`$$.State.EnteredTime`); default the clock. */
  readonly now?: string;
}

export interface ArrearsOpenedOutput {
  readonly caseId: string;
  readonly state: string;
  readonly suspendedFrom: CalendarDate;
  /** A-4: the last payment day that still covers the arrears period. */
  readonly windowLastDay: CalendarDate;
  readonly principalFen: number | null;
  /** Seconds from `now` to the end (24:00 CST) of windowLastDay: the callback's TimeoutSecondsPath. */
  readonly timeoutSeconds: number;
  /** False when the window had already ended at `now` (go straight to timeout). */
  readonly windowOpen: boolean;
}

function openedOutput(c: Case, nowMs: number): ArrearsOpenedOutput {
  const o = openedOf(c)!;
  // A re-armed execution (rearm.ts) of a unit case already in its A-5 backfill wait waits to that horizon.
  const until = c.state === 'awaiting-backfill' && c.wait ? c.wait.until : o.windowLastDay;
  const t = secondsUntilEndOf(until, nowMs);
  return {
    caseId: c.caseId,
    state: c.state,
    suspendedFrom: o.suspendedFrom,
    windowLastDay: o.windowLastDay,
    principalFen: o.principalFen,
    timeoutSeconds: t.timeoutSeconds,
    windowOpen: t.open,
  };
}

/** A-1: suspends the enrollment from the first unpaid day and sets the wait to the window's last day. */
export async function openArrears(deps: WorkflowDeps, input: OpenArrearsInput): Promise<ArrearsOpenedOutput> {
  const nowMs = nowOf(deps, input.now);
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    if (c.state !== 'opened') {
      if (!openedOf(c)) throw stateInvalid(c, 'open', ['opened']);
      return openedOutput(c, nowMs);
    }
    const asOf = maxDate(deps.clock.today(), d.firstUnpaidDay);
    const result = decide(arrears, facts(c, d), asOf);
    const v = result.value;
    const opened: Opened = {
      suspendedFrom: v.suspendedFrom,
      windowLastDay: v.windowLastDay,
      principalFen: v.principalFen,
      months: v.months.map((m) => ({ feeMonth: m.feeMonth, principalFen: m.principalFen, dueDate: m.dueDate })),
    };
    const next: CaseInput = {
      ...inputOf(c),
      state: 'waiting-payment',
      wait: { for: 'payment', until: v.windowLastDay },
      data: { ...c.data, opened },
    };
    const enrollment = await deps.store.getEnrollment(d.identityKey, d.enrollmentId);
    const suspended = suspendFrom(enrollmentInputOf(enrollment), v.suspendedFrom, result.trace);
    const changes: AtomicChange[] = [
      ...(suspended
        ? [{ kind: 'enrollment' as const, enrollment: suspended, expectedVersion: enrollment.version }]
        : []),
      { kind: 'case', case: next, expectedVersion: c.version },
    ];
    await deps.store.commit(changes, systemCtx(COMPONENT, `A-1: ${result.trace.reason.en}`, result.trace));
    return openedOutput({ ...c, ...next, data: next.data ?? {} } as Case, nowMs);
  });
}

// ── await-payment (callback) ──────────────────────────────────────────────────

export interface AwaitPaymentInput {
  readonly caseId: string;
  readonly taskToken: string;
}

/**
 * Stores the token; if the months are already paid (a payment that came before the token was
 * stored), resumes the execution at once with the payment, so no payment is ever missed.
 */
export async function awaitArrearsPayment(deps: WorkflowDeps, input: AwaitPaymentInput): Promise<{ caseId: string }> {
  const c = await storeTaskToken(deps, COMPONENT, input, ['waiting-payment', 'awaiting-backfill']);
  if (c.state === 'waiting-payment' || c.state === 'awaiting-backfill') {
    const paid = await ledgerState(deps, c, parseData(c));
    if (paid.allPaid && deps.callbacks) {
      await deps.callbacks.succeed(input.taskToken, { event: 'payment', notificationId: paid.notificationId });
    }
  }
  return { caseId: c.caseId };
}

interface LedgerState {
  readonly allPaid: boolean;
  readonly paidOn: CalendarDate | null;
  readonly notificationId?: string;
  /** Principal still missing (null when the principal awaits assessment, A-7). */
  readonly stillDueFen: number | null;
}

/** Reads the ledger of the arrears months: paid when each month holds what was paid before plus its principal. */
async function ledgerState(deps: WorkflowDeps, c: Case, d: ArrearsCaseData): Promise<LedgerState> {
  const months = d.months.map((m) => m.feeMonth).sort();
  const entries = await deps.store.ledger(d.identityKey, 'employee', { from: months[0]!, to: months.at(-1)! });
  const byMonth = new Map(entries.map((e) => [e.feePeriod, e]));
  const principals = new Map((openedOf(c)?.months ?? []).map((m) => [m.feeMonth, m.principalFen]));
  let allPaid = true;
  let stillDue: number | null = 0;
  let paidOn: CalendarDate | null = null;
  let notificationId: string | undefined;
  for (const m of d.months) {
    const e = byMonth.get(m.feeMonth);
    const principal = principals.get(m.feeMonth) ?? m.principalFen ?? null;
    const required = m.paidFen + (principal ?? 1);
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
  readonly state: string;
  readonly stillDueFen?: number | null;
  readonly outcome?: ArrearsOutcomeRecord;
}

const settledOutput = (c: Case): ArrearsSettledOutput => ({
  caseId: c.caseId,
  settled: true,
  state: c.state,
  outcome: outcomeOf(c)!,
});

const WAITING = ['waiting-payment', 'awaiting-backfill'];

/**
 * The arrears are in the ledger: decide on the payment day. A-4 (within 90 days): normal again from
 * the first unpaid day and covered from it (the arrears period retroactively, A-2 restored the next
 * day), principal and late fee recorded. A-5 (unit, later): normal from the next day, cover after a
 * W-6 waiting period, the arrears period not covered. A-6 (flexible, later): backfill closed.
 */
export async function settleArrears(deps: WorkflowDeps, input: SettleArrearsInput): Promise<ArrearsSettledOutput> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    if (outcomeOf(c)?.paid) return settledOutput(c);
    if (!WAITING.includes(c.state)) throw stateInvalid(c, 'settle', WAITING);
    const ledger = await ledgerState(deps, c, d);
    if (!ledger.allPaid) return { caseId: c.caseId, settled: false, state: c.state, stillDueFen: ledger.stillDueFen };
    const paidOn = maxDate(ledger.paidOn!, d.firstUnpaidDay);
    const result = decide(arrears, facts(c, d, paidOn), paidOn);
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
    const next: CaseInput = {
      ...inputOf(c),
      state: v.decidedBy === 'A-6' ? 'lapsed' : 'completed',
      wait: null,
      taskToken: null,
      closedOn: deps.clock.today(),
      data: { ...c.data, outcome },
    };
    await deps.store.commit(
      [
        ...(changed ? [{ kind: 'enrollment' as const, enrollment: changed, expectedVersion: enrollment.version }] : []),
        { kind: 'case', case: next, expectedVersion: c.version },
      ],
      systemCtx(COMPONENT, `${v.decidedBy}: ${result.trace.reason.en}`, result.trace),
    );
    return settledOutput({ ...c, ...next, data: next.data ?? {} } as Case);
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
  readonly state: string;
  /** `await-backfill`: wait again (unit, A-5); `closed`: nothing more to wait for; `settled`: it was paid after all. */
  readonly next: 'await-backfill' | 'closed' | 'settled';
  readonly decidedBy: 'A-4' | 'A-5' | 'A-6' | null;
  readonly backfillUntil?: CalendarDate;
  readonly timeoutSeconds?: number;
  readonly outcome?: ArrearsOutcomeRecord;
}

/**
 * The window passed with no payment. Unit mode (A-5): the case waits on for a backfill that credits
 * years and account without cover (`awaiting-backfill`), until the backfill horizon, then closes.
 * Flexible mode (A-6): backfill is closed, the enrollment ends (paying again is a new one, W-6).
 * A payment that raced the timer is settled instead.
 */
export async function arrearsTimedOut(deps: WorkflowDeps, input: ArrearsTimeoutInput): Promise<ArrearsTimeoutOutput> {
  const nowMs = nowOf(deps, input.now);
  const waitDays = input.backfillWaitDays ?? UNIT_BACKFILL_WAIT_DAYS;
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    const done = outcomeOf(c);
    if (done?.paid)
      return { caseId: c.caseId, state: c.state, next: 'settled', decidedBy: done.decidedBy, outcome: done };
    if (c.state === 'lapsed' || c.state === 'closed')
      return { caseId: c.caseId, state: c.state, next: 'closed', decidedBy: done?.decidedBy ?? null };
    if (!WAITING.includes(c.state)) throw stateInvalid(c, 'timeout', WAITING);

    if ((await ledgerState(deps, c, d)).allPaid) {
      const s = await settleArrears(deps, { caseId: c.caseId });
      return {
        caseId: c.caseId,
        state: s.state,
        next: 'settled',
        decidedBy: s.outcome?.decidedBy ?? null,
        ...(s.outcome ? { outcome: s.outcome } : {}),
      };
    }
    const opened = openedOf(c);
    if (!opened) throw stateInvalid(c, 'timeout', ['waiting-payment']);

    if (c.state === 'awaiting-backfill' && c.wait && secondsUntilEndOf(c.wait.until, nowMs).open) {
      // A retry of the window's timeout (the horizon has not passed): answer as that timeout did.
      const t = secondsUntilEndOf(c.wait.until, nowMs);
      return {
        caseId: c.caseId,
        state: c.state,
        next: 'await-backfill',
        decidedBy: 'A-5',
        backfillUntil: c.wait.until,
        timeoutSeconds: t.timeoutSeconds,
      };
    }
    if (c.state === 'awaiting-backfill') {
      // The backfill horizon passed too: nothing more is awaited here; tax pursues the dues (A-7).
      const next: CaseInput = {
        ...inputOf(c),
        state: 'closed',
        wait: null,
        taskToken: null,
        closedOn: deps.clock.today(),
        data: { ...c.data, closedUnpaid: { on: deps.clock.today(), referredTo: 'tax' } },
      };
      await deps.store.saveCase(
        next,
        c.version,
        systemCtx(COMPONENT, `A-5/A-7: no backfill by ${c.wait?.until}; the case closes and tax pursues the dues`),
      );
      return { caseId: c.caseId, state: 'closed', next: 'closed', decidedBy: 'A-5' };
    }

    const asOf = maxDate(deps.clock.today(), addDays(opened.windowLastDay, 1));
    const result = decide(arrears, facts(c, d), asOf);
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
      const next: CaseInput = {
        ...inputOf(c),
        state: 'lapsed',
        wait: null,
        taskToken: null,
        closedOn: deps.clock.today(),
        data: { ...c.data, outcome },
      };
      await deps.store.commit(
        [
          ...(ended ? [{ kind: 'enrollment' as const, enrollment: ended, expectedVersion: enrollment.version }] : []),
          { kind: 'case', case: next, expectedVersion: c.version },
        ],
        ctx,
      );
      return { caseId: c.caseId, state: 'lapsed', next: 'closed', decidedBy: 'A-6', outcome };
    }
    const backfillUntil = addDays(opened.windowLastDay, waitDays);
    const next: CaseInput = {
      ...inputOf(c),
      state: 'awaiting-backfill',
      wait: { for: 'backfill', until: backfillUntil },
      taskToken: null,
      data: { ...c.data, afterWindow: { decidedBy: v.decidedBy, backfillAllowed: true, arrearsPeriodCovered: false } },
    };
    await deps.store.saveCase(next, c.version, ctx);
    const t = secondsUntilEndOf(backfillUntil, nowMs);
    return {
      caseId: c.caseId,
      state: 'awaiting-backfill',
      next: 'await-backfill',
      decidedBy: 'A-5',
      backfillUntil,
      timeoutSeconds: t.timeoutSeconds,
    };
  });
}

// ── remind (optional) ─────────────────────────────────────────────────────────

export interface ArrearsReminderOutput {
  readonly caseId: string;
  readonly state: string;
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
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    const opened = openedOf(c);
    if (c.state !== 'waiting-payment' || !opened)
      return {
        caseId: c.caseId,
        state: c.state,
        windowLastDay: opened?.windowLastDay ?? null,
        amountDueFenToday: null,
        remindedOn: today,
        recorded: false,
      };
    const result = decide(arrears, facts(c, d), maxDate(today, d.firstUnpaidDay));
    const reminders = (c.data as { reminders?: Array<{ on: string; amountDueFen: number | null }> }).reminders ?? [];
    const out = {
      caseId: c.caseId,
      state: c.state,
      windowLastDay: opened.windowLastDay,
      amountDueFenToday: result.value.amountDueFen,
      remindedOn: today,
    };
    if (reminders.some((r) => r.on === today)) return { ...out, recorded: false };
    await deps.store.saveCase(
      {
        ...inputOf(c),
        data: { ...c.data, reminders: [...reminders, { on: today, amountDueFen: result.value.amountDueFen }] },
      },
      c.version,
      systemCtx(COMPONENT, `reminder: ${result.trace.reason.en}`, result.trace),
    );
    return { ...out, recorded: true };
  });
}
