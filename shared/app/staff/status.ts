/**
 * "For a person and a date: scheme, enrollment status, whether medical costs on that date are covered, and
 * why" (WORKFLOWS.md). The answer is read, never decided again: the stored status history and cover periods
 * (E-7 and the rules that set each period, with their articles), and the engine trace of the decision that
 * set the deciding cover period, taken from the person's audit trail.
 */
import type { CalendarDate } from '#domain/calendar.js';
import type { Trace } from '#rules/engine.js';
import type { AuditRecord, Enrollment, Person, StatusOnDate } from '#store/model.js';
import { personInRegion, type StaffDeps, type StaffMember } from './context.js';

export interface PersonStatusView {
  readonly person: Person;
  readonly status: StatusOnDate;
  readonly enrollment: Enrollment | null;
  readonly trace: Trace | null;
}

/** Audit pages read to find the trace; a person's partition holds a few records per month of contributions. */
const AUDIT_PAGES = 10;
const AUDIT_PAGE_SIZE = 100;

async function deciding(deps: StaffDeps, identityKey: string, status: StatusOnDate): Promise<Trace | null> {
  if (!status.enrollmentId) return null;
  const subject = `enrollment:${status.enrollmentId}`;
  const wanted = status.coverPeriod?.decision;
  let best: AuditRecord | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < AUDIT_PAGES; page++) {
    const p = await deps.store.auditTrail({ identityKey }, { limit: AUDIT_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const r of p.items) {
      if (r.subject !== subject || !r.trace) continue;
      // Oldest first: the last match is the latest decision; one of the cover period's own kind wins.
      if (!wanted || r.trace.decision === wanted || best?.trace?.decision !== wanted) best = r;
    }
    cursor = p.cursor;
    if (!cursor) break;
  }
  return best?.trace ?? null;
}

/** GET /persons/{identityKey}/status?date=YYYY-MM-DD */
export async function personStatus(
  deps: StaffDeps,
  staff: StaffMember,
  identityKey: string,
  date: CalendarDate,
): Promise<PersonStatusView> {
  const { person, enrollments } = await personInRegion(deps, staff, identityKey);
  const status = await deps.store.statusOn(identityKey, date);
  const enrollment = enrollments.find((e) => e.enrollmentId === status.enrollmentId) ?? null;
  return { person, status, enrollment, trace: await deciding(deps, identityKey, status) };
}
