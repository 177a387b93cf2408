/**
 * The repository interfaces of the case store. Lambdas, Step Functions task handlers and the
 * local runtime depend on these, never on DynamoDB; `DynamoCaseStore` (dynamo-store.ts) is the
 * implementation. Every method either returns or throws a StoreError (errors.ts).
 *
 * Every change takes a ChangeContext (who, why, which decision) and writes its audit record in the
 * same transaction as the change itself.
 */
import type { CalendarDate } from '#domain/calendar.js';
import type {
  AuditRecord,
  Case,
  CaseInput,
  CaseSubject,
  CaseType,
  ChangeContext,
  Enrollment,
  EnrollmentInput,
  IntakeOutcome,
  LedgerEntry,
  LedgerVersion,
  NotificationClaim,
  NotificationClaimInput,
  Person,
  PersonInput,
  Scheme,
  StatusOnDate,
  StoredNotification,
} from './model.js';
import type {
  ExpectedPayment,
  ExpectedPaymentInput,
  ExpectedPaymentRef,
  ExpectedPaymentSettlement,
  Renewal,
  RenewalCounts,
  RenewalInput,
  RenewalSettlement,
} from './workflow-model.js';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly cursor?: string;
}

export interface PageOptions {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface PersonRepository {
  /** Throws AlreadyExistsError if the person is there. */
  createPerson(person: PersonInput, ctx: ChangeContext): Promise<Person>;
  getPerson(identityKey: string): Promise<Person>;
  updatePerson(person: PersonInput, expectedVersion: number, ctx: ChangeContext): Promise<Person>;
}

export interface EnrollmentRepository {
  createEnrollment(enrollment: EnrollmentInput, ctx: ChangeContext): Promise<Enrollment>;
  getEnrollment(identityKey: string, enrollmentId: string): Promise<Enrollment>;
  /** Replaces the enrollment if its version is still `expectedVersion`, else ConflictError. */
  saveEnrollment(enrollment: EnrollmentInput, expectedVersion: number, ctx: ChangeContext): Promise<Enrollment>;
  listEnrollments(identityKey: string): Promise<Enrollment[]>;
  /** Scheme, status, cover on a date and why: one Query of the person's enrollments. */
  statusOn(identityKey: string, date: CalendarDate): Promise<StatusOnDate>;
}

/** A case or enrollment written in the same transaction as another change. */
export type AtomicChange =
  | { readonly kind: 'case'; readonly case: CaseInput; readonly expectedVersion: number | null }
  | { readonly kind: 'enrollment'; readonly enrollment: EnrollmentInput; readonly expectedVersion: number | null }
  | ArrearsMonthClaim;

/**
 * the arrears case `caseId` takes one fee month of an enrollment. Written beside the case that takes
 * it; refused (AlreadyExistsError, entity `arrears-month`) when another case holds the month already, so
 * one month is in one arrears case, whichever writer (the sweep, intake, B-4) comes first.
 */
export interface ArrearsMonthClaim {
  readonly kind: 'arrears-month';
  readonly identityKey: string;
  readonly enrollmentId: string;
  readonly feeMonth: string;
  readonly caseId: string;
}

export interface LedgerRepository {
  /**
   * Stores a tax payment notification and its ledger entries in one transaction, conditional on
   * the notification id: the same notification twice leaves one entry and returns `duplicate`.
   * `alongside` are written in the same transaction (e.g. the arrears case the payment closes).
   */
  intakeNotification(raw: unknown, ctx: ChangeContext, alongside?: readonly AtomicChange[]): Promise<IntakeOutcome>;
  /**
   * Binds a tax bureau notification id to its content (`NOTIFICATION#<id>`), before its persons' parts are
   * stored: the first claim writes the guard, the same content again is `same`, other content is
   * `conflict` and writes nothing. The guard is never changed once written.
   */
  claimNotification(claim: NotificationClaimInput, ctx: ChangeContext): Promise<NotificationClaim>;
  getNotification(notificationId: string): Promise<StoredNotification>;
  /** The ledger of one scheme, in fee-period order; `from`/`to` bound the periods (inclusive). */
  ledger(identityKey: string, scheme: Scheme, range?: { from?: string; to?: string }): Promise<LedgerEntry[]>;
  /** Every earlier value of one fee period, oldest first. */
  ledgerHistory(identityKey: string, scheme: Scheme, feePeriod: string): Promise<LedgerVersion[]>;
}

export interface UpdateOptions {
  /** Attempts in all on ConflictError before giving up with it. */
  readonly maxAttempts?: number;
}

export interface CaseRepository {
  /** Throws AlreadyExistsError if the case id is taken. */
  openCase(c: CaseInput, ctx: ChangeContext): Promise<Case>;
  getCase(caseId: string): Promise<Case>;
  /** Replaces the case if its version is still `expectedVersion`, else ConflictError. */
  saveCase(c: CaseInput, expectedVersion: number, ctx: ChangeContext): Promise<Case>;
  /**
   * Read, change, write with the version check, retrying on conflict. `change` may be called more
   * than once and must be a pure function of the case it is given; returning null leaves it as is.
   */
  updateCase(
    caseId: string,
    change: (c: Case) => CaseInput | null,
    ctx: ChangeContext | ((c: Case) => ChangeContext),
    options?: UpdateOptions,
  ): Promise<Case>;
  /** Several cases and enrollments at once, all or nothing (each with its own audit record). */
  commit(changes: readonly AtomicChange[], ctx: ChangeContext): Promise<void>;
  casesByRegionState(
    region: string,
    state: string,
    options?: PageOptions & { caseType?: CaseType },
  ): Promise<Page<Case>>;
  /** Cases whose wait expires on `date` in `region` (the deadline sweep). */
  casesExpiringOn(region: string, date: CalendarDate, options?: PageOptions): Promise<Page<Case>>;
  casesOf(subject: CaseSubject, options?: PageOptions): Promise<Page<Case>>;
  /** The arrears case that holds a fee month of an enrollment (its ArrearsMonthClaim), or null. */
  arrearsCaseOfMonth(identityKey: string, enrollmentId: string, feeMonth: string): Promise<string | null>;
}

export interface AuditRepository {
  /** The audit trail of a person (enrollments, ledger, notifications) or of a case, oldest first. */
  auditTrail(
    of: { readonly identityKey: string } | { readonly caseId: string },
    options?: PageOptions,
  ): Promise<Page<AuditRecord>>;
}

export interface CaseStore
  extends PersonRepository,
    EnrollmentRepository,
    LedgerRepository,
    CaseRepository,
    AuditRepository {}

// ── Workflow additions (workflow-store.ts): expected payments and renewals ──────

/**
 * Employee fee months expected by their due date (C-6). The daily sweep reads the months falling due
 * on a day with `paymentsDueOn`; intake (a month paid) and the sweep (arrears opened) settle them.
 */
export interface ExpectedPaymentRepository {
  /** Idempotent: an existing month is returned as it is (`created: false`). */
  expectPayment(
    payment: ExpectedPaymentInput,
    ctx: ChangeContext,
  ): Promise<{ created: boolean; payment: ExpectedPayment }>;
  getExpectedPayment(ref: ExpectedPaymentRef): Promise<ExpectedPayment>;
  /** Expected months whose due date is `date` in `region` and still unsettled (Query per shard of the due index). */
  paymentsDueOn(region: string, date: CalendarDate, options?: PageOptions): Promise<Page<ExpectedPayment>>;
  /** Takes the month out of the due index. Idempotent: a month settled before is returned with `settled: false`. */
  settleExpectedPayment(
    ref: ExpectedPaymentRef,
    settlement: ExpectedPaymentSettlement,
    ctx: ChangeContext,
  ): Promise<{ settled: boolean; payment: ExpectedPayment }>;
}

/** Resident renewals of a collection window and their per-region counters (the renewal-rate report). */
export interface RenewalRepository {
  /** Creates the renewals not there yet (all of one region and fee year), counting each once. */
  createRenewals(renewals: readonly RenewalInput[], ctx: ChangeContext): Promise<{ created: number; existing: number }>;
  getRenewal(identityKey: string, feeYear: number): Promise<Renewal>;
  /** Moves pending renewals of one region and year to their outcome; ones settled before are left as they are. */
  settleRenewals(
    region: string,
    feeYear: number,
    settlements: readonly RenewalSettlement[],
    actor: ChangeContext['actor'],
  ): Promise<{ changed: number; unchanged: number }>;
  /** The counters of a region and year: one Query of its counter shards. */
  renewalCounts(region: string, feeYear: number): Promise<RenewalCounts>;
}

/** The store the workflow tasks and the daily sweep use. */
export interface WorkflowStore extends CaseStore, ExpectedPaymentRepository, RenewalRepository {}
