/**
 * Retirement-transfer application (R-1…R-10, B-3): one case per application, opened by staff with the
 * person's record in `data.facts`. Tasks (docs/tasks.md):
 *
 *   evaluate → done (eligible now: transfer completes) | await-dues (B-3/R-8) | await-choice
 *   await-choice (callback, staff records the person's choice) → record-choice
 *     → lump-sum: await-payment (callback, TimeoutSecondsPath = the payment deadline) → credit-account (R-7)
 *     → continue-paying / resident: done
 *   a wait that times out → expire
 */
import { addDays, type CalendarDate } from '#domain/calendar.js';
import type { TransferOption } from '#rules/retirement/transfer.js';
import type { Case, CaseInput } from '#store/model.js';
import { choiceWindowDays } from '../cases/retirement-transfer.js';
import { duesUnderDeferral, registerBlockedCase } from './bankruptcy-deferral.js';
import {
  decide,
  inputOf,
  isClosed,
  nowOf,
  retryConflicts,
  secondsUntilEndOf,
  stateInvalid,
  systemCtx,
  WorkflowError,
  type WorkflowDeps,
} from './common.js';
import { storeTaskToken } from './tokens.js';
import { retirementTransfer } from '#rules/retirement/transfer.js';

const COMPONENT = 'retirement-transfer';

/**
 * Reading (not in the texts), overridable per case (`data.lumpSumDueDays`): how long the person has to pay
 * a chosen lump sum before the application lapses. How long they have to choose is the agency parameter
 * `retirement.choiceWindowDays` (shared/app/cases/retirement-transfer.ts), the staff API's too; a case may
 * still set its own (`data.choiceDays`).
 */
export const LUMP_SUM_DUE_DAYS = 30;

interface RetirementCaseData {
  readonly identityKey: string;
  readonly unitId?: string;
  /** The `retirement-transfer` facts without region, processedOn and the R-8 block (the task adds them). */
  readonly facts: Record<string, unknown>;
  readonly choiceDays?: number;
  readonly lumpSumDueDays?: number;
  readonly evaluation?: Evaluation;
  readonly choice?: TransferOption;
  readonly accountCredit?: AccountCredit;
}

interface Evaluation {
  readonly processedOn: CalendarDate;
  readonly eligibleNow: boolean;
  readonly blockedBy: 'R-8' | null;
  readonly duesFirstFen: number;
  readonly options: readonly TransferOption[];
  readonly shortfallMonths: number;
  readonly lumpSumFen: number | null;
  readonly accountCreditFen: number;
  readonly deferralCaseId?: string;
}

interface AccountCredit {
  /** Deterministic: one credit per application (R-7). */
  readonly creditId: string;
  readonly fen: number;
  readonly creditedOn: CalendarDate;
  readonly notificationId?: string;
}

/**
 * The case's data. The staff API may open the application already evaluated (state `awaiting-choice`,
 * the evaluation's fields at the top of `data`, no `facts`) and record the choice itself (`choice-recorded`,
 * `data.choice = {choice, recordedOn, recordedBy}`): both shapes are read here.
 */
const dataOf = (c: Case): RetirementCaseData => {
  const raw = c.data as Record<string, unknown>;
  if (c.caseType !== 'retirement-transfer' || !raw.identityKey || (!raw.facts && !Array.isArray(raw.options)))
    throw new WorkflowError('Case.DataInvalid', `case ${c.caseId} is not a retirement-transfer application with facts`);
  const choice =
    typeof raw.choice === 'object' && raw.choice ? (raw.choice as { choice: TransferOption }).choice : raw.choice;
  const evaluation =
    (raw.evaluation as Evaluation | undefined) ??
    (Array.isArray(raw.options)
      ? {
          processedOn: c.openedOn,
          eligibleNow: Boolean(raw.eligibleNow),
          blockedBy: (raw.blockedBy as 'R-8' | null) ?? null,
          duesFirstFen: Number(raw.duesFirstFen ?? 0),
          options: raw.options as TransferOption[],
          shortfallMonths: Number(raw.shortfallMonths ?? 0),
          lumpSumFen: (raw.lumpSumFen as number | null) ?? null,
          accountCreditFen: Number(raw.accountCreditFen ?? 0),
        }
      : undefined);
  return {
    ...(raw as unknown as RetirementCaseData),
    ...(choice ? { choice: choice as TransferOption } : {}),
    ...(evaluation ? { evaluation } : {}),
  };
};

/** The staff API's state names for the same steps. */
const WAITING_CHOICE = ['waiting-choice', 'awaiting-choice'];

export interface EvaluateOutput {
  readonly caseId: string;
  readonly state: string;
  /**
   * `done`: transferred now, or not eligible (closed); `await-dues`: B-3/R-8; `await-choice`: options offered
   * (or a choice the staff recorded, which the wait hands on at once); `await-payment`: a lump sum chosen and
   * unpaid — reached when an execution is re-armed on a case that had got that far (rearm.ts).
   */
  readonly next: 'done' | 'await-dues' | 'await-choice' | 'await-payment';
  readonly evaluation: Evaluation;
  readonly timeoutSeconds?: number;
}

/** Where an execution goes from a case's stored state: the first run, a retry, or a re-armed execution. */
const nextOf = (state: string): EvaluateOutput['next'] =>
  state === 'waiting-dues'
    ? 'await-dues'
    : WAITING_CHOICE.includes(state) || state === 'choice-recorded'
      ? 'await-choice'
      : state === 'waiting-lump-sum'
        ? 'await-payment'
        : 'done';

const evaluateOutput = (c: Case, nowMs: number): EvaluateOutput => {
  const d = dataOf(c);
  const e = d.evaluation!;
  const next = nextOf(c.state);
  const waits = next === 'await-choice' || next === 'await-payment';
  return {
    caseId: c.caseId,
    state: c.state,
    next,
    evaluation: e,
    // A recorded choice without a wait resumes at once (awaitRetirementEvent): any timeout will do.
    ...(waits ? { timeoutSeconds: c.wait ? secondsUntilEndOf(c.wait.until, nowMs).timeoutSeconds : 60 } : {}),
  };
};

/**
 * R-1…R-6 on the processing day, with the B-3/R-8 gate when the employer is under a deferral with
 * this person's dues outstanding. Runs on `opened`, and again on `waiting-dues` when resumed.
 */
export async function evaluateTransfer(
  deps: WorkflowDeps,
  input: { caseId: string; now?: string },
): Promise<EvaluateOutput> {
  const nowMs = nowOf(deps, input.now);
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = dataOf(c);
    if (c.state !== 'opened' && c.state !== 'waiting-dues') {
      if (!d.evaluation) throw stateInvalid(c, 'evaluate', ['opened', 'waiting-dues']);
      return evaluateOutput(c, nowMs);
    }
    const today = deps.clock.today();
    const deferral = d.unitId ? await duesUnderDeferral(deps, d.unitId, d.identityKey, today) : null;
    if (c.state === 'waiting-dues' && deferral && deferral.dueFen > 0 && d.evaluation?.blockedBy === 'R-8')
      return evaluateOutput(c, nowMs); // still blocked: nothing changed
    const r = decide(
      retirementTransfer,
      {
        ...d.facts,
        region: c.region,
        caseOpenedOn: c.openedOn,
        processedOn: today,
        ...(deferral
          ? { bankruptcyDeferral: { agreementInForce: true, individualDueFen: 0, unitDueFen: deferral.dueFen } }
          : {}),
      },
      today,
    );
    const v = r.value;
    const evaluation: Evaluation = {
      processedOn: today,
      eligibleNow: v.eligibleNow,
      blockedBy: v.blockedBy,
      duesFirstFen: v.duesFirstFen,
      options: v.options,
      shortfallMonths: v.shortfallMonths,
      lumpSumFen: v.lumpSum?.totalFen ?? null,
      accountCreditFen: v.accountCreditFen,
      ...(deferral ? { deferralCaseId: deferral.caseId } : {}),
    };
    const base = { ...inputOf(c), taskToken: null, data: { ...c.data, evaluation } };
    const next: CaseInput = v.eligibleNow
      ? { ...base, state: 'completed', wait: null, closedOn: today, data: { ...base.data, transferredOn: today } }
      : v.blockedBy === 'R-8'
        ? { ...base, state: 'waiting-dues', wait: null }
        : v.options.length > 0
          ? {
              ...base,
              state: 'waiting-choice',
              wait: { for: 'choice', until: addDays(today, d.choiceDays ?? choiceWindowDays(c.region, today)) },
            }
          : { ...base, state: 'closed', wait: null, closedOn: today };
    const saved = await deps.store.saveCase(
      next,
      c.version,
      systemCtx(COMPONENT, `${v.decidedBy}: ${r.trace.reason.en}`, r.trace),
    );
    if (v.blockedBy === 'R-8' && deferral) await registerBlockedCase(deps, deferral.caseId, c.caseId);
    return evaluateOutput(saved, nowMs);
  });
}

/**
 * Stores the token of a wait (the choice, the dues, the lump-sum payment). What the wait is for may have
 * happened before the execution got here — a lump sum paid, a choice recorded by staff, the dues settled
 * — and nobody would then resume it: so it resumes at once, as the arrears timer's await does.
 */
export async function awaitRetirementEvent(deps: WorkflowDeps, input: { caseId: string; taskToken: string }) {
  const c = await storeTaskToken(deps, COMPONENT, input, [
    ...WAITING_CHOICE,
    'choice-recorded',
    'waiting-dues',
    'waiting-lump-sum',
  ]);
  if (!deps.callbacks || c.taskToken !== input.taskToken) return { caseId: c.caseId };
  const d = dataOf(c);
  if (c.state === 'waiting-lump-sum') {
    const early = (
      (c.data.paymentsReceived ?? []) as Array<{ notificationId: string; paidOn: string; callback: string }>
    ).find((p) => p.callback === 'no-token');
    if (early) {
      await deps.callbacks.succeed(input.taskToken, {
        event: 'payment',
        notificationId: early.notificationId,
        paidOn: early.paidOn,
      });
    }
  } else if (c.state === 'choice-recorded' && d.choice) {
    await deps.callbacks.succeed(input.taskToken, { choice: d.choice });
  } else if (c.state === 'waiting-dues' && d.unitId) {
    const deferral = await duesUnderDeferral(deps, d.unitId, d.identityKey, deps.clock.today());
    if (!deferral || deferral.dueFen === 0) await deps.callbacks.succeed(input.taskToken, { event: 'dues-paid' });
  }
  return { caseId: c.caseId };
}

export interface ChoiceOutput {
  readonly caseId: string;
  readonly state: string;
  readonly choice: TransferOption;
  /** `await-payment`: a lump sum to be paid by `dueBy`; `done`: nothing more. */
  readonly next: 'await-payment' | 'done';
  readonly lumpSumFen?: number | null;
  readonly dueBy?: CalendarDate;
  readonly timeoutSeconds?: number;
}

/** R-4/R-5: records the person's choice among the options offered. */
export async function recordChoice(
  deps: WorkflowDeps,
  input: { caseId: string; choice: TransferOption; now?: string },
): Promise<ChoiceOutput> {
  const nowMs = nowOf(deps, input.now);
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = dataOf(c);
    const answer = (x: Case): ChoiceOutput => {
      const xd = dataOf(x);
      const lump = xd.choice === 'lump-sum';
      return {
        caseId: x.caseId,
        state: x.state,
        choice: xd.choice!,
        next: lump && x.state === 'waiting-lump-sum' ? 'await-payment' : 'done',
        ...(lump ? { lumpSumFen: xd.evaluation!.lumpSumFen } : {}),
        ...(lump && x.wait
          ? { dueBy: x.wait.until, timeoutSeconds: secondsUntilEndOf(x.wait.until, nowMs).timeoutSeconds }
          : {}),
      };
    };
    if (d.choice && d.choice !== input.choice)
      throw new WorkflowError('Case.StateInvalid', `case ${c.caseId}: ${d.choice} was chosen already`);
    // Recorded by this task before (a retry), or by the staff API (`choice-recorded`): carry it on.
    if (d.choice && c.state !== 'choice-recorded') return answer(c);
    if (!d.choice && !WAITING_CHOICE.includes(c.state)) throw stateInvalid(c, 'record-choice', WAITING_CHOICE);
    if (!d.evaluation!.options.includes(input.choice))
      throw new WorkflowError(
        'Choice.NotOffered',
        `${input.choice} is not offered (R-4/R-5); the options were ${d.evaluation!.options.join(', ')}`,
      );
    const today = deps.clock.today();
    const lump = input.choice === 'lump-sum';
    const next: CaseInput = lump
      ? {
          ...inputOf(c),
          state: 'waiting-lump-sum',
          taskToken: null,
          wait: { for: 'lump-sum-payment', until: addDays(today, d.lumpSumDueDays ?? LUMP_SUM_DUE_DAYS) },
          data: { ...c.data, choice: c.data.choice ?? input.choice },
        }
      : {
          ...inputOf(c),
          state: 'completed',
          taskToken: null,
          wait: null,
          closedOn: today,
          data: { ...c.data, choice: c.data.choice ?? input.choice },
        };
    const saved = await deps.store.saveCase(
      next,
      c.version,
      systemCtx(
        COMPONENT,
        `R-4: the person chose ${input.choice}${lump ? `; ${d.evaluation!.lumpSumFen} fen due` : ''}`,
      ),
    );
    return answer(saved);
  });
}

export interface CreditOutput {
  readonly caseId: string;
  readonly state: string;
  readonly accountCredit: AccountCredit;
}

/**
 * R-7: the lump sum is paid: the personal account is credited once, at the base and standard of the
 * payment day, and the transfer completes. A retry, or a second payment, credits nothing more.
 */
export async function creditAccount(
  deps: WorkflowDeps,
  input: { caseId: string; paidOn?: CalendarDate; notificationId?: string },
): Promise<CreditOutput> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = dataOf(c);
    if (d.accountCredit) return { caseId: c.caseId, state: c.state, accountCredit: d.accountCredit };
    if (c.state !== 'waiting-lump-sum') throw stateInvalid(c, 'credit-account', ['waiting-lump-sum']);
    let paidOn = input.paidOn;
    if (!paidOn && input.notificationId) paidOn = (await deps.store.getNotification(input.notificationId)).paidOn;
    paidOn ??= deps.clock.today();
    const processedOn = d.evaluation!.processedOn;
    if (!d.facts) {
      // Opened by the staff API without the facts: the credit decided on the processing day (R-7 wants the
      // standard of the payment day; the API should keep the facts so this can be decided again).
      const accountCredit: AccountCredit = {
        creditId: `${c.caseId}-R-7`,
        fen: d.evaluation!.accountCreditFen,
        creditedOn: paidOn,
        ...(input.notificationId ? { notificationId: input.notificationId } : {}),
      };
      const saved = await deps.store.saveCase(
        {
          ...inputOf(c),
          state: 'completed',
          wait: null,
          taskToken: null,
          closedOn: deps.clock.today(),
          data: { ...c.data, accountCredit, transferredOn: paidOn },
        },
        c.version,
        systemCtx(
          COMPONENT,
          `R-7: lump sum paid on ${paidOn}; ${accountCredit.fen} fen credited once (as evaluated on ${processedOn})`,
        ),
      );
      return { caseId: saved.caseId, state: saved.state, accountCredit };
    }
    const r = decide(
      retirementTransfer,
      {
        ...d.facts,
        region: c.region,
        caseOpenedOn: c.openedOn,
        processedOn,
        lumpSumPaidOn: paidOn < processedOn ? processedOn : paidOn,
      },
      paidOn,
    );
    const accountCredit: AccountCredit = {
      creditId: `${c.caseId}-R-7`,
      fen: r.value.accountCreditFen,
      creditedOn: paidOn,
      ...(input.notificationId ? { notificationId: input.notificationId } : {}),
    };
    const saved = await deps.store.saveCase(
      {
        ...inputOf(c),
        state: 'completed',
        wait: null,
        taskToken: null,
        closedOn: deps.clock.today(),
        data: { ...c.data, accountCredit, transferredOn: paidOn },
      },
      c.version,
      systemCtx(COMPONENT, `R-7: ${r.trace.reason.en}`, r.trace),
    );
    return { caseId: saved.caseId, state: saved.state, accountCredit };
  });
}

/** A choice or a lump sum not made in time: the application lapses (the person may apply again). */
export async function expireApplication(deps: WorkflowDeps, input: { caseId: string }) {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    if (isClosed(c)) return { caseId: c.caseId, state: c.state };
    if (![...WAITING_CHOICE, 'waiting-lump-sum'].includes(c.state))
      throw stateInvalid(c, 'expire', [...WAITING_CHOICE, 'waiting-lump-sum']);
    const saved = await deps.store.saveCase(
      { ...inputOf(c), state: 'lapsed', wait: null, taskToken: null, closedOn: deps.clock.today() },
      c.version,
      systemCtx(COMPONENT, `no ${c.wait?.for ?? 'answer'} by ${c.wait?.until}: the application lapses`),
    );
    return { caseId: saved.caseId, state: saved.state };
  });
}
