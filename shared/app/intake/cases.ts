/**
 * Steps 3 and 4 of the intake: the cases a payment ends or advances, and the cases it opens.
 *
 * Step 3. A case that waits for a payment (`wait.for` of PAYMENT_WAITS) of these fee periods is
 * resumed with SendTaskSuccess on its task token, then the payment is recorded on the case
 * (`data.paymentsReceived`) and the token it answered is cleared. The callback goes first: if the
 * process dies between the two, the redelivery finds the token still there and sends again, which
 * Step Functions answers as `gone` (the token was used) — harmless. A token that is `gone` because
 * the wait timed out (day 90 passed, A-5/A-6) is recorded too, so the case says the payment came late.
 *
 * Step 4. A short payment (less than the month's due amount) is unpaid in part, and A-1 suspends
 * benefits for it like for a missing payment. A month is in one arrears case only
 * (shared/app/cases/arrears.ts): when the enrollment's month is held by a case already — the one the
 * due-date sweep opened for it, or whose run took it — the payment joins that case (step 3 has resumed
 * it); otherwise it opens the month's case (the id from the enrollment and the month, the sweep's too,
 * the month claimed with it) and starts the arrears timer named after the case.
 */
import { type CalendarDate, cstDateOf, firstOfMonth } from '#domain/calendar.js';
import type { Fen } from '#domain/money.js';
import type { DecisionResult } from '#rules/engine.js';
import type { ArrearsOutcome } from '#rules/arrears/decision.js';
import type { FlexibleContribution } from '#rules/contributions/flexible.js';
import type { UnitContribution } from '#rules/contributions/unit.js';
import type { PersonPayment } from '#schemas/events.js';
import type { CaseStore } from '#store/case-store.js';
import { type Case, CLOSED_STATES, type Enrollment, type LedgerEntry } from '#store/model.js';
import {
  type ArrearsCase,
  type ArrearsPaymentReceived,
  arrearsCaseHolding,
  arrearsFeeMonths,
  isArrearsClosed,
  newArrearsCase,
  openArrearsCase,
  readArrearsCase,
  updateArrearsCase,
} from '../cases/arrears.js';
import type { TaskCallbacks, WorkflowStarter } from '../ports.js';
import { intakeContext, PAYMENT_WAITS } from './ids.js';
import type { Decide } from './types.js';

/** One payment as recorded on a case it answered. */
export type PaymentReceived = ArrearsPaymentReceived;

export interface ResumeOutcome {
  readonly caseId: string;
  readonly callback: PaymentReceived['callback'] | 'already-recorded';
}

export interface OpenedArrears {
  readonly caseId: string;
  readonly feeMonth: string;
  readonly dueFen: Fen;
  readonly paidFen: Fen;
  readonly windowLastDay: CalendarDate;
  /** `opened`: by this payment; `existing`: the case was there (a redelivery, or the due-date sweep). */
  readonly caseOutcome: 'opened' | 'existing';
  /** `started`; `already-running` (ExecutionAlreadyExists); `recorded` (started before, nothing sent). */
  readonly workflow: 'started' | 'already-running' | 'recorded' | 'case-closed';
}

/** The payments recorded on a retirement-transfer case (its data is still its writers' own: not an arrears case). */
const receivedOnRetirement = (c: Case): PaymentReceived[] =>
  Array.isArray(c.data.paymentsReceived) ? (c.data.paymentsReceived as PaymentReceived[]) : [];

const receivedOn = (c: Case): readonly PaymentReceived[] =>
  c.caseType === 'arrears' ? (readArrearsCase(c).data.paymentsReceived ?? []) : receivedOnRetirement(c);

/** Does this open case wait for this payment? */
export function waitsFor(c: Case, payment: PersonPayment): boolean {
  const n = payment.notification;
  if (CLOSED_STATES.has(c.state) || !c.wait || c.region !== n.region) return false;
  if (c.subject.kind !== 'person' || c.subject.identityKey !== n.identityKey) return false;
  if (c.caseType === 'arrears' && PAYMENT_WAITS.arrears.includes(c.wait.for)) {
    const a = readArrearsCase(c);
    // The payment that opened the case (a short payment) does not answer it.
    if (a.data.openedBy === n.notificationId) return false;
    const months = arrearsFeeMonths(a);
    return n.scheme === 'employee' && n.periods.some((p) => months.includes(p.feePeriod));
  }
  if (c.caseType === 'retirement-transfer' && c.wait.for === PAYMENT_WAITS.retirementLumpSum) {
    if (c.data.openedBy === n.notificationId) return false;
    return payment.purpose === 'retirement-lump-sum' && n.scheme === 'employee';
  }
  return false;
}

/** What a resumed execution learns: the payment, without the identity number (execution history is wide-read). */
export function paymentFacts(c: Case, payment: PersonPayment, ledger: readonly LedgerEntry[]) {
  const n = payment.notification;
  const months = c.caseType === 'arrears' ? arrearsFeeMonths(readArrearsCase(c)) : [];
  return {
    // `event` and `notificationId` are what the arrears timer's settle task reads; the ledger is what counts.
    event: 'payment',
    caseId: c.caseId,
    notificationId: n.notificationId,
    sourceNotificationId: payment.sourceNotificationId,
    purpose: payment.purpose,
    scheme: n.scheme,
    ...(n.mode ? { mode: n.mode } : {}),
    region: n.region,
    payer: n.payer,
    paidAt: n.paidAt,
    paidOn: cstDateOf(n.paidAt),
    periods: n.periods
      .filter((p) => c.caseType !== 'arrears' || months.includes(p.feePeriod))
      .map((p) => ({
        feePeriod: p.feePeriod,
        amountFen: p.amount,
        ...(p.base !== undefined ? { baseFen: p.base } : {}),
        ...(payment.dueFen[p.feePeriod] !== undefined ? { dueFen: payment.dueFen[p.feePeriod] } : {}),
        // The whole period as the ledger has it now (a top-up adds to a short payment).
        ledgerAmountFen: ledger.find((e) => e.scheme === n.scheme && e.feePeriod === p.feePeriod)?.amount ?? p.amount,
      })),
  };
}

export async function resumeWaitingCases(
  deps: { readonly store: CaseStore; readonly callbacks: TaskCallbacks },
  payment: PersonPayment,
  cases: readonly Case[],
  ledger: readonly LedgerEntry[],
): Promise<ResumeOutcome[]> {
  const n = payment.notification;
  const outcomes: ResumeOutcome[] = [];
  for (const c of cases.filter((x) => waitsFor(x, payment))) {
    if (receivedOn(c).some((r) => r.notificationId === n.notificationId)) {
      outcomes.push({ caseId: c.caseId, callback: 'already-recorded' });
      continue;
    }
    const facts = paymentFacts(c, payment, ledger);
    const token = c.taskToken;
    const callback = token ? await deps.callbacks.succeed(token, facts) : 'no-token';
    const received: PaymentReceived = {
      notificationId: n.notificationId,
      paidOn: facts.paidOn,
      feePeriods: facts.periods.map((p) => p.feePeriod),
      amountFen: facts.periods.reduce((t, p) => t + p.amountFen, 0),
      callback,
    };
    const why = {
      resumed: `payment ${n.notificationId} (paid ${facts.paidOn}) received: the waiting execution was resumed`,
      gone: `payment ${n.notificationId} (paid ${facts.paidOn}) arrived after the wait ended (task token timed out or already used): recorded, no execution resumed`,
      'no-token': `payment ${n.notificationId} (paid ${facts.paidOn}) received before the execution began to wait: recorded for it to read`,
    }[callback];
    if (c.caseType === 'arrears')
      await updateArrearsCase(
        deps.store,
        c.caseId,
        (cur) =>
          isArrearsClosed(cur.state) ||
          (cur.data.paymentsReceived ?? []).some((r) => r.notificationId === n.notificationId)
            ? null
            : {
                // Clear only the token this payment answered: the execution may already wait on a new one.
                taskToken: token && cur.taskToken === token ? null : cur.taskToken,
                data: { ...cur.data, paymentsReceived: [...(cur.data.paymentsReceived ?? []), received] },
              },
        intakeContext(why),
      );
    else
      await deps.store.updateCase(
        c.caseId,
        (cur) => {
          if (receivedOnRetirement(cur).some((r) => r.notificationId === n.notificationId)) return null;
          return {
            ...cur,
            taskToken: token && cur.taskToken === token ? null : cur.taskToken,
            data: { ...cur.data, paymentsReceived: [...receivedOnRetirement(cur), received] },
          };
        },
        intakeContext(why),
      );
    outcomes.push({ caseId: c.caseId, callback });
  }
  return outcomes;
}

interface Due {
  readonly dueFen: Fen;
  /** `tax-bureau`: the event's dueFen; else the decision that computed it. */
  readonly source: 'tax-bureau' | 'flexible-contribution' | 'unit-contribution';
}

/**
 * The amount due for a fee month. The tax bureau's `dueFen` wins when sent (it collects, and it knows
 * the declared base); otherwise the engine computes it: flexible workers at the flexible base and
 * rates (C-4, C-5), unit employees from the month's base (C-1, C-2 clamp, C-3). Without either a
 * base or a flexible mode the month cannot be judged short, and is not (logged by the caller).
 */
export function dueFor(
  decide: Decide,
  payment: PersonPayment,
  feeMonth: string,
  enrollment: Enrollment | undefined,
): Due | null {
  const n = payment.notification;
  const sent = payment.dueFen[feeMonth];
  if (sent !== undefined) return { dueFen: sent, source: 'tax-bureau' };
  const paidOn = cstDateOf(n.paidAt);
  if (n.mode === 'flexible') {
    const mode = payment.flexibleMode ?? enrollment?.flexibleMode;
    if (!mode) return null;
    const r = decide(
      'flexible-contribution',
      { region: n.region, mode, fromMonth: feeMonth },
      paidOn,
    ) as DecisionResult<FlexibleContribution>;
    return { dueFen: r.value.months[0]!.totalFen, source: 'flexible-contribution' };
  }
  const base = n.periods.find((p) => p.feePeriod === feeMonth)?.base;
  if (n.mode !== 'unit' || base === undefined) return null;
  const r = decide(
    'unit-contribution',
    { region: n.region, feeMonth, employees: [{ employeeId: 'insured', priorYearMonthlyWageFen: base }] },
    paidOn,
  ) as DecisionResult<UnitContribution>;
  return { dueFen: r.value.employees[0]!.totalFen, source: 'unit-contribution' };
}

export async function openShortPaymentCases(
  deps: {
    readonly store: CaseStore;
    readonly workflows: WorkflowStarter;
    readonly decide: Decide;
    readonly today: () => CalendarDate;
  },
  payment: PersonPayment,
  enrollment: Enrollment | undefined,
  ledger: readonly LedgerEntry[],
  cases: readonly Case[],
  onUnjudged: (feeMonth: string) => void,
): Promise<OpenedArrears[]> {
  const n = payment.notification;
  // Arrears are an employee-scheme matter (A-1…A-7); a lump sum is not a month's contribution.
  if (n.scheme !== 'employee' || !n.mode || payment.purpose !== 'contribution') return [];
  const paidOn = cstDateOf(n.paidAt);
  const opened: OpenedArrears[] = [];
  for (const feeMonth of n.periods.map((p) => p.feePeriod).sort()) {
    const due = dueFor(deps.decide, payment, feeMonth, enrollment);
    if (!due) {
      onUnjudged(feeMonth);
      continue;
    }
    // What the ledger holds for the month now, this payment included (a top-up counts with the first part).
    const paidFen = ledger.find((e) => e.scheme === 'employee' && e.feePeriod === feeMonth)?.amount ?? 0;
    if (paidFen >= due.dueFen) continue;

    const firstUnpaidDay = firstOfMonth(feeMonth);
    const decision = deps.decide(
      'arrears',
      {
        region: n.region,
        mode: n.mode,
        months: [{ feeMonth, principalFen: due.dueFen - paidFen }],
        firstUnpaidDay,
      },
      paidOn < firstUnpaidDay ? firstUnpaidDay : paidOn,
    ) as DecisionResult<ArrearsOutcome>;
    const a = decision.value;
    if (!enrollment) {
      // Step 2 creates the enrollment; without it the timer cannot suspend anything. Redelivered.
      throw new Error(`short payment ${n.notificationId} for ${feeMonth}: no enrollment to open arrears on yet`);
    }
    const ref = { identityKey: n.identityKey, enrollmentId: enrollment.enrollmentId, feeMonth };
    // the month is in one case only. Held already (the sweep's case of the month or of its run, or
    // this payment's own on a redelivery): join it; step 3 has given it the payment.
    let c: ArrearsCase | null = await arrearsCaseHolding(deps.store, cases, ref);
    let caseOutcome: OpenedArrears['caseOutcome'] = 'existing';
    if (!c) {
      const input = newArrearsCase({
        key: ref,
        region: n.region,
        openedOn: deps.today(),
        // The arrears timer's first task (open) suspends the enrollment from the first unpaid day
        // and moves the case to waiting-payment; the wait is set now so the deadline index has it at once.
        wait: { for: 'payment', until: a.windowLastDay },
        data: {
          // The enrollment's person, who must be the subject: the case is refused otherwise.
          identityKey: enrollment.identityKey,
          enrollmentId: enrollment.enrollmentId,
          mode: n.mode,
          ...((payment.flexibleMode ?? enrollment.flexibleMode)
            ? { flexibleMode: payment.flexibleMode ?? enrollment.flexibleMode }
            : {}),
          ...(enrollment.unitId ? { unitId: enrollment.unitId } : {}),
          months: [{ feeMonth, principalFen: due.dueFen - paidFen, paidFen }],
          firstUnpaidDay,
          dueFen: due.dueFen,
          dueSource: due.source,
          paidFen,
          shortFen: due.dueFen - paidFen,
          suspendedFrom: a.suspendedFrom,
          windowLastDay: a.windowLastDay,
          openedBy: n.notificationId,
        },
      });
      const result = await openArrearsCase(
        deps.store,
        input,
        intakeContext(
          `short payment ${n.notificationId} for ${feeMonth}: ${paidFen} of ${due.dueFen} fen paid (${due.source}) — ${decision.trace.reason.en}`,
          decision.trace,
        ),
      );
      if (result.outcome === 'held') {
        // The sweep took the month at the same moment: its case follows it.
        c = readArrearsCase(await deps.store.getCase(result.heldBy));
      } else {
        c = result.case;
        caseOutcome = result.outcome;
      }
    }
    const workflow = await ensureTimer(deps, c, n.notificationId);
    opened.push({
      caseId: c.caseId,
      feeMonth,
      dueFen: due.dueFen,
      paidFen,
      windowLastDay: a.windowLastDay,
      caseOutcome,
      workflow,
    });
  }
  return opened;
}

/**
 * Starts the case's arrears timer once. The case records that it was started, so a redelivery sends
 * nothing; a start whose record was lost (or a case whose opener does not record it: the sweep, B-4) is
 * sent again and Step Functions refuses it by name (ExecutionAlreadyExists → `started: false`).
 */
async function ensureTimer(
  deps: { readonly store: CaseStore; readonly workflows: WorkflowStarter },
  c: ArrearsCase,
  notificationId: string,
): Promise<OpenedArrears['workflow']> {
  if (c.data.workflow) return 'recorded';
  if (isArrearsClosed(c.state)) return 'case-closed';
  const { started } = await deps.workflows.start('arrears-timer', c.caseId, {
    caseId: c.caseId,
    caseType: c.caseType,
    region: c.region,
    feeMonths: arrearsFeeMonths(c),
    waitUntil: c.wait?.until ?? null,
  });
  await updateArrearsCase(
    deps.store,
    c.caseId,
    (cur) =>
      cur.data.workflow || isArrearsClosed(cur.state)
        ? null
        : {
            data: {
              ...cur.data,
              workflow: { machine: 'arrears-timer', executionName: c.caseId, startedBy: notificationId, started },
            },
          },
    intakeContext(
      started
        ? `arrears-timer started for ${c.caseId} by payment ${notificationId}`
        : `arrears-timer for ${c.caseId} was already running (ExecutionAlreadyExists)`,
    ),
  );
  return started ? 'started' : 'already-running';
}
