/**
 * What every staff service needs: who is acting (a member of staff of one pooling region), the store and
 * the ports, and the helpers that keep the three promises of the staff API — staff act only within their
 * region, every change carries an audit record (actor, reason, decision trace), and a creating request
 * repeated with the same Idempotency-Key returns what the first one made.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CalendarDate } from '#domain/calendar.js';
import { maskIdentity } from '#domain/identity.js';
import type { DecisionResult, Reason, Trace } from '#rules/engine.js';
import type { WorkflowStore } from '#store/case-store.js';
import { AlreadyExistsError, NotFoundError } from '#store/errors.js';
import type { Case, CaseInput, ChangeContext, Enrollment, Person, RuleRef } from '#store/model.js';
import type { Clock, TaskCallbacks, WorkflowStarter } from '../ports.js';
import { IdempotencyKeyReusedError, StaffForbiddenError } from './errors.js';

export type StaffRole = 'clerk' | 'approver' | 'auditor';

/** The caller, as the HTTP layer read it from the verified token (functions/lib/auth.ts `Staff`). */
export interface StaffMember {
  readonly staffId: string;
  readonly region: string;
  readonly roles: readonly StaffRole[];
}

export interface StaffDeps {
  /** The workflow store: cases, ledger, and the expected fee months the daily sweep watches. */
  readonly store: WorkflowStore;
  readonly workflows: WorkflowStarter;
  readonly callbacks: TaskCallbacks;
  readonly clock: Clock;
  /** Ids of new cases and enrollments when no Idempotency-Key is given. */
  readonly newId?: () => string;
}

/** Per-request options the HTTP layer passes on. */
export interface RequestOptions {
  /** The `Idempotency-Key` header, already checked for shape. */
  readonly idempotencyKey?: string | undefined;
}

/** A service result that created something: `replayed` when an earlier request with the same key made it. */
export interface Created<T> {
  readonly value: T;
  readonly replayed: boolean;
}

export function changeContext(staff: StaffMember, reason: string, trace?: Trace): ChangeContext {
  return {
    actor: { kind: 'staff', staffId: staff.staffId, region: staff.region },
    reason: reason.slice(0, 2000),
    ...(trace ? { trace } : {}),
  };
}

/** Security: staff act only within their own pooling region. */
export function requireRegion(staff: StaffMember, region: string, what: string): void {
  if (staff.region !== region) {
    throw new StaffForbiddenError(`staff of region ${staff.region} cannot act on ${what} of region ${region}`, {
      staffRegion: staff.region,
      region,
    });
  }
}

/**
 * A person is within a member of staff's reach when registered in their region or enrolled there (an
 * enrollment in any status: the agency that holds it answers for it). The identity key never appears
 * unmasked in the refusal.
 */
export async function personInRegion(
  deps: StaffDeps,
  staff: StaffMember,
  identityKey: string,
): Promise<{ person: Person; enrollments: Enrollment[] }> {
  const [person, enrollments] = await Promise.all([
    deps.store.getPerson(identityKey),
    deps.store.listEnrollments(identityKey),
  ]);
  if (person.region !== staff.region && !enrollments.some((e) => e.region === staff.region)) {
    throw new StaffForbiddenError(
      `person ${maskIdentity(identityKey)} is registered and enrolled outside region ${staff.region}`,
      { staffRegion: staff.region, region: person.region },
    );
  }
  return { person, enrollments };
}

// ── Idempotency ──────────────────────────────────────────────────────────────
//
// Design: no separate idempotency table. With an Idempotency-Key, the id of what the request creates is
// derived from (operation, staff region, key), so a repeat lands on the same case or enrollment id: the
// store's create-only condition (attribute_not_exists) makes the second write fail, and the service reads
// the first one back. A case keeps the fingerprint of the request that made it (`data.idempotency`); a
// repeat with another body is refused (422 idempotency-key-reused). An enrollment has no free data field,
// so it is compared by content (person, scheme, mode, region). Without a key, ids are random.

const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v as Record<string, unknown>)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;

export function fingerprint(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('base64url');
}

/** `<prefix>-<24 characters>`: from the key when there is one, random otherwise. */
export function newResourceId(
  deps: StaffDeps,
  prefix: string,
  operation: string,
  staff: StaffMember,
  key: string | undefined,
): string {
  if (!key) return `${prefix}-${(deps.newId ?? randomUUID)()}`;
  const h = createHash('sha256').update(`${operation}\u0000${staff.region}\u0000${key}`).digest('hex');
  return `${prefix}-${h.slice(0, 24)}`;
}

interface OpenCaseRequest {
  readonly operation: string;
  readonly prefix: string;
  readonly request: unknown;
  readonly options: RequestOptions;
}

/** The case an earlier request with the same key opened, or null. Refuses a key reused for another request. */
export async function replayedCase(deps: StaffDeps, caseId: string, print: string): Promise<Case | null> {
  let c: Case;
  try {
    c = await deps.store.getCase(caseId);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
  const stored = (c.data.idempotency as { fingerprint?: string } | undefined)?.fingerprint;
  if (stored !== print) {
    throw new IdempotencyKeyReusedError('this Idempotency-Key was already used for a different request', {
      caseId,
    });
  }
  return c;
}

/**
 * Opens a case once per Idempotency-Key. `build` runs only when nothing was opened before (so decisions are
 * not taken again for a repeat); a repeat returns the case as it is now, with `replayed`.
 */
export async function openCaseOnce(
  deps: StaffDeps,
  staff: StaffMember,
  req: OpenCaseRequest,
  build: (caseId: string) => Promise<{ input: CaseInput; ctx: ChangeContext }>,
): Promise<Created<Case>> {
  const key = req.options.idempotencyKey;
  const caseId = newResourceId(deps, req.prefix, req.operation, staff, key);
  const print = fingerprint({ operation: req.operation, request: req.request });
  if (key) {
    const earlier = await replayedCase(deps, caseId, print);
    if (earlier) return { value: earlier, replayed: true };
  }
  const { input, ctx } = await build(caseId);
  const withKey: CaseInput = key
    ? { ...input, data: { ...(input.data ?? {}), idempotency: { fingerprint: print } } }
    : input;
  try {
    return { value: await deps.store.openCase(withKey, ctx), replayed: false };
  } catch (e) {
    // Two requests with the same key at once: the second one's write fails; answer with the first one's case.
    if (key && e instanceof AlreadyExistsError) {
      const earlier = await replayedCase(deps, caseId, print);
      if (earlier) return { value: earlier, replayed: true };
    }
    throw e;
  }
}

// ── Decisions in case data ───────────────────────────────────────────────────

/** What a case keeps of a decision: its value, the rules applied (with articles) and the reason. The full trace is in the audit record. */
export interface DecisionSummary {
  readonly decision: string;
  readonly asOf: CalendarDate;
  readonly policySet: string;
  readonly value: unknown;
  readonly rules: readonly RuleRef[];
  readonly reason: Reason;
}

export function appliedRuleRefs(trace: Trace): RuleRef[] {
  return trace.rules.filter((r) => r.outcome === 'applied').map((r) => ({ id: r.id, cites: r.cites }));
}

export function summary(result: DecisionResult<unknown>): DecisionSummary {
  return {
    decision: result.decision,
    asOf: result.trace.asOf,
    policySet: result.trace.policySet.id,
    value: result.value,
    rules: appliedRuleRefs(result.trace),
    reason: result.trace.reason,
  };
}
