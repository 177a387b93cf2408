/**
 * Shared set-up of the state-machine tests (test/workflows/*): synthesize a small stack with a builder of
 * infra/state-machines and the real ServiceFunction (bundling skipped), take the definition from the
 * synthesized template, and run it with the local adapter on a VirtualClock, the task Lambda bound to the
 * REAL handler code with its store on DynamoDB Local and its clock and callback port on the adapter.
 *
 *   const suite = useWorkflowSuite({                     // beforeAll: synthesize, start DynamoDB Local; afterAll: stop
 *     entry: 'functions/tasks/arrears-timer/handler.ts',
 *     build: buildArrearsTimerStateMachine,
 *     tasks: arrearsTimerTasks,
 *     start: '2026-10-01T00:05:00+08:00',
 *   });
 *   const h = suite.harness();                           // in a test: a fresh runtime on the suite's definition
 *   const exec = await h.start(caseId);
 *   const token = await h.storedToken(caseId);           // the token the callback task stored on the case
 *   await h.advanceTo('2026-11-30T00:00:00+08:00');      // timers on the way fire, the run settles
 *
 * STABLE: other workflow tests may import this module. Add to it; do not change or remove an export.
 */
import { expect } from 'vitest';
import { App, Aspects, type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import aslValidator from 'asl-validator';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { TaskHandler } from '#functions/tasks/lib/task.js';
import { logger } from '#functions/tasks/lib/task.js';
import { ServiceFunction } from '#infra/constructs/service-function.js';
import {
  type AslDefinition,
  type CfnTemplate,
  type ExecutionHandle,
  type Json,
  LocalStepFunctions,
  SfnApiError,
  stateMachineFromTemplate,
  type TaskTokenInfo,
  type TransitionCount,
  VirtualClock,
} from '#tools/local-sfn/index.js';
import type { Clock, TaskCallbacks, WorkflowName, WorkflowStarter } from '#app/ports.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { rearmOpenCases } from '#app/workflows/rearm.js';
import { todayCst } from '#domain/calendar.js';
import type { AuditRecord } from '#store/model.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import type { LocalDynamo } from '../support/dynamodb-local.js';
import { storeOn, type WorkflowStoreSuite, useWorkflowStore } from '../support/workflow-suite.js';

export { newIdentityKey, staff, uid } from '../support/fixtures.js';

// The handlers log every task as JSON; the tests read the store, not the logs.
logger.setLogLevel('SILENT');

// ── Synthesis ────────────────────────────────────────────────────────────────

export interface SynthesizedWorkflow {
  readonly template: CfnTemplate;
  readonly stateMachineId: string;
  readonly functionId: string;
  /** The definition as synthesized (tokens resolved to local values). */
  readonly definition: AslDefinition;
  /** The raw CloudFormation resource of the state machine. */
  readonly resource: { Type: string; Properties?: Record<string, unknown> };
  /** cdk-nag AwsSolutions errors and warnings on the test stack ("<construct path>: <rule>: <message>"). */
  readonly nagFindings: string[];
}

/**
 * A stack with the workflow's task function (the real ServiceFunction, bundling skipped) and the state
 * machine `build` makes with it, synthesized with the cdk-nag AwsSolutions checks.
 */
export function synthWorkflow(
  entry: string,
  build: (scope: Construct, id: string, fn: lambda.IFunction) => sfn.StateMachine,
): SynthesizedWorkflow {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'WorkflowTest', { env: { region: 'cn-north-1' } });
  const tasksFn = new ServiceFunction(stack, 'Tasks', {
    entry,
    description: `workflow tasks (${entry})`,
    environment: { CASE_TABLE_NAME: 'jl-cases' },
  });
  const sm = build(stack, 'Workflow', tasksFn.fn);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  const template = Template.fromStack(stack);
  const annotations = Annotations.fromStack(stack);
  const nagFindings = [
    ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`);
  const json = template.toJSON() as CfnTemplate;
  const stateMachineId = stack.getLogicalId(sm.node.defaultChild as CfnElement);
  const functionId = stack.getLogicalId(tasksFn.fn.node.defaultChild as CfnElement);
  return {
    template: json,
    stateMachineId,
    functionId,
    definition: stateMachineFromTemplate(json, stateMachineId).definition,
    resource: json.Resources![stateMachineId]!,
    nagFindings,
  };
}

/** asl-validator on the synthesized definition (paths and ARNs checked). */
export function validateAsl(definition: AslDefinition): { isValid: boolean; errors: string } {
  const r = aslValidator(definition, { checkPaths: true, checkArn: true });
  return { isValid: r.isValid, errors: r.errorsText('\n') };
}

/**
 * What every workflow machine is: Standard, logging ALL with X-Ray on, JSONPath only (no JSONata fields),
 * valid ASL, and no cdk-nag AwsSolutions finding on the machine and its role (the task function's own are
 * the system stack's).
 */
export function expectStandardDefinition(wf: SynthesizedWorkflow): void {
  const p = wf.resource.Properties!;
  expect(p.StateMachineType).toBe('STANDARD');
  expect(p.TracingConfiguration).toEqual({ Enabled: true });
  expect(p.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
  expect(JSON.stringify(wf.definition)).not.toMatch(/JSONata|"Assign"|"Arguments"|"Output"/);
  expect(validateAsl(wf.definition)).toEqual({ isValid: true, errors: expect.any(String) });
  expect(wf.nagFindings.filter((f) => f.includes('/Workflow/'))).toEqual([]);
}

// ── Running ──────────────────────────────────────────────────────────────────

export interface Harness {
  readonly clock: VirtualClock;
  /** The application clock on the virtual one (today in CST). */
  readonly appClock: Clock;
  readonly sfn: LocalStepFunctions;
  readonly store: DynamoWorkflowStore;
  readonly deps: WorkflowDeps;
  /** Tokens as the adapter issued them (state name, execution). */
  readonly issued: TaskTokenInfo[];
  /** Executions the tasks started (WorkflowStarter port), recorded only. */
  readonly started: Array<{ machine: WorkflowName; caseId: string; input: unknown }>;
  /** Starts the execution of a case (name = case id, input `{caseId}`). */
  start(caseId: string): Promise<ExecutionHandle>;
  /** Waits (real time) until the case holds a task token other than `previous`, and returns it. */
  storedToken(caseId: string, previous?: string | null): Promise<string>;
  /** Moves the virtual clock to `iso` (timers on the way fire), then lets the run settle. */
  advanceTo(iso: string): Promise<void>;
  /** Waits (real time) until `check` holds. */
  until(check: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  /** Waits for the end of the execution: its status, and the error and cause when it did not succeed. */
  finish(exec: ExecutionHandle): Promise<{ status: string; error?: string; cause?: string }>;
  transitions(exec: ExecutionHandle): TransitionCount;
  /** The state names entered, in order (top level). */
  path(exec: ExecutionHandle): string[];
  /** The audit trail of a case, oldest first. */
  audit(caseId: string): Promise<AuditRecord[]>;
}

export interface HarnessOptions {
  /** ISO instant the virtual clock starts at. */
  readonly start: string;
  /** The handler module's task factory (e.g. `arrearsTimerTasks`), given the harness's deps. */
  readonly tasks: (deps: WorkflowDeps) => { handler: TaskHandler<unknown> };
}

export function harness(local: LocalDynamo, wf: SynthesizedWorkflow, options: HarnessOptions): Harness {
  const clock = new VirtualClock({ start: Date.parse(options.start) });
  const appClock: Clock = { now: () => clock.now(), today: () => todayCst(clock.now()) };
  const store = storeOn(local, () => new Date(clock.now()));
  const issued: TaskTokenInfo[] = [];
  const sfn = new LocalStepFunctions({ clock, onTaskToken: (t) => void issued.push(t) });
  // SendTaskSuccess / SendTaskFailure on the adapter; a token that already ended is 'gone', as on AWS.
  const answer = (send: () => void): 'resumed' | 'gone' => {
    try {
      send();
      return 'resumed';
    } catch (e) {
      if (e instanceof SfnApiError) return 'gone';
      throw e;
    }
  };
  const callbacks: TaskCallbacks = {
    succeed: async (token, output) => answer(() => sfn.sendTaskSuccess(token, output as Json)),
    fail: async (token, error, cause) => answer(() => sfn.sendTaskFailure(token, error, cause)),
  };
  const started: Harness['started'] = [];
  const starter: WorkflowStarter = {
    async start(machine, caseId, input) {
      if (started.some((s) => s.machine === machine && s.caseId === caseId)) return { started: false };
      started.push({ machine, caseId, input });
      return { started: true };
    },
  };
  const deps: WorkflowDeps = { store, clock: appClock, callbacks, starter };
  const { handler } = options.tasks(deps);
  const machine = sfn.createStateMachineFromTemplate(wf.template, wf.stateMachineId, {
    bindings: { lambdas: { [wf.functionId]: (input) => handler(input) as Promise<Json> } },
  });

  const until: Harness['until'] = async (check, what, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  return {
    clock,
    appClock,
    sfn,
    store,
    deps,
    issued,
    started,
    start: (caseId) => sfn.startExecution({ stateMachine: machine.name, name: caseId, input: { caseId } }),
    async storedToken(caseId, previous) {
      let token: string | null = null;
      await until(async () => {
        token = (await store.getCase(caseId)).taskToken;
        return token !== null && token !== previous;
      }, `a task token on ${caseId}`);
      return token!;
    },
    async advanceTo(iso) {
      await clock.advanceTo(Date.parse(iso));
    },
    until,
    async finish(exec) {
      const d = await exec.done;
      return d.status === 'SUCCEEDED' ? { status: d.status } : { status: d.status, error: d.error, cause: d.cause };
    },
    transitions: (exec) => sfn.countTransitions(exec.executionArn),
    path: (exec) =>
      exec
        .events()
        .filter((e) => e.type === 'StateEntered' && e.scope === '')
        .map((e) => e.stateName!),
    audit: async (caseId) => (await store.auditTrail({ caseId })).items as AuditRecord[],
  };
}

/**
 * An audit trail as `<ISO instant> <action> | <reason>` lines in time order (records of one instant, e.g.
 * the case opened and its first task on the same virtual millisecond, have no order: sorted by text).
 * `reasonChars` keeps the start of each reason (default 4: the rule id, e.g. `A-4:`; 0 drops it).
 */
export function auditLines(records: readonly AuditRecord[], reasonChars = 4): string[] {
  return records
    .map((r) => `${r.at} ${r.action}${reasonChars > 0 ? ` | ${r.reason.slice(0, reasonChars)}` : ''}`)
    .sort();
}

/**
 * A restart, as the local runtime does it: `rearmOpenCases` over `region` with a starter that starts the
 * given cases on this harness (a fresh adapter: the executions before are gone) and leaves every other
 * open case of the shared test table alone. Returns the executions started, by case id.
 */
export async function rearmOnto(
  h: Harness,
  workflow: WorkflowName,
  region: string,
  caseIds: readonly string[],
): Promise<Map<string, ExecutionHandle>> {
  const started = new Map<string, ExecutionHandle>();
  const starter: WorkflowStarter = {
    async start(machine, caseId, input) {
      if (machine !== workflow || !caseIds.includes(caseId)) return { started: false };
      expect(input).toEqual({ caseId });
      started.set(caseId, await h.start(caseId));
      return { started: true };
    },
  };
  const report = await rearmOpenCases({ store: h.store, starter }, { regions: [region], rosterBucket: 'rosters' });
  expect(report.failures).toEqual([]);
  return started;
}

// ── The suite of a test file ─────────────────────────────────────────────────

export interface WorkflowSuiteOptions {
  /** The workflow's task handler module, bundled into the stack's function (e.g. `functions/tasks/x/handler.ts`). */
  readonly entry: string;
  /** The state machine on that function: a builder of infra/state-machines, or one that adds its other props. */
  readonly build: (scope: Construct, id: string, props: { taskFunction: lambda.IFunction }) => sfn.StateMachine;
  /** The handler module's task factory (e.g. `arrearsTimerTasks`), for `suite.harness`. */
  readonly tasks?: HarnessOptions['tasks'];
  /** Where `suite.harness()`'s virtual clock starts when the test names no instant. */
  readonly start?: string;
}

export interface WorkflowSuite extends WorkflowStoreSuite {
  /** The stack as synthesized once for the file. */
  readonly wf: SynthesizedWorkflow;
  /** A fresh local runtime on the file's definition, its clock at `start` (default the suite's). */
  harness(start?: string): Harness;
  /**
   * Checks that the execution took `total` transitions and keeps the path and count, printed after the file as
   * `<workflow> transitions:` (the figures docs/workflows.md reports).
   */
  recordTransitions(h: Harness, path: string, exec: ExecutionHandle, total: number): void;
}

/**
 * The set-up of a state-machine test file: beforeAll synthesizes the stack (`entry` and `build`) and starts
 * DynamoDB Local with the case table; afterAll stops it and prints the transitions recorded. Each test then
 * takes a runtime of its own with `suite.harness()`.
 */
export function useWorkflowSuite(options: WorkflowSuiteOptions): WorkflowSuite {
  let wf: SynthesizedWorkflow | undefined;
  const counted: Array<{ path: string; total: number; states: string[] }> = [];
  const name = options.entry.split('/').at(-2);
  const base = useWorkflowStore({
    before: () => {
      wf = synthWorkflow(options.entry, (scope, id, fn) => options.build(scope, id, { taskFunction: fn }));
    },
    after: () => {
      if (counted.length === 0) return;
      console.log(
        `${name} transitions:\n${counted.map((c) => `  ${c.path}: ${c.total} (${c.states.join(' → ')})`).join('\n')}`,
      );
    },
  });
  const synthesized = (): SynthesizedWorkflow => {
    if (!wf) throw new Error('suite.wf is synthesized in beforeAll: read it inside a test or hook');
    return wf;
  };
  return {
    get local() {
      return base.local;
    },
    get store() {
      return base.store;
    },
    get wf() {
      return synthesized();
    },
    harness(start = options.start) {
      if (!options.tasks || !start) throw new Error("suite.harness needs the suite's `tasks` and a start instant");
      return harness(base.local, synthesized(), { start, tasks: options.tasks });
    },
    recordTransitions(h, path, exec, total) {
      const states = h.path(exec);
      const t = h.transitions(exec);
      expect(t.total).toBe(total);
      counted.push({ path, total: t.total, states });
    },
  };
}
