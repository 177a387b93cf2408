/**
 * Retirement transfer applications (在职转退休, R-1…R-10): staff open one, the engine says whether the person
 * has reached the legal age, how many years are missing and what the person may choose (R-4,
 * R-5); the `retirement-transfer` workflow carries the case (execution name = case id) and waits for the
 * choice, which staff record here and which resumes the waiting execution.
 */
import { addDays } from '#domain/calendar.js';
import { identityFacts } from '#domain/identity.js';
import type { DecisionResult } from '#rules/engine.js';
import { InputError } from '#rules/errors.js';
import { retirementAge } from '#rules/retirement/age.js';
import { type RetirementTransfer, retirementTransfer } from '#rules/retirement/transfer.js';
import type { Case } from '#store/model.js';
import { choiceWindowDays } from '../cases/retirement-transfer.js';
import { caseInRegion, caseView, resume } from './cases.js';
import {
  changeContext,
  type Created,
  openCaseOnce,
  type RequestOptions,
  requireRegion,
  type StaffDeps,
  type StaffMember,
  summary,
} from './context.js';
import { decideWith } from '#rules/decide-with.js';
import { RefusedByRulesError, StateConflictError } from './errors.js';
import { statusChangeOn } from './enrollment.js';
import type { CaseView, RetirementApplicationBody, RetirementChoiceBody } from './schemas.js';

export interface CaseCreatedView {
  readonly case: CaseView;
  readonly decisions: Record<string, unknown>;
}

async function startWorkflow(deps: StaffDeps, c: Case): Promise<void> {
  await deps.workflows.start('retirement-transfer', c.caseId, {
    caseId: c.caseId,
    region: c.region,
    identityKey: (c.data.identityKey as string) ?? null,
    options: c.data.options ?? [],
    waitUntil: c.wait?.until ?? null,
  });
}

/** POST /retirement-applications */
export async function openRetirementApplication(
  deps: StaffDeps,
  staff: StaffMember,
  body: RetirementApplicationBody,
  options: RequestOptions = {},
): Promise<Created<CaseCreatedView>> {
  const today = deps.clock.today();
  const [person, enrollments] = await Promise.all([
    deps.store.getPerson(body.identityKey),
    deps.store.listEnrollments(body.identityKey),
  ]);
  // The person retires from their employee enrollment; its region's agency handles the transfer.
  const employee =
    enrollments.find((e) => e.scheme === 'employee' && statusChangeOn(e, today)?.status === 'normal') ??
    enrollments.filter((e) => e.scheme === 'employee').sort((a, b) => (a.enrolledOn < b.enrolledOn ? 1 : -1))[0];
  if (!employee) {
    requireRegion(staff, person.region, 'a person');
    throw new StateConflictError('wrong-state', 'the person has no employee-scheme enrollment to retire from (R-1)');
  }
  requireRegion(staff, employee.region, 'an enrollment');

  const created = await openCaseOnce(
    deps,
    staff,
    { operation: 'openRetirementApplication', prefix: 'RT', request: body, options },
    async (caseId) => {
      const fromNumber = identityFacts(body.identityKey);
      const sex = fromNumber?.sex ?? person.sex ?? body.sex;
      const birthDate = fromNumber?.birthDate ?? person.birthDate ?? body.birthDate;
      const missing = [
        ...(sex ? [] : [{ path: 'sex', message: 'required: the identity document does not give it' }]),
        ...(birthDate ? [] : [{ path: 'birthDate', message: 'required: the identity document does not give it' }]),
      ];
      if (missing.length) throw new InputError(missing);
      const who = {
        region: employee.region,
        sex,
        birthDate,
        ...(body.post ? { post: body.post } : {}),
        ...(body.retirementDate ? { retirementDate: body.retirementDate } : {}),
      };
      const age = decideWith(retirementAge, who, today);
      const transfer = decideWith(
        retirementTransfer,
        {
          ...who,
          processedOn: today,
          mode: employee.mode,
          ...(body.retireIn ? { retireIn: body.retireIn } : {}),
          record: body.record,
          ...(body.militaryPeriods ? { militaryPeriods: body.militaryPeriods } : {}),
          ...(body.bankruptcyDeferral ? { bankruptcyDeferral: body.bankruptcyDeferral } : {}),
        },
        today,
      ) as DecisionResult<RetirementTransfer>;
      const v = transfer.value;
      if (!v.reachedRetirementAge || v.options.length === 0) {
        throw new RefusedByRulesError(
          `the legal retirement date is ${v.retirementDate}: no transfer can be applied for on ${today}`,
          transfer.trace.reason,
          transfer.trace.rules.filter((r) => r.outcome === 'applied').map((r) => r.id),
          { decision: 'retirement-transfer' },
        );
      }
      return {
        input: {
          caseId,
          caseType: 'retirement-transfer',
          region: employee.region,
          subject: { kind: 'person', identityKey: body.identityKey },
          state: 'awaiting-choice',
          openedOn: today,
          // the agency's choice window (a Reading, illustrative), the one the workflow waits too.
          wait: { for: 'person-choice', until: addDays(today, choiceWindowDays(employee.region, today)) },
          taskToken: null,
          data: {
            identityKey: body.identityKey,
            enrollmentId: employee.enrollmentId,
            options: v.options,
            eligibleNow: v.eligibleNow,
            blockedBy: v.blockedBy,
            duesFirstFen: v.duesFirstFen,
            lumpSumFen: v.lumpSum?.totalFen ?? null,
            accountCreditFen: v.accountCreditFen,
            openedBy: staff.staffId,
            decisions: { 'retirement-age': summary(age), 'retirement-transfer': summary(transfer) },
          },
        },
        ctx: changeContext(staff, body.note ?? transfer.trace.reason.en, transfer.trace),
      };
    },
  );
  // Started after the case is stored; on a repeat it is started again, harmlessly (the name is the case id).
  await startWorkflow(deps, created.value);
  return {
    value: {
      case: caseView(created.value),
      decisions: (created.value.data.decisions as Record<string, unknown>) ?? {},
    },
    replayed: created.replayed,
  };
}

/** POST /cases/{caseId}/retirement-choice: record the person's choice and resume the waiting execution. */
export async function recordRetirementChoice(
  deps: StaffDeps,
  staff: StaffMember,
  caseId: string,
  body: RetirementChoiceBody,
): Promise<{ case: CaseView }> {
  const c = await caseInRegion(deps, staff, caseId, 'retirement-transfer');
  // The staff's record ({choice, recordedOn, recordedBy}) or the bare choice the execution's task wrote.
  const recorded =
    typeof c.data.choice === 'string' ? { choice: c.data.choice } : (c.data.choice as { choice: string } | undefined);
  if (recorded) {
    if (recorded.choice === body.choice) return { case: caseView(c) };
    throw new StateConflictError('wrong-state', `the person already chose ${recorded.choice}`, {
      choice: recorded.choice,
    });
  }
  if (c.state !== 'awaiting-choice')
    throw new StateConflictError('wrong-state', `case ${caseId} is ${c.state}, not awaiting a choice`, {
      state: c.state,
    });
  const offered = (c.data.options as string[] | undefined) ?? [];
  if (!offered.includes(body.choice))
    throw new InputError([
      { path: 'choice', message: `not offered to this person; the options are ${offered.join(', ')}` },
    ]);

  const today = deps.clock.today();
  const choice = { choice: body.choice, recordedOn: today, recordedBy: staff.staffId };
  // Resume first: a token that is gone leaves the case untouched (409).
  await resume(deps, c, choice);
  const token = c.taskToken;
  const saved = await deps.store.updateCase(
    caseId,
    (cur) =>
      // Written by staff already (a retry of this request): nothing more. The execution's RecordChoice
      // task may have got there first with the bare choice: the staff record is still written, so the
      // audit trail always says who recorded the choice and when.
      typeof cur.data.choice === 'object' && cur.data.choice !== null
        ? null
        : {
            ...cur,
            // The execution may already have moved on (and stored a new token): keep what it wrote.
            state: cur.state === 'awaiting-choice' ? 'choice-recorded' : cur.state,
            wait: cur.state === 'awaiting-choice' ? null : cur.wait,
            taskToken: cur.taskToken === token ? null : cur.taskToken,
            data: { ...cur.data, choice },
          },
    changeContext(staff, body.note ?? `the person chose ${body.choice} (R-4)`),
  );
  return { case: caseView(saved) };
}
