/**
 * Re-arming open cases: start an execution again for every workflow case the store holds open, so that
 * its wait (the payment, the choice, the settlement, the window's close, the next benefit month) is
 * waited for again. The local runtime does it on every start, since its executions live in memory
 * (a restart loses nothing); on AWS the same walk, with a starter that stops the old execution and
 * names the new one after the version, moves open cases onto a new version of their state machine.
 *
 * Why a fresh start is enough: each machine's first task answers from the case's stored state when the
 * case has already moved on (arrears `open`, retirement `evaluate`, bankruptcy `file`, unemployment
 * `record-month`, window `open-window` — all idempotent), and the Choice after it routes to the wait the
 * case is in; each wait's task resumes itself at once if what it waits for has already happened (a
 * payment already in the ledger, a choice staff recorded, dues settled). So the execution resumes
 * where the case is, at the cost of the first task and its Choice: 2 transitions a re-armed case.
 *
 * The states listed are every state a workflow leaves its case in while it is not over
 * (test/workflows/rearm.test.ts checks the list against the states the workflow code writes).
 */
import type { Case, CaseType } from '#store/model.js';
import { CLOSED_STATES } from '#store/model.js';
import type { WorkflowStore } from '#store/case-store.js';
import { REGIONS } from '#domain/regions.js';
import type { WorkflowName, WorkflowStarter } from '../ports.js';

export interface RearmContext {
  /** Where the collection window's rosters live (the execution input names the file). */
  readonly rosterBucket: string;
}

export interface RearmPlan {
  readonly workflow: WorkflowName;
  /** The case's open states: each one is a point an execution can resume from. */
  readonly openStates: readonly string[];
  /** The execution input that resumes the case (the same input that first started it). */
  input(c: Case, ctx: RearmContext): unknown;
}

const byCaseId = (c: Case) => ({ caseId: c.caseId });

export const REARM_PLANS: Readonly<Partial<Record<CaseType, RearmPlan>>> = {
  arrears: {
    workflow: 'arrears-timer',
    // opened: not yet suspended (A-1); waiting-payment: the 90 days (A-4); awaiting-backfill: unit, A-5.
    openStates: ['opened', 'waiting-payment', 'awaiting-backfill'],
    input: byCaseId,
  },
  'retirement-transfer': {
    workflow: 'retirement-transfer',
    // The staff API writes `awaiting-choice` / `choice-recorded`; the tasks `waiting-choice`.
    openStates: ['opened', 'waiting-dues', 'waiting-choice', 'awaiting-choice', 'choice-recorded', 'waiting-lump-sum'],
    input: byCaseId,
  },
  'bankruptcy-deferral': {
    workflow: 'bankruptcy-deferral',
    // ended: staff recorded the ruling or the end, the execution had not yet run `end` (B-4).
    openStates: ['opened', 'in-force', 'ended'],
    input: byCaseId,
  },
  'unemployment-contributions': {
    workflow: 'unemployment-contributions',
    openStates: ['opened', 'paying'],
    input: byCaseId,
  },
  'collection-window': {
    workflow: 'collection-window',
    // The execution re-reads its roster; creating renewals and lapsing are idempotent per resident.
    openStates: ['open'],
    input: (c, ctx) => {
      const feeYear = Number(c.data.feeYear);
      return {
        region: c.region,
        feeYear,
        roster: { bucket: ctx.rosterBucket, key: `rosters/${feeYear}/${c.region}.jsonl` },
      };
    },
  },
};

export interface RearmOptions extends RearmContext {
  readonly regions?: readonly string[];
  readonly pageSize?: number;
  /** One line per case re-armed, for a readable log. */
  readonly log?: (line: string) => void;
}

export interface RearmReport {
  /** Executions started again, by workflow. */
  readonly rearmed: Readonly<Partial<Record<WorkflowName, number>>>;
  /** Cases whose execution was still running (the starter found the name taken). */
  readonly running: number;
  readonly failures: ReadonlyArray<{ readonly caseId: string; readonly error: string }>;
}

/**
 * Starts an execution for every open workflow case of the regions, found through the byRegionState
 * index (one Query page per region, state and case type; no Scan). A case whose execution still runs
 * is left alone: the starter reports the execution name as taken.
 */
export async function rearmOpenCases(
  deps: { readonly store: WorkflowStore; readonly starter: WorkflowStarter },
  options: RearmOptions,
): Promise<RearmReport> {
  const rearmed: Partial<Record<WorkflowName, number>> = {};
  const failures: Array<{ caseId: string; error: string }> = [];
  let running = 0;
  const regions = options.regions ?? REGIONS.map((r) => r.code);
  for (const [caseType, plan] of Object.entries(REARM_PLANS) as Array<[CaseType, RearmPlan]>) {
    for (const region of regions) {
      for (const state of plan.openStates) {
        let cursor: string | undefined;
        do {
          const page = await deps.store.casesByRegionState(region, state, {
            caseType,
            limit: options.pageSize ?? 100,
            ...(cursor ? { cursor } : {}),
          });
          for (const c of page.items) {
            if (CLOSED_STATES.has(c.state)) continue;
            try {
              const r = await deps.starter.start(plan.workflow, c.caseId, plan.input(c, options));
              if (r.started) {
                rearmed[plan.workflow] = (rearmed[plan.workflow] ?? 0) + 1;
                options.log?.(
                  `re-armed ${plan.workflow} ${c.caseId} (${c.state}${c.wait ? `, waits for ${c.wait.for} until ${c.wait.until}` : ''})`,
                );
              } else running++;
            } catch (e) {
              failures.push({ caseId: c.caseId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
            }
          }
          cursor = page.cursor;
        } while (cursor);
      }
    }
  }
  return { rearmed, running, failures };
}
