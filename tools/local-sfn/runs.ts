/**
 * What the runtime's handlers and the Distributed Map share: the ASL errors a handler raises, the metadata
 * of a run (an execution, a Parallel branch, a Map iteration or a map-run child), and running child runs
 * (an abort group per state, a bounded pool, MaxConcurrency).
 */
import { setMaxListeners } from 'node:events';
import type { Json, JsonObject } from './types.js';

/** The most child runs in flight at once, whatever MaxConcurrency says (0 = as many as allowed). */
export const MAX_CHILD_CONCURRENCY = 10_000;

/** What a rewritten state's handler receives: the context, the effective input and the state's evaluated paths. */
export type HandlerPayload = { ctx: JsonObject & { __localRunId: string }; in: Json } & Record<string, Json>;

export interface RunMeta {
  kind: 'execution' | 'branch' | 'iteration' | 'child';
  scope: string;
  parentState?: string;
  index?: number;
  express: boolean;
}

export interface RunInfo {
  meta: RunMeta;
  signal: AbortSignal;
}

/** An ASL error raised by a handler: the library reads name (Error), message (Cause) and the two flags. */
export class StatesError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
  constructor(name: string, cause: string, retryable = true, catchable = true) {
    super(cause);
    this.name = name;
    this.isRetryable = retryable;
    this.isCatchable = catchable;
  }
}

export const runtimeError = (message: string) => new StatesError('States.Runtime', message, false, false);
export const stoppedError = () => new StatesError('LocalSfn.Stopped', 'execution stopped', false, false);

export function childMeta(run: RunInfo, kind: RunMeta['kind'], stateName: string, index: number): RunMeta {
  const label = kind === 'child' ? `${stateName}#child${index}` : `${stateName}[${index}]`;
  return {
    kind,
    scope: run.meta.scope ? `${run.meta.scope}/${label}` : label,
    parentState: stateName,
    index,
    express: run.meta.express,
  };
}

/** An abort group for the child runs of one Parallel / Map state, stopped with its parent run. */
export function childGroup(parent: AbortSignal): { signal: AbortSignal; abort: () => void; release: () => void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort();
  parent.addEventListener('abort', onAbort, { once: true });
  if (parent.aborted) controller.abort();
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    release: () => parent.removeEventListener('abort', onAbort),
  };
}

export function concurrency(fixed: unknown, fromPath: Json | undefined, cap: number): number {
  const v = (fixed ?? fromPath) as number | undefined;
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
    throw runtimeError(`MaxConcurrency must be a non-negative integer, got ${JSON.stringify(v)}`);
  return !v ? Math.max(1, cap) : Math.min(v, MAX_CHILD_CONCURRENCY);
}

/** Runs fn(0..n-1) with at most `limit` in flight; results in index order; rejects on the first failure. */
export async function pool<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(n);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < n) {
      const i = next++;
      try {
        results[i] = await fn(i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return results;
}
