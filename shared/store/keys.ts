/**
 * Key design of the single table (docs/data-model.md explains it). Every key the store writes is
 * built here, so the access patterns in the doc and the code cannot drift apart.
 *
 * Partitions:
 *   P#<identity key>      a person: PROFILE, ENR#…, LEDGER#…, LEDGERV#…, ARREARS#…, AUDIT#…
 *   C#<case id>           a case: CASE, AUDIT#…
 *   N#<notification id>   one person's part of a tax payment notification: NOTIFICATION (its idempotency guard)
 *   NOTIFICATION#<id>     the tax bureau's notification id bound to its content: GUARD, AUDIT#…
 *
 * Sort keys sort the way they are read: enrollments together (status as of a date is one Query),
 * fee months in calendar order (out-of-order arrivals still land in order), audit records by time.
 */
import type { CaseSubject, Scheme } from './model.js';

export const personPk = (identityKey: string) => `P#${identityKey}`;
export const casePk = (caseId: string) => `C#${caseId}`;
export const notificationPk = (notificationId: string) => `N#${notificationId}`;
/**
 * The guard of a tax bureau notification id, whoever it is for: the per-person parts (`N#…`) are keyed by
 * person for unit payrolls (`<id>.<personTag>`), so only a key of its own sees the same id reused for
 * another person.
 */
export const notificationGuardPk = (sourceNotificationId: string) => `NOTIFICATION#${sourceNotificationId}`;

export const SK = {
  profile: 'PROFILE',
  case: 'CASE',
  notification: 'NOTIFICATION',
  notificationGuard: 'GUARD',
  enrollmentPrefix: 'ENR#',
  ledgerPrefix: 'LEDGER#',
  ledgerVersionPrefix: 'LEDGERV#',
  auditPrefix: 'AUDIT#',
} as const;

export const enrollmentSk = (enrollmentId: string) => `${SK.enrollmentPrefix}${enrollmentId}`;

const schemeLetter = (scheme: Scheme) => (scheme === 'employee' ? 'E' : 'R');

/** `LEDGER#E#2026-03` (employee fee month) or `LEDGER#R#2027` (resident fee year). */
export const ledgerSk = (scheme: Scheme, feePeriod: string) => `${SK.ledgerPrefix}${schemeLetter(scheme)}#${feePeriod}`;
export const ledgerSchemePrefix = (scheme: Scheme) => `${SK.ledgerPrefix}${schemeLetter(scheme)}#`;

/** History of one fee period: `LEDGERV#E#2026-03#v000002` (the entry as version 2 was) or `…#late#<id>`. */
export const ledgerVersionPrefix = (scheme: Scheme, feePeriod: string) =>
  `${SK.ledgerVersionPrefix}${schemeLetter(scheme)}#${feePeriod}#`;
export const ledgerVersionSk = (scheme: Scheme, feePeriod: string, version: number) =>
  `${ledgerVersionPrefix(scheme, feePeriod)}v${String(version).padStart(6, '0')}`;
export const lateSupersededSk = (scheme: Scheme, feePeriod: string, notificationId: string) =>
  `${ledgerVersionPrefix(scheme, feePeriod)}late#${notificationId}`;

/**
 * The arrears case that holds one fee month of an enrollment, in the person's partition:
 * `ARREARS#<enrollment id>#2026-09`. Written in the same transaction as the case that takes the month, with
 * the condition that no other case holds it, so two writers (the sweep, intake) can never both take it.
 */
export const arrearsMonthPrefix = (enrollmentId: string) => `ARREARS#${enrollmentId}#`;
export const arrearsMonthSk = (enrollmentId: string, feeMonth: string) =>
  `${arrearsMonthPrefix(enrollmentId)}${feeMonth}`;

/** `AUDIT#2026-11-15T02:30:00.000Z#<random>`: time order, never two records on one key. */
export const auditSk = (at: string, auditId: string) => `${SK.auditPrefix}${at}#${auditId}`;

// ── Index keys of a case ──────────────────────────────────────────────────────

/** byRegionState: one partition per region and state, so the staff API lists a region's cases in one Query. */
export const regionStatePk = (region: string, state: string) => `R#${region}#S#${state}`;
export const regionStateSk = (caseType: string, openedOn: string, caseId: string) =>
  `${caseType}#${openedOn}#${caseId}`;

/** byDeadline: one partition per region and day: "what expires on D in region r" is one Query. */
export const deadlinePk = (region: string, until: string) => `DUE#${region}#${until}`;
export const deadlineSk = (caseType: string, caseId: string) => `${caseType}#${caseId}`;

/** bySubject: a person's, a unit's or a region's cases, newest last. */
export function subjectPk(subject: CaseSubject): string {
  switch (subject.kind) {
    case 'person':
      return personPk(subject.identityKey);
    case 'unit':
      return `U#${subject.unitId}`;
    case 'region':
      return `RG#${subject.region}`;
  }
}
export const subjectSk = (openedOn: string, caseType: string, caseId: string) => `${openedOn}#${caseType}#${caseId}`;

// ── Expected employee payments and resident renewals (workflow-store.ts) ───────

/** One expected employee fee month of an enrollment: `EXPECT#<enrollment id>#2026-09`, in the person's partition. */
export const expectedPaymentSk = (enrollmentId: string, feeMonth: string) => `EXPECT#${enrollmentId}#${feeMonth}`;

/**
 * Payments falling due are sharded over this many partitions of the byDeadline index per region and
 * day: every unit's month falls due on the same month end, and one index partition takes about
 * 1,000 writes a second, so the month-end payroll burst is spread; the sweep reads every shard.
 */
export const PAYMENT_DUE_SHARDS = 16;

/** byDeadline, sparse: `PAYDUE#<region>#<due date>#<shard>` on an expected month not yet settled. */
export const paymentDuePk = (region: string, dueDate: string, shard: number) => `PAYDUE#${region}#${dueDate}#${shard}`;
export const paymentDueSk = (identityKey: string, enrollmentId: string, feeMonth: string) =>
  `${identityKey}#${enrollmentId}#${feeMonth}`;

/** A resident's renewal for a fee year, in the person's partition: `RENEWAL#2027`. */
export const renewalSk = (feeYear: number) => `RENEWAL#${feeYear}`;

/** Renewal counters of a region and fee year, sharded like the due index: `STATS#RENEWAL#220100#2027` / `COUNT#03`. */
export const RENEWAL_COUNTER_SHARDS = 8;
export const renewalStatsPk = (region: string, feeYear: number) => `STATS#RENEWAL#${region}#${feeYear}`;
export const renewalStatsSk = (shard: number) => `COUNT#${String(shard).padStart(2, '0')}`;

/** FNV-1a: a stable shard for a key (the same key always lands on the same shard). */
export function shardOf(key: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
