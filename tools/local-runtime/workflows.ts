/**
 * The five state machines of the synthesized stack on the local Step Functions adapter, their Task states
 * bound to the real task handlers (functions/tasks/*) with the local store and ports.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { arrearsTimerTasks } from '#functions/tasks/arrears-timer/handler.js';
import { bankruptcyDeferralTasks } from '#functions/tasks/bankruptcy-deferral/handler.js';
import { collectionWindowTasks } from '#functions/tasks/collection-window/handler.js';
import type { TaskHandler } from '#functions/tasks/lib/task.js';
import { retirementTransferTasks } from '#functions/tasks/retirement-transfer/handler.js';
import { unemploymentContributionTasks } from '#functions/tasks/unemployment-contributions/handler.js';
import type { TaskCallbacks, WorkflowName, WorkflowStarter } from '#app/ports.js';
import type { WorkflowDeps } from '#app/workflows/common.js';
import { buildApp } from '#infra/app.js';
import {
  type CfnTemplate,
  type Json,
  type LocalStepFunctions,
  SfnApiError,
  type TaskFunction,
} from '../local-sfn/index.js';

type Log = (line: string) => void;

const TASKS: Record<WorkflowName, (deps: WorkflowDeps) => { handler: TaskHandler<unknown> }> = {
  'arrears-timer': arrearsTimerTasks,
  'retirement-transfer': retirementTransferTasks,
  'bankruptcy-deferral': bankruptcyDeferralTasks,
  'unemployment-contributions': unemploymentContributionTasks,
  'collection-window': collectionWindowTasks,
};

export interface SynthesizedMachines {
  readonly template: CfnTemplate;
  /** Per workflow: the state machine's and its task function's logical ids. */
  readonly machines: ReadonlyMap<WorkflowName, { stateMachineId: string; functionId: string }>;
  /** Logical id of the rosters bucket (collection window), when there is one. */
  readonly bucketId?: string;
  /** Logical id of the daily sweep's function (the target of the daily schedule). */
  readonly sweepFunctionId: string;
}

/**
 * `buildApp` with bundling skipped (no esbuild, no Docker), as the workflow tests synthesize.
 * `windowFeeYears`: the fee years whose collection windows get a start schedule (the stack's context).
 */
export function synthesizeMachines(options: { windowFeeYears?: readonly number[] } = {}): SynthesizedMachines {
  const app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      staffOidcIssuer: 'https://idp.local.invalid/jl-medical-insurance',
      staffOidcAudience: 'jl-mi-staff-console',
      ...(options.windowFeeYears ? { windowFeeYears: [...options.windowFeeYears] } : {}),
    },
  });
  const { stack } = buildApp(app);
  const template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  const machines = new Map<WorkflowName, { stateMachineId: string; functionId: string }>();
  for (const [w, sm] of stack.workflows.machines) {
    const fn = stack.workflows.taskFunctions.get(w)!;
    machines.set(w, {
      stateMachineId: stack.getLogicalId(sm.node.defaultChild as CfnElement),
      functionId: stack.getLogicalId(fn.fn.node.defaultChild as CfnElement),
    });
  }
  const bucketId = stack.getLogicalId(stack.workflows.bucket.node.defaultChild as CfnElement);
  const sweepFunctionId = stack.getLogicalId(stack.workflows.sweep.fn.node.defaultChild as CfnElement);
  return { template, machines, bucketId, sweepFunctionId };
}

export const LOCAL_ROSTER_BUCKET = 'local-rosters';

/** WorkflowStarter on the adapter: the case id is the execution name, so a second start is harmless. */
export function localStarter(sfn: LocalStepFunctions, names: Map<WorkflowName, string>, log: Log): WorkflowStarter {
  return {
    async start(machine, caseId, input) {
      const stateMachine = names.get(machine);
      if (!stateMachine) throw new Error(`no local state machine for ${machine}`);
      try {
        const exec = await sfn.startExecution({ stateMachine, name: caseId, input: input as Json });
        log(`workflow ${machine} started for ${caseId}`);
        void exec.done.then((d) =>
          log(`workflow ${machine} ${caseId} ended ${d.status}${d.error ? ` (${d.error}: ${d.cause ?? ''})` : ''}`),
        );
        return { started: true };
      } catch (e) {
        if (e instanceof SfnApiError && e.code === 'ExecutionAlreadyExists') return { started: false };
        throw e;
      }
    },
  };
}

/** TaskCallbacks on the adapter: a token that already ended (InvalidToken, TaskTimedOut, …) is 'gone'. */
export function localCallbacks(sfn: LocalStepFunctions, log: Log): TaskCallbacks {
  const answer = (what: string, send: () => void): 'resumed' | 'gone' => {
    try {
      send();
      log(`callback ${what}: resumed`);
      return 'resumed';
    } catch (e) {
      if (e instanceof SfnApiError) {
        log(`callback ${what}: gone (${e.code})`);
        return 'gone';
      }
      throw e;
    }
  };
  return {
    succeed: async (token, output) => answer('success', () => sfn.sendTaskSuccess(token, (output ?? {}) as Json)),
    fail: async (token, error, cause) => answer(`failure ${error}`, () => sfn.sendTaskFailure(token, error, cause)),
  };
}

/** What a task's answer says about the case, readably: ` → lapsed, closed (A-6)`. */
function moved(out: Json | undefined): string {
  if (!out || typeof out !== 'object' || Array.isArray(out)) return '';
  const o = out as Record<string, unknown>;
  const parts = [
    typeof o.state === 'string' ? o.state : null,
    typeof o.next === 'string' && o.next !== o.state ? `next ${o.next}` : null,
    typeof o.windowLastDay === 'string' ? `window to ${o.windowLastDay}` : null,
    typeof o.created === 'number' ? `${o.created} renewal(s) created` : null,
    typeof o.lapsed === 'number' ? `${o.lapsed} lapsed` : null,
  ].filter(Boolean);
  const rule = typeof o.decidedBy === 'string' ? ` (${o.decidedBy})` : '';
  return parts.length || rule ? ` → ${parts.join(', ')}${rule}` : '';
}

/** Registers the five machines; returns workflow name → local state machine name. */
export function registerMachines(
  sfn: LocalStepFunctions,
  synth: SynthesizedMachines,
  deps: WorkflowDeps,
  s3Root: string,
  log: Log,
  /** Counts each task invocation as work in flight (the runtime's clock waits for it). */
  track: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
): Map<WorkflowName, string> {
  const putObject: TaskFunction = (params, inv) => track(async () => putObjectLocal(params, inv));
  const putObjectLocal: TaskFunction = async (params) => {
    const { Bucket: b, Key, Body } = params as { Bucket: string; Key: string; Body: unknown };
    const file = join(s3Root, b, Key);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, typeof Body === 'string' ? Body : JSON.stringify(Body));
    return { ETag: '"local"' };
  };
  const names = new Map<WorkflowName, string>();
  for (const [w, ids] of synth.machines) {
    const { handler } = TASKS[w](deps);
    const bound: TaskFunction = (input, inv) => track(async () => invoke(input, inv));
    const invoke: TaskFunction = async (input) => {
      const i = (input ?? {}) as { task?: string; caseId?: string };
      const what = `task ${w}.${i.task ?? '?'}${i.caseId ? ` ${i.caseId}` : ''}`;
      try {
        const out = (await handler(input)) as Json;
        log(`${what}${moved(out)}`);
        return out;
      } catch (e) {
        log(`${what} failed: ${(e as Error).name}: ${(e as Error).message}`);
        throw e;
      }
    };
    const machine = sfn.createStateMachineFromTemplate(synth.template, ids.stateMachineId, {
      name: w,
      values: synth.bucketId ? { [synth.bucketId]: LOCAL_ROSTER_BUCKET } : {},
      bindings: {
        lambdas: { [ids.functionId]: bound },
        integrations: {
          'arn:aws:states:::aws-sdk:s3:putObject': putObject,
          'arn:aws-cn:states:::aws-sdk:s3:putObject': putObject,
        },
      },
    });
    names.set(w, machine.name);
  }
  return names;
}
