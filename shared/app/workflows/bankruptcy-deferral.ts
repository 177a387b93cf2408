/**
 * Bankruptcy deferral (B-1…B-4, A-1): one case per unit, opened by staff when the deferral agreement
 * is filed, with the employees and their deferred months in `data`. Tasks (docs/tasks.md):
 *
 *   file → await-settlement (callback, TimeoutSecondsPath = the agreement's end) → record-settlement
 *        → (all paid: B-2 credits released at once, done) | await again
 *   timeout at the end → end: all paid → B-2; else B-4: an arrears case per employee, its timer started
 *
 * The deferred months' payments are read from each employee's ledger, so a settlement notification
 * counted twice, or late, changes nothing.
 */
import * as z from 'zod';
import { addDays, type CalendarDate, maxDate, minDate } from '#domain/calendar.js';
import { calendarDate, fen, yearMonth } from '#schemas/common.js';
import { ConflictError } from '#store/errors.js';
import type { Trace } from '#rules/engine.js';
import { type Case, type CaseInput, type ChangeContext, identityKey } from '#store/model.js';
import { arrearsCaseId, newArrearsCase, openArrearsCase } from '../cases/arrears.js';
import {
  decide,
  inputOf,
  nowOf,
  requireDeps,
  retryConflicts,
  secondsUntilEndOf,
  stateInvalid,
  systemCtx,
  WorkflowError,
  type WorkflowDeps,
} from './common.js';
import { storeTaskToken } from './tokens.js';
import { bankruptcyDeferral } from '#rules/bankruptcy/decision.js';

const COMPONENT = 'bankruptcy-deferral';

/** A unit's employees are kept in the case item; beyond this, per-employee items are needed (not done). */
export const MAX_EMPLOYEES_PER_CASE = 300;

const employee = z.object({
  identityKey,
  /** Absent when the staff API filed the case: found from the person's enrollment with the unit. */
  enrollmentId: z.string().min(1).optional(),
  months: z.array(z.object({ feeMonth: yearMonth, baseFen: fen, paidFen: fen.default(0) })).min(1),
});

export const bankruptcyCaseData = z.looseObject({
  unitId: z.string().min(1),
  filedOn: calendarDate,
  taxConfirmed: z.boolean(),
  agreementFiledOn: calendarDate.optional(),
  agreementEndsOn: calendarDate,
  rulingOn: calendarDate.optional(),
  employees: z.array(employee).min(1).max(MAX_EMPLOYEES_PER_CASE),
  /** When staff ended the agreement early (the court's ruling, full payment): the effective end. */
  endedOn: calendarDate.optional(),
  /** Retirement-transfer cases held by B-3/R-8 until the dues are paid; resumed when the deferral ends. */
  blockedCases: z.array(z.string()).default([]),
});
export type BankruptcyCaseData = z.output<typeof bankruptcyCaseData>;
type Employee = BankruptcyCaseData['employees'][number];

function parseData(c: Case): BankruptcyCaseData {
  // The staff API files the agreement's terms under `data.agreement` and its end under `data.end`.
  const agreement = (c.data.agreement as Record<string, unknown> | undefined) ?? {};
  const ended = c.data.end as { endedOn?: string } | undefined;
  const raw = { ...agreement, ...c.data, ...(ended?.endedOn ? { endedOn: ended.endedOn } : {}) };
  const r = c.caseType === 'bankruptcy-deferral' ? bankruptcyCaseData.safeParse(raw) : undefined;
  if (!r?.success)
    throw new WorkflowError(
      'Case.DataInvalid',
      `bankruptcy case ${c.caseId}: ${r ? r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'not a bankruptcy-deferral case'}`,
    );
  return r.data;
}

/** The agreement's effective end: its last day, or the court's ruling if that came first (B-1). */
const endOf = (d: BankruptcyCaseData) =>
  [d.rulingOn, d.endedOn].reduce<CalendarDate>((end, x) => (x ? minDate(x, end) : end), d.agreementEndsOn);

/** States in which the deferral is still to be settled: `in-force`, or `ended` by staff (the task then closes it). */
const OPEN_STATES = ['in-force', 'ended'];

function facts(c: Case, d: BankruptcyCaseData, e: Employee, question: string, extra: Record<string, unknown> = {}) {
  return {
    region: c.region,
    caseOpenedOn: c.openedOn,
    question,
    filedOn: d.filedOn,
    ...(d.rulingOn ? { rulingOn: d.rulingOn } : {}),
    taxConfirmed: d.taxConfirmed,
    ...(d.agreementFiledOn ? { agreementFiledOn: d.agreementFiledOn } : {}),
    agreementEndsOn: endOf(d),
    months: e.months,
    ...extra,
  };
}

/** Each employee's months with what the ledger now holds (the payments made since the filing). */
async function withLedger(deps: WorkflowDeps, d: BankruptcyCaseData): Promise<Employee[]> {
  const out: Employee[] = [];
  for (const e of d.employees) {
    const months = e.months.map((m) => m.feeMonth).sort();
    const ledger = await deps.store.ledger(e.identityKey, 'employee', { from: months[0]!, to: months.at(-1)! });
    const held = new Map(ledger.map((l) => [l.feePeriod, l.amount]));
    out.push({
      ...e,
      months: e.months.map((m) => ({ ...m, paidFen: Math.max(m.paidFen, held.get(m.feeMonth) ?? 0) })),
    });
  }
  return out;
}

// ── file (B-1) ─────────────────────────────────────────────────────────────────

export interface DeferralFiledOutput {
  readonly caseId: string;
  readonly state: string;
  readonly deferralInForce: boolean;
  readonly endsOn: CalendarDate;
  readonly employees: number;
  readonly heldCreditFen: number;
  readonly unpaidFen: number;
  readonly timeoutSeconds: number;
}

export async function fileDeferral(
  deps: WorkflowDeps,
  input: { caseId: string; now?: string },
): Promise<DeferralFiledOutput> {
  const nowMs = nowOf(deps, input.now);
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    const answer = (cur: Case): DeferralFiledOutput => {
      const f = cur.data.filed as { deferralInForce: boolean; heldCreditFen: number; unpaidFen: number };
      return {
        caseId: cur.caseId,
        state: cur.state,
        deferralInForce: f.deferralInForce,
        endsOn: endOf(d),
        employees: d.employees.length,
        heldCreditFen: f.heldCreditFen,
        unpaidFen: f.unpaidFen,
        timeoutSeconds: secondsUntilEndOf(endOf(d), nowMs).timeoutSeconds,
      };
    };
    if (c.data.filed) return answer(c);
    if (c.state !== 'opened' && c.state !== 'in-force') throw stateInvalid(c, 'file', ['opened', 'in-force']);
    const today = deps.clock.today();
    const results = d.employees.map((e) => decide(bankruptcyDeferral, facts(c, d, e, 'status'), today));
    const inForce = results.every((r) => r.value.deferralInForce);
    const filed = {
      deferralInForce: inForce,
      heldCreditFen: results.reduce((s, r) => s + r.value.heldCreditFen, 0),
      unpaidFen: results.reduce((s, r) => s + r.value.unpaidFen, 0),
    };
    const trace = results[0]!.trace;
    const next: CaseInput = inForce
      ? {
          ...inputOf(c),
          state: 'in-force',
          wait: c.state === 'in-force' && c.wait ? c.wait : { for: 'settlement', until: endOf(d) },
          data: { ...c.data, filed },
        }
      : { ...inputOf(c), state: 'closed', wait: null, closedOn: today, data: { ...c.data, filed } };
    const saved = await deps.store.saveCase(
      next,
      c.version,
      systemCtx(
        COMPONENT,
        inForce
          ? `B-1: ${d.employees.length} employee(s) keep benefits; ${filed.heldCreditFen} fen of account credits held until paid`
          : `B-1 does not hold (${trace.reason.en}); arrears follow the ordinary rules (A-1)`,
        trace,
      ),
    );
    return answer(saved);
  });
}

export async function awaitSettlement(deps: WorkflowDeps, input: { caseId: string; taskToken: string }) {
  const c = await storeTaskToken(deps, COMPONENT, input, OPEN_STATES);
  // Staff ended the agreement before this wait began (their resumption reached an execution that is gone,
  // e.g. re-armed after a restart): go on to End at once, as staff's own resumption would have.
  if (c.state === 'ended' && c.taskToken === input.taskToken && deps.callbacks && c.data.end)
    await deps.callbacks.succeed(input.taskToken, { event: 'agreement-ended', ...(c.data.end as object) });
  return { caseId: c.caseId };
}

// ── record-settlement (B-2) and end (B-4) ────────────────────────────────────────

export interface SettlementOutput {
  readonly caseId: string;
  readonly state: string;
  readonly allPaid: boolean;
  readonly unpaidFen: number;
  /** B-2: credits made at once, when all is paid. */
  readonly creditsReleased?: { readonly on: CalendarDate; readonly fen: number };
  /** B-4: the arrears cases opened, one per employee with months unpaid. */
  readonly arrearsCases?: readonly string[];
}

function answerOf(c: Case): SettlementOutput {
  const s = c.data.settlement as Omit<SettlementOutput, 'caseId' | 'state'> | undefined;
  return { caseId: c.caseId, state: c.state, allPaid: s?.allPaid ?? false, unpaidFen: s?.unpaidFen ?? 0, ...s };
}

/** B-2: every deferred month paid: the held credits are made at once; blocked transfers are resumed. */
async function releaseCredits(deps: WorkflowDeps, c: Case, d: BankruptcyCaseData, employees: Employee[]) {
  const paidOn = await lastPaymentDay(deps, employees);
  const results = employees.map((e) =>
    decide(bankruptcyDeferral, facts(c, d, e, 'paid-in-full', { paidInFullOn: paidOn }), paidOn),
  );
  const creditsReleased = {
    on: results[0]!.value.creditedOn ?? paidOn,
    fen: results.reduce((s, r) => s + r.value.heldCreditFen, 0),
  };
  const settlement = { allPaid: true, unpaidFen: 0, creditsReleased };
  const saved = await deps.store.saveCase(
    {
      ...inputOf(c),
      state: 'completed',
      wait: null,
      taskToken: null,
      closedOn: deps.clock.today(),
      data: { ...c.data, employees, settlement },
    },
    c.version,
    systemCtx(COMPONENT, `B-2: ${results[0]!.trace.reason.en}`, results[0]!.trace),
  );
  await resumeBlocked(deps, d, 'dues-paid');
  return saved;
}

async function lastPaymentDay(deps: WorkflowDeps, employees: Employee[]): Promise<CalendarDate> {
  let last = '0000-00-00';
  for (const e of employees) {
    const months = e.months.map((m) => m.feeMonth).sort();
    for (const l of await deps.store.ledger(e.identityKey, 'employee', { from: months[0]!, to: months.at(-1)! }))
      last = maxDate(last, l.paidOn);
  }
  return last === '0000-00-00' ? deps.clock.today() : last;
}

/** B-3/R-8: retirement transfers held for the dues are resumed (they re-evaluate). */
async function resumeBlocked(deps: WorkflowDeps, d: BankruptcyCaseData, event: string) {
  if (!deps.callbacks) return;
  for (const id of d.blockedCases) {
    const r = await deps.store.getCase(id).catch(() => null);
    if (r?.taskToken) await deps.callbacks.succeed(r.taskToken, { event, unitId: d.unitId });
  }
}

const unpaidOf = (c: Case, employees: Employee[], asOf: CalendarDate, d: BankruptcyCaseData) =>
  employees.reduce((s, e) => s + decide(bankruptcyDeferral, facts(c, d, e, 'status'), asOf).value.unpaidFen, 0);

export async function recordSettlement(deps: WorkflowDeps, input: { caseId: string }): Promise<SettlementOutput> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    if (c.state === 'completed' || c.state === 'closed') return answerOf(c);
    if (!OPEN_STATES.includes(c.state)) throw stateInvalid(c, 'record-settlement', OPEN_STATES);
    const employees = await withLedger(deps, d);
    const unpaidFen = unpaidOf(c, employees, deps.clock.today(), d);
    if (unpaidFen === 0) return answerOf(await releaseCredits(deps, c, d, employees));
    const before = (c.data.settlement as { unpaidFen?: number } | undefined)?.unpaidFen;
    if (before !== unpaidFen)
      await deps.store.saveCase(
        { ...inputOf(c), data: { ...c.data, employees, settlement: { allPaid: false, unpaidFen } } },
        c.version,
        systemCtx(COMPONENT, `B-1: settlement recorded; ${unpaidFen} fen still deferred`),
      );
    return { caseId: c.caseId, state: c.state, allPaid: false, unpaidFen };
  });
}

/**
 * The arrears case of one employee after the agreement (B-4): deterministic, also its execution name; its
 * natural key is the deferral, the employee and the enrollment (shared/app/cases/arrears.ts).
 */
export const b4ArrearsCaseId = (bankruptcyCaseId: string, identityKey: string, enrollmentId: string) =>
  arrearsCaseId({ bankruptcyCaseId, identityKey, enrollmentId });

/**
 * B-4: opens one employee's arrears case (the arrears case module checks its data and claims its months). A
 * month another arrears case holds already (a short payment's case) stays with that case: a month is in one
 * case only. Answers the case id, or null when every month is held elsewhere.
 */
async function openB4Arrears(
  deps: WorkflowDeps,
  key: { bankruptcyCaseId: string; identityKey: string; enrollmentId: string },
  fields: {
    region: string;
    openedOn: CalendarDate;
    unitId: string;
    firstUnpaidDay: CalendarDate;
    deferredUntil: CalendarDate;
  },
  months: ReadonlyArray<{ feeMonth: string; baseFen: number; paidFen: number }>,
  ctx: ChangeContext,
): Promise<string | null> {
  const caseId = arrearsCaseId(key);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const own: (typeof months)[number][] = [];
    for (const m of months) {
      const heldBy = await deps.store.arrearsCaseOfMonth(key.identityKey, key.enrollmentId, m.feeMonth);
      if (!heldBy || heldBy === caseId) own.push(m);
    }
    if (own.length === 0) return null;
    const opened = await openArrearsCase(
      deps.store,
      newArrearsCase({
        key,
        region: fields.region,
        openedOn: fields.openedOn,
        wait: null,
        data: {
          identityKey: key.identityKey,
          enrollmentId: key.enrollmentId,
          mode: 'unit',
          unitId: fields.unitId,
          months: own.map((m) => ({ feeMonth: m.feeMonth, baseFen: m.baseFen, paidFen: m.paidFen })),
          firstUnpaidDay: fields.firstUnpaidDay,
          deferredUntil: fields.deferredUntil,
          bankruptcyCaseId: key.bankruptcyCaseId,
        },
      }),
      ctx,
    );
    if (opened.outcome !== 'held') return caseId;
  }
  throw new ConflictError('arrears-month', caseId, null, 'its months were taken by other cases while opening');
}

/**
 * The agreement ended (its last day, or the court's ruling). All paid: B-2. Otherwise B-4: each
 * employee's unpaid months become arrears from the day after the end (A-1), with their late fee from
 * then; an arrears case per employee, its timer started. Retried, it opens and starts nothing twice.
 */
export async function endDeferral(deps: WorkflowDeps, input: { caseId: string }): Promise<SettlementOutput> {
  const starter = requireDeps(deps, 'starter');
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = parseData(c);
    if (c.state === 'completed' || c.state === 'closed') return answerOf(c);
    if (!OPEN_STATES.includes(c.state)) throw stateInvalid(c, 'end', OPEN_STATES);
    const end = endOf(d);
    const today = maxDate(deps.clock.today(), addDays(end, 1));
    const employees = await withLedger(deps, d);
    if (unpaidOf(c, employees, end, d) === 0) return answerOf(await releaseCredits(deps, c, d, employees));

    const arrearsCases: string[] = [];
    let unpaidFen = 0;
    let trace: Trace | undefined;
    for (const e of employees) {
      const r = decide(bankruptcyDeferral, facts(c, d, e, 'agreement-ended'), today);
      trace ??= r.trace;
      const unpaid = r.value.months.filter((m) => m.unpaidFen > 0);
      if (unpaid.length === 0) continue;
      unpaidFen += r.value.unpaidFen;
      const enrollmentId = e.enrollmentId ?? (await enrollmentWithUnit(deps, e.identityKey, d.unitId));
      const months = e.months.filter((m) => unpaid.some((u) => u.feeMonth === m.feeMonth));
      const caseId = await openB4Arrears(
        deps,
        { bankruptcyCaseId: c.caseId, identityKey: e.identityKey, enrollmentId },
        {
          region: c.region,
          openedOn: today,
          unitId: d.unitId,
          firstUnpaidDay: r.value.suspendedFrom ?? addDays(end, 1),
          deferredUntil: end,
        },
        months,
        systemCtx(COMPONENT, `B-4: ${r.trace.reason.en}`, r.trace),
      );
      if (!caseId) continue;
      arrearsCases.push(caseId);
      await starter.start('arrears-timer', caseId, { caseId });
    }
    const settlement = { allPaid: false, unpaidFen, arrearsCases };
    const saved = await deps.store.saveCase(
      {
        ...inputOf(c),
        state: 'closed',
        wait: null,
        taskToken: null,
        closedOn: today,
        data: { ...c.data, employees, settlement },
      },
      c.version,
      systemCtx(
        COMPONENT,
        `B-4: the agreement ended on ${end} unpaid; ${arrearsCases.length} arrears case(s) opened`,
        trace,
      ),
    );
    await resumeBlocked(deps, d, 'deferral-ended');
    return answerOf(saved);
  });
}

/** The employee's enrollment with the unit (the latest, when several). */
async function enrollmentWithUnit(deps: WorkflowDeps, person: string, unitId: string): Promise<string> {
  const found = (await deps.store.listEnrollments(person))
    .filter((e) => e.scheme === 'employee' && e.unitId === unitId)
    .sort((a, b) => (a.enrolledOn < b.enrolledOn ? 1 : -1))[0];
  if (!found)
    throw new WorkflowError(
      'Case.DataInvalid',
      `no employee enrollment with unit ${unitId} for an employee of the agreement`,
    );
  return found.enrollmentId;
}

/** B-3/R-8 as the retirement side asks it: this employee's dues while the unit's deferral is in force. */
export async function duesUnderDeferral(
  deps: WorkflowDeps,
  unitId: string,
  person: string,
  asOf: CalendarDate,
): Promise<{ caseId: string; dueFen: number } | null> {
  let cursor: string | undefined;
  do {
    const page = await deps.store.casesOf({ kind: 'unit', unitId }, cursor ? { cursor } : {});
    for (const c of page.items) {
      if (c.caseType !== 'bankruptcy-deferral' || c.state !== 'in-force') continue;
      const d = parseData(c);
      const e = (await withLedger(deps, { ...d, employees: d.employees.filter((x) => x.identityKey === person) }))[0];
      if (!e) continue;
      const r = decide(bankruptcyDeferral, facts(c, d, e, 'transaction', { transaction: 'retirement-transfer' }), asOf);
      return { caseId: c.caseId, dueFen: r.value.allowed ? 0 : r.value.amountDueFen };
    }
    cursor = page.cursor;
  } while (cursor);
  return null;
}

/** Records a blocked retirement case on the deferral case, so it is resumed when the deferral ends. */
export async function registerBlockedCase(deps: WorkflowDeps, deferralCaseId: string, retirementCaseId: string) {
  await deps.store.updateCase(
    deferralCaseId,
    (c) => {
      const blocked = (c.data.blockedCases as string[] | undefined) ?? [];
      return blocked.includes(retirementCaseId)
        ? null
        : { ...inputOf(c), data: { ...c.data, blockedCases: [...blocked, retirementCaseId] } };
    },
    systemCtx(COMPONENT, `B-3/R-8: retirement transfer ${retirementCaseId} waits for this employee's dues`),
  );
}
