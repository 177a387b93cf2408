/** Errors of the parameter store: a value not loaded (P-3), no policy set in force (P-1), bad parameter data. */
import { DecisionError } from '#domain/errors.js';

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

/** Bad parameter data: refused at load time, before any decision runs. */
export class ParameterDataError extends Error {
  readonly code = 'invalid-parameter-data';
  constructor(readonly problems: readonly string[]) {
    super(`invalid parameter data:\n- ${problems.join('\n- ')}`);
  }
}
