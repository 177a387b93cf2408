/**
 * Turns an engine decision into what the store keeps: a cover period with the rules that applied
 * (and their articles) and the reason, so "covered on D, and why" is read back without deciding again.
 */
import type { CalendarDate } from '#domain/calendar.js';
import type { DecisionResult, Trace } from '#rules/engine.js';
import type { WaitingPeriod } from '#rules/waiting-period/decision.js';
import type { CoverPeriod, RuleRef } from './model.js';

/** The rules a trace applied, in the order it applied them. */
export function appliedRules(trace: Trace): RuleRef[] {
  return trace.rules.filter((r) => r.outcome === 'applied').map((r) => ({ id: r.id, cites: r.cites }));
}

/** The cover a waiting-period decision grants: from its `coverStarts` to `end` (null: open-ended). */
export function coverPeriodFromWaitingPeriod(
  result: DecisionResult<WaitingPeriod>,
  end: CalendarDate | null,
  notificationId?: string,
): CoverPeriod {
  return {
    start: result.value.coverStarts,
    end,
    rules: appliedRules(result.trace),
    reason: result.trace.reason,
    decision: result.decision,
    ...(notificationId ? { notificationId } : {}),
  };
}
