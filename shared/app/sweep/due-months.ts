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
import { AlreadyExistsError, NotFoundError } from '#store/errors.js';
import type { CaseInput, Enrollment } from '#store/model.js';
import type { ExpectedPayment } from '#store/workflow-model.js';
import {
  allCasesOf,
  caseIdFor,
  decide,
  inputOf,
  isClosed,
  requireDeps,
  type WorkflowDeps,
} from '../workflows/common.js';
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

/** The arrears case id of an enrollment's run of unpaid months starting with `feeMonth`: also the execution name. */
export const arrearsCaseId = (identityKey: string, enrollmentId: string, feeMonth: string) =>
  caseIdFor('arrears', [feeMonth], [identityKey, enrollmentId]);

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
    await deps.store.openCase(c, sweepCtx(`A-1: ${p.feeMonth} not paid by its due date ${p.dueDate}`));
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
  await requireDeps(deps, 'starter').start('arrears-timer', caseId, { caseId });
  await settle('arrears', `A-1: ${p.feeMonth} unpaid by ${p.dueDate}; arrears case ${caseId}`, caseId);
  return 'arrearsOpened';
}

/** a further unpaid month joins the open arrears case (a month the case already holds is left as it is). */
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
  // The new month's principal and due date, so the case's payment check covers it too.
  const r = decide(
    arrears,
    {
      region: c.region,
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
    sweepCtx(`A-1: ${month.feeMonth} unpaid too; added to the arrears`, r.trace),
  );
}
