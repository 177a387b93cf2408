/**
 * Typed errors of the policy engine. Each has a stable `code` and a JSON form that names exactly
 * what is wrong, so the CLI, the staff API and the workflows can report it without guessing.
 */
import { DecisionError, type FieldIssue } from '#domain/errors.js';

export { DecisionError, type FieldIssue } from '#domain/errors.js';
export { MissingParameterError, NoPolicyInForceError, ParameterDataError } from '#params/errors.js';

/** Facts that do not match a decision's input schema. Lists every bad field. */
export class InputError extends DecisionError {
  readonly code = 'invalid-input';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid input: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
  override toJSON() {
    return { error: this.code, message: this.message, issues: this.issues };
  }
}

/** A case that no rule decides: an error, never a silent default. */
export class NoApplicableRuleError extends DecisionError {
  readonly code = 'no-applicable-rule';
  constructor(
    readonly question: string,
    readonly considered: readonly string[],
    readonly detail = '',
  ) {
    super(`no rule decides ${question} (considered ${considered.join(', ') || 'none'})${detail ? `: ${detail}` : ''}`);
  }
  override toJSON() {
    return { error: this.code, message: this.message, question: this.question, considered: this.considered };
  }
}

/** Two rules of the same level apply and disagree. */
export class RuleConflictError extends DecisionError {
  readonly code = 'rule-conflict';
  constructor(
    readonly question: string,
    readonly rules: readonly string[],
  ) {
    super(`rules ${rules.join(' and ')} both apply to ${question} and disagree`);
  }
  override toJSON() {
    return { error: this.code, message: this.message, question: this.question, rules: this.rules };
  }
}
