/**
 * Every decision of the policy engine as a what-if calculator: the facts in, the decision's value and trace
 * out, nothing stored (so it needs only a clock). Region-checked like everything else: staff ask about their
 * own region's rules.
 */
import type { CalendarDate } from '#domain/calendar.js';
import type { DecisionResult } from '#rules/engine.js';
import { decide, decisionIds, findDecision } from '#rules/registry.js';
import type { Clock } from '../ports.js';
import { requireRegion, type StaffMember } from './context.js';
import { UnknownResourceError } from './errors.js';

/** POST /decisions/{id}?asOf=YYYY-MM-DD */
export function whatIf(
  clock: Clock,
  staff: StaffMember,
  id: string,
  facts: { region: string } & Record<string, unknown>,
  asOf?: CalendarDate,
): DecisionResult<unknown> {
  if (!findDecision(id)) throw new UnknownResourceError(`no decision ${id}`, { decisions: decisionIds() });
  requireRegion(staff, facts.region, 'a decision');
  return decide(id, facts, asOf ?? clock.today());
}
