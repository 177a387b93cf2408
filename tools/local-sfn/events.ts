/** The per-execution event log, and how Step Functions state transitions are counted from it. */
import type { Json } from './types.js';

export type LocalEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionTimedOut'
  | 'ExecutionAborted'
  | 'StateEntered'
  | 'StateExited'
  | 'StateFailed'
  | 'StateRetried'
  | 'StateCaught'
  | 'ParallelBranchStarted'
  | 'ParallelBranchSucceeded'
  | 'ParallelBranchFailed'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'MapRunStarted'
  | 'MapRunSucceeded'
  | 'MapRunFailed'
  | 'MapRunChildStarted'
  | 'MapRunChildSucceeded'
  | 'MapRunChildFailed'
  | 'TaskTokenIssued';

export interface LocalEvent {
  /** 1-based, in the order the adapter recorded it. */
  id: number;
  /** Clock time, epoch ms. */
  timestamp: number;
  type: LocalEventType;
  /** Where in the execution: "" for the top level, e.g. "Fanout[1]" for a Parallel branch, "Renew#child3" for a map-run child. */
  scope: string;
  stateName?: string;
  /** The state's Type in the original definition. */
  stateType?: string;
  /** Branch / iteration / child index for the *Branch*, *Iteration* and *Child* events. */
  index?: number;
  /** True inside an EXPRESS child workflow of a Distributed Map (billed per request and duration, not per transition). */
  express?: boolean;
  error?: string;
  cause?: string;
  input?: Json;
  output?: Json;
  retryAttempt?: number;
  next?: string;
  taskToken?: string;
  detail?: Record<string, Json>;
}

export interface TransitionCount {
  /** Billable state transitions of Standard workflows: stateEntries + retries + mapRunChildren. */
  total: number;
  /** States entered, at every nesting level (Parallel branches, Map iterations, STANDARD map-run children). */
  stateEntries: number;
  /** Retries (each retry of a state is billed as a transition). */
  retries: number;
  /** Child workflow executions started by Distributed Map states (one transition each). */
  mapRunChildren: number;
  /** States entered inside EXPRESS children: not state transitions on the bill (Express pricing applies). */
  expressStateEntries: number;
  /** Entries + retries per state name (STANDARD only). */
  byState: Record<string, number>;
}

/**
 * Counts state transitions the way Step Functions bills Standard workflows:
 * - every state entered counts once, whatever its type (Pass, Choice, Wait, Succeed and Fail included), at every
 *   nesting level: the Parallel / Map state itself and every state inside its branches or iterations;
 * - every retry counts once more (AWS: "including retries");
 * - a Distributed Map counts one transition per child workflow execution it starts; the states inside STANDARD
 *   children count as well; EXPRESS children are not counted (reported as expressStateEntries);
 * - starting, ending, or resuming an execution (a callback answered, a Wait elapsing) is not a transition by itself.
 */
export function countTransitions(events: readonly LocalEvent[]): TransitionCount {
  const count: TransitionCount = {
    total: 0,
    stateEntries: 0,
    retries: 0,
    mapRunChildren: 0,
    expressStateEntries: 0,
    byState: {},
  };
  for (const e of events) {
    if (e.type === 'MapRunChildStarted') count.mapRunChildren++;
    if (e.type !== 'StateEntered' && e.type !== 'StateRetried') continue;
    if (e.express) {
      if (e.type === 'StateEntered') count.expressStateEntries++;
      continue;
    }
    if (e.type === 'StateEntered') count.stateEntries++;
    else count.retries++;
    const name = e.stateName ?? '?';
    count.byState[name] = (count.byState[name] ?? 0) + 1;
  }
  count.total = count.stateEntries + count.retries + count.mapRunChildren;
  return count;
}
