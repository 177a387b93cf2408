/**
 * The staff API's route table, as data. One entry per route: method, path, handler module, roles, request
 * and response schemas, summary and an example. The CDK stack creates one HTTP API route (with the JWT
 * authorizer) and one function per entry; the local runtime serves the same table; `npm run openapi`
 * (tools/cli/openapi.ts) writes docs/openapi.json from it. Nothing here imports a handler, so reading the
 * table never creates an AWS client.
 *
 * Roles (functions/lib/auth.ts): clerk (经办) acts, approver (审核) also approves refunds and files or ends
 * bankruptcy agreements, auditor only reads. Region checks (403) are made by the domain services, since the
 * region is the person's, the case's or the body's.
 */
import * as z from 'zod';
import {
  auditTrailQuery,
  auditTrailView,
  caseCreatedView,
  caseDetailView,
  caseListQuery,
  caseListView,
  casePath,
  decisionPath,
  decisionResultSchema,
  deferralAgreementBody,
  duplicateResolutionBody,
  duplicateResolvedView,
  endAgreementBody,
  enrollBody,
  enrolledView,
  enrollmentPath,
  enrollmentView,
  identityConversionBody,
  newbornBody,
  personPath,
  personStatusView,
  refundApplicationBody,
  refundApprovalBody,
  retirementApplicationBody,
  retirementChoiceBody,
  statusChangeBody,
  statusQuery,
  transferBody,
  whatIfBody,
  whatIfQuery,
} from '#app/staff/schemas.js';
import type { Role } from '../lib/auth.js';
import type { HttpMethod, RouteRequestSchemas, RouteSpec } from '../lib/http.js';

const ACT: readonly Role[] = ['clerk', 'approver'];
const READ: readonly Role[] = ['clerk', 'approver', 'auditor'];
const APPROVE: readonly Role[] = ['approver'];

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function route<S extends RouteRequestSchemas, R extends z.ZodType>(
  r: Omit<RouteSpec<S, R>, 'handler' | 'errors' | 'idempotent'> & {
    method: HttpMethod;
    errors?: RouteSpec['errors'];
    idempotent?: boolean;
  },
): RouteSpec<S, R> {
  return {
    ...r,
    handler: { entry: `functions/api/handlers/${kebab(r.operationId)}.ts`, export: 'handler' },
    errors: r.errors ?? [404, 409, 422],
    idempotent: r.idempotent ?? false,
  };
}

const KEY = 'CN:22010219790615303X';

export const ROUTES = {
  enrollPerson: route({
    operationId: 'enrollPerson',
    method: 'POST',
    path: '/enrollments',
    roles: ACT,
    tag: 'enrollment',
    summary: 'Enroll a person (resident, or employee by unit or flexible)',
    description:
      'E-6 identity key (a new person is created), E-1…E-4 eligibility in the caller’s region (422 when the rules say no), ' +
      'E-8 即参即停 when the person holds a normal enrollment of the same scheme in another Jilin region (both written at once).',
    request: { body: enrollBody },
    response: {
      status: 201,
      schema: enrolledView,
      description: 'the person, the new enrollment and, for a transfer, the stopped one',
    },
    idempotent: true,
    example: {
      body: {
        identity: { number: '22010219790615303X' },
        region: '220100',
        scheme: 'employee',
        mode: 'flexible',
        work: 'platform-worker',
        places: { residence: '220100' },
      },
    },
  }),
  changeEnrollmentStatus: route({
    operationId: 'changeEnrollmentStatus',
    method: 'POST',
    path: '/persons/{identityKey}/enrollments/{enrollmentId}/status-changes',
    roles: ACT,
    tag: 'enrollment',
    summary: 'Change an enrollment’s status (normal, suspended, terminated) from a date, with a reason',
    description:
      'E-7: only normal status carries benefits. The change is appended to the status history; a terminated enrollment is not reopened (409).',
    request: { params: enrollmentPath, body: statusChangeBody },
    response: {
      status: 200,
      schema: z.object({ enrollment: enrollmentView }),
      description: 'the enrollment after the change',
    },
    example: {
      params: { identityKey: KEY, enrollmentId: 'E-220100-0001' },
      body: { status: 'suspended', from: '2026-05-01', rules: ['A-1'], note: 'April contribution unpaid' },
    },
  }),
  transferEnrollment: route({
    operationId: 'transferEnrollment',
    method: 'POST',
    path: '/persons/{identityKey}/enrollments/{enrollmentId}/transfers',
    roles: ACT,
    tag: 'enrollment',
    summary: 'Transfer an enrollment into the caller’s region (E-8, 即参即停)',
    description:
      'The receiving agency enrolls: `toRegion` must be the caller’s. The old enrollment stops the day before the new one starts; cover and years move with it.',
    request: { params: enrollmentPath, body: transferBody },
    response: { status: 201, schema: enrolledView, description: 'the new enrollment and the stopped one' },
    idempotent: true,
    example: {
      params: { identityKey: KEY, enrollmentId: 'E-220200-0001' },
      body: { toRegion: '220100', work: 'platform-worker', places: { residence: '220100' } },
    },
  }),
  getPersonStatus: route({
    operationId: 'getPersonStatus',
    method: 'GET',
    path: '/persons/{identityKey}/status',
    roles: READ,
    tag: 'status',
    summary: 'A person’s status on a date, and why',
    description:
      'Scheme, enrollment status, covered or not, with the rule ids and articles of the stored status and cover periods, and the trace of the decision that set them.',
    request: { params: personPath, query: statusQuery },
    response: { status: 200, schema: personStatusView, description: 'status on the date with its reasons' },
    errors: [404],
    example: { params: { identityKey: KEY }, query: { date: '2026-06-01' } },
  }),
  openRetirementApplication: route({
    operationId: 'openRetirementApplication',
    method: 'POST',
    path: '/retirement-applications',
    roles: ACT,
    tag: 'retirement',
    summary: 'Open a retirement-transfer application (R-1…R-10)',
    description:
      'Decides retirement-age and retirement-transfer, opens the case (awaiting the person’s choice) and starts the retirement-transfer workflow with the case id as execution name.',
    request: { body: retirementApplicationBody },
    response: { status: 201, schema: caseCreatedView, description: 'the case and the two decisions' },
    idempotent: true,
    example: {
      body: {
        identityKey: 'CN:220102196503101230',
        record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 },
      },
    },
  }),
  recordRetirementChoice: route({
    operationId: 'recordRetirementChoice',
    method: 'POST',
    path: '/cases/{caseId}/retirement-choice',
    roles: ACT,
    tag: 'retirement',
    summary: 'Record the person’s choice and resume the waiting execution',
    description:
      'SendTaskSuccess with the token stored on the case; a token that has timed out or whose execution has finished is a 409 (callback-gone), and nothing is recorded.',
    request: { params: casePath, body: retirementChoiceBody },
    response: { status: 200, schema: caseDetailView, description: 'the case with the choice recorded' },
    example: { params: { caseId: 'RT-8f14e45fceea167a5a36dedd' }, body: { choice: 'lump-sum' } },
  }),
  fileDeferralAgreement: route({
    operationId: 'fileDeferralAgreement',
    method: 'POST',
    path: '/bankruptcy-deferrals',
    roles: APPROVE,
    tag: 'bankruptcy',
    summary: 'File a bankruptcy deferral agreement (B-1; approvers only)',
    description:
      'Decides B-1 for each employee listed, opens the unit’s case and starts the bankruptcy-deferral workflow (execution name = case id).',
    request: { body: deferralAgreementBody },
    response: { status: 201, schema: caseCreatedView, description: 'the case and the B-1 decision' },
    idempotent: true,
    example: {
      body: {
        unitId: 'U-220200-0042',
        region: '220200',
        filedOn: '2026-09-15',
        taxConfirmed: true,
        agreementFiledOn: '2026-09-28',
        agreementEndsOn: '2027-03-31',
        employees: [{ identityKey: 'CN:220202198805120044', months: [{ feeMonth: '2026-09', baseFen: 500000 }] }],
      },
    },
  }),
  endDeferralAgreement: route({
    operationId: 'endDeferralAgreement',
    method: 'POST',
    path: '/cases/{caseId}/agreement-end',
    roles: APPROVE,
    tag: 'bankruptcy',
    summary: 'End a bankruptcy deferral agreement (B-2 or B-4; approvers only)',
    description:
      'Paid in full: held-back credits are made at once (B-2); otherwise what is unpaid becomes arrears from the end (B-4). Resumes the execution when it waits on the case.',
    request: { params: casePath, body: endAgreementBody },
    response: { status: 200, schema: caseCreatedView, description: 'the case and the decision' },
    example: {
      params: { caseId: 'BD-8f14e45fceea167a5a36dedd' },
      body: { cause: 'court-ruling', endedOn: '2027-01-15', note: 'court ruled bankruptcy on 2027-01-15' },
    },
  }),
  applyForRefund: route({
    operationId: 'applyForRefund',
    method: 'POST',
    path: '/refund-applications',
    roles: ACT,
    tag: 'refunds',
    summary: 'Apply for a refund (F-1…F-3)',
    description:
      'Decides refund; a refundable application opens a refund case awaiting approval (422 when not refundable).',
    request: { body: refundApplicationBody },
    response: { status: 201, schema: caseCreatedView, description: 'the case and the refund decision' },
    idempotent: true,
    example: {
      body: {
        identityKey: KEY,
        facts: {
          region: '220100',
          scheme: 'resident',
          reason: 'duplicate-payment',
          eventOn: '2026-11-20',
          payments: [{ feeYear: 2027, amountFen: 40000 }],
        },
      },
    },
  }),
  approveRefund: route({
    operationId: 'approveRefund',
    method: 'POST',
    path: '/cases/{caseId}/refund-approval',
    roles: APPROVE,
    tag: 'refunds',
    summary: 'Approve a refund (approvers only, not the applicant)',
    description: 'Moves the refund case from awaiting-approval to approved.',
    request: { params: casePath, body: refundApprovalBody },
    response: { status: 200, schema: caseDetailView, description: 'the approved case' },
    example: {
      params: { caseId: 'RF-8f14e45fceea167a5a36dedd' },
      body: { note: 'duplicate payment confirmed with tax' },
    },
  }),
  resolveDuplicate: route({
    operationId: 'resolveDuplicate',
    method: 'POST',
    path: '/persons/{identityKey}/duplicate-resolutions',
    roles: ACT,
    tag: 'enrollment',
    summary: 'Resolve a duplicate enrollment on the person’s written request (D-7)',
    description:
      'Decides duplicate-resolution and applies it: the others suspended (D-5) or terminated (D-6), a resolved duplicate-enrollment case recorded, all in one transaction.',
    request: { params: personPath, body: duplicateResolutionBody },
    response: {
      status: 201,
      schema: duplicateResolvedView,
      description: 'the case, the decision and the enrollments after',
    },
    idempotent: true,
    example: {
      params: { identityKey: KEY },
      body: {
        request: { keepId: 'E-220200-0002', writtenOn: '2026-06-10' },
        enrollments: [
          { enrollmentId: 'E-220100-0001', place: 'employment', continuousEmployeeYears: 2.2 },
          { enrollmentId: 'E-220200-0002', place: 'habitual-residence' },
        ],
        note: 'written request received at the counter',
      },
    },
  }),
  registerNewborn: route({
    operationId: 'registerNewborn',
    method: 'POST',
    path: '/newborn-registrations',
    roles: ACT,
    tag: 'windows',
    summary: 'Register a newborn (W-1): opens the 90-day window case',
    description: 'The case waits for enrollment and payment until birth + 90 days (RULES.md §0, 含).',
    request: { body: newbornBody },
    response: { status: 201, schema: caseCreatedView, description: 'the window case' },
    idempotent: true,
    example: { body: { identity: { number: '220102202603010027' }, region: '220100' } },
  }),
  registerIdentityConversion: route({
    operationId: 'registerIdentityConversion',
    method: 'POST',
    path: '/identity-conversions',
    roles: ACT,
    tag: 'windows',
    summary: 'Register an identity conversion (W-2): opens the 90-day window case',
    description: 'The case waits for enrollment and payment until conversion + 90 days (RULES.md §0, 含).',
    request: { body: identityConversionBody },
    response: { status: 201, schema: caseCreatedView, description: 'the window case' },
    idempotent: true,
    example: {
      body: {
        identity: { number: '220102199003071235' },
        region: '220100',
        conversionDate: '2026-03-20',
        kind: 'veteran',
      },
    },
  }),
  listCases: route({
    operationId: 'listCases',
    method: 'GET',
    path: '/cases',
    roles: READ,
    tag: 'cases',
    summary: 'Cases by region and state (paged)',
    description: 'Staff see their own region only (403 for another).',
    request: { query: caseListQuery },
    response: { status: 200, schema: caseListView, description: 'one page of cases' },
    errors: [],
    example: { query: { state: 'awaiting-choice', caseType: 'retirement-transfer', limit: '25' } },
  }),
  getCase: route({
    operationId: 'getCase',
    method: 'GET',
    path: '/cases/{caseId}',
    roles: READ,
    tag: 'cases',
    summary: 'One case: where it stands, what it waits for and until when',
    description: 'The Step Functions task token is never shown; waitingForCallback says whether the execution waits.',
    request: { params: casePath },
    response: { status: 200, schema: caseDetailView, description: 'the case' },
    errors: [404],
    example: { params: { caseId: 'RT-8f14e45fceea167a5a36dedd' } },
  }),
  getCaseAuditTrail: route({
    operationId: 'getCaseAuditTrail',
    method: 'GET',
    path: '/cases/{caseId}/audit-trail',
    roles: READ,
    tag: 'cases',
    summary: 'Every change to a case: who, when, what and why, oldest first',
    description:
      'Staff (id and region) or the system component (intake, a workflow task, the daily sweep), the instant, the action, the reason with its rule id, and the decision trace where a decision made the change.',
    request: { params: casePath, query: auditTrailQuery },
    response: { status: 200, schema: auditTrailView, description: 'one page of the trail' },
    errors: [404],
    example: { params: { caseId: 'RT-8f14e45fceea167a5a36dedd' }, query: { limit: '50' } },
  }),
  decide: route({
    operationId: 'decide',
    method: 'POST',
    path: '/decisions/{id}',
    roles: READ,
    tag: 'decisions',
    summary: 'What-if: any decision of the policy engine on the facts given',
    description:
      'The facts as in docs/decisions.md; 400 names each bad field, 422 when the rules cannot decide (a missing parameter, no applicable rule). Nothing is stored.',
    request: { params: decisionPath, query: whatIfQuery, body: whatIfBody },
    response: { status: 200, schema: decisionResultSchema, description: 'the decision’s value and trace' },
    errors: [404, 422],
    example: {
      params: { id: 'waiting-period' },
      query: { asOf: '2026-11-15' },
      body: { region: '220100', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 },
    },
  }),
} as const;

export type OperationId = keyof typeof ROUTES;

/** The table, in a stable order, for the stack, the local runtime and the OpenAPI file. */
export const ROUTE_TABLE: readonly RouteSpec[] = Object.values(ROUTES) as unknown as readonly RouteSpec[];
