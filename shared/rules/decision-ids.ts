/**
 * The ids of every decision, in the registry's order, without the decisions themselves: for code that
 * only names them (the staff API's `decisionPath` schema and its OpenAPI description), so that importing
 * the ids does not bundle and evaluate every rule. shared/rules/registry.ts refuses to load when this list
 * and its DECISIONS disagree, so the two cannot drift (every test, the CLI and the docs load the registry).
 */
export const DECISION_IDS = [
  'identity-key',
  'enrollment-eligibility',
  'registration-deadline',
  'duplicate-resolution',
  'unit-contribution',
  'flexible-contribution',
  'unemployment-contribution',
  'resident-contribution',
  'maternity-benefit',
  'waiting-period',
  'arrears',
  'bankruptcy-deferral',
  'refund',
  'retirement-age',
  'retirement-transfer',
  'major-illness-limit',
] as const;
