/**
 * Local execution adapter for Step Functions definitions (JSONPath ASL, Standard workflows) on top of
 * aws-local-stepfunctions 3. See README.md in this folder.
 */

export { type Clock, type Duration, durationToMs, MAX_TIMER_MS, RealClock, sleepOn, VirtualClock } from './clock.js';
export type { Bindings, CompiledMachine, TaskFunction, TaskInvocation } from './compile.js';
export { compileDefinition } from './compile.js';
export { DefinitionError, SfnApiError, type SfnApiErrorCode, UnsupportedFeatureError } from './errors.js';
export { countTransitions, type LocalEvent, type LocalEventType, type TransitionCount } from './events.js';
export {
  type CreateStateMachineInput,
  type ExecutionDescription,
  type ExecutionHandle,
  type ExecutionStatus,
  HANDLER_SEGMENT_MS,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  type LocalStateMachine,
} from './runtime.js';
export {
  type CfnTemplate,
  listStateMachines,
  type ResolvedStateMachine,
  type ResolveOptions,
  resolveTemplateValue,
  stateMachineFromTemplate,
  stateMachinesFromTemplate,
} from './template.js';
export type { TaskTokenInfo } from './tokens.js';
export type { AslDefinition, AslState, Json, JsonObject } from './types.js';
