/**
 * The re-arm plans (shared/app/workflows/rearm.ts) against the code that writes case states: every state
 * a workflow's tasks or the staff API leave its case in is either over (CLOSED_STATES) or listed as a
 * point its execution resumes from, so no open case is left without an execution after a restart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REARM_PLANS } from '#app/workflows/rearm.js';
import { CLOSED_STATES } from '#store/model.js';

/** The files that write each workflow case type's states. */
const WRITERS: Record<string, readonly string[]> = {
  arrears: ['shared/app/workflows/arrears-timer.ts'],
  'retirement-transfer': ['shared/app/workflows/retirement-transfer.ts', 'shared/app/staff/retirement.ts'],
  'bankruptcy-deferral': ['shared/app/workflows/bankruptcy-deferral.ts', 'shared/app/staff/bankruptcy.ts'],
  'unemployment-contributions': ['shared/app/workflows/unemployment-contributions.ts'],
  'collection-window': ['shared/app/workflows/collection-window.ts'],
};

/** `state: 'x'` and `state: cond ? 'x' : …` literals. */
function statesWritten(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/state: '([a-z-]+)'/g)) out.add(m[1]!);
  for (const m of text.matchAll(/state: [^,\n]*\? '([a-z-]+)'/g)) out.add(m[1]!);
  return out;
}

describe('re-arm plans', () => {
  it('cover every workflow case type', () => {
    expect(Object.keys(REARM_PLANS).sort()).toEqual(Object.keys(WRITERS).sort());
  });

  it.each(Object.entries(WRITERS))('%s: every state written is closed or a resume point', (caseType, files) => {
    const plan = REARM_PLANS[caseType as keyof typeof REARM_PLANS]!;
    const written = new Set(files.flatMap((f) => [...statesWritten(f)]));
    expect(written.size).toBeGreaterThan(0);
    const uncovered = [...written].filter((s) => !CLOSED_STATES.has(s) && !plan.openStates.includes(s));
    expect(uncovered).toEqual([]);
    // And no listed resume point is a closed state.
    expect(plan.openStates.filter((s) => CLOSED_STATES.has(s))).toEqual([]);
  });

  it('restart the collection window with the roster its start schedule names', () => {
    const input = REARM_PLANS['collection-window']!.input(
      {
        caseId: 'collection-window-220100-2028',
        region: '220100',
        data: { feeYear: 2028 },
      } as never,
      { rosterBucket: 'jl-rosters' },
    );
    expect(input).toEqual({
      region: '220100',
      feeYear: 2028,
      roster: { bucket: 'jl-rosters', key: 'rosters/2028/220100.jsonl' },
    });
  });
});
