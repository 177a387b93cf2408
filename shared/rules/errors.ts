/**
 * Typed errors of the policy engine. Each has a stable `code` and a JSON form that names exactly
 * what is wrong, so the CLI, the staff API and the workflows can report it without guessing.
 */

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export abstract class DecisionError extends Error {
  abstract readonly code: string;
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message };
  }
}

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

/** P-3: a parameter the agency has not loaded for that region and date. Never a default. */
export class MissingParameterError extends DecisionError {
  readonly code = 'missing-parameter';
  constructor(
    readonly parameter: string,
    readonly region: string,
    readonly on: string,
    readonly policySet: string,
    detail: string,
  ) {
    super(`parameter ${parameter} is not loaded for region ${region} on ${on} (policy set ${policySet})${detail}`);
  }
  override toJSON() {
    return {
      error: this.code,
      message: this.message,
      parameter: this.parameter,
      region: this.region,
      on: this.on,
      policySet: this.policySet,
    };
  }
}

/** P-1: no policy set is in force for the region on the business date. */
export class NoPolicyInForceError extends DecisionError {
  readonly code = 'no-policy-in-force';
  constructor(
    readonly region: string,
    readonly on: string,
  ) {
    super(`no policy set is in force in region ${region} on ${on}`);
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

/** Bad parameter data: refused at load time, before any decision runs. */
export class ParameterDataError extends Error {
  readonly code = 'invalid-parameter-data';
  constructor(readonly problems: readonly string[]) {
    super(`invalid parameter data:\n- ${problems.join('\n- ')}`);
  }
}
