/**
 * Duplicate enrollment resolved on the person's written request (D-7): the `duplicate-resolution` decision
 * says which enrollment is kept and what happens to the others (suspend, D-5; terminate, D-6); the outcome
 * is applied to every enrollment concerned and recorded as a resolved duplicate-enrollment case, all in one
 * transaction (nothing half-applied).
 */
import type { CalendarDate } from '#domain/calendar.js';
import { ruleEntry } from '#rules/catalogue.js';
import type { DecisionResult } from '#rules/engine.js';
import { type DuplicateResolution, duplicateResolution } from '#rules/duplicates/decision.js';
import { InputError } from '#rules/errors.js';
import type { AtomicChange } from '#store/case-store.js';
import { AlreadyExistsError } from '#store/errors.js';
import type { Enrollment, RuleRef, StatusChange } from '#store/model.js';
import { caseView } from './cases.js';
import {
  changeContext,
  type Created,
  fingerprint,
  newResourceId,
  personInRegion,
  type RequestOptions,
  replayedCase,
  type StaffDeps,
  type StaffMember,
  summary,
} from './context.js';
import { decideWith } from '#rules/decide-with.js';
import { statusChangeOn } from './enrollment.js';
import { RefusedByRulesError } from './errors.js';
import type { CaseView, DuplicateResolutionBody } from './schemas.js';

export interface DuplicateResolvedView {
  readonly case: CaseView;
  readonly decisions: Record<string, unknown>;
  readonly enrollments: readonly Enrollment[];
}

const ref = (id: string): RuleRef => ({ id, cites: ruleEntry(id).cites });

/** The last covered day when every cover period has ended (a resident fee year), else open. */
function endOf(e: Enrollment): CalendarDate | undefined {
  if (e.coverPeriods.length === 0 || e.coverPeriods.some((p) => p.end === null)) return undefined;
  return e.coverPeriods
    .map((p) => p.end!)
    .sort()
    .at(-1);
}

/** POST /persons/{identityKey}/duplicate-resolutions */
export async function resolveDuplicate(
  deps: StaffDeps,
  staff: StaffMember,
  identityKey: string,
  body: DuplicateResolutionBody,
  options: RequestOptions = {},
): Promise<Created<DuplicateResolvedView>> {
  const { enrollments } = await personInRegion(deps, staff, identityKey);
  const operation = 'resolveDuplicate';
  const key = options.idempotencyKey;
  const caseId = newResourceId(deps, 'DR', operation, staff, key);
  const print = fingerprint({ operation, request: { identityKey, body } });
  const replay = async () => {
    const earlier = await replayedCase(deps, caseId, print);
    return earlier
      ? {
          value: {
            case: caseView(earlier),
            decisions: (earlier.data.decisions as Record<string, unknown>) ?? {},
            enrollments: await deps.store.listEnrollments(identityKey),
          },
          replayed: true,
        }
      : null;
  };
  if (key) {
    const r = await replay();
    if (r) return r;
  }

  const today = deps.clock.today();
  const byId = new Map(enrollments.map((e) => [e.enrollmentId, e]));
  const unknown = body.enrollments.flatMap((x, i) =>
    byId.has(x.enrollmentId)
      ? []
      : [{ path: `enrollments[${i}].enrollmentId`, message: 'no such enrollment of this person' }],
  );
  if (!body.enrollments.some((x) => x.enrollmentId === body.request.keepId))
    unknown.push({ path: 'request.keepId', message: 'is not one of the enrollments listed' });
  if (unknown.length) throw new InputError(unknown);

  const facts = {
    region: staff.region,
    checkedOn: today,
    enrollments: body.enrollments.map((x) => {
      const e = byId.get(x.enrollmentId)!;
      const end = endOf(e);
      return {
        id: e.enrollmentId,
        scheme: e.scheme,
        ...(e.mode ? { mode: e.mode } : {}),
        region: e.region,
        status: statusChangeOn(e, today)?.status ?? e.status,
        place: x.place,
        start: e.enrolledOn,
        ...(end ? { end } : {}),
        ...(x.continuousEmployeeYears !== undefined ? { continuousEmployeeYears: x.continuousEmployeeYears } : {}),
        ...(x.fromPartTimeOrTemporaryWork !== undefined
          ? { fromPartTimeOrTemporaryWork: x.fromPartTimeOrTemporaryWork }
          : {}),
        ...(x.studentFirstYear !== undefined ? { studentFirstYear: x.studentFirstYear } : {}),
        ...(x.carriesBenefits !== undefined ? { carriesBenefits: x.carriesBenefits } : {}),
      };
    }),
    ...(body.student ? { student: body.student } : {}),
    request: body.request,
  };
  const result = decideWith(duplicateResolution, facts, today) as DecisionResult<DuplicateResolution>;
  const v = result.value;
  const applied = result.trace.rules.filter((r) => r.outcome === 'applied').map((r) => r.id);
  if (!v.duplicates)
    throw new RefusedByRulesError('these enrollments are not duplicates (D-1)', result.trace.reason, applied, {
      decision: 'duplicate-resolution',
    });

  const changes: AtomicChange[] = [];
  for (const [id, action] of Object.entries(v.actions)) {
    if (action.action !== 'suspend' && action.action !== 'terminate') continue;
    const e = byId.get(id)!;
    const status = action.action === 'suspend' ? 'suspended' : 'terminated';
    if (statusChangeOn(e, today)?.status === status) continue;
    const change: StatusChange = {
      status,
      from: today,
      rules: [...(action.rule ? [ref(action.rule)] : []), ...(v.request?.followed ? [ref('D-7')] : [])],
      reason: result.trace.reason,
    };
    const { status: _s, version, updatedAt: _u, ...input } = e;
    changes.push({
      kind: 'enrollment',
      enrollment: { ...input, statusHistory: [...input.statusHistory.filter((s) => s.from < today), change] },
      expectedVersion: version,
    });
  }
  changes.push({
    kind: 'case',
    expectedVersion: null,
    case: {
      caseId,
      caseType: 'duplicate-enrollment',
      region: staff.region,
      subject: { kind: 'person', identityKey },
      state: 'resolved',
      openedOn: today,
      closedOn: today,
      wait: null,
      taskToken: null,
      data: {
        request: body.request,
        actions: v.actions,
        resolvedBy: staff.staffId,
        decisions: { 'duplicate-resolution': summary(result) },
        ...(key ? { idempotency: { fingerprint: print } } : {}),
      },
    },
  });
  try {
    await deps.store.commit(changes, changeContext(staff, `${body.note} — ${result.trace.reason.en}`, result.trace));
  } catch (e) {
    if (key && e instanceof AlreadyExistsError) {
      const r = await replay();
      if (r) return r;
    }
    throw e;
  }
  const [stored, after] = await Promise.all([deps.store.getCase(caseId), deps.store.listEnrollments(identityKey)]);
  return {
    value: {
      case: caseView(stored),
      decisions: (stored.data.decisions as Record<string, unknown>) ?? {},
      enrollments: after,
    },
    replayed: false,
  };
}
