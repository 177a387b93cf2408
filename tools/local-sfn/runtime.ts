/**
 * LocalStepFunctions: runs ASL definitions (the same ones CDK synthesizes) locally, on an injectable clock.
 *
 * How a state is run:
 * - Pass / Choice / Succeed / Fail: by aws-local-stepfunctions, unchanged.
 * - Task / Wait / Parallel / Map: compile.ts rewrote each into a library Task whose local handler is created here,
 *   per execution. The handler does the work on our clock (task binding, callback token, Wait, branches, map
 *   iterations, map-run children), while the library applies the state's paths, ResultSelector, Retry and Catch.
 *   A Distributed Map's work is in distributed-map.ts; its children run here, as flat machines of this execution.
 *
 * Long waits and the library's real timers: the library arms a real setTimeout (TimeoutSeconds) around every Task
 * call. A handler therefore never stays inside one library call for more than HANDLER_SEGMENT_MS of real time: it
 * throws CONTINUE_ERROR, which the synthetic first retrier matches at once, and the re-invoked handler re-attaches to
 * the same pending operation (keyed by run id + state name). Days-long waits are thus safe on the real clock, and no
 * real timer exceeds MAX_TIMER_MS.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  ExecutionAbortedError,
  ExecutionError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { type Clock, RealClock, sleepOn, VirtualClock } from './clock.js';
import {
  type Bindings,
  CONTINUE_ERROR,
  type CompiledMachine,
  compileDefinition,
  type FlatMachine,
  type HandlerSpec,
  type TaskBinding,
  type TaskInvocation,
} from './compile.js';
import { type MapRunHost, type MapSpec, runDistributedMap } from './distributed-map.js';
import { SfnApiError } from './errors.js';
import { countTransitions, type LocalEvent, type TransitionCount } from './events.js';
import {
  childGroup,
  childMeta,
  concurrency,
  type HandlerPayload,
  pool,
  type RunInfo,
  type RunMeta,
  runtimeError,
  StatesError,
  stoppedError,
} from './runs.js';
import { LocalS3 } from './s3-local.js';
import { type CfnTemplate, type ResolveOptions, stateMachineFromTemplate } from './template.js';
import { type TaskTokenInfo, TaskTokenRegistry } from './tokens.js';
import type { AslDefinition, AslState, Json, JsonObject } from './types.js';

/** Real time a handler stays inside one library Task call before yielding with CONTINUE_ERROR. */
export const HANDLER_SEGMENT_MS = 7 * 86_400_000;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
}

export interface ExecutionHandle {
  executionArn: string;
  startDate: Date;
  /** Resolves when the execution ends, whatever the status (never rejects). */
  done: Promise<ExecutionDescription>;
  describe(): ExecutionDescription;
  events(): readonly LocalEvent[];
}

export interface LocalStepFunctionsOptions {
  /** Default: a RealClock. */
  clock?: Clock;
  /** Folder standing for S3 in Distributed Map ItemReader / ResultWriter: s3://b/k is ROOT/b/k. */
  s3Root?: string;
  /**
   * Retry intervals of Retry fields: 'clock' waits IntervalSeconds × BackoffRate^n (MaxDelaySeconds, JitterStrategy)
   * on the clock; 'zero' retries at once. Default: 'zero' on a VirtualClock, 'clock' otherwise.
   */
  retryIntervals?: 'clock' | 'zero';
  /** Called whenever a .waitForTaskToken task issues a token (before the bound function is called). */
  onTaskToken?: (token: TaskTokenInfo) => void | Promise<void>;
  region?: string;
  accountId?: string;
  /** Keep state inputs/outputs in the event log (default true; turn off for runs over millions of items). */
  recordPayloads?: boolean;
}

export interface CreateStateMachineInput {
  name: string;
  definition: AslDefinition | string;
  bindings?: Bindings;
  /** From template intake: resolved value → logical id, so bindings can be keyed by logical id. */
  tokenOrigins?: Map<string, string>;
}

export interface LocalStateMachine {
  name: string;
  stateMachineArn: string;
  compiled: CompiledMachine;
}

interface PendingOp {
  promise: Promise<Json>;
}

interface Execution {
  arn: string;
  name: string;
  machine: LocalStateMachine;
  input: Json;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: Json;
  error?: string;
  cause?: string;
  events: LocalEvent[];
  controller: AbortController;
  baseContext: JsonObject;
  overrides: Record<string, unknown>;
  ops: Map<string, PendingOp>;
  attempts: Map<string, number[]>;
  runs: Map<string, RunInfo>;
  runSeq: number;
  tokens: Set<string>;
  done: Promise<ExecutionDescription>;
  resolveDone: (d: ExecutionDescription) => void;
  handle: ExecutionHandle;
}

let timeoutErrorClass: Promise<new () => Error> | undefined;
/**
 * The library only exempts States.Timeout from the States.TaskFailed wildcard when the error is an instance of its
 * own (unexported) StatesTimeoutError class, so we obtain that class once by letting a 1 ms Task time out.
 */
function libraryTimeoutErrorClass(): Promise<new () => Error> {
  timeoutErrorClass ??= (async () => {
    const probe = new StateMachine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'local:probe', TimeoutSeconds: 0.001, End: true } } },
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run(null, {
      overrides: { taskResourceLocalHandlers: { T: () => new Promise<never>(() => {}) } },
    });
    try {
      await run.result;
    } catch (e) {
      const cause = e instanceof ExecutionError ? e.cause : undefined;
      if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as new () => Error;
    }
    throw new Error('local-sfn: could not obtain States.Timeout from aws-local-stepfunctions (library changed?)');
  })();
  return timeoutErrorClass;
}

export class LocalStepFunctions {
  readonly clock: Clock;
  readonly tokens = new TaskTokenRegistry();
  private readonly options: LocalStepFunctionsOptions;
  private readonly machines = new Map<string, LocalStateMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly libraryMachines = new WeakMap<FlatMachine, StateMachine>();
  private readonly selectorMachines = new WeakMap<object, StateMachine>();
  private readonly s3?: LocalS3;
  private readonly retryMode: 'clock' | 'zero';
  private readonly placeholder = `LOCALSFN-TOKEN-PLACEHOLDER-${randomUUID()}`;
  private readonly region: string;
  private readonly account: string;
  private TimeoutError?: new () => Error;
  private eventSeq = 0;

  constructor(options: LocalStepFunctionsOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? new RealClock();
    this.s3 = options.s3Root ? new LocalS3(options.s3Root) : undefined;
    this.retryMode = options.retryIntervals ?? (this.clock instanceof VirtualClock ? 'zero' : 'clock');
    this.region = options.region ?? 'us-east-1';
    this.account = options.accountId ?? '000000000000';
  }

  // ---------------------------------------------------------------- state machines

  /** Registers a definition after checking it can be run faithfully (throws UnsupportedFeatureError otherwise). */
  createStateMachine(input: CreateStateMachineInput): LocalStateMachine {
    const stateMachineArn = `arn:aws:states:${this.region}:${this.account}:stateMachine:${input.name}`;
    if (this.machines.has(stateMachineArn))
      throw new SfnApiError('StateMachineAlreadyExists', `State machine already exists: ${stateMachineArn}`);
    const compiled = compileDefinition(input.definition, {
      bindings: input.bindings ?? {},
      tokenOrigins: input.tokenOrigins,
    });
    const machine = { name: input.name, stateMachineArn, compiled };
    this.machines.set(stateMachineArn, machine);
    return machine;
  }

  /** Registers the state machine `logicalId` of a synthesized CloudFormation template. */
  createStateMachineFromTemplate(
    template: CfnTemplate,
    logicalId: string,
    options: ResolveOptions & { bindings?: Bindings; name?: string } = {},
  ): LocalStateMachine {
    const resolved = stateMachineFromTemplate(template, logicalId, options);
    return this.createStateMachine({
      name: options.name ?? resolved.name,
      definition: resolved.definition,
      bindings: options.bindings,
      tokenOrigins: resolved.tokenOrigins,
    });
  }

  private machine(ref: string): LocalStateMachine {
    const m =
      this.machines.get(ref) ?? this.machines.get(`arn:aws:states:${this.region}:${this.account}:stateMachine:${ref}`);
    if (!m) throw new SfnApiError('StateMachineDoesNotExist', `State machine does not exist: ${ref}`);
    return m;
  }

  // ---------------------------------------------------------------- executions

  /**
   * Starts an execution. The name is its identity: starting again with the same name and the same input while it is
   * RUNNING returns the running execution; a different input, or a name whose execution has ended, is
   * ExecutionAlreadyExists (as StartExecution on a Standard state machine).
   */
  async startExecution(params: { stateMachine: string; name?: string; input?: Json }): Promise<ExecutionHandle> {
    this.TimeoutError ??= await libraryTimeoutErrorClass();
    const machine = this.machine(params.stateMachine);
    const name = params.name ?? randomUUID();
    if (!/^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/.test(name))
      throw new SfnApiError('InvalidExecutionInput', `Invalid execution name: ${name}`);
    const input = normalizeJson(params.input ?? {});
    const arn = `arn:aws:states:${this.region}:${this.account}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && canonicalJson(existing.input) === canonicalJson(input))
        return existing.handle;
      throw new SfnApiError(
        'ExecutionAlreadyExists',
        existing.status === 'RUNNING'
          ? `Execution ${name} is running with a different input`
          : `Execution ${name} already exists (${existing.status})`,
      );
    }
    const exec = this.newExecution(machine, arn, name, input);
    this.executions.set(arn, exec);
    void this.runExecution(exec);
    return exec.handle;
  }

  describeExecution(executionArn: string): ExecutionDescription {
    return describe(this.execution(executionArn));
  }

  /** The execution's event log (see events.ts for what counts as a transition). */
  getExecutionHistory(executionArn: string): readonly LocalEvent[] {
    return this.execution(executionArn).events;
  }

  countTransitions(executionArn: string): TransitionCount {
    return countTransitions(this.execution(executionArn).events);
  }

  waitForExecution(executionArn: string): Promise<ExecutionDescription> {
    return this.execution(executionArn).done;
  }

  listExecutions(stateMachine?: string): ExecutionDescription[] {
    const arn = stateMachine === undefined ? undefined : this.machine(stateMachine).stateMachineArn;
    return [...this.executions.values()].filter((e) => !arn || e.machine.stateMachineArn === arn).map(describe);
  }

  stopExecution(executionArn: string, opts: { error?: string; cause?: string } = {}): ExecutionDescription {
    const exec = this.execution(executionArn);
    this.finish(exec, 'ABORTED', { error: opts.error, cause: opts.cause });
    return describe(exec);
  }

  sendTaskSuccess(taskToken: string, output: Json): void {
    this.tokens.sendTaskSuccess(taskToken, output);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.tokens.sendTaskFailure(taskToken, error, cause);
  }

  pendingTaskTokens(): TaskTokenInfo[] {
    return this.tokens.pending();
  }

  /** Stops every running execution (releases their timers). */
  dispose(): void {
    for (const e of this.executions.values())
      if (e.status === 'RUNNING') this.finish(e, 'ABORTED', { cause: 'disposed' });
  }

  private execution(arn: string): Execution {
    const e = this.executions.get(arn);
    if (!e) throw new SfnApiError('ExecutionDoesNotExist', `Execution does not exist: ${arn}`);
    return e;
  }

  private newExecution(machine: LocalStateMachine, arn: string, name: string, input: Json): Execution {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    let resolveDone!: (d: ExecutionDescription) => void;
    const done = new Promise<ExecutionDescription>((r) => {
      resolveDone = r;
    });
    const startDate = new Date(this.clock.now());
    const exec = {
      arn,
      name,
      machine,
      input,
      status: 'RUNNING',
      startDate,
      events: [],
      controller,
      baseContext: {
        Execution: {
          Id: arn,
          Name: name,
          Input: input,
          StartTime: startDate.toISOString(),
          RoleArn: `arn:aws:iam::${this.account}:role/local-sfn`,
        },
        StateMachine: { Id: machine.stateMachineArn, Name: machine.name },
        Task: { Token: this.placeholder },
      },
      overrides: {},
      ops: new Map(),
      attempts: new Map(),
      runs: new Map(),
      runSeq: 0,
      tokens: new Set(),
      done,
      resolveDone,
    } as unknown as Execution;
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const spec of machine.compiled.handlers.values()) handlers[spec.name] = this.handler(exec, spec);
    const retryIntervalOverrides: Record<string, number[]> = {};
    for (const [state, n] of machine.compiled.retrierCounts) retryIntervalOverrides[state] = new Array(n).fill(0);
    exec.overrides = { taskResourceLocalHandlers: handlers, retryIntervalOverrides };
    exec.handle = {
      executionArn: arn,
      startDate,
      done,
      describe: () => describe(exec),
      events: () => exec.events,
    };
    return exec;
  }

  private async runExecution(exec: Execution): Promise<void> {
    this.record(exec, { type: 'ExecutionStarted', scope: '', input: exec.input });
    const timeoutS = exec.machine.compiled.timeoutSeconds;
    const timer =
      timeoutS === undefined
        ? undefined
        : this.clock.setTimer(timeoutS * 1000, () =>
            this.finish(exec, 'TIMED_OUT', { error: 'States.Timeout', cause: 'Execution timed out' }),
          );
    try {
      const output = await this.runFlat(
        exec,
        exec.machine.compiled.root,
        exec.input,
        { kind: 'execution', scope: '', express: false },
        exec.controller.signal,
      );
      this.finish(exec, 'SUCCEEDED', { output });
    } catch (e) {
      const err = e as Error;
      this.finish(exec, 'FAILED', { error: err.name, cause: err.message });
    } finally {
      if (timer !== undefined) this.clock.clearTimer(timer);
    }
  }

  private finish(
    exec: Execution,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    result: { output?: Json; error?: string; cause?: string },
  ): void {
    if (exec.status !== 'RUNNING') return;
    exec.status = status;
    exec.stopDate = new Date(this.clock.now());
    if (status === 'SUCCEEDED') exec.output = result.output;
    else {
      exec.error = result.error;
      exec.cause = result.cause;
    }
    const type = (
      {
        SUCCEEDED: 'ExecutionSucceeded',
        FAILED: 'ExecutionFailed',
        TIMED_OUT: 'ExecutionTimedOut',
        ABORTED: 'ExecutionAborted',
      } as const
    )[status];
    this.record(exec, { type, scope: '', output: result.output, error: result.error, cause: result.cause });
    // Tasks still waiting on a token can no longer be answered; pending timers and child runs are released.
    for (const t of exec.tokens) this.tokens.close(t, status === 'TIMED_OUT' ? 'timed-out' : 'cancelled');
    exec.controller.abort();
    exec.resolveDone(describe(exec));
  }

  // ---------------------------------------------------------------- running flat machines

  private libraryMachine(flat: FlatMachine): StateMachine {
    let sm = this.libraryMachines.get(flat);
    if (!sm) {
      sm = new StateMachine(flat.definition as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      });
      this.libraryMachines.set(flat, sm);
    }
    return sm;
  }

  /** Runs one flat machine with the library; records its state events; rejects with the ASL error that ended it. */
  private async runFlat(
    exec: Execution,
    flat: FlatMachine,
    input: Json,
    meta: RunMeta,
    parentSignal: AbortSignal,
  ): Promise<Json> {
    if (parentSignal.aborted) throw stoppedError();
    const runId = String(++exec.runSeq);
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const onParentAbort = () => controller.abort();
    parentSignal.addEventListener('abort', onParentAbort, { once: true });
    exec.runs.set(runId, { meta, signal: controller.signal });
    const started = { branch: 'ParallelBranch', iteration: 'MapIteration', child: 'MapRunChild', execution: '' }[
      meta.kind
    ];
    if (started) this.record(exec, { type: `${started}Started` as LocalEvent['type'], ...metaFields(meta), input });
    const run = this.libraryMachine(flat).run(input as never, {
      context: { ...exec.baseContext, __localRunId: runId } as never,
      overrides: exec.overrides as never,
    });
    controller.signal.addEventListener('abort', () => run.abort(), { once: true });
    const consumer = (async () => {
      for await (const ev of run.eventLogs) this.recordLibraryEvent(exec, ev as unknown as LibraryEvent, meta);
    })();
    try {
      const output = (await run.result) as Json;
      await consumer;
      if (started)
        this.record(exec, { type: `${started}Succeeded` as LocalEvent['type'], ...metaFields(meta), output });
      return output;
    } catch (e) {
      await consumer;
      const err =
        e instanceof ExecutionAbortedError
          ? stoppedError()
          : e instanceof ExecutionError
            ? (e.cause as Error)
            : (e as Error);
      if (started)
        this.record(exec, {
          type: `${started}Failed` as LocalEvent['type'],
          ...metaFields(meta),
          error: err.name,
          cause: err.message,
        });
      throw err;
    } finally {
      parentSignal.removeEventListener('abort', onParentAbort);
      exec.runs.delete(runId);
    }
  }

  private record(exec: Execution, e: Omit<LocalEvent, 'id' | 'timestamp'>): void {
    const event: LocalEvent = { id: ++this.eventSeq, timestamp: this.clock.now(), ...e };
    if (this.options.recordPayloads === false) {
      delete event.input;
      delete event.output;
    }
    for (const k of Object.keys(event) as (keyof LocalEvent)[]) if (event[k] === undefined) delete event[k];
    exec.events.push(event);
  }

  private recordLibraryEvent(exec: Execution, ev: LibraryEvent, meta: RunMeta): void {
    if (!ev.state) return; // execution-level events are recorded by runFlat / finish
    if (ev.type === 'StateFailed' && ev.Error === CONTINUE_ERROR) return;
    if (ev.type === 'StateRetried' && ev.retry?.retrier.ErrorEquals.includes(CONTINUE_ERROR)) return;
    const name = ev.state.name;
    this.record(exec, {
      type: ev.type,
      scope: meta.scope,
      stateName: name,
      stateType: exec.machine.compiled.stateTypes.get(name) ?? ev.state.type,
      express: meta.express || undefined,
      input: ev.type === 'StateEntered' ? (ev.state.input as Json) : undefined,
      output: ev.type === 'StateExited' ? (ev.state.output as Json) : undefined,
      error: ev.Error,
      cause: ev.Cause === undefined ? undefined : String(ev.Cause),
      retryAttempt: ev.retry ? ev.retry.attempt : undefined,
      next: ev.catch?.catcher.Next,
    });
  }

  // ---------------------------------------------------------------- handlers

  /**
   * The library-facing function of a rewritten state. One operation per (run, state) entry: a call after
   * CONTINUE_ERROR finds and re-joins it; the entry is dropped once its outcome has been handed to the library.
   */
  private handler(exec: Execution, spec: HandlerSpec): (input: Json) => Promise<Json> {
    return async (raw: Json) => {
      const payload = raw as HandlerPayload;
      const runId = payload.ctx.__localRunId;
      const key = `${runId}|${spec.name}`;
      let op = exec.ops.get(key);
      if (!op) {
        const run = exec.runs.get(runId);
        if (!run) throw stoppedError();
        const promise = this.withRetryPolicy(exec, spec, key, run.signal, () => this.startOp(exec, spec, payload, run));
        promise.catch(() => {});
        op = { promise };
        exec.ops.set(key, op);
      }
      let segmentTimer: NodeJS.Timeout | undefined;
      const segment = new Promise<typeof CONTINUE>((resolve) => {
        segmentTimer = setTimeout(() => resolve(CONTINUE), HANDLER_SEGMENT_MS);
        segmentTimer.unref();
      });
      try {
        const result = await Promise.race([op.promise, segment]);
        if (result === CONTINUE) throw new StatesError(CONTINUE_ERROR, 'resume');
        exec.ops.delete(key);
        return result;
      } catch (e) {
        if ((e as Error).name !== CONTINUE_ERROR) exec.ops.delete(key);
        throw e;
      } finally {
        clearTimeout(segmentTimer);
      }
    };
  }

  /**
   * Applies the state's Retry intervals on our clock (the library's own retry sleep is overridden to 0): when the
   * library is going to retry this error, wait the interval here before handing the error over. Mirrors the
   * library's matching: first retrier whose ErrorEquals matches; States.TaskFailed matches all but States.Timeout.
   */
  private async withRetryPolicy(
    exec: Execution,
    spec: HandlerSpec,
    key: string,
    signal: AbortSignal,
    attempt: () => Promise<Json>,
  ): Promise<Json> {
    try {
      const r = await attempt();
      exec.attempts.delete(key);
      return r;
    } catch (e) {
      const delayMs = this.retryDelay(exec, spec.state, key, e as StatesError);
      if (delayMs === undefined) exec.attempts.delete(key);
      else if (this.retryMode === 'clock' && delayMs > 0) await sleepOn(this.clock, delayMs, signal);
      throw e;
    }
  }

  private retryDelay(exec: Execution, state: AslState, key: string, error: StatesError): number | undefined {
    const retriers = (state.Retry as Retrier[] | undefined) ?? [];
    if (error.isRetryable === false) return undefined;
    const attempts = exec.attempts.get(key) ?? new Array(retriers.length).fill(0);
    exec.attempts.set(key, attempts);
    for (let i = 0; i < retriers.length; i++) {
      const r = retriers[i]!;
      const matches = r.ErrorEquals.some(
        (n) =>
          n === error.name ||
          n === 'States.ALL' ||
          (n === 'States.TaskFailed' && !(this.TimeoutError && error instanceof this.TimeoutError)),
      );
      if (!matches) continue;
      if (attempts[i]! >= (r.MaxAttempts ?? 3)) return undefined;
      let seconds = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** attempts[i]!;
      if (r.MaxDelaySeconds) seconds = Math.min(seconds, r.MaxDelaySeconds);
      if (r.JitterStrategy === 'FULL') seconds = Math.random() * seconds;
      attempts[i]!++;
      return seconds * 1000;
    }
    return undefined;
  }

  private startOp(exec: Execution, spec: HandlerSpec, payload: HandlerPayload, run: RunInfo): Promise<Json> {
    switch (spec.kind) {
      case 'task':
        return this.runTask(exec, spec, payload, run);
      case 'wait':
        return this.runWait(spec, payload, run);
      case 'parallel':
        return this.runParallel(exec, spec, payload, run);
      case 'map':
        return spec.distributed
          ? runDistributedMap(this.mapRunHost(exec, spec, payload), spec, payload, run)
          : this.runInlineMap(exec, spec, payload, run);
    }
  }

  private async runTask(
    exec: Execution,
    spec: Extract<HandlerSpec, { kind: 'task' }>,
    payload: HandlerPayload,
    run: RunInfo,
  ): Promise<Json> {
    const state = spec.state;
    let timeoutS = state.TimeoutSeconds as number | undefined;
    if (state.TimeoutSecondsPath !== undefined) {
      const v = payload.timeoutSeconds;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
        throw runtimeError(
          `TimeoutSecondsPath ${String(state.TimeoutSecondsPath)} must select a positive integer, got ${JSON.stringify(v)}`,
        );
      timeoutS = v;
    }
    const invocation: TaskInvocation = {
      stateName: spec.name,
      resource: String(state.Resource),
      executionArn: exec.arn,
      executionName: exec.name,
      now: this.clock.now(),
    };
    let token: string | undefined;
    const work = async (): Promise<Json> => {
      if (!spec.binding.callback) return this.invokeBinding(spec.binding, payload.in, invocation);
      const issued = this.tokens.issue({
        executionArn: exec.arn,
        executionName: exec.name,
        stateName: spec.name,
        input: null,
        issuedAt: this.clock.now(),
      });
      token = issued.info.token;
      exec.tokens.add(token);
      const input = replaceString(payload.in, this.placeholder, token);
      issued.info.input = input;
      this.record(exec, {
        type: 'TaskTokenIssued',
        scope: run.meta.scope,
        stateName: spec.name,
        stateType: 'Task',
        taskToken: token,
      });
      await this.options.onTaskToken?.(issued.info);
      await this.invokeBinding(spec.binding, input, { ...invocation, taskToken: token });
      const outcome = await issued.outcome;
      if (outcome.ok) return outcome.output;
      throw new StatesError(outcome.error, outcome.cause);
    };
    try {
      return await this.withDeadline(work(), timeoutS, run.signal);
    } catch (e) {
      if (token) this.tokens.close(token, (e as Error).name === 'States.Timeout' ? 'timed-out' : 'cancelled');
      throw e;
    }
  }

  /** Races `work` against TimeoutSeconds on the clock (→ the library's States.Timeout) and the run being stopped. */
  private withDeadline(work: Promise<Json>, timeoutS: number | undefined, signal: AbortSignal): Promise<Json> {
    work.catch(() => {});
    return new Promise<Json>((resolve, reject) => {
      if (signal.aborted) return reject(stoppedError());
      const timer =
        timeoutS === undefined
          ? undefined
          : this.clock.setTimer(timeoutS * 1000, () => {
              cleanup();
              reject(new this.TimeoutError!());
            });
      const onAbort = () => {
        cleanup();
        reject(stoppedError());
      };
      const cleanup = () => {
        if (timer !== undefined) this.clock.clearTimer(timer);
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (v) => {
          cleanup();
          resolve(v);
        },
        (e) => {
          cleanup();
          reject(e);
        },
      );
    });
  }

  private async invokeBinding(binding: TaskBinding, input: Json, invocation: TaskInvocation): Promise<Json> {
    if (binding.kind === 'integration') {
      try {
        return (await binding.fn(input, invocation)) ?? null;
      } catch (e) {
        const err = e as Error;
        throw new StatesError(err?.name ?? 'Error', err?.message ?? String(e));
      }
    }
    const params = (input ?? {}) as JsonObject;
    // lambda:invoke sends Parameters.Payload; a direct Lambda ARN sends the whole effective input.
    const event = binding.kind === 'lambda-invoke' ? (params.Payload ?? {}) : input;
    let result: Json;
    try {
      result = (await binding.fn(event, invocation)) ?? null;
    } catch (e) {
      throw lambdaError(e);
    }
    if (binding.kind === 'lambda') return result;
    return {
      ExecutedVersion: '$LATEST',
      Payload: result,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: randomUUID() },
      StatusCode: 200,
    };
  }

  private async runWait(
    spec: Extract<HandlerSpec, { kind: 'wait' }>,
    payload: HandlerPayload,
    run: RunInfo,
  ): Promise<Json> {
    const s = spec.state;
    let ms = 0;
    if (typeof s.Seconds === 'number') ms = s.Seconds * 1000;
    else if (s.SecondsPath !== undefined) {
      const v = payload.seconds;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw runtimeError(
          `SecondsPath ${String(s.SecondsPath)} must select a non-negative integer, got ${JSON.stringify(v)}`,
        );
      ms = v * 1000;
    } else {
      const ts = s.Timestamp ?? payload.timestamp;
      const at = typeof ts === 'string' && RFC3339.test(ts) ? Date.parse(ts) : Number.NaN;
      if (Number.isNaN(at)) throw runtimeError(`Wait "${spec.name}": invalid timestamp ${JSON.stringify(ts)}`);
      ms = at - this.clock.now();
    }
    await sleepOn(this.clock, Math.max(0, ms), run.signal);
    if (run.signal.aborted) throw stoppedError();
    return payload.in;
  }

  private async runParallel(
    exec: Execution,
    spec: Extract<HandlerSpec, { kind: 'parallel' }>,
    payload: HandlerPayload,
    run: RunInfo,
  ): Promise<Json> {
    const group = childGroup(run.signal);
    const runs = spec.branches.map((branch, i) =>
      this.runFlat(
        exec,
        branch,
        payload.in,
        { ...childMeta(run, 'branch', spec.name, i), kind: 'branch' },
        group.signal,
      ),
    );
    for (const p of runs) p.catch(() => {});
    try {
      return await Promise.all(runs);
    } catch (e) {
      group.abort(); // the first failing branch fails the Parallel state and stops the others
      throw e;
    } finally {
      group.release();
    }
  }

  private async runInlineMap(exec: Execution, spec: MapSpec, payload: HandlerPayload, run: RunInfo): Promise<Json> {
    const items = payload.items;
    if (!Array.isArray(items)) throw runtimeError(`Map "${spec.name}": ItemsPath must select an array`);
    const limit = concurrency(spec.state.MaxConcurrency, payload.maxConcurrency, items.length);
    const selector = (spec.state.ItemSelector ?? spec.state.Parameters) as Json | undefined;
    const group = childGroup(run.signal);
    try {
      return await pool(items.length, limit, async (i) => {
        const input = selector === undefined ? items[i]! : await this.evalSelector(selector, payload, i, items[i]!);
        return this.runFlat(exec, spec.processor, input, childMeta(run, 'iteration', spec.name, i), group.signal);
      });
    } catch (e) {
      group.abort(); // one failed iteration fails the Map state
      throw e;
    } finally {
      group.release();
    }
  }

  /** ItemSelector is a payload template over the Map's input with $$.Map.Item; the library evaluates it in a Pass state. */
  private async evalSelector(selector: Json, payload: HandlerPayload, index: number, value: Json): Promise<Json> {
    let sm = this.selectorMachines.get(selector as object);
    if (!sm) {
      sm = new StateMachine(
        {
          StartAt: 'ItemSelector',
          States: { ItemSelector: { Type: 'Pass', Parameters: selector as never, End: true } },
        },
        { validationOptions: { noValidate: true } },
      );
      this.selectorMachines.set(selector as object, sm);
    }
    const { __localRunId: _ignored, ...context } = payload.ctx;
    const result = sm.run(payload.in as never, {
      context: { ...context, Map: { Item: { Index: index, Value: value } } } as never,
    });
    try {
      return (await result.result) as Json;
    } catch (e) {
      throw e instanceof ExecutionError ? (e.cause as Error) : e;
    }
  }

  /** What a Distributed Map state of `exec` runs on: its clock, S3 folder, event log, children and ItemSelector. */
  private mapRunHost(exec: Execution, spec: MapSpec, payload: HandlerPayload): MapRunHost {
    return {
      clock: this.clock,
      s3: this.s3,
      arnPrefix: `arn:aws:states:${this.region}:${this.account}`,
      machine: exec.machine,
      record: (event) => this.record(exec, event),
      runChild: (input, meta, signal) => this.runFlat(exec, spec.processor, input, meta, signal),
      select: (selector, index, value) => this.evalSelector(selector, payload, index, value),
    };
  }
}

// ---------------------------------------------------------------- helpers

const CONTINUE = Symbol('continue');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

interface LibraryEvent {
  type: 'StateEntered' | 'StateExited' | 'StateFailed' | 'StateRetried' | 'StateCaught';
  state?: { name: string; type: string; input: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
  retry?: { retrier: Retrier; attempt: number };
  catch?: { catcher: { Next: string } };
}

function describe(e: Execution): ExecutionDescription {
  const d: ExecutionDescription = {
    executionArn: e.arn,
    stateMachineArn: e.machine.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: e.startDate,
    input: e.input,
  };
  if (e.stopDate) d.stopDate = e.stopDate;
  if (e.status === 'SUCCEEDED') d.output = e.output;
  if (e.error !== undefined) d.error = e.error;
  if (e.cause !== undefined) d.cause = e.cause;
  return d;
}

function metaFields(meta: RunMeta): Pick<LocalEvent, 'scope' | 'stateName' | 'index' | 'express'> {
  return { scope: meta.scope, stateName: meta.parentState, index: meta.index, express: meta.express || undefined };
}

function lambdaError(e: unknown): StatesError {
  const err = e instanceof Error ? e : new Error(String(e));
  const errorType = err.name || 'Error';
  const cause = JSON.stringify({ errorType, errorMessage: err.message, trace: (err.stack ?? '').split('\n') });
  return new StatesError(errorType, cause);
}

function replaceString(value: Json, from: string, to: string): Json {
  if (typeof value === 'string') return value.includes(from) ? value.split(from).join(to) : value;
  if (Array.isArray(value)) return value.map((v) => replaceString(v, from, to));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceString(v, from, to)]));
  return value;
}

function normalizeJson(value: Json): Json {
  const text = JSON.stringify(value);
  if (text === undefined) throw new SfnApiError('InvalidExecutionInput', 'input is not JSON');
  if (Buffer.byteLength(text) > 256 * 1024)
    throw new SfnApiError('InvalidExecutionInput', 'input is larger than 256 KiB');
  return JSON.parse(text) as Json;
}

/** JSON with sorted keys, so inputs that differ only in key order count as the same input. */
function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
