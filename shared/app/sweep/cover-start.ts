/**
 * The sweep's cover-start job (W-6/W-7): a `waiting-period-expiry` case whose wait ended the day before
 * the run puts the enrollment's cover period in force from the run's day and completes. When a W-7
 * repair or a correction has moved the cover's start later since the case was opened, the case waits
 * on to the new day instead.
 */
import { addDays, type CalendarDate } from '#domain/calendar.js';
import type { AtomicChange } from '#store/case-store.js';
import type { CoverPeriod } from '#store/model.js';
import { enrollmentInputOf, inputOf, isClosed, retryConflicts, type WorkflowDeps } from '../workflows/common.js';
import { sweepCtx } from './context.js';

interface WaitingCaseData {
  readonly identityKey: string;
  readonly enrollmentId: string;
  /** The cover the waiting period holds back, as the engine decided it (coverPeriodFromWaitingPeriod). */
  readonly coverPeriod?: CoverPeriod;
}

/** W-6/W-7: the waiting period ended yesterday; the cover period is in force from today. */
export async function startCover(
  deps: WorkflowDeps,
  caseId: string,
  date: CalendarDate,
): Promise<'coverStarted' | 'coverRescheduled' | null> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(caseId);
    if (isClosed(c) || c.wait?.until !== addDays(date, -1)) return null;
    const d = c.data as unknown as WaitingCaseData;
    const e = await deps.store.getEnrollment(d.identityKey, d.enrollmentId);
    const inForce = e.coverPeriods.find((p) => p.start <= date && (p.end === null || p.end >= date));
    const pending = d.coverPeriod;
    if (!inForce && pending && pending.start > date) {
      // A W-7 repair or a correction moved the start: wait to the new day before it.
      await deps.store.saveCase(
        { ...inputOf(c), wait: { for: c.wait.for, until: addDays(pending.start, -1) } },
        c.version,
        sweepCtx(`waiting period now ends on ${addDays(pending.start, -1)}; cover from ${pending.start}`),
      );
      return 'coverRescheduled';
    }
    const added = !inForce && pending ? pending : null;
    const cover = inForce ?? added;
    const changes: AtomicChange[] = [];
    if (added)
      changes.push({
        kind: 'enrollment',
        enrollment: { ...enrollmentInputOf(e), coverPeriods: [...e.coverPeriods, added] },
        expectedVersion: e.version,
      });
    changes.push({
      kind: 'case',
      case: {
        ...inputOf(c),
        state: 'completed',
        wait: null,
        taskToken: null,
        closedOn: date,
        data: { ...c.data, coverStartedOn: date },
      },
      expectedVersion: c.version,
    });
    const rules = cover ? cover.rules.map((r) => r.id).join(', ') : 'W-6';
    await deps.store.commit(
      changes,
      sweepCtx(
        cover
          ? `${rules}: the waiting period ended on ${addDays(date, -1)}; covered from ${date}: ${cover.reason.en}`
          : `W-6: the waiting period ended on ${addDays(date, -1)}, but no cover period is recorded; staff to check`,
      ),
    );
    return 'coverStarted';
  });
}
