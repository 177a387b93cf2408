/**
 * The sweep's due-months job (C-6): an employee fee month whose due date was the day before the run,
 * taken out of the expected-payments index with what became of it — paid after all (the ledger
 * decides), not due (E-7: the enrollment had ended; R-1: transferred to the retiree scheme), deferred
 * (B-1: the unit is under a bankruptcy deferral), lapsed (A-6: a flexible enrollment whose backfill
 * closed), or in arrears: the month opens an arrears case and starts its timer, or joins the
 * enrollment's open arrears case. Every month settled but a lapsed or not-due one has the next
 * month expected, so a live enrollment stays watched.
 */
import { type CalendarDate, firstOfMonth } from '#domain/calendar.js';
import { arrears } from '#rules/arrears/decision.js';
import { flexibleContribution } from '#rules/contributions/flexible.js';
import { NotFoundError } from '#store/errors.js';
import type { Enrollment } from '#store/model.js';
import type { ExpectedPayment } from '#store/workflow-model.js';
import {
  type ArrearsCase,
  type ArrearsMonth,
  addArrearsMonth,
  arrearsCaseHolding,
  arrearsCaseId,
  arrearsCasesOf,
  newArrearsCase,
  openArrearsCase,
  openRunOf,
} from '../cases/arrears.js';
import { allCasesOf, decide, requireDeps, type WorkflowDeps } from '../workflows/common.js';
import { sweepCtx } from './context.js';
import { expectMonth, nextMonthOf } from './expected-payments.js';

/** What became of a due month: the sweep report's counter it adds to. */
export type DueMonthOutcome =
  | 'monthsPaid'
  | 'monthsNotDue'
  | 'monthsDeferred'
  | 'monthsLapsed'
  | 'arrearsExtended'
  | 'arrearsOpened';

/**
 * B-1: whether a unit has a bankruptcy deferral in force. `cache` is one run's memo (unit id → answer),
 * so a unit with many employees due the same day is read once.
 */
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

/** The arrears case id (also the execution name), from its natural key: shared/app/cases/arrears.ts. */
export { arrearsCaseId };

/**
 * C-6: one fee month due by the deadline day and still in the index. `deferredUnits` is the run's
 * memo of units under a B-1 deferral, shared across the run's due months.
 */
export async function handleDueMonth(
  deps: WorkflowDeps,
  p: ExpectedPayment,
  date: CalendarDate,
  deferredUnits: Map<string, boolean>,
): Promise<DueMonthOutcome> {
  const ref = { identityKey: p.identityKey, enrollmentId: p.enrollmentId, feeMonth: p.feeMonth };
  const settle = (status: 'paid' | 'deferred' | 'not-due' | 'lapsed' | 'arrears', reason: string, caseId?: string) =>
    deps.store.settleExpectedPayment(ref, { status, settledOn: date, ...(caseId ? { caseId } : {}) }, sweepCtx(reason));
  const expectNext = async () => {
    const n = nextMonthOf(p);
    await expectMonth(deps.store, n.fields, n.feeMonth, sweepCtx(`C-6: ${n.feeMonth} expected after ${p.feeMonth}`));
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
  // transferred to the retiree scheme by the month's first day: no contributions are due from then on
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

  const cases = arrearsCasesOf(personCases, p.enrollmentId);
  // 4. A-6: a flexible enrollment whose backfill closed is not expected to pay any more.
  if (cases.some((c) => c.state === 'lapsed' && c.data.outcome?.decidedBy === 'A-6')) {
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
  const month: ArrearsMonth = {
    feeMonth: p.feeMonth,
    ...(p.baseFen !== undefined
      ? { baseFen: p.baseFen }
      : dueFen !== undefined
        ? { principalFen: Math.max(0, dueFen - paidFen) }
        : {}),
    paidFen: p.baseFen !== undefined ? paidFen : 0,
  };
  await expectNext();
  const joined = async (caseId: string, why: string): Promise<DueMonthOutcome> => {
    await settle('arrears', `A-1: ${p.feeMonth} unpaid by ${p.dueDate}; ${why} ${caseId}`, caseId);
    return 'arrearsExtended';
  };

  // 5. The month is in an arrears case already (intake opened it for a short payment, or an earlier run
  // of this sweep took it): that case follows it; a month is in one case only.
  const holder = await arrearsCaseHolding(deps.store, personCases, ref);
  if (holder) {
    // Its own case of this month, from a run cut short between the case and its timer: start it (by name: once).
    if (holder.caseId === arrearsCaseId(ref) && holder.state === 'opened')
      await requireDeps(deps, 'starter').start('arrears-timer', holder.caseId, { caseId: holder.caseId });
    return joined(holder.caseId, 'already held by arrears case');
  }

  // 6. The run of unpaid months goes on: the month joins the open case (the window still counts from
  // the run's first unpaid day, A-1).
  const open = openRunOf(personCases, p.enrollmentId, p.feeMonth);
  if (open) {
    const added = await addMonthToCase(deps, open, month, date);
    return joined(added, added === open.caseId ? 'added to arrears case' : 'already held by arrears case');
  }

  // 7. A new run: open the case (its month claimed with it), start its timer, then take the month out of the index.
  const input = newArrearsCase({
    key: { identityKey: p.identityKey, enrollmentId: p.enrollmentId, feeMonth: p.feeMonth },
    region: p.region,
    openedOn: date,
    wait: null,
    data: {
      identityKey: enrollment.identityKey,
      enrollmentId: enrollment.enrollmentId,
      mode: p.mode,
      ...(flexibleMode ? { flexibleMode } : {}),
      ...(p.unitId ? { unitId: p.unitId } : {}),
      months: [month],
      firstUnpaidDay: first,
      ...(p.mode === 'unit' && p.baseFen === undefined && p.dueFen === undefined ? { baseDeclared: false } : {}),
    },
  });
  const opened = await openArrearsCase(
    deps.store,
    input,
    sweepCtx(`A-1: ${p.feeMonth} not paid by its due date ${p.dueDate}`),
  );
  // Intake took the month between the read above and this write: its case follows it.
  if (opened.outcome === 'held') return joined(opened.heldBy, 'already held by arrears case');
  await requireDeps(deps, 'starter').start('arrears-timer', input.caseId, { caseId: input.caseId });
  await settle('arrears', `A-1: ${p.feeMonth} unpaid by ${p.dueDate}; arrears case ${input.caseId}`, input.caseId);
  return 'arrearsOpened';
}

/**
 * a further unpaid month joins the open arrears case, with the month's principal and due date on the
 * case's A-3 lines so its payment check covers it too. Answers the case that holds the month: this one, or
 * the one that took it first (intake, at the same moment).
 */
async function addMonthToCase(
  deps: WorkflowDeps,
  open: ArrearsCase,
  month: ArrearsMonth,
  date: CalendarDate,
): Promise<string> {
  const d = open.data;
  const r = decide(
    arrears,
    {
      region: open.region,
      mode: d.mode,
      ...(d.flexibleMode ? { flexibleMode: d.flexibleMode } : {}),
      months: [month],
      firstUnpaidDay: d.firstUnpaidDay,
      // a unit that never declared the base of the run's first month has not declared this one either.
      ...(d.baseDeclared === false ? { baseDeclared: false } : {}),
    },
    date,
  );
  const line = r.value.months[0]!;
  const added = await addArrearsMonth(
    deps.store,
    open.caseId,
    month,
    { feeMonth: line.feeMonth, principalFen: line.principalFen, dueDate: line.dueDate },
    sweepCtx(`A-1: ${month.feeMonth} unpaid too; added to the arrears`, r.trace),
  );
  return added.outcome === 'held' ? added.heldBy : open.caseId;
}
