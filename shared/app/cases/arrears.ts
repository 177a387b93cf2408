/**
 * The arrears case (欠费案件, A-1…A-7, B-4): the one module that owns its type. Every writer of an arrears
 * case — intake (a short payment), the daily sweep (a month due unpaid, C-6), the arrears timer's tasks, a
 * bankruptcy deferral that ended unpaid (B-4) — builds, reads and changes it here:
 *
 * - its id, from its natural key (`arrearsCaseId`): one case per enrollment and the fee month that opened
 *   it, whoever opens it first; a B-4 case per deferral, employee and enrollment;
 * - its states, a closed union (`ARREARS_STATES`), and which state may follow which (`ARREARS_TRANSITIONS`);
 *   the state machine's Choice conditions (infra/state-machines/arrears-timer.ts) read the same constants;
 * - its `data`, a zod schema parsed on every read and every write (`readArrearsCase`, `nextArrearsCase`),
 *   which refuses a case whose enrollment belongs to anybody but the case's subject: a case never carries
 *   two people's identifiers;
 * - the months it holds: a fee month of an enrollment is taken by one arrears case only, an
 *   `ARREARS#<enrollment>#<month>` item written in the same transaction as the case (ArrearsMonthClaim of
 *   shared/store/case-store.ts), so the sweep and intake, even at the same moment, never both open one.
 *
 * Why the claim and not only the id: the sweep's case of a run of unpaid months takes later months too
 * (A-1: the window still counts from the run's first unpaid day), so a later month's case is not found by
 * its own id; the claim says which case holds it.
 */
import * as z from 'zod';
import { type CalendarDate, firstOfMonth } from '#domain/calendar.js';
import { calendarDate, employeeMode, fen, flexibleMode, yearMonth } from '#schemas/common.js';
import type { ArrearsMonthClaim, CaseStore } from '#store/case-store.js';
import { AlreadyExistsError } from '#store/errors.js';
import { type Case, type CaseInput, type ChangeContext, CLOSED_STATES, identityKey } from '#store/model.js';
import { recordId } from '#schemas/notification.js';
import { caseIdFor, inputOf, retryConflicts, WorkflowError } from '../workflows/common.js';

// ── Id ────────────────────────────────────────────────────────────────────────

/**
 * The natural key of an arrears case. A-1 (the sweep, a short payment at intake): the enrollment and the
 * first fee month of the run. B-4: the deferral case, the employee and the enrollment (one case per
 * employee for all the months left unpaid when the agreement ended).
 */
export type ArrearsKey =
  | { readonly identityKey: string; readonly enrollmentId: string; readonly feeMonth: string }
  | { readonly bankruptcyCaseId: string; readonly identityKey: string; readonly enrollmentId: string };

/**
 * The case id, also the arrears timer's execution name: `arrears-2026-09-<hash>` / `arrears-b4-<hash>`. The
 * hash covers the identity key, so the name (visible in the console and in execution history) never shows
 * an ID number; letters, digits, `-` and `_` only (no `:`), at most 80 characters, as Step Functions wants.
 */
export function arrearsCaseId(key: ArrearsKey): string {
  return 'bankruptcyCaseId' in key
    ? caseIdFor('arrears-b4', [], [key.bankruptcyCaseId, key.identityKey, key.enrollmentId])
    : caseIdFor('arrears', [key.feeMonth], [key.identityKey, key.enrollmentId]);
}

// ── States and transitions ───────────────────────────────────────────────────

/** Every state an arrears case is ever in. */
export const ARREARS_STATES = [
  'opened',
  'waiting-payment',
  'awaiting-backfill',
  'completed',
  'lapsed',
  'closed',
] as const;
export type ArrearsState = (typeof ARREARS_STATES)[number];

/** The states by name, for code and for the state machine's Choice conditions. */
export const ARREARS_STATE = {
  /** Opened by the sweep, intake or B-4; the timer's `open` task has not suspended the enrollment yet (A-1). */
  opened: 'opened',
  /** A-1 suspended; waiting for the payment until the A-4 window's last day. */
  waitingPayment: 'waiting-payment',
  /** Unit mode after the window (A-5): a backfill credits years and account, not cover, until the horizon. */
  awaitingBackfill: 'awaiting-backfill',
  /** Paid: A-4 (within the window) or A-5 (backfilled). */
  completed: 'completed',
  /** A-6: a flexible worker's backfill closed; paying again is a new enrollment (W-6). */
  lapsed: 'lapsed',
  /** A-5/A-7: no backfill by the horizon; tax pursues the dues. */
  closed: 'closed',
} as const satisfies Record<string, ArrearsState>;

/** Which state may follow which. Staying in a state (a data change: a month added, a payment recorded) is allowed while open. */
export const ARREARS_TRANSITIONS: Readonly<Record<ArrearsState, readonly ArrearsState[]>> = {
  opened: ['waiting-payment'],
  'waiting-payment': ['completed', 'lapsed', 'awaiting-backfill'],
  'awaiting-backfill': ['completed', 'closed'],
  completed: [],
  lapsed: [],
  closed: [],
};

/** Over: the case is never written again (the store's CLOSED_STATES holds each of them). */
export const ARREARS_CLOSED_STATES: readonly ArrearsState[] = ['completed', 'lapsed', 'closed'];
/** The states the timer waits for a payment in (its callback task). */
export const ARREARS_WAITING_STATES: readonly ArrearsState[] = ['waiting-payment', 'awaiting-backfill'];
/** The open states: an execution resumes from each of them (shared/app/workflows/rearm.ts lists the same). */
export const ARREARS_OPEN_STATES: readonly ArrearsState[] = ARREARS_STATES.filter(
  (s) => !ARREARS_CLOSED_STATES.includes(s),
);

/** `wait.for` of an arrears case: the A-4 window's payment, the A-5 backfill. A payment notification ends either. */
export const ARREARS_WAIT = { payment: 'payment', backfill: 'backfill' } as const;

/** What the timer's `timeout` task answers in `next`, read by the state machine's AfterTimeout Choice. */
export const ARREARS_TIMEOUT_NEXT = { awaitBackfill: 'await-backfill', closed: 'closed', settled: 'settled' } as const;
export type ArrearsTimeoutNext = (typeof ARREARS_TIMEOUT_NEXT)[keyof typeof ARREARS_TIMEOUT_NEXT];

export const isArrearsClosed = (state: string) => CLOSED_STATES.has(state);

// ── Data ────────────────────────────────────────────────────────────────────────

/** One unpaid fee month: its principal (declared or priced) or its base, and what the ledger held for it at opening. */
export const arrearsMonth = z.strictObject({
  feeMonth: yearMonth,
  baseFen: fen.optional(),
  principalFen: fen.optional(),
  /** What the ledger held for the month when it joined the case (a short payment); none when absent. */
  paidFen: fen.optional(),
});
export type ArrearsMonth = z.output<typeof arrearsMonth>;

const decidedBy = z.enum(['A-4', 'A-5', 'A-6']);

/** What the timer's `open` task decided (A-1, A-3, A-4); the sweep adds a line per month it adds. */
export const arrearsOpened = z.strictObject({
  suspendedFrom: calendarDate,
  windowLastDay: calendarDate,
  principalFen: fen.nullable(),
  months: z.array(z.strictObject({ feeMonth: yearMonth, principalFen: fen.nullable(), dueDate: calendarDate })),
});
export type ArrearsOpened = z.output<typeof arrearsOpened>;

/** How the case ended on a payment (A-4, A-5, A-6) or on the A-6 lapse. */
export const arrearsOutcome = z.strictObject({
  decidedBy,
  paid: z.boolean(),
  paidOn: calendarDate.nullable(),
  restoredOn: calendarDate.nullable(),
  coverStarts: calendarDate.nullable(),
  arrearsPeriodCovered: z.boolean(),
  backfillAllowed: z.boolean(),
  yearsAndAccountCredited: z.boolean(),
  principalFen: fen.nullable(),
  lateFeeFen: fen.nullable(),
  amountDueFen: fen.nullable(),
  notificationId: z.string().min(1).optional(),
});
export type ArrearsOutcomeRecord = z.output<typeof arrearsOutcome>;

/** A payment intake recorded on the case it answered (shared/app/intake/cases.ts). */
export const arrearsPaymentReceived = z.strictObject({
  notificationId: z.string().min(1),
  paidOn: calendarDate,
  feePeriods: z.array(z.string()),
  amountFen: fen,
  /** What the callback found: the execution resumed, the token gone, or no execution waiting yet. */
  callback: z.enum(['resumed', 'gone', 'no-token']),
});
export type ArrearsPaymentReceived = z.output<typeof arrearsPaymentReceived>;

/** The arrears timer started for the case (execution name = case id), recorded so a redelivery sends nothing. */
export const arrearsTimerStart = z.strictObject({
  machine: z.literal('arrears-timer'),
  executionName: z.string().min(1).max(80),
  startedBy: z.string().min(1),
  started: z.boolean(),
});

export const arrearsData = z
  .strictObject({
    /** The enrollment's person: the case's subject (checked on every read and write). */
    identityKey,
    enrollmentId: recordId,
    mode: employeeMode,
    flexibleMode: flexibleMode.optional(),
    unitId: recordId.optional(),
    months: z.array(arrearsMonth).min(1),
    firstUnpaidDay: calendarDate,
    /** A-7: false when the unit never declared the base of the run's first month; true when absent. */
    baseDeclared: z.boolean().optional(),
    /** B-4: the deferral the months were under, and its last day. */
    deferredUntil: calendarDate.optional(),
    bankruptcyCaseId: recordId.optional(),
    // A short payment that opened the case (intake): what it found.
    openedBy: z.string().min(1).optional(),
    dueFen: fen.optional(),
    dueSource: z.enum(['tax-bureau', 'flexible-contribution', 'unit-contribution']).optional(),
    paidFen: fen.optional(),
    shortFen: fen.optional(),
    suspendedFrom: calendarDate.optional(),
    windowLastDay: calendarDate.optional(),
    workflow: arrearsTimerStart.optional(),
    paymentsReceived: z.array(arrearsPaymentReceived).optional(),
    // The timer's tasks.
    opened: arrearsOpened.optional(),
    outcome: arrearsOutcome.optional(),
    reminders: z.array(z.strictObject({ on: calendarDate, amountDueFen: fen.nullable() })).optional(),
    afterWindow: z
      .strictObject({ decidedBy, backfillAllowed: z.boolean(), arrearsPeriodCovered: z.boolean() })
      .optional(),
    closedUnpaid: z.strictObject({ on: calendarDate, referredTo: z.literal('tax') }).optional(),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.months.forEach((m, i) => {
      if (seen.has(m.feeMonth))
        ctx.addIssue({ code: 'custom', path: ['months', i, 'feeMonth'], message: '重复的费款所属期 appears twice' });
      seen.add(m.feeMonth);
    });
  });
export type ArrearsData = z.output<typeof arrearsData>;

const arrearsCaseShape = z
  .looseObject({
    caseId: z.string().min(1),
    caseType: z.literal('arrears'),
    state: z.enum(ARREARS_STATES),
    subject: z.strictObject({ kind: z.literal('person'), identityKey }),
    data: arrearsData,
  })
  .superRefine((c, ctx) => {
    // The enrollment is read (and suspended, restored, ended) under data.identityKey: it must be the
    // subject's own, or the case would act on one person for another's payment.
    if (c.data.identityKey !== c.subject.identityKey)
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'identityKey'],
        message: '参保登记不属于案件当事人 the enrollment belongs to another person than the case’s subject',
      });
  });

/** An arrears case as read: its state one of the union, its data parsed. */
export type ArrearsCase = Omit<Case, 'caseType' | 'state' | 'subject' | 'data'> & {
  readonly caseType: 'arrears';
  readonly state: ArrearsState;
  readonly subject: { readonly kind: 'person'; readonly identityKey: string };
  readonly data: ArrearsData;
};

function invalid(caseId: string, issues: readonly z.core.$ZodIssue[]): WorkflowError {
  // Paths and messages only: zod's `input` of a failing identity key would echo the key itself.
  return new WorkflowError(
    'Case.DataInvalid',
    `arrears case ${caseId}: ${issues.map((i) => `${i.path.join('.') || '(case)'}: ${i.message}`).join('; ')}`,
  );
}

/** Parses a case as an arrears case; a Case.DataInvalid WorkflowError if it is not one or its data is not valid. */
export function readArrearsCase(c: Case): ArrearsCase {
  const r = arrearsCaseShape.safeParse(c);
  if (!r.success) throw invalid(c.caseId, r.error.issues);
  return r.data as unknown as ArrearsCase;
}

/** The fee months the case waits for. */
export const arrearsFeeMonths = (a: ArrearsCase): string[] => a.data.months.map((m) => m.feeMonth);

export const holdsMonth = (a: ArrearsCase, feeMonth: string) => a.data.months.some((m) => m.feeMonth === feeMonth);

// ── Writes ───────────────────────────────────────────────────────────────────

/** A change of an arrears case: what its writer sets; the rest stays as it is. */
export interface ArrearsChange {
  readonly state?: ArrearsState;
  readonly wait?: CaseInput['wait'];
  readonly taskToken?: string | null;
  readonly closedOn?: CalendarDate | null;
  readonly data?: ArrearsData;
}

/**
 * The case after `change`, as the store's input: the transition checked (Case.StateInvalid), the data
 * parsed (Case.DataInvalid). A closed case is not written again.
 */
export function nextArrearsCase(a: ArrearsCase, change: ArrearsChange): CaseInput {
  const to = change.state ?? a.state;
  if (isArrearsClosed(a.state))
    throw new WorkflowError('Case.StateInvalid', `arrears case ${a.caseId} is ${a.state}: it is not written again`);
  if (to !== a.state && !ARREARS_TRANSITIONS[a.state].includes(to))
    throw new WorkflowError(
      'Case.StateInvalid',
      `arrears case ${a.caseId} is ${a.state}; it may go to ${ARREARS_TRANSITIONS[a.state].join(' or ')}, not ${to}`,
    );
  const next = {
    ...inputOf(a as unknown as Case),
    ...(change.wait !== undefined ? { wait: change.wait } : {}),
    ...(change.taskToken !== undefined ? { taskToken: change.taskToken } : {}),
    ...(change.closedOn !== undefined ? { closedOn: change.closedOn } : {}),
    state: to,
    data: change.data ?? a.data,
  };
  const r = arrearsCaseShape.safeParse(next);
  if (!r.success) throw invalid(a.caseId, r.error.issues);
  return next;
}

/** What an opener gives: the case's natural key, where and when, and its data. */
export interface NewArrearsCase {
  readonly key: ArrearsKey;
  readonly region: string;
  readonly openedOn: CalendarDate;
  readonly wait: CaseInput['wait'];
  readonly data: ArrearsData;
}

/**
 * A new arrears case (state `opened`), its id from its natural key. The key must be the data's: the same
 * person and enrollment, and for an A-1 key the first month of the case.
 */
export function newArrearsCase(n: NewArrearsCase): CaseInput {
  const caseId = arrearsCaseId(n.key);
  const mismatch =
    n.key.identityKey !== n.data.identityKey ||
    n.key.enrollmentId !== n.data.enrollmentId ||
    ('feeMonth' in n.key && n.data.months[0]?.feeMonth !== n.key.feeMonth);
  if (mismatch)
    throw new WorkflowError(
      'Case.DataInvalid',
      `arrears case ${caseId}: its key is not its data's person, enrollment and month`,
    );
  const input: CaseInput = {
    caseId,
    caseType: 'arrears',
    region: n.region,
    subject: { kind: 'person', identityKey: n.key.identityKey },
    state: ARREARS_STATE.opened,
    openedOn: n.openedOn,
    wait: n.wait,
    taskToken: null,
    executionArn: null,
    closedOn: null,
    data: n.data,
  };
  const r = arrearsCaseShape.safeParse(input);
  if (!r.success) throw invalid(caseId, r.error.issues);
  return input;
}

const claimOf = (a: Pick<ArrearsCase, 'caseId'> & { data: ArrearsData }, feeMonth: string): ArrearsMonthClaim => ({
  kind: 'arrears-month',
  identityKey: a.data.identityKey,
  enrollmentId: a.data.enrollmentId,
  feeMonth,
  caseId: a.caseId,
});

export type OpenArrearsResult =
  | { readonly outcome: 'opened' | 'existing'; readonly case: ArrearsCase }
  /** A month of it is held by another arrears case already: nothing was written; join that one. */
  | { readonly outcome: 'held'; readonly heldBy: string; readonly feeMonth: string };

/**
 * Opens the case with its months claimed, in one transaction. The same case again (a retried step) is
 * `existing`; a month another case holds is `held` (nothing written), so a month is in one case only.
 */
export async function openArrearsCase(
  store: CaseStore,
  input: CaseInput,
  ctx: ChangeContext,
): Promise<OpenArrearsResult> {
  const a = readArrearsCase({ ...input, version: 0, updatedAt: '' } as Case);
  try {
    await store.commit(
      [{ kind: 'case', case: input, expectedVersion: null }, ...a.data.months.map((m) => claimOf(a, m.feeMonth))],
      ctx,
    );
    return { outcome: 'opened', case: readArrearsCase(await store.getCase(a.caseId)) };
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
    if (e.entity === 'case') return { outcome: 'existing', case: readArrearsCase(await store.getCase(a.caseId)) };
    for (const m of a.data.months) {
      const heldBy = await store.arrearsCaseOfMonth(a.data.identityKey, a.data.enrollmentId, m.feeMonth);
      if (heldBy && heldBy !== a.caseId) return { outcome: 'held', heldBy, feeMonth: m.feeMonth };
    }
    throw e;
  }
}

/**
 * Reads, changes and writes one arrears case with the version check, retrying on conflict; `change` sees
 * the parsed case and may be called more than once; null leaves the case as it is.
 */
export async function updateArrearsCase(
  store: CaseStore,
  caseId: string,
  change: (a: ArrearsCase) => ArrearsChange | null,
  ctx: ChangeContext | ((a: ArrearsCase) => ChangeContext),
): Promise<ArrearsCase> {
  const saved = await store.updateCase(
    caseId,
    (cur) => {
      const a = readArrearsCase(cur);
      const ch = change(a);
      return ch === null ? null : nextArrearsCase(a, ch);
    },
    typeof ctx === 'function' ? (cur) => ctx(readArrearsCase(cur)) : ctx,
  );
  return readArrearsCase(saved);
}

export type AddMonthResult =
  | { readonly outcome: 'added' | 'present' }
  | { readonly outcome: 'held'; readonly heldBy: string };

/**
 * A-1: a further unpaid month joins an open case (the run goes on), claimed in the same transaction; a
 * month the case holds is left as it is, a month another case holds is not added (`held`).
 */
export async function addArrearsMonth(
  store: CaseStore,
  caseId: string,
  month: ArrearsMonth,
  openedLine: ArrearsOpened['months'][number] | null,
  ctx: ChangeContext,
): Promise<AddMonthResult> {
  return retryConflicts(async () => {
    const a = readArrearsCase(await store.getCase(caseId));
    if (holdsMonth(a, month.feeMonth)) return { outcome: 'present' } as const;
    const o = a.data.opened;
    const opened =
      o && openedLine
        ? {
            ...o,
            months: [...o.months, openedLine],
            principalFen:
              o.principalFen === null || openedLine.principalFen === null
                ? null
                : o.principalFen + openedLine.principalFen,
          }
        : o;
    const next = nextArrearsCase(a, {
      data: { ...a.data, months: [...a.data.months, month], ...(opened ? { opened } : {}) },
    });
    try {
      await store.commit([{ kind: 'case', case: next, expectedVersion: a.version }, claimOf(a, month.feeMonth)], ctx);
      return { outcome: 'added' } as const;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError) || e.entity !== 'arrears-month') throw e;
      const heldBy = await store.arrearsCaseOfMonth(a.data.identityKey, a.data.enrollmentId, month.feeMonth);
      if (!heldBy || heldBy === a.caseId) throw e;
      return { outcome: 'held', heldBy } as const;
    }
  });
}

// ── Finding the case of a month ──────────────────────────────────────────────

/** The person's arrears cases of one enrollment, parsed (a case that does not parse is an error, not skipped). */
export function arrearsCasesOf(cases: readonly Case[], enrollmentId: string): ArrearsCase[] {
  return cases
    .filter((c) => c.caseType === 'arrears')
    .map(readArrearsCase)
    .filter((a) => a.data.enrollmentId === enrollmentId);
}

/**
 * The arrears case that holds a fee month of an enrollment: the one its claim names; failing that (a case
 * written before months were claimed), an open case of the enrollment whose months include it.
 */
export async function arrearsCaseHolding(
  store: CaseStore,
  cases: readonly Case[],
  ref: { readonly identityKey: string; readonly enrollmentId: string; readonly feeMonth: string },
): Promise<ArrearsCase | null> {
  const id = await store.arrearsCaseOfMonth(ref.identityKey, ref.enrollmentId, ref.feeMonth);
  if (id) return readArrearsCase(await store.getCase(id));
  return (
    arrearsCasesOf(cases, ref.enrollmentId).find((a) => !isArrearsClosed(a.state) && holdsMonth(a, ref.feeMonth)) ??
    null
  );
}

/**
 * The enrollment's open run of unpaid months (A-1) that `feeMonth` continues, the earliest when there are
 * several: a run that began before the month (a case opened for a later month — a short payment in advance —
 * cannot take an earlier one, whose arrears begin before its first unpaid day).
 */
export function openRunOf(cases: readonly Case[], enrollmentId: string, feeMonth: string): ArrearsCase | null {
  const first = firstOfMonth(feeMonth);
  return (
    arrearsCasesOf(cases, enrollmentId)
      .filter((a) => !isArrearsClosed(a.state) && a.data.firstUnpaidDay <= first)
      .sort((x, y) =>
        x.data.firstUnpaidDay < y.data.firstUnpaidDay ? -1 : x.data.firstUnpaidDay > y.data.firstUnpaidDay ? 1 : 0,
      )[0] ?? null
  );
}
