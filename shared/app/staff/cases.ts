/**
 * Cases as staff see them: by region and state (the agency's work lists), one case (where it stands, what it
 * waits for and until when), and resuming the execution that waits on a case (the callback pattern).
 */
import type { CaseType } from '#store/model.js';
import type { Case } from '#store/model.js';
import type { Page } from '#store/case-store.js';
import { requireRegion, type StaffDeps, type StaffMember } from './context.js';
import { StateConflictError } from './errors.js';
import type { AuditTrailView, CaseView } from './schemas.js';

/** The task token stays in the store: whoever holds it could resume the execution. */
export function caseView(c: Case): CaseView {
  const { taskToken, ...rest } = c;
  return { ...rest, waitingForCallback: taskToken !== null };
}

export interface CaseList {
  readonly items: readonly CaseView[];
  readonly cursor?: string;
}

/** GET /cases?region&state: staff see only their own region. */
export async function listCases(
  deps: StaffDeps,
  staff: StaffMember,
  query: {
    region?: string | undefined;
    state: string;
    caseType?: CaseType | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<CaseList> {
  const region = query.region ?? staff.region;
  requireRegion(staff, region, 'the cases');
  const page: Page<Case> = await deps.store.casesByRegionState(region, query.state, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.caseType ? { caseType: query.caseType } : {}),
  });
  return { items: page.items.map(caseView), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** GET /cases/{caseId} */
export async function getCase(deps: StaffDeps, staff: StaffMember, caseId: string): Promise<{ case: CaseView }> {
  const c = await deps.store.getCase(caseId);
  requireRegion(staff, c.region, 'a case');
  return { case: caseView(c) };
}

/**
 * GET /cases/{caseId}/audit-trail: every change to the case, oldest first — who (staff id and region,
 * or the system component), when, what and why, with the decision trace. Staff of the case's region only.
 */
export async function getCaseAuditTrail(
  deps: StaffDeps,
  staff: StaffMember,
  caseId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<AuditTrailView> {
  const c = await deps.store.getCase(caseId);
  requireRegion(staff, c.region, 'a case');
  const page = await deps.store.auditTrail(
    { caseId },
    { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
  );
  return {
    caseId,
    items: page.items.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      reason: r.reason,
      ...(r.trace ? { trace: r.trace as unknown as NonNullable<AuditTrailView['items'][number]['trace']> } : {}),
      ...(r.versions ? { versions: r.versions } : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** A case of the given type in the caller's region, or a refusal. */
export async function caseInRegion(deps: StaffDeps, staff: StaffMember, caseId: string, type: CaseType): Promise<Case> {
  const c = await deps.store.getCase(caseId);
  requireRegion(staff, c.region, 'a case');
  if (c.caseType !== type)
    throw new StateConflictError('wrong-state', `case ${caseId} is a ${c.caseType} case, not ${type}`, {
      caseType: c.caseType,
    });
  return c;
}

/**
 * SendTaskSuccess with the token stored on the case. A token that has timed out or whose execution has
 * finished is `gone`: a 409 for the caller (the case moved on without them), never a 500.
 */
export async function resume(deps: StaffDeps, c: Case, output: unknown): Promise<void> {
  if (!c.taskToken)
    throw new StateConflictError('not-waiting', `case ${c.caseId} is not waiting for this (state ${c.state})`, {
      state: c.state,
    });
  const outcome = await deps.callbacks.succeed(c.taskToken, output);
  if (outcome === 'gone') {
    throw new StateConflictError(
      'callback-gone',
      `the execution of case ${c.caseId} no longer waits (timed out or finished); read the case again`,
      { state: c.state },
    );
  }
}
