/**
 * The daily deadline sweep (EventBridge Scheduler, daily in Asia/Shanghai). Run for day D, it handles
 * what ended on D−1 in every region: `wait.until` is the last day of a wait (inclusive), and a due
 * date is the last day a month may be paid, so on D those deadlines have passed.
 *
 * - a waiting period ended (case `waiting-period-expiry`): the enrollment's cover period is in force
 *   from D (W-6/W-7); the case completes;
 * - a 90-day newborn or identity-conversion window closed with no enrollment (W-1, W-2): the case
 *   closes and records which rules apply now, from the engine;
 * - an employee fee month fell due unpaid (C-6): an arrears case is opened and its timer started
 *   (A-1), or the month is added to the enrollment's open arrears case; a unit under a bankruptcy
 *   deferral is not in arrears (B-1); a flexible enrollment whose backfill closed (A-6) is not
 *   expected any more.
 *
 * Waits that belong to an execution (its own timer: arrears windows, retirement choices…) are left
 * to it. Every step is idempotent and what is done leaves the index, so a second run of the same
 * day finds nothing new; a run cut short (time budget, a failure) is finished by the next one.
 */
import { addDays, type CalendarDate, firstOfMonth } from '#domain/calendar.js';
import { REGIONS } from '#domain/regions.js';
import type { Trace } from '#rules/engine.js';
import { DecisionError } from '#rules/errors.js';
import type { AtomicChange } from '#store/case-store.js';
import { AlreadyExistsError, NotFoundError } from '#store/errors.js';
import type { Case, CaseInput, CoverPeriod, Enrollment } from '#store/model.js';
import type { ExpectedPayment } from '#store/workflow-model.js';
import { maskIdentity } from '#domain/identity.js';
import {
  allCasesOf,
  caseIdFor,
  decide,
  enrollmentInputOf,
  inputOf,
  isClosed,
  requireDeps,
  retryConflicts,
  systemCtx,
  type WorkflowDeps,
} from '../workflows/common.js';
import { expectMonth, nextMonthOf } from './expected-payments.js';
import { waitingPeriod } from '#rules/waiting-period/decision.js';
import { arrears } from '#rules/arrears/decision.js';
import { flexibleContribution } from '#rules/contributions/flexible.js';

const COMPONENT = 'daily-sweep';

export interface SweepInput {
  /** The day the sweep runs for (CST); deadlines of the day before are handled. Default: today. */
  readonly date?: CalendarDate;
  readonly regions?: readonly string[];
  readonly pageSize?: number;
  /** Stop taking new items after this instant (ms), leaving the rest to the next run. */
  readonly stopAtMs?: number;
}

export interface SweepReport {
  readonly date: CalendarDate;
  /** The last day of the waits and the due date handled. */
  readonly deadlineDay: CalendarDate;
  readonly complete: boolean;
  readonly coverStarted: number;
  readonly coverRescheduled: number;
  readonly windowsClosed: number;
  readonly windowsCompleted: number;
  readonly arrearsOpened: number;
  readonly arrearsExtended: number;
  readonly monthsPaid: number;
  readonly monthsDeferred: number;
  readonly monthsNotDue: number;
  readonly monthsLapsed: number;
  readonly ownedByExecution: number;
  readonly unhandled: number;
  readonly failures: ReadonlyArray<{ readonly item: string; readonly error: string }>;
}

type Counter = Exclude<keyof SweepReport, 'date' | 'deadlineDay' | 'complete' | 'failures'>;

export async function runDailySweep(deps: WorkflowDeps, input: SweepInput = {}): Promise<SweepReport> {
  const date = input.date ?? deps.clock.today();
  const deadlineDay = addDays(date, -1);
  const counts: Record<Counter, number> = {
    coverStarted: 0,
    coverRescheduled: 0,
    windowsClosed: 0,
    windowsCompleted: 0,
    arrearsOpened: 0,
    arrearsExtended: 0,
    monthsPaid: 0,
    monthsDeferred: 0,
    monthsNotDue: 0,
    monthsLapsed: 0,
    ownedByExecution: 0,
    unhandled: 0,
  };
  const failures: Array<{ item: string; error: string }> = [];
  const deferredUnits = new Map<string, boolean>();
  const regions = input.regions ?? REGIONS.map((r) => r.code);
  const limit = input.pageSize ?? 100;
  const outOfTime = () => input.stopAtMs !== undefined && deps.clock.now() >= input.stopAtMs;
  let complete = true;

  const attempt = async (item: string, fn: () => Promise<Counter | null>) => {
    try {
      const counter = await fn();
      if (counter) counts[counter]++;
    } catch (e) {
      failures.push({ item, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  };

  // Regions are independent (their own index partitions): swept side by side.
  const sweepRegion = async (region: string) => {
    let cursor: string | undefined;
    do {
      if (outOfTime()) {
        complete = false;
        break;
      }
      const page = await deps.store.casesExpiringOn(region, deadlineDay, { limit, ...(cursor ? { cursor } : {}) });
      for (const c of page.items) await attempt(`case:${c.caseId}`, () => handleCase(deps, c, date));
      cursor = page.cursor;
    } while (cursor);

    cursor = undefined;
    do {
      if (outOfTime()) {
        complete = false;
        break;
      }
      const page = await deps.store.paymentsDueOn(region, deadlineDay, { limit, ...(cursor ? { cursor } : {}) });
      for (const p of page.items)
        await attempt(`month:${maskIdentity(p.identityKey)}/${p.enrollmentId}/${p.feeMonth}`, () =>
          handleDueMonth(deps, p, date, deferredUnits),
        );
      cursor = page.cursor;
    } while (cursor);
  };
  // A region that fails is reported (complete: false, the scheduler runs it again), never left running
  // behind a rejected invocation.
  const swept = await Promise.allSettled(regions.map(sweepRegion));
  swept.forEach((r, i) => {
    if (r.status === 'rejected')
      failures.push({
        item: `region:${regions[i]}`,
        error: r.reason instanceof Error ? `${r.reason.name}: ${r.reason.message}` : String(r.reason),
      });
  });
  return { date, deadlineDay, complete: complete && failures.length === 0, ...counts, failures };
}

// ── Cases whose wait ended ─────────────────────────────────────────────────────

async function handleCase(deps: WorkflowDeps, c: Case, date: CalendarDate): Promise<Counter | null> {
  if (isClosed(c)) return null;
  switch (c.caseType) {
    case 'waiting-period-expiry':
      return startCover(deps, c.caseId, date);
    case 'newborn-window':
    case 'identity-conversion-window':
      return closeWindow(deps, c.caseId, date);
    default:
      // Its execution's own timer (TimeoutSecondsPath, Wait) handles it (WORKFLOWS.md).
      return c.executionArn || c.taskToken ? 'ownedByExecution' : 'unhandled';
  }
}

interface WaitingCaseData {
  readonly identityKey: string;
  readonly enrollmentId: string;
  /** The cover the waiting period holds back, as the engine decided it (coverPeriodFromWaitingPeriod). */
  readonly coverPeriod?: CoverPeriod;
}

/** W-6/W-7: the waiting period ended yesterday; the cover period is in force from today. */
async function startCover(deps: WorkflowDeps, caseId: string, date: CalendarDate): Promise<Counter | null> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(caseId);
    if (isClosed(c) || c.wait?.until !== addDays(date, -1)) return null;
    const d = c.data as unknown as WaitingCaseData;
    const e = await deps.store.getEnrollment(d.identityKey, d.enrollmentId);
    const inForce = e.coverPeriods.find((p) => p.start <= date && (p.end === null || p.end >= date));
    const pending = d.coverPeriod;
    if (!inForce && pending && pending.start > date) {
      // A W-7 repair or a correction moved the start: wait to the new day before it.
      await deps.store.saveCase(
        { ...inputOf(c), wait: { for: c.wait.for, until: addDays(pending.start, -1) } },
        c.version,
        systemCtx(COMPONENT, `waiting period now ends on ${addDays(pending.start, -1)}; cover from ${pending.start}`),
      );
      return 'coverRescheduled';
    }
    const added = !inForce && pending ? pending : null;
    const cover = inForce ?? added;
    const changes: AtomicChange[] = [];
    if (added)
      changes.push({
        kind: 'enrollment',
        enrollment: { ...enrollmentInputOf(e), coverPeriods: [...e.coverPeriods, added] },
        expectedVersion: e.version,
      });
    changes.push({
      kind: 'case',
      case: {
        ...inputOf(c),
        state: 'completed',
        wait: null,
        taskToken: null,
        closedOn: date,
        data: { ...c.data, coverStartedOn: date },
      },
      expectedVersion: c.version,
    });
    const rules = cover ? cover.rules.map((r) => r.id).join(', ') : 'W-6';
    await deps.store.commit(
      changes,
      systemCtx(
        COMPONENT,
        cover
          ? `${rules}: the waiting period ended on ${addDays(date, -1)}; covered from ${date}: ${cover.reason.en}`
          : `W-6: the waiting period ended on ${addDays(date, -1)}, but no cover period is recorded; staff to check`,
      ),
    );
    return 'coverStarted';
  });
}

interface WindowCaseData {
  readonly identityKey: string;
  readonly birthDate?: CalendarDate;
  readonly conversionDate?: CalendarDate;
  readonly scheme?: 'employee' | 'resident';
  readonly mode?: 'unit' | 'flexible';
}

/** W-1/W-2: the 90-day window closed. Enrolled in time: complete; else close and record the rules that apply now. */
async function closeWindow(deps: WorkflowDeps, caseId: string, date: CalendarDate): Promise<Counter | null> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(caseId);
    const lastDay = addDays(date, -1);
    if (isClosed(c) || c.wait?.until !== lastDay) return null;
    const d = c.data as unknown as WindowCaseData;
    const enrollments = await deps.store.listEnrollments(d.identityKey);
    const inTime = enrollments.find((e) => e.enrolledOn <= lastDay);
    const newborn = c.caseType === 'newborn-window';
    if (inTime) {
      await deps.store.saveCase(
        {
          ...inputOf(c),
          state: 'completed',
          wait: null,
          taskToken: null,
          closedOn: date,
          data: { ...c.data, enrolledInWindow: { enrollmentId: inTime.enrollmentId, on: inTime.enrolledOn } },
        },
        c.version,
        systemCtx(COMPONENT, `${newborn ? 'W-1' : 'W-2'}: enrolled on ${inTime.enrolledOn}, within the 90-day window`),
      );
      return 'windowsCompleted';
    }
    // What enrolling from today means, as the engine decides it (the trace goes to the audit record).
    let later: { decidedBy: string; waitingDays: number; coverStarts: string } | null = null;
    let trace: Trace | undefined;
    try {
      const scheme = d.scheme ?? 'resident';
      const r = decide(
        waitingPeriod,
        {
          region: c.region,
          scheme,
          ...(scheme === 'employee'
            ? { mode: d.mode ?? 'flexible', feeMonth: date.slice(0, 7) }
            : { feeYear: Number(date.slice(0, 4)) }),
          paidAt: date,
          group: newborn ? 'newborn' : 'identity-conversion',
          ...(d.birthDate ? { birthDate: d.birthDate } : {}),
          ...(d.conversionDate ? { conversionDate: d.conversionDate } : {}),
        },
        date,
      );
      later = { decidedBy: r.value.decidedBy, waitingDays: r.value.waitingDays, coverStarts: r.value.coverStarts };
      trace = r.trace;
    } catch (e) {
      if (!(e instanceof DecisionError)) throw e;
    }
    const rule = newborn ? 'W-1' : 'W-2';
    await deps.store.saveCase(
      {
        ...inputOf(c),
        state: 'closed',
        wait: null,
        taskToken: null,
        closedOn: date,
        data: { ...c.data, windowClosed: { lastDay, ifEnrolledOn: date, ...(later ? { later } : {}) } },
      },
      c.version,
      systemCtx(
        COMPONENT,
        `${rule}: the 90-day window ended on ${lastDay} with no enrollment; later rules apply${later ? ` (${later.decidedBy}: ${later.waitingDays} days' waiting if enrolled on ${date})` : ''}`,
        trace,
      ),
    );
    return 'windowsClosed';
  });
}

// ── Employee months due and unpaid ─────────────────────────────────────────────

async function unitUnderDeferral(deps: WorkflowDeps, unitId: string, cache: Map<string, boolean>): Promise<boolean> {
  const known = cache.get(unitId);
  if (known !== undefined) return known;
  let found = false;
  let cursor: string | undefined;
  do {
    const page = await deps.store.casesOf({ kind: 'unit', unitId }, cursor ? { cursor } : {});
    found ||= page.items.some((c) => c.caseType === 'bankruptcy-deferral' && c.state === 'in-force');
    cursor = page.cursor;
  } while (cursor && !found);
  cache.set(unitId, found);
  return found;
}

/** The arrears case id of an enrollment's run of unpaid months starting with `feeMonth`: also the execution name. */
export const arrearsCaseId = (identityKey: string, enrollmentId: string, feeMonth: string) =>
  caseIdFor('arrears', [feeMonth], [identityKey, enrollmentId]);

async function handleDueMonth(
  deps: WorkflowDeps,
  p: ExpectedPayment,
  date: CalendarDate,
  deferredUnits: Map<string, boolean>,
): Promise<Counter> {
  const ref = { identityKey: p.identityKey, enrollmentId: p.enrollmentId, feeMonth: p.feeMonth };
  const ctx = (reason: string) => systemCtx(COMPONENT, reason);
  const settle = (status: 'paid' | 'deferred' | 'not-due' | 'lapsed' | 'arrears', reason: string, caseId?: string) =>
    deps.store.settleExpectedPayment(ref, { status, settledOn: date, ...(caseId ? { caseId } : {}) }, ctx(reason));
  const expectNext = async () => {
    const n = nextMonthOf(p);
    await expectMonth(deps.store, n.fields, n.feeMonth, ctx(`C-6: ${n.feeMonth} expected after ${p.feeMonth}`));
  };

  // 1. Paid after all (intake may not have settled it yet): the ledger decides.
  const entry = (await deps.store.ledger(p.identityKey, 'employee', { from: p.feeMonth, to: p.feeMonth }))[0];
  const paidFen = entry?.amount ?? 0;
  if (entry && entry.paidOn <= p.dueDate && (p.dueFen === undefined || paidFen >= p.dueFen)) {
    await expectNext();
    await settle('paid', `C-6: ${p.feeMonth} paid on ${entry.paidOn}, by its due date ${p.dueDate}`);
    return 'monthsPaid';
  }

  // 2. The enrollment ended before the month: nothing is due.
  let enrollment: Enrollment | undefined;
  try {
    enrollment = await deps.store.getEnrollment(p.identityKey, p.enrollmentId);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const first = firstOfMonth(p.feeMonth);
  const statusOnFirst = enrollment?.statusHistory.filter((s) => s.from <= first).at(-1)?.status;
  if (!enrollment || statusOnFirst === 'terminated') {
    await settle('not-due', `E-7: the enrollment is not in force in ${p.feeMonth}; nothing is due`);
    return 'monthsNotDue';
  }

  const personCases = await allCasesOf(deps.store, { kind: 'person', identityKey: p.identityKey });
  // R-1: transferred to the retiree scheme by the month's first day: no contributions are due from then on
  // (before the B-1 step, so a retiree of a unit under deferral is not carried along month after month).
  const retired = personCases.find(
    (c) =>
      c.caseType === 'retirement-transfer' &&
      c.state === 'completed' &&
      typeof c.data.transferredOn === 'string' &&
      c.data.transferredOn <= first,
  );
  if (retired) {
    await settle(
      'not-due',
      `R-1: transferred to the retiree scheme on ${String(retired.data.transferredOn)} (case ${retired.caseId}); no contributions due from ${p.feeMonth}`,
    );
    return 'monthsNotDue';
  }
  // 3. B-1: a unit under a bankruptcy deferral is not in arrears; the deferral case follows the months.
  if (p.unitId && (await unitUnderDeferral(deps, p.unitId, deferredUnits))) {
    await expectNext();
    await settle('deferred', `B-1: unit ${p.unitId} is under a bankruptcy deferral agreement; no suspension`);
    return 'monthsDeferred';
  }

  const cases = personCases.filter(
    (c) => c.caseType === 'arrears' && (c.data as { enrollmentId?: string }).enrollmentId === p.enrollmentId,
  );
  // 4. A-6: a flexible enrollment whose backfill closed is not expected to pay any more.
  if (
    cases.some(
      (c) => c.state === 'lapsed' && (c.data as { outcome?: { decidedBy?: string } }).outcome?.decidedBy === 'A-6',
    )
  ) {
    await settle('lapsed', 'A-6: backfill closed for this enrollment; paying again is a new enrollment (W-6)');
    return 'monthsLapsed';
  }

  // A flexible worker's month with neither base nor amount known (an enrollment the tax bureau's first
  // payment created): priced as intake prices a short payment, at the flexible base and rates (C-4, C-5).
  const flexibleMode = p.flexibleMode ?? enrollment.flexibleMode;
  const flexibleDueFen =
    p.baseFen === undefined && p.dueFen === undefined && p.mode === 'flexible' && flexibleMode
      ? decide(flexibleContribution, { region: p.region, mode: flexibleMode, fromMonth: p.feeMonth }, p.dueDate).value
          .months[0]!.totalFen
      : undefined;
  const dueFen = p.dueFen ?? flexibleDueFen;
  const month = {
    feeMonth: p.feeMonth,
    ...(p.baseFen !== undefined
      ? { baseFen: p.baseFen }
      : dueFen !== undefined
        ? { principalFen: Math.max(0, dueFen - paidFen) }
        : {}),
    paidFen: p.baseFen !== undefined ? paidFen : 0,
  };
  const open = cases.find((c) => !isClosed(c));
  await expectNext();
  if (open) {
    // 5. The run of unpaid months goes on: the month joins the open case (the window still counts
    // from the run's first unpaid day, A-1).
    await addMonthToCase(deps, open.caseId, month, date);
    await settle(
      'arrears',
      `A-1: ${p.feeMonth} unpaid by ${p.dueDate}; added to arrears case ${open.caseId}`,
      open.caseId,
    );
    return 'arrearsExtended';
  }

  // 6. A new run: open the case, start its timer, then take the month out of the index.
  const caseId = arrearsCaseId(p.identityKey, p.enrollmentId, p.feeMonth);
  const c: CaseInput = {
    caseId,
    caseType: 'arrears',
    region: p.region,
    subject: { kind: 'person', identityKey: p.identityKey },
    state: 'opened',
    openedOn: date,
    wait: null,
    taskToken: null,
    data: {
      identityKey: p.identityKey,
      enrollmentId: p.enrollmentId,
      mode: p.mode,
      ...(flexibleMode ? { flexibleMode } : {}),
      ...(p.unitId ? { unitId: p.unitId } : {}),
      months: [month],
      firstUnpaidDay: first,
      ...(p.mode === 'unit' && p.baseFen === undefined && p.dueFen === undefined ? { baseDeclared: false } : {}),
    },
  };
  try {
    await deps.store.openCase(c, ctx(`A-1: ${p.feeMonth} not paid by its due date ${p.dueDate}`));
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
  await requireDeps(deps, 'starter').start('arrears-timer', caseId, { caseId });
  await settle('arrears', `A-1: ${p.feeMonth} unpaid by ${p.dueDate}; arrears case ${caseId}`, caseId);
  return 'arrearsOpened';
}

async function addMonthToCase(
  deps: WorkflowDeps,
  caseId: string,
  month: { feeMonth: string; baseFen?: number; principalFen?: number; paidFen: number },
  date: CalendarDate,
): Promise<void> {
  const c = await deps.store.getCase(caseId);
  const d = c.data as {
    months: Array<{ feeMonth: string }>;
    firstUnpaidDay: string;
    mode: 'unit' | 'flexible';
    flexibleMode?: string;
    baseDeclared?: boolean;
    opened?: { months: unknown[]; principalFen: number | null };
  };
  if (d.months.some((m) => m.feeMonth === month.feeMonth)) return;
  // The new month's principal and due date, so the case's payment check covers it too (A-3).
  const r = decide(
    arrears,
    {
      region: c.region,
      mode: d.mode,
      ...(d.flexibleMode ? { flexibleMode: d.flexibleMode } : {}),
      months: [month],
      firstUnpaidDay: d.firstUnpaidDay,
      // A-7: a unit that never declared the base of the run's first month has not declared this one either.
      ...(d.baseDeclared === false ? { baseDeclared: false } : {}),
    },
    date,
  );
  const line = r.value.months[0]!;
  await deps.store.updateCase(
    caseId,
    (cur) => {
      const cd = cur.data as typeof d;
      if (cd.months.some((m) => m.feeMonth === month.feeMonth)) return null;
      const opened = cd.opened
        ? {
            ...cd.opened,
            months: [
              ...cd.opened.months,
              { feeMonth: line.feeMonth, principalFen: line.principalFen, dueDate: line.dueDate },
            ],
            principalFen:
              cd.opened.principalFen === null || line.principalFen === null
                ? null
                : cd.opened.principalFen + line.principalFen,
          }
        : undefined;
      return { ...inputOf(cur), data: { ...cur.data, months: [...cd.months, month], ...(opened ? { opened } : {}) } };
    },
    systemCtx(COMPONENT, `A-1: ${month.feeMonth} unpaid too; added to the arrears`, r.trace),
  );
}
