/**
 * The staff API's requests and answers as zod schemas: the HTTP layer parses with them (400 naming each
 * bad field), the route table (functions/api/routes.ts) lists them, and docs/openapi.json is generated
 * from them. Decision facts reuse the engine's own input schemas, so the API cannot drift from the
 * contract in docs/decisions.md.
 *
 * Every request body is strict (`strictObject`): a field a body does not declare is a 400 naming it, so a
 * misspelt field is never dropped without a word. Dates have ranges by meaning (shared/schemas/common.ts);
 * what needs today's date is checked by the service, which has the clock.
 */
import * as z from 'zod';
import { DECISION_IDS } from '#rules/decision-ids.js';
import { refundFacts } from '#rules/refunds/decision.js';
import {
  birthDate,
  businessDate,
  calendarDate,
  employeeMode,
  feeMonth,
  fen,
  flexibleMode,
  regionCode,
  scheme,
  sex,
  strictObject,
  yearMonth,
} from '#schemas/common.js';
import {
  actorSchema,
  caseInput,
  caseType,
  coverPeriod,
  enrollmentInput,
  enrollmentStatus,
  identityKey,
  personInput,
  reasonSchema,
  ruleRef,
  statusChange,
} from '#store/model.js';

/** Ids of units and enrollments: as the store accepts them. */
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[0-9A-Za-z._:-]+$/, 'letters, digits and . _ : - only');

/** A staff note: why, in words a reviewer reads (goes into the audit record). */
const note = z.string().trim().min(1).max(500).describe('why, in words a reviewer reads; kept in the audit record');

// ── Shared pieces ────────────────────────────────────────────────────────────

export const identityDocument = strictObject({
  number: z.string().min(1).max(64).describe('the document number as written; spaces are ignored, x is read as X'),
  documentType: z
    .enum(['resident-id', 'hmt-residence-permit', 'passport'])
    .optional()
    .describe(
      'absent: passport when a nationality is given, a permit when the number begins 810000/820000/830000, else resident-id',
    ),
  nationality: z.string().max(8).optional().describe('passports: ISO 3166-1 alpha-3'),
}).describe('E-6: the identity document; the identity-key decision validates it and makes the person key');

export const personPath = z.object({
  identityKey: identityKey.describe('normalised identity key, e.g. CN:220102199003071234 (URL-encode the colon)'),
});

export const enrollmentPath = personPath.extend({ enrollmentId: id });

export const casePath = z.object({ caseId: id });

export const decisionPath = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe(`a decision id of docs/decisions.md: ${DECISION_IDS.join(', ')}`),
});

const places = strictObject({
  hukou: regionCode.optional().describe('户籍地'),
  residence: regionCode.optional().describe('常住地'),
  employment: regionCode.optional().describe('就业地'),
  study: regionCode.optional().describe('学籍地'),
})
  .default({})
  .describe('the person’s places within the system’s regions');

const work = z
  .enum([
    'unit-employee',
    'individual-business-without-employees',
    'part-time',
    'migrant-worker',
    'platform-worker',
    'other-flexible',
    'not-working',
  ])
  .describe('E-1 unit-employee; E-2 flexible work; not-working');

const employer = strictObject({
  unitId: id.describe('the unit (单位编号)'),
  kind: z.enum([
    'state-organ',
    'public-institution',
    'enterprise',
    'social-organisation',
    'individual-business-with-employees',
  ]),
  registeredIn: regionCode.describe('where the unit is registered (E-1)'),
}).describe('unit employees: the unit');

const custody = strictObject({
  coverLapsed: z.boolean(),
  agent: z.enum(['facility', 'named-agent']),
})
  .optional()
  .describe('E-9: held in a public-security or justice facility');

/** How the person works and where: the facts of the enrollment-eligibility decision the API cannot read from the store. */
const workFacts = {
  work,
  employer: employer.optional(),
  flexibleMode: flexibleMode
    .optional()
    .describe('flexible workers: 统账结合 combined (default) or 单建统筹 pooling-only'),
  places,
  otherStateCover: z.boolean().default(false),
  custody,
};

function checkWork(
  b: { work: string; employer?: unknown; flexibleMode?: unknown; scheme?: string; mode?: string },
  ctx: z.RefinementCtx,
) {
  if (b.work === 'unit-employee' && !b.employer)
    ctx.addIssue({ code: 'custom', path: ['employer'], message: 'required for a unit employee' });
  if (b.work !== 'unit-employee' && b.employer)
    ctx.addIssue({ code: 'custom', path: ['employer'], message: 'only for a unit employee' });
  if (b.scheme === 'employee' && !b.mode)
    ctx.addIssue({ code: 'custom', path: ['mode'], message: 'required for the employee scheme' });
  if (b.scheme === 'resident' && b.mode)
    ctx.addIssue({ code: 'custom', path: ['mode'], message: 'only for the employee scheme' });
  if (b.mode === 'unit' && b.work !== 'unit-employee')
    ctx.addIssue({ code: 'custom', path: ['work'], message: 'unit mode is for unit employees (E-1)' });
  if (b.mode === 'flexible' && (b.work === 'unit-employee' || b.work === 'not-working'))
    ctx.addIssue({ code: 'custom', path: ['work'], message: 'flexible mode is for flexible work (E-2)' });
  if (b.flexibleMode && b.mode !== 'flexible')
    ctx.addIssue({ code: 'custom', path: ['flexibleMode'], message: 'only for flexible mode' });
}

// ── Views (answers) ──────────────────────────────────────────────────────────

export const ruleStepSchema = z.object({
  id: z.string(),
  cites: z.string(),
  outcome: z.enum(['applied', 'not-applicable']),
  note: z.string().optional(),
});

/** The engine's trace (shared/rules/engine.ts `Trace`). */
export const traceSchema = z.object({
  decision: z.string(),
  asOf: calendarDate,
  businessDate: calendarDate,
  region: z.string(),
  policySet: z.object({ id: z.string(), docNo: z.string(), from: z.string(), to: z.string().optional() }),
  rules: z.array(ruleStepSchema),
  parameters: z.array(z.record(z.string(), z.unknown())),
  reason: reasonSchema,
  transition: z.record(z.string(), z.unknown()).optional(),
});

export const decisionResultSchema = z
  .object({ decision: z.string(), value: z.unknown(), trace: traceSchema })
  .describe('the decision’s value and its trace (docs/decisions.md)');

export const decisionSummarySchema = z.object({
  decision: z.string(),
  asOf: calendarDate,
  policySet: z.string(),
  value: z.unknown(),
  rules: z.array(ruleRef).describe('rules applied, with their source articles'),
  reason: reasonSchema,
});

export const personView = personInput.extend({
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const enrollmentView = z.object({
  ...enrollmentInput.shape,
  status: enrollmentStatus.describe('the current status (E-7)'),
  version: z.number().int(),
  updatedAt: z.string(),
});

/**
 * A case as staff see it. The Step Functions task token is never shown (whoever holds it can resume the
 * execution); `waitingForCallback` says whether the execution waits on the case.
 */
export const caseView = caseInput.omit({ taskToken: true }).extend({
  executionArn: z.string().nullable(),
  closedOn: calendarDate.nullable(),
  data: z.record(z.string(), z.unknown()),
  waitingForCallback: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type CaseView = z.infer<typeof caseView>;

export const statusOnDateSchema = z.object({
  date: calendarDate,
  enrolled: z.boolean(),
  enrollmentId: z.string().optional(),
  scheme: scheme.optional(),
  mode: employeeMode.optional(),
  region: z.string().optional(),
  status: enrollmentStatus.optional(),
  covered: z.boolean(),
  coverPeriod: coverPeriod.optional(),
  rules: z.array(ruleRef),
  reason: reasonSchema,
});

export const caseCreatedView = z.object({
  case: caseView,
  decisions: z.record(z.string(), decisionSummarySchema).describe('the decisions taken, by id'),
});

// ── Enrollment ───────────────────────────────────────────────────────────────

export const enrollBody = strictObject({
  identity: identityDocument,
  region: regionCode.describe('the pooling region to enroll in: the caller’s own'),
  on: businessDate.optional().describe('the day of enrollment (default: today, CST)'),
  scheme,
  mode: employeeMode.optional(),
  ...workFacts,
  note: note.optional(),
}).superRefine(checkWork);
export type EnrollBody = z.output<typeof enrollBody>;

export const enrolledView = z.object({
  person: personView,
  enrollment: enrollmentView,
  transferredFrom: enrollmentView
    .nullable()
    .describe('E-8: the enrollment in another region that this one stopped (即参即停), if any'),
  rules: z.array(ruleRef),
  reason: reasonSchema,
});

export const statusChangeBody = strictObject({
  status: enrollmentStatus,
  from: businessDate.describe('the first day of the new status'),
  rules: z
    .array(z.string().regex(/^[A-Z]-\d+[a-z]?$/, 'a rule id such as A-1'))
    .max(10)
    .default([])
    .describe('rule ids that ground the change (E-7 is always added)'),
  note,
});
export type StatusChangeBody = z.output<typeof statusChangeBody>;

export const transferBody = strictObject({
  toRegion: regionCode.describe('the receiving region: the caller’s own (the receiving agency enrolls, E-8)'),
  on: businessDate.optional().describe('the day the new enrollment starts (default: today)'),
  ...workFacts,
  note: note.optional(),
}).superRefine(checkWork);
export type TransferBody = z.output<typeof transferBody>;

// ── Status ───────────────────────────────────────────────────────────────────

export const statusQuery = z.object({ date: calendarDate.describe('the day asked about, YYYY-MM-DD (CST)') });

export const personStatusView = z.object({
  person: personView,
  status: statusOnDateSchema.describe('scheme, enrollment status, covered or not, and why (rule ids with articles)'),
  enrollment: enrollmentView
    .nullable()
    .describe('the enrollment that decides the answer: status history and cover periods'),
  trace: traceSchema
    .nullable()
    .describe(
      'the engine trace of the decision that set the deciding cover period (or the latest decision on the enrollment), from the audit trail',
    ),
});

// ── Retirement transfer ──────────────────────────────────────────────────────

const months = z.number().int().min(0).max(960);

export const retirementApplicationBody = strictObject({
  identityKey,
  post: z.enum(['cadre', 'worker']).optional().describe('women: cadre or worker post (R-9)'),
  retirementDate: calendarDate.optional().describe('R-9: the date as the agency gives it'),
  sex: sex.optional().describe('passport holders only: the ID number gives it otherwise'),
  birthDate: birthDate.optional().describe('passport holders only: the ID number gives it otherwise'),
  retireIn: flexibleMode.optional(),
  record: strictObject({
    deemedMonths: months,
    outOfProvinceMonths: months,
    localCombinedMonths: months,
    localPoolingOnlyMonths: months.optional(),
  }),
  militaryPeriods: z
    .array(strictObject({ kind: z.enum(['military-service', 'military-spouse']), from: yearMonth, to: yearMonth }))
    .max(20)
    .optional(),
  bankruptcyDeferral: strictObject({ agreementInForce: z.boolean(), individualDueFen: fen, unitDueFen: fen })
    .optional()
    .describe('R-8'),
  note: note.optional(),
});
export type RetirementApplicationBody = z.output<typeof retirementApplicationBody>;

export const RETIREMENT_CHOICES = ['transfer', 'continue-paying', 'lump-sum', 'resident'] as const;

export const retirementChoiceBody = strictObject({
  choice: z.enum(RETIREMENT_CHOICES).describe('R-4: one of the options the application offered'),
  note: note.optional(),
});
export type RetirementChoiceBody = z.output<typeof retirementChoiceBody>;

// ── Bankruptcy deferral ──────────────────────────────────────────────────────

export const deferralAgreementBody = strictObject({
  unitId: id.describe('the enterprise'),
  region: regionCode.describe('the pooling region of the enterprise: the caller’s own'),
  filedOn: businessDate.describe('the bankruptcy filing with the court'),
  rulingOn: businessDate.optional(),
  taxConfirmed: z.boolean().describe('tax confirmed that the enterprise cannot pay'),
  agreementFiledOn: businessDate.describe('the day the agreement with tax was filed with the agency'),
  agreementEndsOn: businessDate.describe('the agreement’s last day'),
  employees: z
    .array(
      strictObject({
        identityKey,
        months: z
          .array(strictObject({ feeMonth, baseFen: fen, paidFen: fen.optional() }))
          .min(1)
          .max(60),
      }),
    )
    .min(1)
    .max(50)
    .describe('the employees and their deferred fee months'),
  note: note.optional(),
}).superRefine((b, ctx) => {
  if (b.agreementEndsOn < b.agreementFiledOn)
    ctx.addIssue({ code: 'custom', path: ['agreementEndsOn'], message: 'is before the agreement was filed' });
  if (b.agreementFiledOn < b.filedOn)
    ctx.addIssue({ code: 'custom', path: ['agreementFiledOn'], message: 'is before the bankruptcy filing' });
});
export type DeferralAgreementBody = z.output<typeof deferralAgreementBody>;

export const endAgreementBody = strictObject({
  cause: z
    .enum(['paid-in-full', 'court-ruling', 'agreement-ended', 'withdrawn'])
    .describe('paid-in-full (B-2); otherwise the agreement ends and what is unpaid becomes arrears (B-4)'),
  endedOn: businessDate.describe('the agreement’s end, or the day everything was paid'),
  note,
}).describe('end a bankruptcy deferral agreement');
export type EndAgreementBody = z.output<typeof endAgreementBody>;

// ── Refunds ──────────────────────────────────────────────────────────────────

export const refundApplicationBody = strictObject({
  identityKey,
  facts: refundFacts.describe('the refund decision’s facts (docs/decisions.md#refund); region is the caller’s'),
  note: note.optional(),
});
export type RefundApplicationBody = z.output<typeof refundApplicationBody>;

export const refundApprovalBody = strictObject({ note });
export type RefundApprovalBody = z.output<typeof refundApprovalBody>;

// ── Duplicate enrollment ─────────────────────────────────────────────────────

export const duplicateResolutionBody = strictObject({
  request: strictObject({
    keepId: id.describe('the enrollment the person asks in writing to keep'),
    writtenOn: businessDate.describe('the day of the written request'),
  }).describe('D-7: the person’s written request'),
  enrollments: z
    .array(
      strictObject({
        enrollmentId: id,
        place: z.enum(['employment', 'habitual-residence', 'study', 'poverty-recognition', 'other']),
        continuousEmployeeYears: z.number().nonnegative().max(80).optional(),
        fromPartTimeOrTemporaryWork: z.boolean().optional(),
        studentFirstYear: z.boolean().optional(),
        carriesBenefits: z.boolean().optional(),
      }),
    )
    .min(2)
    .max(20)
    .describe('the overlapping enrollments, with what the store does not know about each'),
  student: strictObject({
    povertyRegistered: z.boolean().optional(),
    keepRecognitionPlace: z.boolean().optional(),
  }).optional(),
  note,
});
export type DuplicateResolutionBody = z.output<typeof duplicateResolutionBody>;

export const duplicateResolvedView = caseCreatedView.extend({
  enrollments: z.array(enrollmentView).describe('the enrollments as they are after the resolution'),
});

// ── Newborn and identity-conversion windows ──────────────────────────────────

export const newbornBody = strictObject({
  identity: identityDocument,
  region: regionCode.describe('where the newborn is registered: the caller’s own'),
  birthDate: birthDate.optional().describe('required for a passport; an ID number gives it otherwise'),
  note: note.optional(),
});
export type NewbornBody = z.output<typeof newbornBody>;

export const identityConversionBody = strictObject({
  identity: identityDocument,
  region: regionCode.describe('the caller’s own'),
  conversionDate: businessDate.describe('the day the status converted (W-2)'),
  kind: z.enum(['veteran', 'other']).default('other').describe('veterans (退役军人) and others whose status converts'),
  note: note.optional(),
});
export type IdentityConversionBody = z.output<typeof identityConversionBody>;

// ── Case lists ───────────────────────────────────────────────────────────────

export const caseListQuery = z.object({
  region: regionCode.optional().describe('default and only allowed value: the caller’s region'),
  state: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'lower-case words joined by dashes')
    .max(64)
    .describe('e.g. awaiting-choice, awaiting-approval, in-force, waiting-enrollment'),
  caseType: caseType.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional().describe('from the previous page'),
});
export type CaseListQuery = z.output<typeof caseListQuery>;

export const caseListView = z.object({
  items: z.array(caseView),
  cursor: z.string().optional().describe('absent on the last page'),
});

export const caseDetailView = z.object({ case: caseView });

// ── Audit trail ──────────────────────────────────────────────────────────────

export const auditTrailQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional().describe('from the previous page'),
});
export type AuditTrailQuery = z.output<typeof auditTrailQuery>;

/** One change to the case: who, when, what and why, with the decision trace behind it when there was one. */
export const auditRecordView = z.object({
  at: z.string().describe('ISO UTC instant of the change'),
  actor: actorSchema.describe('staff (id and region), or the system component (intake, a workflow task, the sweep)'),
  action: z.string().describe('e.g. case-opened:opened, case-saved:waiting-payment'),
  reason: z.string().describe('why, starting with the rule id where a rule decided it'),
  trace: traceSchema.optional(),
  versions: z.record(z.string(), z.number().int()).optional().describe('versions of the items written'),
});

export const auditTrailView = z.object({
  caseId: z.string(),
  items: z.array(auditRecordView).describe('oldest first'),
  cursor: z.string().optional().describe('absent on the last page'),
});
export type AuditTrailView = z.infer<typeof auditTrailView>;

// ── What-if ──────────────────────────────────────────────────────────────────

export const whatIfQuery = z.object({
  asOf: calendarDate.optional().describe('the day the question is asked (default: today, CST)'),
});

export const whatIfBody = z
  .looseObject({ region: regionCode })
  .describe('the decision’s facts, as in docs/decisions.md; region must be the caller’s');

export { statusChange };
