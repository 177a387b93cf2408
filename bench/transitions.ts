/**
 * Step Functions state transitions per case path, read from the path tables of docs/workflows.md
 * (`| path (tested) | states entered | transitions |`). Each figure there is counted by
 * `countTransitions` of the local adapter (tools/local-sfn) in the test file the section names
 * (`tests in \`test/workflows/<machine>.test.ts\``): arrears-timer.test.ts, retirement-transfer.test.ts,
 * unemployment-contributions.test.ts, collection-window.test.ts, bankruptcy-deferral.test.ts.
 *
 * Beside the arrears timer: a daily-polling design of the same timer for comparison — a loop of
 * Wait (1 day) → Task (is it paid?) → Choice, once a day for 90 days, then a final Task and the end
 * state. Its cost is computed here, not measured (no such machine exists in the project).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PathTransitions {
  readonly machine: string;
  /** The test file that counts this path (named in the section). */
  readonly test: string;
  readonly path: string;
  readonly transitions: number;
}

export interface PollingComparison {
  readonly days: number;
  /** States per daily poll: Wait + Task + Choice. */
  readonly perPoll: number;
  /** Transitions for a case whose payment never comes within the 90 days: 90 × 3 + final Task + end state. */
  readonly neverPaid: number;
  /** Transitions for a case paid on day 60: 60 polls + end state. */
  readonly paidDay60: number;
  /** The arrears timer's own figures for the same paths (from the docs), and the ratios polling ÷ ours. */
  readonly ours: { readonly neverPaid: number; readonly paidDay60: number; readonly worst: number };
  readonly ratio: { readonly neverPaid: number; readonly paidDay60: number };
}

export interface TransitionsResult {
  readonly source: string;
  readonly paths: readonly PathTransitions[];
  readonly arrearsTimer: {
    readonly worstNormalPath: number;
    readonly goal: number;
    readonly met: boolean;
  };
  readonly polling: PollingComparison;
}

const ROOT = join(import.meta.dirname, '..');

/** Parses the path tables of docs/workflows.md. */
export function readTransitions(file = join(ROOT, 'docs/workflows.md')): PathTransitions[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: PathTransitions[] = [];
  let machine = '';
  let test = '';
  let inTable = false;
  for (const line of lines) {
    const h = /^## (.+)$/.exec(line);
    if (h) {
      machine = h[1]!.trim();
      test = '';
      inTable = false;
      continue;
    }
    const t =
      /tests in\s*\n?\s*`(test\/workflows\/[\w-]+\.test\.ts)`/.exec(line) ??
      /`(test\/workflows\/[\w-]+\.test\.ts)`/.exec(line);
    if (t && !test) test = t[1]!;
    if (/^\| path \(tested\) \| states entered \| transitions \|/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    if (/^\|\s*-/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const n = /^(\d+)/.exec(cells[2] ?? '');
    if (!n) continue;
    out.push({ machine, test, path: cells[0]!, transitions: Number(n[1]) });
  }
  return out;
}

export function transitions(): TransitionsResult {
  const paths = readTransitions();
  const arrears = paths.filter((p) => /^Arrears timer/i.test(p.machine));
  if (arrears.length === 0) throw new Error('docs/workflows.md: no arrears-timer path table found');
  // Error paths (case data invalid / no such case) are 2; the goal concerns the normal paths.
  const normal = arrears.filter((p) => !/invalid|no such case/i.test(p.path));
  const worst = Math.max(...normal.map((p) => p.transitions));
  const find = (re: RegExp) => arrears.find((p) => re.test(p.path))?.transitions ?? Number.NaN;
  const oursNever = find(/^never paid, flexible/);
  const oursDay60 = find(/^paid on day 60/);
  const perPoll = 3;
  const neverPaid = 90 * perPoll + 2;
  const paidDay60 = 60 * perPoll + 1;
  return {
    source: 'docs/workflows.md',
    paths,
    arrearsTimer: { worstNormalPath: worst, goal: 10, met: worst <= 10 },
    polling: {
      days: 90,
      perPoll,
      neverPaid,
      paidDay60,
      ours: { neverPaid: oursNever, paidDay60: oursDay60, worst },
      ratio: { neverPaid: neverPaid / oursNever, paidDay60: paidDay60 / oursDay60 },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(transitions(), null, 2));
