/**
 * Every decision of the policy engine, by id. The CLI, the staff API's what-if calculator, the
 * workflow tasks and docs/decisions.md all read this one list.
 */
import type { CalendarDate } from '#domain/calendar.js';
import { parameters } from '#params/index.js';
import type { ParameterStore } from '#params/store.js';
import { decisions as arrears } from './bundles/arrears.js';
import { decisions as contributions } from './bundles/contributions.js';
import { decisions as enrollment } from './bundles/enrollment.js';
import { decisions as retirement } from './bundles/retirement.js';
import { decisions as waiting } from './bundles/waiting.js';
import { DECISION_IDS } from './decision-ids.js';
import { type AnyDecision, type DecisionResult, evaluate, parseFacts } from './engine.js';

export const DECISIONS: readonly AnyDecision[] = [
  ...enrollment,
  ...contributions,
  ...waiting,
  ...arrears,
  ...retirement,
];

if (DECISIONS.map((d) => d.id).join() !== DECISION_IDS.join()) {
  throw new Error(
    `shared/rules/decision-ids.ts lists ${DECISION_IDS.join(', ')} but the registry has ${DECISIONS.map((d) => d.id).join(', ')}`,
  );
}

const BY_ID = new Map(DECISIONS.map((d) => [d.id, d]));

export function decisionIds(): string[] {
  return DECISIONS.map((d) => d.id);
}

export function findDecision(id: string): AnyDecision | undefined {
  return BY_ID.get(id);
}

/** Validates raw facts and decides. Throws InputError (bad fields) or another DecisionError. */
export function decide(
  id: string,
  rawFacts: unknown,
  asOf: CalendarDate,
  store: ParameterStore = parameters(),
): DecisionResult<unknown> {
  const spec = BY_ID.get(id);
  if (!spec) throw new RangeError(`unknown decision ${id}`);
  return evaluate(spec, parseFacts(spec, rawFacts), asOf, store);
}
