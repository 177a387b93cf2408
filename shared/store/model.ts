/**
 * The entities of the case store, in the domain's words, with the zod schemas that guard what
 * goes in. Money is integer fen, business dates are CST calendar dates `YYYY-MM-DD`, instants
 * (`at`, `receivedAt`) are ISO UTC time-stamps.
 */
import * as z from 'zod';
import type { CalendarDate } from '#domain/calendar.js';
import type { Fen, Ratio } from '#domain/money.js';
import type { Reason, Trace } from '#rules/engine.js';
import {
  type Payer,
  type TaxPaymentNotification,
  identityKey,
  MAX_PERIODS_PER_NOTIFICATION,
  paidPeriod,
  payerSchema,
  ratioSchema,
  recordId as id,
  taxPaymentNotification,
} from '#schemas/notification.js';
import { calendarDate, employeeMode, flexibleMode, regionCode, scheme } from '#schemas/common.js';

/** The notification schemas live in shared/schemas (the event mapping reads them too); the store re-exports them. */
export {
  identityKey,
  MAX_PERIODS_PER_NOTIFICATION,
  type Payer,
  paidPeriod,
  payerSchema,
  ratioSchema,
  type TaxPaymentNotification,
  taxPaymentNotification,
};

export type Scheme = z.infer<typeof scheme>;
export type EmployeeMode = z.infer<typeof employeeMode>;

/** A case state or wait name: lower-case words joined by dashes (`waiting-payment`). */
const word = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case words joined by dashes');

export const reasonSchema = z.object({ zh: z.string(), en: z.string() });

/** A rule applied, with the article it was read from (catalogue.ts `cites`). */
export const ruleRef = z.object({ id: z.string().min(1), cites: z.string() });
export type RuleRef = z.infer<typeof ruleRef>;

// ── Who did it ───────────────────────────────────────────────────────────────

/** Staff act only within their own pooling region, so the region is part of who they are. */
export const actorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), staffId: id, region: regionCode }),
  z.object({ kind: z.literal('system'), component: id }),
]);
export type Actor = z.infer<typeof actorSchema>;

/** What every change carries into the audit trail. */
export interface ChangeContext {
  readonly actor: Actor;
  /** Why, in words a reviewer reads: a staff note, or the decision's reason. */
  readonly reason: string;
  /** The decision that justified the change, when there was one. */
  readonly trace?: Trace;
}

export interface AuditRecord {
  readonly auditId: string;
  /** What the change was about: `person:<masked key>`, `case:<id>`, `notification:<id>`. */
  readonly subject: string;
  readonly actor: Actor;
  /** ISO UTC instant. */
  readonly at: string;
  readonly action: string;
  readonly reason: string;
  readonly trace?: Trace;
  /** Versions of the items written, e.g. `{ "case:abc": 4 }`. */
  readonly versions?: Record<string, number>;
}

// ── Persons ──────────────────────────────────────────────────────────────────

export const personInput = z.object({
  identityKey,
  /** Pooling region of registration (where staff may act). */
  region: regionCode,
  birthDate: calendarDate.optional(),
  sex: z.enum(['male', 'female']).optional(),
});
export type PersonInput = z.infer<typeof personInput>;

export interface Person extends PersonInput {
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// ── Enrollments ──────────────────────────────────────────────────────────────

export const enrollmentStatus = z.enum(['normal', 'suspended', 'terminated']);
export type EnrollmentStatus = z.infer<typeof enrollmentStatus>;

/** A change of enrollment status from a date on (E-7: only normal carries benefits). */
export const statusChange = z.object({
  status: enrollmentStatus,
  from: calendarDate,
  rules: z.array(ruleRef),
  reason: reasonSchema,
});
export type StatusChange = z.infer<typeof statusChange>;

/** A stretch of days whose medical costs are covered, as decided by the engine, with why. */
export const coverPeriod = z.object({
  start: calendarDate,
  /** Last covered day, inclusive; null while open-ended (continuous employee cover). */
  end: calendarDate.nullable(),
  rules: z.array(ruleRef).min(1),
  reason: reasonSchema,
  /** The engine decision that set it (`waiting-period`…). */
  decision: z.string().optional(),
  /** The payment it came from, when there was one. */
  notificationId: id.optional(),
});
export type CoverPeriod = z.infer<typeof coverPeriod>;

export const enrollmentInput = z
  .object({
    enrollmentId: id,
    identityKey,
    scheme,
    mode: employeeMode.optional(),
    flexibleMode: flexibleMode.optional(),
    region: regionCode,
    /** The unit, for unit-mode employee enrollment. */
    unitId: id.optional(),
    enrolledOn: calendarDate,
    /** Ordered by `from`; the first entry is the enrollment itself. */
    statusHistory: z.array(statusChange).min(1),
    coverPeriods: z.array(coverPeriod),
  })
  .superRefine((e, ctx) => {
    if (e.scheme === 'employee' && !e.mode)
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'required for the employee scheme' });
    for (let i = 1; i < e.statusHistory.length; i++) {
      if (e.statusHistory[i]!.from < e.statusHistory[i - 1]!.from)
        ctx.addIssue({
          code: 'custom',
          path: ['statusHistory', i, 'from'],
          message: 'status changes must be in date order',
        });
    }
    e.coverPeriods.forEach((p, i) => {
      if (p.end !== null && p.end < p.start)
        ctx.addIssue({ code: 'custom', path: ['coverPeriods', i, 'end'], message: 'is before the start' });
    });
  });
export type EnrollmentInput = z.infer<typeof enrollmentInput>;

export interface Enrollment extends EnrollmentInput {
  /** The current status: the last entry of statusHistory that has begun. Kept for the staff API's lists. */
  readonly status: EnrollmentStatus;
  readonly version: number;
  readonly updatedAt: string;
}

// ── Tax payment notifications and the contribution ledger ─────────────────────

export interface StoredNotification {
  readonly notification: TaxPaymentNotification;
  /** The event exactly as received (JSON text), immutable. */
  readonly raw: string;
  readonly receivedAt: string;
  /** CST date of `paidAt`: the day rights are counted from (FLX25 §10). */
  readonly paidOn: CalendarDate;
}

/** One notification's part of a ledger entry. */
export interface LedgerPayment {
  readonly notificationId: string;
  readonly amount: Fen;
  readonly base?: Fen;
  readonly rate?: Ratio;
  readonly paidOn: CalendarDate;
  readonly paidAt: string;
  readonly payer: Payer;
  readonly corrects?: string;
}

/**
 * The contribution ledger: one entry per employee fee month or resident fee year. It may be made
 * of several payments (a short payment and its top-up); a correction replaces the payment it
 * corrects. Every earlier state is kept as a `LedgerVersion`.
 */
export interface LedgerEntry {
  readonly identityKey: string;
  readonly scheme: Scheme;
  /** `YYYY-MM` (employee) or `YYYY` (resident). */
  readonly feePeriod: string;
  readonly region: string;
  readonly mode?: EmployeeMode;
  /** Of the latest payment. */
  readonly base?: Fen;
  readonly rate?: Ratio;
  /** Sum of the payments in force. */
  readonly amount: Fen;
  /** Of the latest payment. */
  readonly paidOn: CalendarDate;
  readonly payer: Payer;
  /** The latest notification that shaped this entry. */
  readonly notificationId: string;
  readonly payments: readonly LedgerPayment[];
  /** Notifications whose values were replaced by a correction; a late copy of one never overwrites. */
  readonly supersededIds: readonly string[];
  readonly version: number;
  readonly updatedAt: string;
}

/** A kept earlier value of a ledger entry. */
export interface LedgerVersion {
  readonly feePeriod: string;
  readonly scheme: Scheme;
  /** `replaced`: the entry as it was before a newer notification changed it. `late-superseded`: a corrected notification arriving after its correction. */
  readonly kind: 'replaced' | 'late-superseded';
  readonly entry: LedgerEntry | null;
  readonly payment: LedgerPayment | null;
  readonly supersededBy: string;
  readonly recordedAt: string;
}

export type IntakeOutcome =
  | {
      readonly outcome: 'stored';
      readonly notificationId: string;
      /** Fee periods written, each with what happened to it. */
      readonly periods: ReadonlyArray<{
        readonly feePeriod: string;
        readonly effect: 'new' | 'added' | 'corrected' | 'kept-as-superseded';
        readonly version: number;
      }>;
    }
  | {
      /** Not an error: the same notification, same content, was stored before; nothing changed. */
      readonly outcome: 'duplicate';
      readonly notificationId: string;
    }
  | {
      /**
       * The id was stored before with other content (another person, amounts, periods): a fault at the
       * sender. Nothing was written; the first content stands and this one is for staff to look at.
       */
      readonly outcome: 'conflict';
      readonly notificationId: string;
    };

/**
 * A tax bureau notification id bound to the content it first came with (all its persons), before any
 * person's part is stored: `claimed` the first time, `same` for a redelivery, `conflict` for the id
 * reused with other content (nothing written).
 */
export interface NotificationClaimInput {
  /** The tax bureau's own notification id (not the per-person `<id>.<tag>`). */
  readonly notificationId: string;
  /** A hash of the notification's content, every person's part (shared/app/intake/ids.ts `contentHashOf`). */
  readonly contentHash: string;
  readonly persons: number;
}

export type NotificationClaim =
  | { readonly outcome: 'claimed' | 'same'; readonly notificationId: string }
  | { readonly outcome: 'conflict'; readonly notificationId: string; readonly firstReceivedAt: string };

// ── Cases ────────────────────────────────────────────────────────────────────

export const caseType = z.enum([
  'arrears',
  'collection-window',
  'retirement-transfer',
  'bankruptcy-deferral',
  'refund',
  'duplicate-enrollment',
  'waiting-period-expiry',
  'newborn-window',
  'identity-conversion-window',
  'unemployment-contributions',
]);
export type CaseType = z.infer<typeof caseType>;

/** What a case waits for, and until when (the deadline index is built from this). */
export const waitSchema = z.object({
  for: word,
  until: calendarDate,
});
export type Wait = z.infer<typeof waitSchema>;

/** Whose case it is: a person, a unit (bankruptcy), or a region (the collection window). */
export const caseSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), identityKey }),
  z.object({ kind: z.literal('unit'), unitId: id }),
  z.object({ kind: z.literal('region'), region: regionCode }),
]);
export type CaseSubject = z.infer<typeof caseSubject>;

export const caseInput = z.object({
  caseId: id,
  caseType,
  region: regionCode,
  subject: caseSubject,
  state: word,
  openedOn: calendarDate,
  wait: waitSchema.nullable(),
  /** Step Functions task token of the execution waiting on this case (callback pattern). */
  taskToken: z.string().min(1).max(2048).nullable(),
  executionArn: z.string().max(2048).nullable().default(null),
  closedOn: calendarDate.nullable().default(null),
  /** Case-specific facts (arrears months and amounts in fen, the person's retirement choice…). */
  data: z.record(z.string(), z.unknown()).default({}),
});
export type CaseInput = z.input<typeof caseInput>;
export type CaseFields = z.output<typeof caseInput>;

export interface Case extends CaseFields {
  readonly version: number;
  readonly updatedAt: string;
}

/** States in which a case is over: it leaves the deadline index. */
export const CLOSED_STATES: ReadonlySet<string> = new Set(['closed', 'cancelled', 'completed', 'lapsed', 'resolved']);

// ── Status as of a date ──────────────────────────────────────────────────────

export interface StatusOnDate {
  readonly date: CalendarDate;
  readonly enrolled: boolean;
  readonly enrollmentId?: string;
  readonly scheme?: Scheme;
  readonly mode?: EmployeeMode;
  readonly region?: string;
  readonly status?: EnrollmentStatus;
  readonly covered: boolean;
  readonly coverPeriod?: CoverPeriod;
  /** The rules that decide the answer, with their articles. */
  readonly rules: readonly RuleRef[];
  readonly reason: Reason;
}
