/**
 * Bankruptcy deferral agreements (破产缓缴, B-1…B-4): an approver files the agreement an enterprise signed
 * with tax, the engine checks B-1 for each employee (benefits kept, personal-account credits held back), the
 * case opens for the unit and the `bankruptcy-deferral` workflow starts (execution name = case id). Ending
 * the agreement decides B-2 (paid in full: held credits at once) or B-4 (what is unpaid becomes arrears).
 */
import { type BankruptcyOutcome, bankruptcyDeferral } from '#rules/bankruptcy/decision.js';
import type { DecisionResult } from '#rules/engine.js';
import { InputError } from '#rules/errors.js';
import type { Case } from '#store/model.js';
import { caseInRegion, caseView } from './cases.js';
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
import { RefusedByRulesError, StaffForbiddenError, StateConflictError } from './errors.js';
import type { CaseCreatedView } from './retirement.js';
import type { CaseView, DeferralAgreementBody, EndAgreementBody } from './schemas.js';

/** Only approvers file and end agreements (the route table says so too; the service holds to it). */
export function requireApprover(staff: StaffMember, what: string): void {
  if (!staff.roles.includes('approver'))
    throw new StaffForbiddenError(`only an approver may ${what}`, { roles: staff.roles });
}

/** Decides for each employee; a bad month of employee i is reported as `employees[i].months…`. */
function perEmployee(
  employees: DeferralAgreementBody['employees'],
  facts: (e: DeferralAgreementBody['employees'][number]) => Record<string, unknown>,
  asOf: string,
): DecisionResult<BankruptcyOutcome>[] {
  return employees.map((e, i) => {
    try {
      return decideWith(bankruptcyDeferral, facts(e), asOf) as DecisionResult<BankruptcyOutcome>;
    } catch (err) {
      if (err instanceof InputError)
        throw new InputError(err.issues.map((x) => ({ path: `employees[${i}].${x.path}`, message: x.message })));
      throw err;
    }
  });
}

/** POST /bankruptcy-deferrals */
export async function fileDeferralAgreement(
  deps: StaffDeps,
  staff: StaffMember,
  body: DeferralAgreementBody,
  options: RequestOptions = {},
): Promise<Created<CaseCreatedView>> {
  requireApprover(staff, 'file a bankruptcy deferral agreement');
  requireRegion(staff, body.region, 'an enterprise');
  const today = deps.clock.today();
  const created = await openCaseOnce(
    deps,
    staff,
    { operation: 'fileDeferralAgreement', prefix: 'BD', request: body, options },
    async (caseId) => {
      const agreement = {
        filedOn: body.filedOn,
        ...(body.rulingOn ? { rulingOn: body.rulingOn } : {}),
        taxConfirmed: body.taxConfirmed,
        agreementFiledOn: body.agreementFiledOn,
        agreementEndsOn: body.agreementEndsOn,
      };
      const results = perEmployee(
        body.employees,
        (e) => ({ region: body.region, question: 'status', ...agreement, months: e.months }),
        today,
      );
      const refused = results.find((r) => !r.value.deferralInForce);
      if (refused) {
        throw new RefusedByRulesError(
          'the agreement does not meet B-1: no deferral is in force',
          refused.trace.reason,
          refused.trace.rules.filter((r) => r.outcome === 'applied').map((r) => r.id),
          { decision: 'bankruptcy-deferral' },
        );
      }
      const first = results[0]!;
      return {
        input: {
          caseId,
          caseType: 'bankruptcy-deferral',
          region: body.region,
          subject: { kind: 'unit', unitId: body.unitId },
          state: 'in-force',
          openedOn: today,
          wait: { for: 'settlement-or-ruling', until: body.agreementEndsOn },
          taskToken: null,
          data: {
            unitId: body.unitId,
            agreement,
            employees: body.employees.map((e, i) => ({
              identityKey: e.identityKey,
              months: e.months,
              heldCreditFen: results[i]!.value.heldCreditFen,
              amountDueFen: results[i]!.value.amountDueFen,
            })),
            filedBy: staff.staffId,
            decisions: { 'bankruptcy-deferral': summary(first) },
          },
        },
        ctx: changeContext(staff, body.note ?? first.trace.reason.en, first.trace),
      };
    },
  );
  await deps.workflows.start('bankruptcy-deferral', created.value.caseId, {
    caseId: created.value.caseId,
    region: created.value.region,
    unitId: body.unitId,
    agreementEndsOn: body.agreementEndsOn,
  });
  return {
    value: {
      case: caseView(created.value),
      decisions: (created.value.data.decisions as Record<string, unknown>) ?? {},
    },
    replayed: created.replayed,
  };
}

interface StoredEmployee {
  identityKey: string;
  months: DeferralAgreementBody['employees'][number]['months'];
}

/**
 * POST /cases/{caseId}/end-agreement. When the execution waits on the case it is resumed with the end
 * (a token that is gone is a 409); otherwise the end is recorded and the workflow reads it at its next step.
 */
export async function endDeferralAgreement(
  deps: StaffDeps,
  staff: StaffMember,
  caseId: string,
  body: EndAgreementBody,
): Promise<{ case: CaseView; decisions: Record<string, unknown> }> {
  requireApprover(staff, 'end a bankruptcy deferral agreement');
  const c = await caseInRegion(deps, staff, caseId, 'bankruptcy-deferral');
  const ended = c.data.end as { cause: string; endedOn: string } | undefined;
  if (ended) {
    if (ended.cause === body.cause && ended.endedOn === body.endedOn)
      return { case: caseView(c), decisions: (c.data.endDecisions as Record<string, unknown>) ?? {} };
    throw new StateConflictError('wrong-state', `the agreement already ended on ${ended.endedOn} (${ended.cause})`, {
      state: c.state,
    });
  }
  if (c.state !== 'in-force')
    throw new StateConflictError('wrong-state', `case ${caseId} is ${c.state}, not in force`, { state: c.state });

  const agreement = c.data.agreement as Record<string, unknown>;
  const employees = (c.data.employees as StoredEmployee[]) ?? [];
  const today = deps.clock.today();
  const paid = body.cause === 'paid-in-full';
  const results = perEmployee(
    employees,
    (e) => ({
      region: c.region,
      ...agreement,
      question: paid ? 'paid-in-full' : 'agreement-ended',
      ...(paid ? { paidInFullOn: body.endedOn } : { agreementEndsOn: body.endedOn }),
      months: e.months,
    }),
    today,
  );
  const first = results[0]!;
  const end = {
    cause: body.cause,
    endedOn: body.endedOn,
    endedBy: staff.staffId,
    employees: employees.map((e, i) => ({
      identityKey: e.identityKey,
      amountDueFen: results[i]!.value.amountDueFen,
      suspendedFrom: results[i]!.value.suspendedFrom,
      creditedOn: results[i]!.value.creditedOn,
    })),
  };
  const decisions = { 'bankruptcy-deferral': summary(first) };
  // Record the end first, then resume: the execution's End task reads data.end from the case, so it must
  // be there when the execution wakes (and stays there if a retry of End runs later).
  const token = c.taskToken;
  let saved: Case = await deps.store.updateCase(
    caseId,
    (cur) =>
      cur.data.end
        ? null
        : {
            ...cur,
            state: cur.state === 'in-force' ? 'ended' : cur.state,
            wait: cur.state === 'in-force' ? null : cur.wait,
            data: { ...cur.data, end, endDecisions: decisions },
          },
    changeContext(staff, `${body.cause} on ${body.endedOn}: ${body.note}`, first.trace),
  );
  if (token && saved.taskToken === token) {
    const outcome = await deps.callbacks.succeed(token, { event: 'agreement-ended', ...end });
    saved = await deps.store.updateCase(
      caseId,
      (cur) => (cur.taskToken === token ? { ...cur, taskToken: null } : null),
      changeContext(
        staff,
        outcome === 'resumed'
          ? 'the waiting execution was resumed with the end of the agreement'
          : 'the execution no longer waited (timed out or finished); the end is recorded on the case for it',
      ),
    );
  }
  return { case: caseView(saved), decisions };
}
