/** Errors the adapter raises to its callers (not errors inside an execution, which follow ASL semantics). */

/** The definition uses something this adapter cannot run faithfully; raised before any execution starts. */
export class UnsupportedFeatureError extends Error {
  override readonly name = 'UnsupportedFeatureError';
  constructor(
    readonly stateName: string | undefined,
    readonly feature: string,
    detail?: string,
  ) {
    super(
      `local-sfn cannot run ${stateName === undefined ? 'the state machine' : `state "${stateName}"`}: ${feature}` +
        (detail ? ` (${detail})` : ''),
    );
  }
}

/** The definition is not valid ASL, or a template cannot be resolved. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
}

/** Same codes as the Step Functions API, so callers can branch on `code` the way they would on the SDK's error name. */
export type SfnApiErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'InvalidToken'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'InvalidExecutionInput'
  | 'InvalidOutput';

export class SfnApiError extends Error {
  constructor(
    readonly code: SfnApiErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = code;
  }
}
