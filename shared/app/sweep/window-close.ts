/**
 * The sweep's window-close job (W-1, W-2): a 90-day newborn or identity-conversion window whose last
 * day was the day before the run. Enrolled within the window: the case completes. Not enrolled: the
 * case closes and records what enrolling from the run's day means now (waiting days, cover start), as
 * the waiting-period decision of the engine decides it, with its trace in the audit record.
 */
import { addDays, type CalendarDate } from '#domain/calendar.js';
import type { Trace } from '#rules/engine.js';
import { DecisionError } from '#rules/errors.js';
import { waitingPeriod } from '#rules/waiting-period/decision.js';
import { decide, inputOf, isClosed, retryConflicts, type WorkflowDeps } from '../workflows/common.js';
import { sweepCtx } from './context.js';

interface WindowCaseData {
  readonly identityKey: string;
  readonly birthDate?: CalendarDate;
  readonly conversionDate?: CalendarDate;
  readonly scheme?: 'employee' | 'resident';
  readonly mode?: 'unit' | 'flexible';
}

/** W-1/W-2: the 90-day window closed. Enrolled in time: complete; else close and record the rules that apply now. */
export async function closeWindow(
  deps: WorkflowDeps,
  caseId: string,
  date: CalendarDate,
): Promise<'windowsCompleted' | 'windowsClosed' | null> {
  return retryConflicts(async () => {
    const c = await deps.store.getCase(caseId);
    const lastDay = addDays(date, -1);
    if (isClosed(c) || c.wait?.until !== lastDay) return null;
    const d = c.data as unknown as WindowCaseData;
    const enrollments = await deps.store.listEnrollments(d.identityKey);
    const inTime = enrollments.find((e) => e.enrolledOn <= lastDay);
    const newborn = c.caseType === 'newborn-window';
    if (inTime) {
      await deps.store.saveCase(
        {
          ...inputOf(c),
          state: 'completed',
          wait: null,
          taskToken: null,
          closedOn: date,
          data: { ...c.data, enrolledInWindow: { enrollmentId: inTime.enrollmentId, on: inTime.enrolledOn } },
        },
        c.version,
        sweepCtx(`${newborn ? 'W-1' : 'W-2'}: enrolled on ${inTime.enrolledOn}, within the 90-day window`),
      );
      return 'windowsCompleted';
    }
    // What enrolling from today means, as the engine decides it (the trace goes to the audit record).
    let later: { decidedBy: string; waitingDays: number; coverStarts: string } | null = null;
    let trace: Trace | undefined;
    try {
      const scheme = d.scheme ?? 'resident';
      const r = decide(
        waitingPeriod,
        {
          region: c.region,
          scheme,
          ...(scheme === 'employee'
            ? { mode: d.mode ?? 'flexible', feeMonth: date.slice(0, 7) }
            : { feeYear: Number(date.slice(0, 4)) }),
          paidAt: date,
          group: newborn ? 'newborn' : 'identity-conversion',
          ...(d.birthDate ? { birthDate: d.birthDate } : {}),
          ...(d.conversionDate ? { conversionDate: d.conversionDate } : {}),
        },
        date,
      );
      later = { decidedBy: r.value.decidedBy, waitingDays: r.value.waitingDays, coverStarts: r.value.coverStarts };
      trace = r.trace;
    } catch (e) {
      if (!(e instanceof DecisionError)) throw e;
    }
    const rule = newborn ? 'W-1' : 'W-2';
    await deps.store.saveCase(
      {
        ...inputOf(c),
        state: 'closed',
        wait: null,
        taskToken: null,
        closedOn: date,
        data: { ...c.data, windowClosed: { lastDay, ifEnrolledOn: date, ...(later ? { later } : {}) } },
      },
      c.version,
      sweepCtx(
        `${rule}: the 90-day window ended on ${lastDay} with no enrollment; later rules apply${later ? ` (${later.decidedBy}: ${later.waitingDays} days' waiting if enrolled on ${date})` : ''}`,
        trace,
      ),
    );
    return 'windowsClosed';
  });
}
