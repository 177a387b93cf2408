/**
 * Turns an ASL definition into "flat" machines that aws-local-stepfunctions can run faithfully, after refusing
 * anything we cannot run.
 *
 * Why flat: the library's own Map and Parallel forward nested events to the parent asynchronously and drop the ones
 * that arrive after the parent closes (so transitions cannot be counted), and its Task/Wait timers are real
 * setTimeouts. So the library only ever runs Pass, Choice, Succeed, Fail and Task states here. Every Task, Wait,
 * Parallel and Map state is rewritten into a library Task whose local handler (runtime.ts) does the work on our clock,
 * running branches / iterations / child workflows as separate flat machines. The library still does what it does
 * well: paths, payload templates, intrinsic functions, ResultSelector/ResultPath/OutputPath, Choice rules,
 * Retry/Catch matching.
 */
import aslValidator from 'asl-validator';
import { DefinitionError, UnsupportedFeatureError } from './errors.js';
import type { AslDefinition, AslState, Json } from './types.js';

/** Error name of the synthetic retry used to resume a long-running handler (see runtime.ts). Never shown to callers. */
export const CONTINUE_ERROR = 'LocalSfn.Continue';
/**
 * TimeoutSeconds given to the library for rewritten Tasks. The library arms a real setTimeout with it; handlers
 * yield (CONTINUE_ERROR) well before it fires, so it never decides a timeout. 15 days < the 24.8-day overflow.
 */
export const LIBRARY_TASK_TIMEOUT_SECONDS = 15 * 86_400;

export type TaskFunction = (input: Json, invocation: TaskInvocation) => Promise<Json | undefined> | Json | undefined;

export interface TaskInvocation {
  stateName: string;
  resource: string;
  executionArn: string;
  executionName: string;
  /** Present for .waitForTaskToken tasks (also already substituted wherever Parameters used $$.Task.Token). */
  taskToken?: string;
  /** Clock time of the call, epoch ms. */
  now: number;
}

export interface Bindings {
  /** Lambda handlers keyed by function ARN, function name, or CloudFormation logical id. */
  lambdas?: Record<string, TaskFunction>;
  /**
   * Other Task resources keyed by resource ARN, e.g. "arn:aws:states:::dynamodb:updateItem". For
   * ".waitForTaskToken" resources the key may omit the suffix; ".sync" resources and activities need their exact ARN.
   */
  integrations?: Record<string, TaskFunction>;
}

export type TaskBinding =
  | { kind: 'lambda'; fn: TaskFunction; functionRef: string; callback: false }
  | { kind: 'lambda-invoke'; fn: TaskFunction; functionRef: string; callback: boolean }
  | { kind: 'integration'; fn: TaskFunction; callback: boolean };

export interface FlatMachine {
  /** Path of this machine inside the definition, e.g. "" (root), "Fanout/branch[1]", "Renew/processor". */
  path: string;
  definition: AslDefinition;
  /** EXPRESS when this is a Distributed Map processor run as Express child workflows. */
  executionType: 'STANDARD' | 'EXPRESS';
}

export type HandlerSpec =
  | { kind: 'task'; name: string; state: AslState; binding: TaskBinding }
  | { kind: 'wait'; name: string; state: AslState }
  | { kind: 'parallel'; name: string; state: AslState; branches: FlatMachine[] }
  | { kind: 'map'; name: string; state: AslState; processor: FlatMachine; distributed: boolean };

export interface CompiledMachine {
  original: AslDefinition;
  root: FlatMachine;
  /** Rewritten states by (globally unique) name. */
  handlers: Map<string, HandlerSpec>;
  /** Original Type of every state, for the event log. */
  stateTypes: Map<string, string>;
  /** Number of retriers per rewritten state in the library definition (for zeroing the library's retry sleeps). */
  retrierCounts: Map<string, number>;
  timeoutSeconds?: number;
}

const COMMON = ['Type', 'Comment'];
const IO = ['InputPath', 'OutputPath'];
const FLOW = ['Next', 'End'];
const ALLOWED: Record<string, string[]> = {
  Task: [
    ...COMMON,
    ...IO,
    ...FLOW,
    'Resource',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
  ],
  Pass: [...COMMON, ...IO, ...FLOW, 'Parameters', 'ResultPath', 'Result'],
  Wait: [...COMMON, ...IO, ...FLOW, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'],
  Choice: [...COMMON, ...IO, 'Choices', 'Default'],
  Succeed: [...COMMON, ...IO],
  Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [...COMMON, ...IO, ...FLOW, 'Branches', 'Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch'],
  Map: [
    ...COMMON,
    ...IO,
    ...FLOW,
    'ItemsPath',
    'ItemSelector',
    'Parameters',
    'Iterator',
    'ItemProcessor',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'ItemReader',
    'ItemBatcher',
    'ResultWriter',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'Label',
  ],
};
const DISTRIBUTED_ONLY = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'Label',
];
/** Fields we recognise but refuse, with the feature name used in the error. */
const REFUSED_FIELDS: Record<string, string> = {
  Assign: 'Variables (Assign)',
  Output: 'JSONata Output field',
  Arguments: 'JSONata Arguments field',
  HeartbeatSeconds: 'HeartbeatSeconds (SendTaskHeartbeat is not emulated)',
  HeartbeatSecondsPath: 'HeartbeatSecondsPath (SendTaskHeartbeat is not emulated)',
  Credentials: 'cross-account Task Credentials',
  Items: 'JSONata Items field',
};
const CHOICE_OPERATORS = new Set(
  [
    'StringEquals',
    'StringLessThan',
    'StringGreaterThan',
    'StringLessThanEquals',
    'StringGreaterThanEquals',
    'StringMatches',
    'NumericEquals',
    'NumericLessThan',
    'NumericGreaterThan',
    'NumericLessThanEquals',
    'NumericGreaterThanEquals',
    'BooleanEquals',
    'TimestampEquals',
    'TimestampLessThan',
    'TimestampGreaterThan',
    'TimestampLessThanEquals',
    'TimestampGreaterThanEquals',
    'IsNull',
    'IsPresent',
    'IsNumeric',
    'IsString',
    'IsBoolean',
    'IsTimestamp',
  ].flatMap((op) => (op.startsWith('Is') || op === 'StringMatches' ? [op] : [op, `${op}Path`])),
);
const RETRIER_FIELDS = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
const CATCHER_FIELDS = ['ErrorEquals', 'Next', 'ResultPath', 'Comment'];
const READER_RESOURCES = ['s3:getObject', 's3:listObjectsV2'];

const LAMBDA_ARN = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:([\w-]+)(?::([\w$-]+))?$/;
const SERVICE_ARN = /^arn:[\w-]+:states:::([\w-]+):([\w-]+?)(\.sync(?::2)?|\.waitForTaskToken)?$/;

export interface CompileOptions {
  bindings: Bindings;
  /** Resolved template value → logical id (from template intake), so bindings may be keyed by logical id. */
  tokenOrigins?: Map<string, string>;
}

export function compileDefinition(input: AslDefinition | string, options: CompileOptions): CompiledMachine {
  const original = (typeof input === 'string' ? parseDefinition(input) : structuredClone(input)) as AslDefinition;
  // Refusals first: they are more specific than the validator's schema errors for the same fields.
  const stateTypes = new Map<string, string>();
  const handlers = new Map<string, HandlerSpec>();
  const retrierCounts = new Map<string, number>();
  const ctx: Ctx = { options, stateTypes, handlers, retrierCounts };
  checkMachineFields(
    original,
    ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'],
    undefined,
  );
  const root = compileMachine(original, '', 'STANDARD', ctx);
  const { isValid, errorsText } = aslValidator(original, { checkArn: true, checkPaths: true });
  if (!isValid) throw new DefinitionError(`State machine definition is invalid:\n${errorsText('\n')}`);
  delete root.definition.TimeoutSeconds; // run on our clock instead of the library's setTimeout
  return { original, root, handlers, stateTypes, retrierCounts, timeoutSeconds: original.TimeoutSeconds };
}

function parseDefinition(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DefinitionError(`Definition is not valid JSON: ${(e as Error).message}`);
  }
}

interface Ctx {
  options: CompileOptions;
  stateTypes: Map<string, string>;
  handlers: Map<string, HandlerSpec>;
  retrierCounts: Map<string, number>;
}

function checkMachineFields(def: Record<string, unknown>, allowed: string[], owner: string | undefined): void {
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath')
    throw new UnsupportedFeatureError(
      owner,
      `QueryLanguage ${String(def.QueryLanguage)}`,
      'only JSONPath is supported',
    );
  for (const k of Object.keys(def)) {
    if (!allowed.includes(k))
      throw new UnsupportedFeatureError(owner, `field "${k}"`, 'not supported at machine level');
  }
}

function compileMachine(
  def: AslDefinition,
  path: string,
  executionType: FlatMachine['executionType'],
  ctx: Ctx,
): FlatMachine {
  if (!def.States || typeof def.States !== 'object') throw new DefinitionError(`${path || 'root'}: no States`);
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(def.States)) {
    if (ctx.stateTypes.has(name))
      throw new DefinitionError(`State name "${name}" is used twice; names must be unique in the whole machine`);
    ctx.stateTypes.set(name, state.Type);
    states[name] = compileState(name, state, path, executionType, ctx);
  }
  const flat: AslDefinition = { StartAt: def.StartAt, States: states };
  if (def.TimeoutSeconds !== undefined) flat.TimeoutSeconds = def.TimeoutSeconds;
  return { path, definition: flat, executionType };
}

function compileState(name: string, state: AslState, path: string, executionType: string, ctx: Ctx): AslState {
  checkStateFields(name, state);
  scanPaths(name, state);
  switch (state.Type) {
    case 'Pass':
    case 'Choice':
    case 'Succeed':
    case 'Fail':
      if (state.Type === 'Choice') checkChoiceRules(name, state.Choices);
      return state;
    case 'Task': {
      const binding = resolveBinding(name, state, ctx.options);
      if (binding.callback && executionType === 'EXPRESS')
        throw new UnsupportedFeatureError(
          name,
          '.waitForTaskToken inside an EXPRESS child workflow',
          'AWS rejects it too',
        );
      if (binding.callback && !JSON.stringify(state.Parameters ?? null).includes('$$.Task.Token'))
        throw new UnsupportedFeatureError(name, '.waitForTaskToken without $$.Task.Token in Parameters');
      ctx.handlers.set(name, { kind: 'task', name, state, binding });
      return rewriteAsTask(name, state, ctx, {
        in: state.Parameters,
        extra: state.TimeoutSecondsPath ? { 'timeoutSeconds.$': state.TimeoutSecondsPath as string } : {},
        keep: ['ResultSelector', 'ResultPath', 'Retry', 'Catch'],
      });
    }
    case 'Wait': {
      const extra: Record<string, Json> = {};
      if (state.SecondsPath) extra['seconds.$'] = state.SecondsPath as string;
      if (state.TimestampPath) extra['timestamp.$'] = state.TimestampPath as string;
      ctx.handlers.set(name, { kind: 'wait', name, state });
      return rewriteAsTask(name, state, ctx, { extra, keep: [] });
    }
    case 'Parallel': {
      const branches = ((state.Branches as AslDefinition[]) ?? []).map((b, i) => {
        checkMachineFields(b, ['StartAt', 'States', 'Comment'], name);
        return compileMachine(b, `${path}${name}/branch[${i}]`, executionType as FlatMachine['executionType'], ctx);
      });
      ctx.handlers.set(name, { kind: 'parallel', name, state, branches });
      return rewriteAsTask(name, state, ctx, {
        in: state.Parameters,
        keep: ['ResultSelector', 'ResultPath', 'Retry', 'Catch'],
      });
    }
    case 'Map':
      return compileMap(name, state, path, executionType, ctx);
    default:
      throw new DefinitionError(`State "${name}" has unknown Type ${String(state.Type)}`);
  }
}

function compileMap(name: string, state: AslState, path: string, executionType: string, ctx: Ctx): AslState {
  const processorDef = (state.ItemProcessor ?? state.Iterator) as
    | (AslDefinition & { ProcessorConfig?: Record<string, unknown> })
    | undefined;
  if (!processorDef) throw new DefinitionError(`Map state "${name}" has no ItemProcessor`);
  const config = processorDef.ProcessorConfig ?? {};
  for (const k of Object.keys(config))
    if (k !== 'Mode' && k !== 'ExecutionType') throw new UnsupportedFeatureError(name, `ProcessorConfig.${k}`);
  const distributed = config.Mode === 'DISTRIBUTED';
  if (config.Mode !== undefined && config.Mode !== 'INLINE' && !distributed)
    throw new UnsupportedFeatureError(name, `ProcessorConfig.Mode ${String(config.Mode)}`);
  if (!distributed) {
    for (const f of DISTRIBUTED_ONLY)
      if (state[f] !== undefined)
        throw new UnsupportedFeatureError(name, `${f} on an inline Map`, 'only valid in DISTRIBUTED mode');
  }
  const childType = distributed ? (config.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD') : executionType;
  const { ProcessorConfig: _ignored, ...processorStates } = processorDef;
  checkMachineFields(processorStates, ['StartAt', 'States', 'Comment'], name);
  const processor = compileMachine(
    processorStates as AslDefinition,
    `${path}${name}/processor`,
    childType as FlatMachine['executionType'],
    ctx,
  );
  const extra: Record<string, Json> = {};
  if (state.MaxConcurrencyPath) extra['maxConcurrency.$'] = state.MaxConcurrencyPath as string;
  if (distributed) {
    checkDistributedFields(name, state);
    const reader = state.ItemReader as Record<string, unknown> | undefined;
    const readerConfig = (reader?.ReaderConfig ?? {}) as Record<string, unknown>;
    if (reader?.Parameters !== undefined) extra.reader = reader.Parameters as Json;
    if (readerConfig.MaxItemsPath) extra['readerMaxItems.$'] = readerConfig.MaxItemsPath as string;
    const batcher = state.ItemBatcher as Record<string, unknown> | undefined;
    if (batcher?.BatchInput !== undefined) extra.batchInput = batcher.BatchInput as Json;
    if (batcher?.MaxItemsPerBatchPath) extra['maxItemsPerBatch.$'] = batcher.MaxItemsPerBatchPath as string;
    if (batcher?.MaxInputBytesPerBatchPath)
      extra['maxInputBytesPerBatch.$'] = batcher.MaxInputBytesPerBatchPath as string;
    if (state.ToleratedFailurePercentagePath)
      extra['toleratedFailurePercentage.$'] = state.ToleratedFailurePercentagePath as string;
    if (state.ToleratedFailureCountPath) extra['toleratedFailureCount.$'] = state.ToleratedFailureCountPath as string;
    const writer = state.ResultWriter as Record<string, unknown> | undefined;
    if (writer?.Parameters !== undefined) extra.writer = writer.Parameters as Json;
  }
  // With an ItemReader the items come from S3, not from ItemsPath.
  if (!(distributed && state.ItemReader)) extra['items.$'] = (state.ItemsPath as string | undefined) ?? '$';
  ctx.handlers.set(name, { kind: 'map', name, state, processor, distributed });
  return rewriteAsTask(name, state, ctx, { extra, keep: ['ResultSelector', 'ResultPath', 'Retry', 'Catch'] });
}

function checkDistributedFields(name: string, state: AslState): void {
  const reader = state.ItemReader as Record<string, unknown> | undefined;
  if (reader) {
    for (const k of Object.keys(reader))
      if (!['Resource', 'Parameters', 'ReaderConfig'].includes(k))
        throw new UnsupportedFeatureError(name, `ItemReader.${k}`);
    const m = SERVICE_ARN.exec(String(reader.Resource));
    const op = m ? `${m[1]}:${m[2]}` : String(reader.Resource);
    if (!m || m[3] || !READER_RESOURCES.includes(op))
      throw new UnsupportedFeatureError(
        name,
        `ItemReader resource ${String(reader.Resource)}`,
        `supported: ${READER_RESOURCES.join(', ')}`,
      );
    const config = (reader.ReaderConfig ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(config))
      if (!['InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter', 'MaxItems', 'MaxItemsPath'].includes(k))
        throw new UnsupportedFeatureError(name, `ItemReader.ReaderConfig.${k}`);
    if (op === 's3:getObject' && !['JSON', 'JSONL', 'CSV'].includes(String(config.InputType)))
      throw new UnsupportedFeatureError(
        name,
        `ItemReader InputType ${String(config.InputType)}`,
        'supported: JSON, JSONL, CSV',
      );
  }
  const batcher = state.ItemBatcher as Record<string, unknown> | undefined;
  if (batcher) {
    for (const k of Object.keys(batcher))
      if (
        ![
          'MaxItemsPerBatch',
          'MaxItemsPerBatchPath',
          'MaxInputBytesPerBatch',
          'MaxInputBytesPerBatchPath',
          'BatchInput',
        ].includes(k)
      )
        throw new UnsupportedFeatureError(name, `ItemBatcher.${k}`);
  }
  const writer = state.ResultWriter as Record<string, unknown> | undefined;
  if (writer) {
    for (const k of Object.keys(writer))
      if (k !== 'Resource' && k !== 'Parameters')
        throw new UnsupportedFeatureError(name, `ResultWriter.${k}`, 'only Resource and Parameters are emulated');
    if (!/^arn:[\w-]+:states:::s3:putObject$/.test(String(writer.Resource)))
      throw new UnsupportedFeatureError(name, `ResultWriter resource ${String(writer.Resource)}`);
  }
}

function checkStateFields(name: string, state: AslState): void {
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath')
    throw new UnsupportedFeatureError(
      name,
      `QueryLanguage ${String(state.QueryLanguage)}`,
      'only JSONPath is supported',
    );
  const allowed = ALLOWED[state.Type];
  if (!allowed) throw new DefinitionError(`State "${name}" has unknown Type ${String(state.Type)}`);
  for (const k of Object.keys(state)) {
    if (k === 'QueryLanguage') continue;
    if (REFUSED_FIELDS[k]) throw new UnsupportedFeatureError(name, REFUSED_FIELDS[k]);
    if (!allowed.includes(k)) throw new UnsupportedFeatureError(name, `field "${k}" on a ${state.Type} state`);
  }
  for (const r of (state.Retry as Record<string, unknown>[] | undefined) ?? [])
    for (const k of Object.keys(r))
      if (!RETRIER_FIELDS.includes(k)) throw new UnsupportedFeatureError(name, `Retry field "${k}"`);
  for (const c of (state.Catch as Record<string, unknown>[] | undefined) ?? [])
    for (const k of Object.keys(c)) {
      if (REFUSED_FIELDS[k]) throw new UnsupportedFeatureError(name, `Catch ${REFUSED_FIELDS[k]}`);
      if (!CATCHER_FIELDS.includes(k)) throw new UnsupportedFeatureError(name, `Catch field "${k}"`);
    }
}

function checkChoiceRules(name: string, rules: unknown, nested = false): void {
  for (const rule of (Array.isArray(rules) ? rules : [rules]) as Record<string, unknown>[]) {
    if (!rule || typeof rule !== 'object') continue;
    for (const k of Object.keys(rule)) {
      if (k === 'Condition') throw new UnsupportedFeatureError(name, 'JSONata Choice Condition');
      if (k === 'Assign' || k === 'Output') throw new UnsupportedFeatureError(name, `Choice rule ${REFUSED_FIELDS[k]}`);
      if (['Variable', 'Comment'].includes(k) || (k === 'Next' && !nested) || CHOICE_OPERATORS.has(k)) continue;
      if (k === 'And' || k === 'Or') checkChoiceRules(name, rule[k], true);
      else if (k === 'Not') checkChoiceRules(name, [rule[k]], true);
      else throw new UnsupportedFeatureError(name, `Choice rule field "${k}"`);
    }
  }
}

/** A path that starts with "$" but not "$.", "$[" or "$$" is a Variables reference ($myVar). */
function scanPaths(name: string, state: AslState): void {
  const check = (v: unknown, where: string) => {
    if (typeof v === 'string' && /^\$[A-Za-z_]/.test(v))
      throw new UnsupportedFeatureError(name, `Variables reference "${v}" in ${where}`);
  };
  const walkTemplate = (node: unknown, where: string) => {
    if (Array.isArray(node)) {
      for (const n of node) walkTemplate(n, where);
    } else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k.endsWith('.$')) {
          check(v, where);
          // Intrinsic-function arguments can reference variables too.
          if (typeof v === 'string' && /[(,]\s*\$[A-Za-z_]/.test(v))
            throw new UnsupportedFeatureError(name, `Variables reference in "${v}" (${where})`);
        } else walkTemplate(v, where);
      }
  };
  for (const f of [
    'InputPath',
    'OutputPath',
    'ResultPath',
    'ItemsPath',
    'SecondsPath',
    'TimestampPath',
    'TimeoutSecondsPath',
    'MaxConcurrencyPath',
    'ErrorPath',
    'CausePath',
  ])
    check(state[f], f);
  for (const f of ['Parameters', 'ResultSelector', 'ItemSelector']) walkTemplate(state[f], f);
  const walkRules = (rules: unknown) => {
    for (const r of (Array.isArray(rules) ? rules : []) as Record<string, unknown>[]) {
      if (!r || typeof r !== 'object') continue;
      check(r.Variable, 'Choice Variable');
      for (const [k, v] of Object.entries(r)) if (k.endsWith('Path')) check(v, `Choice ${k}`);
      walkRules(r.And);
      walkRules(r.Or);
      if (r.Not) walkRules([r.Not]);
    }
  };
  if (state.Type === 'Choice') walkRules(state.Choices);
}

function resolveBinding(name: string, state: AslState, options: CompileOptions): TaskBinding {
  const resource = String(state.Resource);
  const { lambdas = {}, integrations = {} } = options.bindings;
  const exact = integrations[resource];
  const lambdaDirect = LAMBDA_ARN.exec(resource);
  if (lambdaDirect) {
    const fn = findLambda(resource, lambdas, options.tokenOrigins) ?? exact;
    if (!fn)
      throw unbound(
        name,
        resource,
        'no Lambda binding for this function (bind it by ARN, function name or logical id)',
      );
    return { kind: 'lambda', fn, functionRef: resource, callback: false };
  }
  const svc = SERVICE_ARN.exec(resource);
  if (svc && svc[1] === 'lambda' && svc[2] === 'invoke' && svc[3] !== '.sync' && svc[3] !== '.sync:2') {
    const params = (state.Parameters ?? {}) as Record<string, unknown>;
    if (params['FunctionName.$'] !== undefined)
      throw new UnsupportedFeatureError(
        name,
        'dynamic FunctionName.$ in lambda:invoke',
        'bindings are resolved before the run',
      );
    const ref = params.FunctionName;
    if (typeof ref !== 'string')
      throw new DefinitionError(`State "${name}": lambda:invoke needs Parameters.FunctionName`);
    const fn = findLambda(ref, lambdas, options.tokenOrigins);
    if (!fn) throw unbound(name, resource, `no Lambda binding for FunctionName ${ref}`);
    return { kind: 'lambda-invoke', fn, functionRef: ref, callback: svc[3] === '.waitForTaskToken' };
  }
  if (exact) return { kind: 'integration', fn: exact, callback: svc?.[3] === '.waitForTaskToken' };
  if (svc?.[3] === '.waitForTaskToken') {
    const base = integrations[resource.slice(0, -'.waitForTaskToken'.length)];
    if (base) return { kind: 'integration', fn: base, callback: true };
  }
  throw unbound(name, resource, 'no binding for this Task resource');
}

function unbound(name: string, resource: string, detail: string): UnsupportedFeatureError {
  return new UnsupportedFeatureError(name, `unbound Task resource ${resource}`, detail);
}

function findLambda(
  ref: string,
  lambdas: Record<string, TaskFunction>,
  origins?: Map<string, string>,
): TaskFunction | undefined {
  const m = LAMBDA_ARN.exec(ref);
  const unqualified = m ? ref.replace(/:[\w$-]+$/, (q) => (m[2] ? '' : q)) : ref;
  const candidates = [ref, unqualified, m?.[1], origins?.get(ref), origins?.get(unqualified)];
  for (const c of candidates) if (c !== undefined && lambdas[c]) return lambdas[c];
  return undefined;
}

/**
 * The library Task that stands for a rewritten state. Parameters carry everything the handler needs, evaluated by
 * the library against the state's effective input: "in" (the state's own Parameters, or the whole input), "ctx" (the
 * run's context object, which identifies the run) and any *Path values.
 */
function rewriteAsTask(
  name: string,
  state: AslState,
  ctx: Ctx,
  spec: { in?: unknown; extra?: Record<string, Json>; keep: string[] },
): AslState {
  const params: Record<string, unknown> = { 'ctx.$': '$$', ...spec.extra };
  if (spec.in === undefined) params['in.$'] = '$';
  else params.in = spec.in;
  const out: AslState = {
    Type: 'Task',
    Resource: `local:${state.Type}`,
    Parameters: params,
    TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
  };
  for (const f of [...IO, ...FLOW, ...spec.keep]) if (state[f] !== undefined) out[f] = state[f];
  // The first retrier lets a handler hand control back to the library and resume (see runtime.ts).
  const retry = [{ ErrorEquals: [CONTINUE_ERROR], MaxAttempts: 99_999_999, IntervalSeconds: 1, BackoffRate: 1 }];
  out.Retry = [...retry, ...((state.Retry as unknown[]) ?? [])];
  ctx.retrierCounts.set(name, (out.Retry as unknown[]).length);
  return out;
}
