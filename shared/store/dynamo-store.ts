/**
 * The case store on DynamoDB: one table (table.ts), keys from keys.ts, every request through
 * StoreClient (retries, typed errors, consumed capacity).
 *
 * `DynamoCaseStore` implements every repository of case-store.ts by handing each call to the
 * repository that owns it (dynamo/persons.ts, enrollments.ts, cases.ts, ledger.ts, audit.ts); they
 * share one context, so one client, one clock and one id source serve the whole store. What they
 * have in common (requests, conditional writes, audit records, the mapping to items) is in
 * dynamo/repository.ts and dynamo/common.ts; the store itself extends that base so that
 * DynamoWorkflowStore (workflow-store.ts) builds its writes the same way.
 */
import type { CalendarDate } from '#domain/calendar.js';
import type { AtomicChange, CaseStore, Page, PageOptions, UpdateOptions } from './case-store.js';
import { DynamoAudit } from './dynamo/audit.js';
import { DynamoCases } from './dynamo/cases.js';
import { type DynamoCaseStoreOptions, storeContext } from './dynamo/common.js';
import { DynamoEnrollments } from './dynamo/enrollments.js';
import { DynamoLedger } from './dynamo/ledger.js';
import { DynamoPersons } from './dynamo/persons.js';
import { DynamoRepository } from './dynamo/repository.js';
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

export {
  type DynamoCaseStoreOptions,
  decodeCursor,
  encodeCursor,
  fromItem,
  type Item,
  parse,
  retryOnConflict,
  toItem,
  type Write,
} from './dynamo/common.js';

export class DynamoCaseStore extends DynamoRepository implements CaseStore {
  private readonly persons: DynamoPersons;
  private readonly enrollments: DynamoEnrollments;
  private readonly cases: DynamoCases;
  private readonly ledgers: DynamoLedger;
  private readonly audit: DynamoAudit;

  constructor(options: DynamoCaseStoreOptions = {}) {
    const context = storeContext(options);
    super(context);
    this.persons = new DynamoPersons(context);
    this.enrollments = new DynamoEnrollments(context);
    this.cases = new DynamoCases(context, this.enrollments);
    this.ledgers = new DynamoLedger(context, this.cases, options.intakeAttempts ?? 8);
    this.audit = new DynamoAudit(context);
  }

  // ── Persons ────────────────────────────────────────────────────────────────

  createPerson(person: PersonInput, ctx: ChangeContext): Promise<Person> {
    return this.persons.createPerson(person, ctx);
  }

  updatePerson(person: PersonInput, expectedVersion: number, ctx: ChangeContext): Promise<Person> {
    return this.persons.updatePerson(person, expectedVersion, ctx);
  }

  getPerson(identityKey: string): Promise<Person> {
    return this.persons.getPerson(identityKey);
  }

  // ── Enrollments ────────────────────────────────────────────────────────────

  createEnrollment(enrollment: EnrollmentInput, ctx: ChangeContext): Promise<Enrollment> {
    return this.enrollments.createEnrollment(enrollment, ctx);
  }

  saveEnrollment(enrollment: EnrollmentInput, expectedVersion: number, ctx: ChangeContext): Promise<Enrollment> {
    return this.enrollments.saveEnrollment(enrollment, expectedVersion, ctx);
  }

  getEnrollment(identityKey: string, enrollmentId: string): Promise<Enrollment> {
    return this.enrollments.getEnrollment(identityKey, enrollmentId);
  }

  listEnrollments(identityKey: string): Promise<Enrollment[]> {
    return this.enrollments.listEnrollments(identityKey);
  }

  statusOn(identityKey: string, date: CalendarDate): Promise<StatusOnDate> {
    return this.enrollments.statusOn(identityKey, date);
  }

  // ── Notifications and the ledger ─────────────────────────────────────────────

  intakeNotification(raw: unknown, ctx: ChangeContext, alongside?: readonly AtomicChange[]): Promise<IntakeOutcome> {
    return this.ledgers.intakeNotification(raw, ctx, alongside);
  }

  claimNotification(claim: NotificationClaimInput, ctx: ChangeContext): Promise<NotificationClaim> {
    return this.ledgers.claimNotification(claim, ctx);
  }

  getNotification(notificationId: string): Promise<StoredNotification> {
    return this.ledgers.getNotification(notificationId);
  }

  ledger(identityKey: string, scheme: Scheme, range?: { from?: string; to?: string }): Promise<LedgerEntry[]> {
    return this.ledgers.ledger(identityKey, scheme, range);
  }

  ledgerHistory(identityKey: string, scheme: Scheme, feePeriod: string): Promise<LedgerVersion[]> {
    return this.ledgers.ledgerHistory(identityKey, scheme, feePeriod);
  }

  // ── Cases ──────────────────────────────────────────────────────────────────

  openCase(input: CaseInput, ctx: ChangeContext): Promise<Case> {
    return this.cases.openCase(input, ctx);
  }

  saveCase(input: CaseInput, expectedVersion: number, ctx: ChangeContext): Promise<Case> {
    return this.cases.saveCase(input, expectedVersion, ctx);
  }

  getCase(caseId: string): Promise<Case> {
    return this.cases.getCase(caseId);
  }

  updateCase(
    caseId: string,
    change: (c: Case) => CaseInput | null,
    ctx: ChangeContext | ((c: Case) => ChangeContext),
    options?: UpdateOptions,
  ): Promise<Case> {
    return this.cases.updateCase(caseId, change, ctx, options);
  }

  commit(changes: readonly AtomicChange[], ctx: ChangeContext): Promise<void> {
    return this.cases.commit(changes, ctx);
  }

  casesByRegionState(
    region: string,
    state: string,
    options?: PageOptions & { caseType?: CaseType },
  ): Promise<Page<Case>> {
    return this.cases.casesByRegionState(region, state, options);
  }

  casesExpiringOn(region: string, date: CalendarDate, options?: PageOptions): Promise<Page<Case>> {
    return this.cases.casesExpiringOn(region, date, options);
  }

  casesOf(subject: CaseSubject, options?: PageOptions): Promise<Page<Case>> {
    return this.cases.casesOf(subject, options);
  }

  arrearsCaseOfMonth(identityKey: string, enrollmentId: string, feeMonth: string): Promise<string | null> {
    return this.cases.arrearsCaseOfMonth(identityKey, enrollmentId, feeMonth);
  }

  // ── Audit ──────────────────────────────────────────────────────────────────

  auditTrail(of: { identityKey: string } | { caseId: string }, options?: PageOptions): Promise<Page<AuditRecord>> {
    return this.audit.auditTrail(of, options);
  }
}
