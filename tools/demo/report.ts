/**
 * The end of the year: the checks of every case run against the system, and the report — a table of the
 * cases, a table of the checks, and the mismatches.
 */
import type { Day } from './arithmetic.js';
import { DEMO_END_DAY, DEMO_START_DAY, PEOPLE, type Who } from './cast.js';
import type { Printer } from './printer.js';
import type { CheckTools, SceneContext, StoryCase } from './scenes/context.js';

export interface Check {
  readonly caseName: string;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export interface DemoCase {
  readonly name: string;
  readonly caseId: string | null;
  readonly state: string | null;
  readonly ok: boolean;
}

export interface DemoReport {
  /** Every check as the rules expect. */
  readonly ok: boolean;
  readonly cases: readonly DemoCase[];
  readonly checks: readonly Check[];
  readonly mismatches: readonly Check[];
  readonly simulated: { readonly from: Day; readonly to: Day };
  readonly elapsedMs: number;
}

/** Runs the checks of each case in turn; expected and actual compared as text (non-strings as JSON). */
export async function endOfYearChecks(ctx: SceneContext, cases: readonly StoryCase[]): Promise<Check[]> {
  const { api, ids } = ctx;
  const checks: Check[] = [];
  const status = async (who: Who, date: Day) => (await api.status(PEOPLE[who], date)).status;
  const covered = async (who: Who, date: Day) => ((await status(who, date)).covered ? 'covered' : 'not covered');
  for (const c of cases) {
    const tools: CheckTools = {
      expect: (what, expected, actual) => {
        const e = typeof expected === 'string' ? expected : JSON.stringify(expected);
        const a = typeof actual === 'string' ? actual : JSON.stringify(actual ?? null);
        checks.push({ caseName: c.name, what, expected: e, actual: a, ok: e === a });
      },
      status,
      covered,
      statusText: async (who, date) => {
        const s = await status(who, date);
        return `${s.status ?? 'not enrolled'}, ${s.covered ? 'covered' : 'not covered'}`;
      },
      caseOf: async (key) => (ids[key] ? api.getCase(ids[key]) : null),
    };
    await c.check(tools);
  }
  return checks;
}

/** Columns a string takes in a terminal: CJK characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff);
    w += wide || (c >= 0xff00 && c <= 0xff60) ? 2 : 1;
  }
  return w;
}

export function summarise(
  out: Printer,
  storyCases: readonly StoryCase[],
  checks: Check[],
  ids: Record<string, string>,
  ms: number,
): DemoReport {
  const mismatches = checks.filter((c) => !c.ok);
  const verdict = (c: Check) => (c.ok ? 'ok' : 'MISMATCH');

  const cases: DemoCase[] = storyCases.map(({ name, caseKey }) => {
    const mine = checks.filter((c) => c.caseName === name);
    const state = mine.find((c) => c.what === 'case' || c.what.startsWith('case:'))?.actual ?? null;
    return {
      name,
      caseId: caseKey ? (ids[caseKey] ?? null) : null,
      state,
      ok: mine.every((c) => c.ok),
    };
  });

  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]!))));
    for (const r of rows)
      out.out(`  ${r.map((x, i) => x + ' '.repeat(widths[i]! - displayWidth(x))).join('  ')}`.trimEnd());
  };
  out.out('');
  out.out('Cases');
  table([
    ['case', 'id', 'state', 'result'],
    ...cases.map((c) => [c.name, c.caseId ?? '—', c.state ?? '—', c.ok ? 'as expected' : 'NOT as expected']),
  ]);
  out.out('');
  out.out('Checks');
  table([
    ['case', 'check', 'expected', 'actual', ''],
    ...checks.map((c) => [c.caseName, c.what, c.expected, c.actual, verdict(c)]),
  ]);
  out.out('');
  const passed = checks.filter((c) => c.ok).length;
  out.out(
    `${passed} of ${checks.length} checks as the rules expect; ${mismatches.length} mismatch(es) (${Math.round(ms / 1000)} s).`,
  );
  for (const m of mismatches) out.out(`  MISMATCH ${m.caseName}: ${m.what}: expected ${m.expected}, got ${m.actual}`);
  return {
    ok: mismatches.length === 0,
    cases,
    checks,
    mismatches,
    simulated: { from: DEMO_START_DAY, to: DEMO_END_DAY },
    elapsedMs: ms,
  };
}
