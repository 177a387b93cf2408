/**
 * Enrolling a person and changing an enrollment (E-1…E-8), as staff do it at the counter.
 *
 * - The identity document is checked by the `identity-key` decision (E-6); a number that fails its check is
 *   a bad field of the request (400 naming `identity.number`), and a new person is created under the key.
 * - The `enrollment-eligibility` decision says whether the scheme and mode asked for are open in the
 *   caller's region (E-1, E-2, E-3, E-4); "no" is a 422 with the decision's reason, and nothing is written.
 * - E-8 即参即停: when the person holds a normal enrollment of the same scheme in another Jilin region, the
 *   new enrollment stops the old one at once; both are written in one transaction, and cover already
 *   decided moves with it (years and personal account move, JL26 Art.11).
 */
import { expectMonth } from '../sweep/expected-payments.js';
import { addDays, type CalendarDate, monthOf } from '#domain/calendar.js';
import { ruleEntry, isRuleId } from '#rules/catalogue.js';
import type { DecisionResult } from '#rules/engine.js';
import { enrollmentEligibility } from '#rules/enrollment/eligibility.js';
import { type IdentityKeyResult, identityKey as identityKeyDecision } from '#rules/enrollment/identity-key.js';
import { InputError } from '#rules/errors.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '#store/errors.js';
import type {
  CoverPeriod,
  Enrollment,
  EnrollmentInput,
  EnrollmentStatus,
  Person,
  RuleRef,
  StatusChange,
} from '#store/model.js';
import {
  appliedRuleRefs,
  type Created,
  changeContext,
  newResourceId,
  type RequestOptions,
  requireRegion,
  type StaffDeps,
  type StaffMember,
} from './context.js';
import { decideWith } from '#rules/decide-with.js';
import { IdempotencyKeyReusedError, RefusedByRulesError, StateConflictError } from './errors.js';
import type { EnrollBody, StatusChangeBody, TransferBody } from './schemas.js';

export interface EnrolledView {
  readonly person: Person;
  readonly enrollment: Enrollment;
  readonly transferredFrom: Enrollment | null;
  readonly rules: readonly RuleRef[];
  readonly reason: { zh: string; en: string };
}

const ref = (id: string): RuleRef => ({ id, cites: ruleEntry(id).cites });

/** The status change in force on `date` (the last that has begun), or undefined before the enrollment. */
export function statusChangeOn(e: EnrollmentInput, date: CalendarDate): StatusChange | undefined {
  let found: StatusChange | undefined;
  for (const s of e.statusHistory) if (s.from <= date) found = s;
  return found;
}

const normalOn = (e: Enrollment, date: CalendarDate) => statusChangeOn(e, date)?.status === 'normal';

/** E-6: the person key from the document; a failing number is a bad request field. */
export function identityKeyOf(
  region: string,
  doc: EnrollBody['identity'],
  today: CalendarDate,
): DecisionResult<IdentityKeyResult> {
  const result = decideWith(
    identityKeyDecision,
    { region, number: doc.number, documentType: doc.documentType, nationality: doc.nationality, checkedOn: today },
    today,
  );
  if (result.value.status !== 'valid') {
    throw new InputError(
      result.value.problems.map((p) => ({
        path:
          p.code === 'missing-nationality' || p.code === 'unknown-nationality'
            ? 'identity.nationality'
            : 'identity.number',
        message: p.en,
      })),
    );
  }
  return result;
}

/** The person under the key, created (with birth date and sex from the number) when new. */
export async function personFor(
  deps: StaffDeps,
  staff: StaffMember,
  identity: DecisionResult<IdentityKeyResult>,
  region: string,
  extra: { birthDate?: CalendarDate | undefined } = {},
): Promise<Person> {
  const key = identity.value.key!;
  try {
    return await deps.store.getPerson(key);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const birthDate = identity.value.birthDate ?? extra.birthDate;
  try {
    return await deps.store.createPerson(
      {
        identityKey: key,
        region,
        ...(birthDate ? { birthDate } : {}),
        ...(identity.value.sex ? { sex: identity.value.sex } : {}),
      },
      changeContext(staff, `person registered under identity key (E-6): ${identity.trace.reason.en}`, identity.trace),
    );
  } catch (e) {
    // Created by a concurrent request a moment ago: the same person.
    if (e instanceof AlreadyExistsError) return deps.store.getPerson(key);
    throw e;
  }
}

interface Placement {
  readonly operation: string;
  readonly identityKey: string;
  /** The person, created only once the rules have said yes (a refused request writes nothing). */
  readonly person: () => Promise<Person>;
  readonly region: string;
  readonly on: CalendarDate;
  readonly scheme: 'employee' | 'resident';
  readonly mode?: 'unit' | 'flexible' | undefined;
  readonly flexibleMode?: 'combined' | 'pooling-only' | undefined;
  readonly unitId?: string | undefined;
  readonly facts: Record<string, unknown>;
  /** The enrollment the person holds now, if any (E-4, E-7, E-8). */
  readonly current: Enrollment | undefined;
  /** Transfers must transfer: no E-8 from the decision is a refusal. */
  readonly mustTransfer: boolean;
  readonly note?: string | undefined;
  readonly options: RequestOptions;
}

/** Splits the old enrollment's cover at the stop day: the part after it moves to the new enrollment (E-8). */
function splitCover(
  periods: readonly CoverPeriod[],
  oldStopsOn: CalendarDate,
  newStartsOn: CalendarDate,
): { kept: CoverPeriod[]; moved: CoverPeriod[] } {
  const kept: CoverPeriod[] = [];
  const moved: CoverPeriod[] = [];
  const e8 = ref('E-8');
  for (const p of periods) {
    if (p.end !== null && p.end <= oldStopsOn) {
      kept.push(p);
      continue;
    }
    if (p.start <= oldStopsOn) kept.push({ ...p, end: oldStopsOn });
    const start = p.start > newStartsOn ? p.start : newStartsOn;
    moved.push({
      ...p,
      start,
      rules: p.rules.some((r) => r.id === 'E-8') ? p.rules : [...p.rules, e8],
    });
  }
  return { kept, moved };
}

function sameEnrollment(e: Enrollment, p: Placement): boolean {
  return e.scheme === p.scheme && (e.mode ?? undefined) === (p.mode ?? undefined) && e.region === p.region;
}

/** The E-8 partner of a replayed enrollment: the one its start stopped. */
function transferredFromOf(enrollments: readonly Enrollment[], e: Enrollment): Enrollment | null {
  return (
    enrollments.find(
      (o) =>
        o.enrollmentId !== e.enrollmentId &&
        o.statusHistory.some(
          (s) => s.status === 'terminated' && s.from === e.enrolledOn && s.rules.some((r) => r.id === 'E-8'),
        ),
    ) ?? null
  );
}

async function replay(deps: StaffDeps, p: Placement, enrollmentId: string): Promise<Created<EnrolledView> | null> {
  let existing: Enrollment;
  try {
    existing = await deps.store.getEnrollment(p.identityKey, enrollmentId);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
  if (!sameEnrollment(existing, p))
    throw new IdempotencyKeyReusedError('this Idempotency-Key was already used for a different enrollment', {
      enrollmentId,
    });
  const first = existing.statusHistory[0]!;
  return {
    value: {
      person: await deps.store.getPerson(p.identityKey),
      enrollment: existing,
      transferredFrom: transferredFromOf(await deps.store.listEnrollments(p.identityKey), existing),
      rules: first.rules,
      reason: first.reason,
    },
    replayed: true,
  };
}

async function place(deps: StaffDeps, staff: StaffMember, p: Placement): Promise<Created<EnrolledView>> {
  const enrollmentId = newResourceId(deps, `E-${p.region}`, p.operation, staff, p.options.idempotencyKey);
  if (p.options.idempotencyKey) {
    const earlier = await replay(deps, p, enrollmentId);
    if (earlier) return earlier;
  }
  const today = deps.clock.today();
  const current = p.current;
  if (current && current.region === p.region && current.scheme === p.scheme) {
    throw new StateConflictError('wrong-state', `already enrolled in the ${p.scheme} scheme in region ${p.region}`, {
      enrollmentId: current.enrollmentId,
    });
  }
  const facts = {
    ...p.facts,
    region: p.region,
    on: p.on,
    ...(current
      ? {
          current: {
            scheme: current.scheme,
            ...(current.mode ? { mode: current.mode } : {}),
            region: current.region,
            status: statusChangeOn(current, p.on)?.status ?? current.status,
          },
        }
      : {}),
  };
  const decision = decideWith(enrollmentEligibility, facts, today);
  const value = decision.value;
  const rules = appliedRuleRefs(decision.trace);
  const route = value.routes.find(
    (r) => r.here && r.scheme === p.scheme && (r.mode ?? undefined) === (p.mode ?? undefined),
  );
  if (!route) {
    throw new RefusedByRulesError(
      `the ${p.scheme}${p.mode ? `/${p.mode}` : ''} scheme is not open to this person in region ${p.region}`,
      decision.trace.reason,
      rules.map((r) => r.id),
      { decision: 'enrollment-eligibility' },
    );
  }
  const transfer = current && value.transfer && current.scheme === p.scheme ? value.transfer : null;
  if (p.mustTransfer && !transfer) {
    throw new RefusedByRulesError(
      'no in-province transfer applies (E-8)',
      decision.trace.reason,
      rules.map((r) => r.id),
      {
        decision: 'enrollment-eligibility',
      },
    );
  }

  const enrolledOn = transfer ? transfer.newStartsOn : p.on;
  const split =
    transfer && current ? splitCover(current.coverPeriods, transfer.oldStopsOn, transfer.newStartsOn) : null;
  const reason = decision.trace.reason;
  const enrollment: EnrollmentInput = {
    enrollmentId,
    identityKey: p.identityKey,
    scheme: p.scheme,
    ...(p.mode ? { mode: p.mode } : {}),
    ...(p.mode === 'flexible' ? { flexibleMode: p.flexibleMode ?? 'combined' } : {}),
    region: p.region,
    ...(p.unitId ? { unitId: p.unitId } : {}),
    enrolledOn,
    statusHistory: [{ status: 'normal', from: enrolledOn, rules, reason }],
    coverPeriods: split ? split.moved : [],
  };
  const ctx = changeContext(staff, p.note ?? reason.en, decision.trace);
  const changes: Parameters<StaffDeps['store']['commit']>[0][number][] = [
    { kind: 'enrollment', enrollment, expectedVersion: null },
  ];
  if (transfer && current && split) {
    const stop: StatusChange = {
      status: 'terminated',
      from: addDays(transfer.oldStopsOn, 1),
      rules: [ref('E-8')],
      reason: {
        zh: `省内转移即参即停：${transfer.oldStopsOn}停保，转入${transfer.to}（${enrollmentId}）`,
        en: `in-province transfer (即参即停): stopped on ${transfer.oldStopsOn}, moved to ${transfer.to} (${enrollmentId})`,
      },
    };
    const { status: _s, version: _v, updatedAt: _u, ...old } = current;
    changes.push({
      kind: 'enrollment',
      enrollment: {
        ...old,
        statusHistory: [...old.statusHistory.filter((s) => s.from < stop.from), stop],
        coverPeriods: split.kept,
      },
      expectedVersion: current.version,
    });
  }
  const person = await p.person();
  try {
    await deps.store.commit(changes, ctx);
  } catch (e) {
    if (p.options.idempotencyKey && e instanceof AlreadyExistsError) {
      const earlier = await replay(deps, p, enrollmentId);
      if (earlier) return earlier;
    }
    throw e;
  }
  if (enrollment.scheme === 'employee' && enrollment.mode) {
    // The daily sweep finds months due and unpaid from the expected fee months (C-6, A-1): watch the first.
    await expectMonth(
      deps.store,
      {
        identityKey: p.identityKey,
        enrollmentId,
        region: p.region,
        mode: enrollment.mode,
        ...(enrollment.flexibleMode ? { flexibleMode: enrollment.flexibleMode } : {}),
        ...(enrollment.unitId ? { unitId: enrollment.unitId } : {}),
      },
      monthOf(enrolledOn),
      ctx,
    );
  }
  const [stored, stopped] = await Promise.all([
    deps.store.getEnrollment(p.identityKey, enrollmentId),
    current && transfer ? deps.store.getEnrollment(p.identityKey, current.enrollmentId) : null,
  ]);
  return { value: { person, enrollment: stored, transferredFrom: stopped, rules, reason }, replayed: false };
}

function workFactsOf(b: EnrollBody | TransferBody): Record<string, unknown> {
  return {
    work: b.work,
    ...(b.employer ? { employer: { kind: b.employer.kind, registeredIn: b.employer.registeredIn } } : {}),
    places: b.places,
    otherStateCover: b.otherStateCover,
    ...(b.custody ? { custody: b.custody } : {}),
  };
}

/** The enrollment that counts as "current" for E-4/E-7/E-8: normal on the day, the same scheme first. */
function currentOf(enrollments: readonly Enrollment[], scheme: string, on: CalendarDate): Enrollment | undefined {
  const normal = enrollments.filter((e) => normalOn(e, on));
  return normal.find((e) => e.scheme === scheme) ?? normal[0];
}

/** POST /enrollments: enroll a person (resident, or employee by unit or flexible), creating the person if new. */
export async function enrollPerson(
  deps: StaffDeps,
  staff: StaffMember,
  body: EnrollBody,
  options: RequestOptions = {},
): Promise<Created<EnrolledView>> {
  requireRegion(staff, body.region, 'an enrollment');
  const today = deps.clock.today();
  const on = body.on ?? today;
  const identity = identityKeyOf(body.region, body.identity, today);
  const identityKey = identity.value.key!;
  const enrollments = await deps.store.listEnrollments(identityKey);
  const current = currentOf(enrollments, body.scheme, on);
  return place(deps, staff, {
    operation: 'enrollPerson',
    identityKey,
    person: () => personFor(deps, staff, identity, body.region),
    region: body.region,
    on,
    scheme: body.scheme,
    mode: body.mode,
    flexibleMode: body.flexibleMode,
    unitId: body.employer?.unitId,
    facts: workFactsOf(body),
    current,
    mustTransfer: false,
    note: body.note,
    options,
  });
}

/** POST /persons/{identityKey}/enrollments/{enrollmentId}/transfers: E-8 into the caller's region. */
export async function transferEnrollment(
  deps: StaffDeps,
  staff: StaffMember,
  identityKey: string,
  enrollmentId: string,
  body: TransferBody,
  options: RequestOptions = {},
): Promise<Created<EnrolledView>> {
  // The receiving agency enrolls; enrolling there stops the old enrollment at once (E-8).
  requireRegion(staff, body.toRegion, 'a transfer');
  const today = deps.clock.today();
  const on = body.on ?? today;
  const [person, current] = await Promise.all([
    deps.store.getPerson(identityKey),
    deps.store.getEnrollment(identityKey, enrollmentId),
  ]);
  if (!normalOn(current, on)) {
    throw new StateConflictError(
      'wrong-state',
      `enrollment ${enrollmentId} is not normal on ${on}: nothing to transfer`,
      {
        enrollmentId,
      },
    );
  }
  return place(deps, staff, {
    operation: 'transferEnrollment',
    identityKey,
    person: async () => person,
    region: body.toRegion,
    on,
    scheme: current.scheme,
    mode: current.mode,
    flexibleMode: body.flexibleMode ?? current.flexibleMode,
    unitId: body.employer?.unitId,
    facts: workFactsOf(body),
    current,
    mustTransfer: true,
    note: body.note,
    options,
  });
}

/** POST /persons/{identityKey}/enrollments/{enrollmentId}/status-changes: normal / suspended / terminated from a date (E-7). */
export async function changeEnrollmentStatus(
  deps: StaffDeps,
  staff: StaffMember,
  identityKey: string,
  enrollmentId: string,
  body: StatusChangeBody,
): Promise<Enrollment> {
  const bad = body.rules.flatMap((r, i) =>
    isRuleId(r) ? [] : [{ path: `rules[${i}]`, message: `${r} is not a rule of RULES.md` }],
  );
  if (bad.length) throw new InputError(bad);
  const rules = [ref('E-7'), ...body.rules.filter((r) => r !== 'E-7').map(ref)];
  for (let attempt = 1; ; attempt++) {
    const e = await deps.store.getEnrollment(identityKey, enrollmentId);
    requireRegion(staff, e.region, 'an enrollment');
    const last = e.statusHistory[e.statusHistory.length - 1]!;
    // Asking again for the change already made answers with the enrollment as it is.
    if (last.status === body.status && last.from === body.from) return e;
    if (body.from < last.from)
      throw new InputError([{ path: 'from', message: `is before the last status change (${last.from})` }]);
    if (last.status === 'terminated')
      throw new StateConflictError(
        'wrong-state',
        `enrollment ${enrollmentId} is terminated from ${last.from}; enroll again instead`,
        {
          status: 'terminated',
        },
      );
    const change: StatusChange = {
      status: body.status as EnrollmentStatus,
      from: body.from,
      rules,
      reason: { zh: body.note, en: body.note },
    };
    const { status: _s, version, updatedAt: _u, ...input } = e;
    try {
      return await deps.store.saveEnrollment(
        { ...input, statusHistory: [...input.statusHistory, change] },
        version,
        changeContext(staff, `${body.status} from ${body.from}: ${body.note}`),
      );
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 5) throw err;
    }
  }
}
