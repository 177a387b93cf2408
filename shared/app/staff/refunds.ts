/**
 * Refunds (退费, F-1…F-3): a clerk applies, the `refund` decision says whether and how much; a refundable
 * application opens a refund case awaiting approval, and an approver other than the applicant approves it.
 */
import type { DecisionResult } from '#rules/engine.js';
import { evaluate } from '#rules/engine.js';
import { type RefundOutcome, refund } from '#rules/refunds/decision.js';
import { parameters } from '#params/index.js';
import { requireApprover } from './bankruptcy.js';
import { caseInRegion, caseView } from './cases.js';
import {
  changeContext,
  type Created,
  openCaseOnce,
  personInRegion,
  type RequestOptions,
  requireRegion,
  type StaffDeps,
  type StaffMember,
  summary,
} from './context.js';
import { RefusedByRulesError, StaffForbiddenError, StateConflictError } from './errors.js';
import type { CaseCreatedView } from './retirement.js';
import type { CaseView, RefundApplicationBody, RefundApprovalBody } from './schemas.js';

/** POST /refund-applications */
export async function applyForRefund(
  deps: StaffDeps,
  staff: StaffMember,
  body: RefundApplicationBody,
  options: RequestOptions = {},
): Promise<Created<CaseCreatedView>> {
  requireRegion(staff, body.facts.region, 'a refund');
  await personInRegion(deps, staff, body.identityKey);
  const today = deps.clock.today();
  const created = await openCaseOnce(
    deps,
    staff,
    { operation: 'applyForRefund', prefix: 'RF', request: body, options },
    async (caseId) => {
      // The facts were parsed by the decision's own schema at the edge (the route's request schema).
      const result = evaluate(refund, body.facts, today, parameters()) as DecisionResult<RefundOutcome>;
      if (!result.value.refundable) {
        throw new RefusedByRulesError(
          'not refundable',
          result.trace.reason,
          result.trace.rules.filter((r) => r.outcome === 'applied').map((r) => r.id),
          { decision: 'refund' },
        );
      }
      return {
        input: {
          caseId,
          caseType: 'refund',
          region: body.facts.region,
          subject: { kind: 'person', identityKey: body.identityKey },
          state: 'awaiting-approval',
          openedOn: today,
          wait: null,
          taskToken: null,
          data: {
            identityKey: body.identityKey,
            refundFen: result.value.refundFen,
            appliedBy: staff.staffId,
            decisions: { refund: summary(result) },
          },
        },
        ctx: changeContext(staff, body.note ?? result.trace.reason.en, result.trace),
      };
    },
  );
  return {
    value: {
      case: caseView(created.value),
      decisions: (created.value.data.decisions as Record<string, unknown>) ?? {},
    },
    replayed: created.replayed,
  };
}

/** POST /cases/{caseId}/refund-approval: approvers only, and not the applicant (four eyes). */
export async function approveRefund(
  deps: StaffDeps,
  staff: StaffMember,
  caseId: string,
  body: RefundApprovalBody,
): Promise<{ case: CaseView }> {
  requireApprover(staff, 'approve a refund');
  const c = await caseInRegion(deps, staff, caseId, 'refund');
  if (c.state === 'approved') return { case: caseView(c) };
  if (c.state !== 'awaiting-approval')
    throw new StateConflictError('wrong-state', `case ${caseId} is ${c.state}, not awaiting approval`, {
      state: c.state,
    });
  if (c.data.appliedBy === staff.staffId)
    throw new StaffForbiddenError('the member of staff who applied cannot approve the same refund');
  const today = deps.clock.today();
  const saved = await deps.store.updateCase(
    caseId,
    (cur) =>
      cur.state !== 'awaiting-approval'
        ? null
        : {
            ...cur,
            state: 'approved',
            wait: null,
            data: { ...cur.data, approval: { approvedBy: staff.staffId, approvedOn: today } },
          },
    changeContext(staff, `refund approved: ${body.note}`),
  );
  if (saved.state !== 'approved')
    throw new StateConflictError('wrong-state', `case ${caseId} is ${saved.state}, not awaiting approval`, {
      state: saved.state,
    });
  return { case: caseView(saved) };
}
