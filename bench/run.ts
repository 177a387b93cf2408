/**
 * `npm run bench` (= tsx bench/run.ts): every benchmark, medians of several runs, written to
 * bench/results.json and docs/performance.md (with the machine and the date).
 *
 *  1. rules: `benchRules()` on the esbuild bundle (as bench/rules.ts runs itself), and in the same process
 *     the waiting-period decision against json-rules-engine (bench/json-rules-waiting.ts) over the same
 *     sample facts → ours ÷ theirs;
 *  2. intake through the store on DynamoDB Local (bench/intake.ts calls `benchStore()` of bench/store.ts): the
 *     baseline workload (no repeated deliveries, months in calendar order) and the mixed one, side by side;
 *  3. functions: `bench/functions.ts --json --runs 5` as a subprocess (sizes, cold init, where the bytes come
 *     from, what the AWS SDK's import alone costs, two experiments);
 *  4. transitions per case path from docs/workflows.md, and a daily-polling arrears timer beside them;
 *  5. the province cost model (bench/cost-model.ts), at us-east-1 prices in USD and China-region prices in CNY.
 *
 * The rules part runs in a child process on the bundle of this file (BENCH_RUN_PART=rules), loaded with
 * `node -e` so that bench/rules.ts's own "am I the main module" check stays false.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cstDateOf } from '#domain/calendar.js';
import { parameters } from '#params/index.js';
import { evaluate, parseFacts } from '#rules/engine.js';
import { DECISIONS } from '#rules/registry.js';
import { type CostModel, costModel, PRICE_LABELS, type PriceKey } from './cost-model.js';
import type { FunctionsResult } from './functions.js';
import type { IntakeBlock, IntakeResult } from './intake.js';
import { coverStartByJsonRules, createJsonRulesEngine, type ResidentFacts } from './json-rules-waiting.js';
import { benchRules, type RuleBench } from './rules.js';
import { type TransitionsResult, transitions } from './transitions.js';

const RULE_RUNS = 5;
const RULE_RUN_MS = 300;
const COMPARE_RUNS = 5;
const COMPARE_RUN_MS = 500;
const INTAKE_RUNS = 3;
const FUNCTION_RUNS = 5;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ───────────────────────────── 1. rules (runs in the bundled child) ─────────────────────────────

interface Comparison {
  readonly sampleFacts: number;
  readonly excluded: readonly string[];
  readonly oursPerSecond: number;
  readonly theirsPerSecond: number;
  readonly ratio: number;
  readonly oursRuns: readonly number[];
  readonly theirsRuns: readonly number[];
}

interface RulesPart {
  readonly decisions: readonly RuleBench[];
  readonly comparison: Comparison;
}

interface WaitingCase {
  name: string;
  rules: string[];
  asOf: string;
  facts: Record<string, unknown> & {
    scheme: string;
    paidAt: string;
    feeYear?: number;
    group?: string;
    birthDate?: string;
    repairYears?: number;
    previousCover?: { scheme: string; lastCoveredDay: string; continuousYears: number; lastCoveredFeeYear?: number };
  };
  expect?: { coverStarts?: string };
}

const MODELLED = new Set(['W-1', 'W-4', 'W-5c', 'W-6', 'W-7']);

async function rulesPart(): Promise<RulesPart> {
  const decisions = benchRules(RULE_RUN_MS, RULE_RUNS);

  const store = parameters();
  const spec = DECISIONS.find((d) => d.id === 'waiting-period')!;
  const all = (
    JSON.parse(readFileSync(join(process.cwd(), 'shared/rules/waiting-period/cases.json'), 'utf8')) as {
      cases: WaitingCase[];
    }
  ).cases;
  // The json-rules-engine version models the resident scheme's W-1, W-4, W-5c, W-6/W-7 (no employee
  // scheme, transfers between schemes, identity conversion, assistance, W-8 or older policy packs).
  const candidates = all.filter(
    (c) =>
      c.facts.scheme === 'resident' &&
      c.expect?.coverStarts &&
      c.rules.every((r) => MODELLED.has(r)) &&
      (c.facts.group ?? 'none') !== 'medical-assistance' &&
      (!c.facts.previousCover || c.facts.previousCover.scheme === 'resident'),
  );
  const engine = createJsonRulesEngine();
  const excluded: string[] = [];
  const sample: { ours: { facts: unknown; asOf: string }; theirs: ResidentFacts }[] = [];
  for (const c of candidates) {
    const f = c.facts;
    const theirs: ResidentFacts = {
      paidOn: cstDateOf(f.paidAt),
      feeYear: f.feeYear!,
      ...(f.group === 'newborn' && f.birthDate ? { newbornBirthDate: f.birthDate } : {}),
      ...(f.previousCover
        ? {
            lastCoveredDay: f.previousCover.lastCoveredDay,
            continuousYears: f.previousCover.continuousYears,
            ...(f.previousCover.lastCoveredFeeYear ? { lastCoveredFeeYear: f.previousCover.lastCoveredFeeYear } : {}),
          }
        : {}),
      ...(f.repairYears ? { repairYears: f.repairYears } : {}),
    };
    const facts = parseFacts(spec, f);
    const ourValue = evaluate(spec, facts, c.asOf, store).value as { coverStarts: string };
    const theirValue = await coverStartByJsonRules(engine, theirs);
    if (ourValue.coverStarts !== theirValue.coverStarts || ourValue.coverStarts !== c.expect!.coverStarts) {
      excluded.push(`${c.name}: ours ${ourValue.coverStarts}, json-rules-engine ${theirValue.coverStarts}`);
      continue;
    }
    sample.push({ ours: { facts, asOf: c.asOf }, theirs });
  }
  if (sample.length === 0) throw new Error('no sample facts on which both engines agree');

  const timeSync = (fn: () => void): number => {
    let n = 0;
    const start = process.hrtime.bigint();
    const until = start + BigInt(COMPARE_RUN_MS) * 1_000_000n;
    let now = start;
    while (now < until) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
      now = process.hrtime.bigint();
    }
    return Math.round((n * 1e9) / Number(now - start));
  };
  let k = 0;
  const ours = () => {
    const s = sample[k++ % sample.length]!;
    evaluate(spec, s.ours.facts as never, s.ours.asOf, store);
  };
  const theirsOnce = async () => {
    const s = sample[k++ % sample.length]!;
    await coverStartByJsonRules(engine, s.theirs);
  };
  const timeAsync = async (): Promise<number> => {
    let n = 0;
    const start = process.hrtime.bigint();
    const until = start + BigInt(COMPARE_RUN_MS) * 1_000_000n;
    let now = start;
    while (now < until) {
      for (let i = 0; i < 50; i++) await theirsOnce();
      n += 50;
      now = process.hrtime.bigint();
    }
    return Math.round((n * 1e9) / Number(now - start));
  };
  for (let i = 0; i < 2000; i++) ours();
  for (let i = 0; i < 500; i++) await theirsOnce();
  const oursRuns: number[] = [];
  const theirsRuns: number[] = [];
  // Interleaved, so drift of the machine touches both alike.
  for (let r = 0; r < COMPARE_RUNS; r++) {
    oursRuns.push(timeSync(ours));
    theirsRuns.push(await timeAsync());
  }
  const o = median(oursRuns);
  const t = median(theirsRuns);
  return {
    decisions,
    comparison: {
      sampleFacts: sample.length,
      excluded,
      oursPerSecond: o,
      theirsPerSecond: t,
      ratio: o / t,
      oursRuns,
      theirsRuns,
    },
  };
}

// ───────────────────────────── orchestration (under tsx) ─────────────────────────────

const ROOT = join(import.meta.dirname, '..');

async function runRulesBundled(): Promise<RulesPart> {
  const buildModule = './build.js';
  const { bundleForBench } = (await import(buildModule)) as typeof import('./build.js');
  const out = await bundleForBench('bench/run.ts');
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(out).href)});`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BENCH_RUN_PART: 'rules', BENCH_BUNDLED: '' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`rules benchmark failed:\n${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"decisions"'));
  if (!line) throw new Error(`rules benchmark: no result in\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line) as RulesPart;
}

type FunctionsPart = FunctionsResult;

function runFunctions(): FunctionsPart {
  const r = spawnSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['bench/functions.ts', '--json', '--runs', String(FUNCTION_RUNS)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const start = r.stdout.indexOf('{');
  if (start < 0) throw new Error(`functions benchmark: no JSON in output\n${r.stderr}`);
  return JSON.parse(r.stdout.slice(start)) as FunctionsPart;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
/** Minor units (cents, fen) as money: two decimals below 100, whole units above. */
const money = (minor: number, currency: string) => {
  const major = minor / 100;
  if (minor > 0 && minor < 1) return `< 0.01 ${currency}`;
  return `${fmt(major, major < 100 ? 2 : 0)} ${currency}`;
};
const exact = (minor: number) => fmt(minor / 100, 2);
const kb = (b: number) => (b / 1024).toFixed(1);

interface Results {
  date: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    platform: string;
    /** 1-minute load average at the start and the end of the run: other work on the machine skews every figure. */
    loadAverage: { start: number; end: number };
  };
  durationSeconds: number;
  /** Seconds each part took, in order. */
  partSeconds: Record<string, number>;
  rules: RulesPart;
  intake: IntakeResult;
  functions: FunctionsPart;
  transitions: TransitionsResult;
  cost: CostModel;
  goals: { goal: string; measured: string; met: boolean; note: string }[];
}

function sdkRange(fns: FunctionsPart): string {
  const withSdk = fns.sdk.filter((x) => x.packages.length > 0).map((x) => x.ms);
  return withSdk.length ? `${fmt(Math.min(...withSdk), 0)}–${fmt(Math.max(...withSdk), 0)} ms` : '—';
}

function goals(rules: RulesPart, intake: IntakeResult, fns: FunctionsPart, tr: TransitionsResult): Results['goals'] {
  const w = rules.decisions.find((d) => d.decision === 'waiting-period');
  const wps = w?.perSecond ?? Number.NaN;
  const mixed = intake.variants.mixed;
  const baseline = intake.variants.baseline;
  const blocks = [baseline.sequential, baseline.concurrent, mixed.sequential, mixed.concurrent];
  const worstReads = Math.max(...blocks.map((b) => b.worstOtherReads));
  const worstWrites = Math.max(...blocks.map((b) => b.worstOtherWrites));
  const maxBytes = Math.max(...fns.rows.map((r) => r.bytes));
  const maxMs = Math.max(...fns.rows.map((r) => r.initMs));
  const bigOnes = fns.rows.filter((r) => r.bytes > fns.goals.bytes);
  const slowOnes = fns.rows.filter((r) => !(r.initMs <= fns.goals.ms));
  return [
    {
      goal: 'waiting-period ≥ 100,000 decisions/s',
      measured: `${fmt(wps)}/s`,
      met: wps >= 100_000,
      note:
        wps >= 100_000
          ? `${fmt(wps / 100_000, 1)}× the goal`
          : `missed by ${fmt(100_000 - wps)}/s (${fmt((100 * (100_000 - wps)) / 100_000, 1)} %)`,
    },
    {
      goal: 'intake ≤ 1 write and ≤ 1 read request per notification',
      measured: `baseline ${fmt(baseline.concurrent.readsPerNotification, 3)} read, ${fmt(baseline.concurrent.writesPerNotification, 3)} write; mixed ${fmt(mixed.concurrent.readsPerNotification, 3)} read, ${fmt(mixed.concurrent.writesPerNotification, 3)} write per notification (concurrent, median); every notification not redone after a concurrent change: ≤ ${worstReads} read, ≤ ${worstWrites} write`,
      met: intake.goalMet,
      note: `the mixed workload's excess over 1.000 is the optimistic lock redoing ${fmt(mixed.concurrent.redone)} of ${fmt(mixed.concurrent.notifications)} notifications (median) whose ledger entry another in-flight intake changed (baseline: ${fmt(baseline.concurrent.redone)}); one at a time exactly ${fmt(baseline.sequential.readsPerNotification, 3)} / ${fmt(baseline.sequential.writesPerNotification, 3)} (baseline) and ${fmt(mixed.sequential.readsPerNotification, 3)} / ${fmt(mixed.sequential.writesPerNotification, 3)} (mixed)`,
    },
    {
      goal: `each function ≤ ${kb(fns.goals.bytes)} KB`,
      measured: `largest ${kb(maxBytes)} KB; ${fns.rows.length - bigOnes.length} of ${fns.rows.length} within`,
      met: bigOnes.length === 0,
      note: bigOnes.length
        ? `${bigOnes.map((r) => `${r.entry} ${kb(r.bytes - fns.goals.bytes)} KB over`).join('; ')} (see §3: why, and the lever)`
        : `${kb(fns.goals.bytes - maxBytes)} KB to spare on the largest`,
    },
    {
      goal: `each function ≤ ${fns.goals.ms} ms cold init`,
      measured: `slowest ${fmt(maxMs, 1)} ms (median of ${fns.runs}); ${fns.rows.length - slowOnes.length} of ${fns.rows.length} within`,
      met: slowOnes.length === 0,
      note: slowOnes.length
        ? `${slowOnes.length} over, by ${fmt(Math.min(...slowOnes.map((r) => r.initMs - fns.goals.ms)), 1)}–${fmt(Math.max(...slowOnes.map((r) => r.initMs - fns.goals.ms)), 1)} ms: every function that imports the AWS SDK (importing its packages alone takes ${sdkRange(fns)} here; see §3)`
        : `${fmt(fns.goals.ms - maxMs, 1)} ms to spare on the slowest`,
    },
    {
      goal: `arrears timer ≤ ${tr.arrearsTimer.goal} transitions per case`,
      measured: `worst tested path ${tr.arrearsTimer.worstNormalPath} (short payment then top-up); 5 on the common paths`,
      met: tr.arrearsTimer.met,
      note: 'each task retry adds one; the daily-polling design would cost ~272 on a never-paid case',
    },
  ];
}

function markdown(r: Results): string {
  const c = r.rules.comparison;
  const i = r.intake;
  const t = r.transitions;
  const m = r.cost;
  const a = m.assumptions;
  const L: string[] = [];
  L.push('# Performance', '');
  L.push(
    'Generated by `npm run bench` (`bench/run.ts`); the raw figures are in `bench/results.json`. Do not edit by',
    'hand: re-run the benchmark.',
    '',
  );
  L.push(
    `- date: ${r.date}`,
    `- machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, ${r.machine.platform}; 1-minute load average ${fmt(r.machine.loadAverage.start, 2)} at the start, ${fmt(r.machine.loadAverage.end, 2)} at the end`,
    `- node: ${r.machine.node}`,
    `- the whole run took ${fmt(r.durationSeconds)} s (${Object.entries(r.partSeconds)
      .map(([k, v]) => `${k} ${fmt(v)} s`)
      .join(', ')})`,
    '',
  );
  L.push('## Goals', '', '| goal | measured | met | note |', '|---|---|---|---|');
  for (const g of r.goals) L.push(`| ${g.goal} | ${g.measured} | ${g.met ? 'met' : '**missed**'} | ${g.note} |`);
  L.push('');

  L.push('## 1. Decisions per second', '');
  L.push(
    `One core, the esbuild bundle (minified, as in Lambda), each decision with its full trace, validated facts`,
    `reused; median of ${RULE_RUNS} runs of ${RULE_RUN_MS} ms on each decision's example facts (\`benchRules()\` of bench/rules.ts).`,
    '',
    '| decision | decisions/s (median) | runs |',
    '|---|---:|---|',
  );
  for (const d of r.rules.decisions)
    L.push(`| ${d.decision} | ${fmt(d.perSecond)} | ${d.runs.map((x) => fmt(x)).join(', ')} |`);
  L.push('');
  L.push('### Waiting period: ours vs json-rules-engine', '');
  L.push(
    `The same ${c.sampleFacts} sample facts (the resident-scheme cases of \`shared/rules/waiting-period/cases.json\` covered by`,
    'W-1, W-4, W-5c, W-6/W-7, on which both agree with the expected cover start), cycled; ours: `evaluate()` with the',
    "full trace; theirs: `coverStartByJsonRules()` of bench/json-rules-waiting.ts (facts derived beforehand, the engine's",
    `async \`run()\`, then the cover start). ${COMPARE_RUNS} interleaved runs of ${COMPARE_RUN_MS} ms each, median, same process, same bundle.`,
    '',
    '| engine | evaluations/s (median) | runs |',
    '|---|---:|---|',
    `| ours (waiting-period decision) | ${fmt(c.oursPerSecond)} | ${c.oursRuns.map((x) => fmt(x)).join(', ')} |`,
    `| json-rules-engine 7.3.1 | ${fmt(c.theirsPerSecond)} | ${c.theirsRuns.map((x) => fmt(x)).join(', ')} |`,
    `| **ratio ours ÷ theirs** | **${fmt(c.ratio, 1)}** | |`,
    '',
  );
  if (c.excluded.length) {
    L.push('Sample cases left out (the two engines disagree; the json-rules-engine version is a simplification):', '');
    for (const e of c.excluded) L.push(`- ${e}`);
    L.push('');
  }

  L.push('## 2. Intake through the case store (DynamoDB Local)', '');
  L.push(
    `\`benchStore()\` of bench/store.ts, called ${i.runs} times by bench/intake.ts, each call with its own DynamoDB Local (a fresh`,
    'JVM and table) and **both workloads measured against the same server, side by side**, in alternating order from run',
    `to run; ${i.sequentialN} notifications one at a time, then ${fmt(i.n)} with ${i.concurrency} in flight, per workload; a warm-up of ${i.warmup}`,
    '(half of each workload) first; every block writes to people of its own. Median of the runs (worst-case column: the',
    'maximum).',
    '',
    `- **baseline**: ${i.variants.baseline.workload};`,
    `- **mixed**: ${i.variants.mixed.workload}.`,
    '',
    "DynamoDB Local is a Java emulator: its throughput and latencies say nothing about DynamoDB's; the request counts carry",
    'over, the capacity units roughly (see the note below the table).',
    '',
    '| workload | block | notifications (stored, duplicates) | in flight | notifications/s | p50 ms | p99 ms | reads / notif. | writes / notif. | CU / notif. (read, write) | redone | worst other |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
  );
  const row = (variant: string, name: string, b: IntakeBlock) =>
    `| ${variant} | ${name} | ${b.notifications} (${fmt(b.stored)}, ${fmt(b.duplicates)}) | ${b.inFlight} | ${fmt(b.perSecond)} | ${fmt(b.p50Ms, 1)} | ${fmt(b.p99Ms, 1)} | ${fmt(b.readsPerNotification, 3)} | ${fmt(b.writesPerNotification, 3)} | ${fmt(b.capacityPerNotification, 2)} (${fmt(b.readCapacityPerNotification, 2)}, ${fmt(b.writeCapacityPerNotification, 2)}) | ${fmt(b.redone)} | ${b.worstOtherReads} read, ${b.worstOtherWrites} write |`;
  const ib = i.variants.baseline;
  const im = i.variants.mixed;
  L.push(
    row('baseline', 'one at a time', ib.sequential),
    row('mixed', 'one at a time', im.sequential),
    row('baseline', 'concurrent', ib.concurrent),
    row('mixed', 'concurrent', im.concurrent),
    '',
  );
  const pct = (x: number, y: number) => `${x >= y ? '+' : '−'}${fmt((100 * Math.abs(x - y)) / y, 0)} %`;
  L.push(
    `Mixed against baseline, concurrent: ${fmt(im.concurrent.perSecond)} vs ${fmt(ib.concurrent.perSecond)} notifications/s (${pct(im.concurrent.perSecond, ib.concurrent.perSecond)}),`,
    `p99 ${fmt(im.concurrent.p99Ms, 1)} vs ${fmt(ib.concurrent.p99Ms, 1)} ms, ${fmt(im.concurrent.readsPerNotification, 3)} vs ${fmt(ib.concurrent.readsPerNotification, 3)} reads and ${fmt(im.concurrent.writesPerNotification, 3)} vs ${fmt(ib.concurrent.writesPerNotification, 3)} write requests per notification,`,
    `${fmt(im.concurrent.redone)} vs ${fmt(ib.concurrent.redone)} redone. The design's cost per notification is one Query and one TransactWriteItems in both;`,
    'only the optimistic lock, when two in-flight intakes touch the same ledger entry, adds a second pair (the mixed',
    "workload's repeats, corrections and same-month payments make that happen; the baseline's calendar order almost never does).",
    '',
    '"redone": notifications whose ledger entry another in-flight intake changed between its Query and its',
    'TransactWriteItems (the optimistic lock re-reads and rewrites). Every other notification used at most one',
    'Query and one TransactWriteItems. "duplicates": repeated deliveries the store recognised (nothing changed).',
    '',
    'Capacity units are as DynamoDB Local reports them: it reports 0 read units for a Query that finds nothing (most',
    "baseline Queries: a new month of a person's ledger) and no units for a write whose condition fails (a repeated",
    'delivery). The cost model (§5) therefore takes at least 1 read unit per Query (strongly consistent, ≤ 4 KB).',
    '',
  );

  const fns = r.functions;
  L.push('## 3. Functions: bundle size and cold init', '');
  L.push(
    `\`bench/functions.ts --json --runs ${fns.runs}\`: every Lambda entry point bundled as CDK bundles it (esbuild, minified,`,
    'ESM, `@aws-sdk/*` external: the Lambda runtime provides the SDK); cold init = `import()` of the bundle in a fresh node',
    "process, median of the runs. own ms: the same import with the bundle's `@aws-sdk/*` packages loaded first (our code",
    'alone). SDK ms: a module that imports only those `@aws-sdk/*` packages, probed in the same loop (interleaved).',
    '',
    '| entry | size KB | gzip KB | init ms (median) | min–max | own ms | SDK ms | goal |',
    '|---|---:|---:|---:|---|---:|---:|---|',
  );
  for (const f of fns.rows) {
    const ok = !f.error && f.bytes <= fns.goals.bytes && f.initMs <= fns.goals.ms;
    L.push(
      `| ${f.entry} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} | ${fmt(f.initMs, 1)} | ${fmt(f.initMinMs, 1)}–${fmt(f.initMaxMs, 1)} | ${fmt(f.ownMs, 1)} | ${f.sdkPackages.length ? fmt(f.sdkOnlyMs, 1) : '— (none)'} | ${ok ? 'met' : `**missed**${f.error ? ` (${f.error})` : ''}`} |`,
    );
  }
  L.push('');
  if (fns.misses.length) {
    L.push('Misses:', '');
    for (const x of fns.misses) L.push(`- ${x}`);
    L.push('');
  }

  // ── Why: bytes ──
  const groups = Object.keys(fns.rows[0]?.breakdown ?? {});
  const big = fns.rows.filter((x) => x.bytes > fns.goals.bytes);
  const range = (key: string) => {
    const v = fns.rows.map((x) => (x.breakdown as Record<string, number>)[key] ?? 0);
    return `${kb(Math.min(...v))}–${kb(Math.max(...v))}`;
  };
  L.push('### Why the size goal is missed, or nearly', '');
  L.push(
    "Where each bundle's bytes come from (KB, from esbuild's metafile: `bytesInOutput` per input file, grouped; the last",
    'column is what esbuild adds around the inputs). `@aws-sdk/*` is external and not in any bundle.',
    '',
    `| entry | ${groups.join(' | ')} | total |`,
    `|---|${groups.map(() => '---:').join('|')}|---:|`,
  );
  for (const f of fns.rows)
    L.push(
      `| ${f.entry.replace(/^functions\//, '')} | ${groups.map((g) => kb((f.breakdown as Record<string, number>)[g] ?? 0)).join(' | ')} | ${kb(f.bytes)} |`,
    );
  L.push(
    '',
    `- zod (${range('zod')} KB) is in every bundle: the schemas validate every input (API bodies, notifications, task`,
    "  input, the store's items and every decision's facts). zod 4's classic API (`import * as z from 'zod'`) brings its",
    '  schema classes with their methods, including the JSON-Schema processors (`core/json-schema-processors.js` and',
    '  `core/to-json-schema.js`, imported by `classic/schemas.js`), whichever schemas a function builds. Its message locales',
    '  are already left out (infra/bundling). zod/mini would be smaller, but the store (shared/store/model.ts) and every',
    '  decision build classic schemas, so a function would carry both: not a lever without moving those too.',
    `- shared/params (${range('shared/params')} KB): every parameter area with its sources, loaded whole by \`parameters()\` for`,
    '  any decision; shared/rules is the decisions themselves, from the few a function uses to all 16 in `decide`.',
    `- @aws-lambda-powertools/* (${range('@aws-lambda-powertools/*')} KB): the logger (and batch/metrics where used).`,
    '',
    'Lever applied: the staff services and the intake import the decisions they use (`shared/rules/decide-with.ts`, as the',
    'workflow tasks already did), not the registry, and',
    'the route schemas name the decision ids from `shared/rules/decision-ids.ts` (the registry refuses to load if the',
    'two lists differ); the what-if route (`decide`), the only one that needs every decision, now takes just a clock',
    '(`functions/api/installed.ts`), so it bundles neither the store nor an AWS client: it calls no AWS service.',
    '',
  );
  if (big.length)
    L.push(`Over the size goal in this run: ${big.map((x) => `${x.entry} (${kb(x.bytes)} KB)`).join(', ')}.`, '');

  // ── Why: cold init ──
  const empty = fns.sdk.find((x) => x.packages.length === 0);
  const withSdk = fns.sdk.filter((x) => x.packages.length > 0);
  const sdkRows = fns.rows.filter((x) => x.sdkPackages.length > 0 && !x.error);
  const noSdk = fns.rows.filter((x) => x.sdkPackages.length === 0 && !x.error);
  const own = sdkRows.map((x) => x.ownMs);
  L.push('### Why the cold-init goal is missed', '');
  L.push(
    'What importing the AWS SDK packages alone costs (a module with those `import`s and nothing else, fresh process,',
    'median over every probe of the set; files and KB: the CommonJS files those imports load and their source size):',
    '',
    '| imports | used by | init ms (median) | probes | CommonJS files | JS source KB |',
    '|---|---|---:|---:|---:|---:|',
  );
  for (const x of fns.sdk) {
    const users = fns.rows.filter((rr) => JSON.stringify(rr.sdkPackages) === JSON.stringify(x.packages)).length;
    L.push(
      `| ${x.packages.length ? x.packages.map((p) => `\`${p}\``).join(' + ') : '(an empty module)'} | ${users ? `${users} function${users > 1 ? 's' : ''}${x.packages.length ? '' : ' (imports no SDK package)'}` : '—'} | ${fmt(x.ms, 1)} | ${x.probes} | ${x.cjsFiles} | ${fmt(x.cjsKb)} |`,
    );
  }
  L.push('');
  if (withSdk.length && own.length)
    L.push(
      `An empty module imports in ${fmt(empty?.ms ?? Number.NaN, 1)} ms. Importing only the SDK clients a function uses takes ${sdkRange(fns)} on this`,
      `machine — **at or above the ${fns.goals.ms} ms goal before a line of our code runs**: the clients are CommonJS (~${fmt(Math.min(...withSdk.map((x) => x.cjsKb)))}–${fmt(Math.max(...withSdk.map((x) => x.cjsKb)))} KB`,
      'of JavaScript in a few dozen files, with their @smithy/* and @aws-sdk/core dependencies) that Node parses and evaluates',
      `at import. Our own code adds ${fmt(Math.min(...own), 1)}–${fmt(Math.max(...own), 1)} ms (own ms): zod building the schemas, the parameter store, the`,
      `decisions and Powertools. ${noSdk.length ? `${noSdk.map((x) => x.entry).join(', ')}, which imports no AWS client, meets the goal at ${noSdk.map((x) => `${fmt(x.initMs, 1)} ms`).join(', ')}.` : ''}`,
      '',
    );
  for (const x of fns.experiments.filter((e) => e.name === 'sdk-bundled'))
    L.push(
      `Experiment, not shipped: ${x.what} (${x.entry}): init **${fmt(x.initMs, 1)} ms** instead of ${fmt(x.shippedInitMs, 1)} ms, but the bundle`,
      `grows to **${kb(x.bytes)} KB** from ${kb(x.shippedBytes)} KB — one goal traded for the other (and still ${x.initMs <= fns.goals.ms ? 'just within' : 'above'} ${fns.goals.ms} ms here).`,
      '',
    );
  L.push(
    'What would not be honest, and is not done: deferring the SDK import to the first invocation (a dynamic `import()`',
    'in the handler) would move the same time from the Init phase into the first request, which then pays it.',
    '',
    'These are local figures (Node 24 here, the SDK from node_modules; Lambda runs Node.js 24 on arm64 with its own copy',
    'of the SDK and a CPU share set by the memory size), so the absolute milliseconds will differ on AWS; the split',
    "between the SDK's import and our own code is what this measures.",
    '',
  );

  L.push('## 4. Step Functions transitions per case path', '');
  L.push(
    'From the path tables of `docs/workflows.md`, each counted by `countTransitions` in the named test (the',
    'synthesized definitions run on the local adapter with the real task handlers). Retries add one each.',
    '',
    '| machine | path | transitions | counted in |',
    '|---|---|---:|---|',
  );
  for (const x of t.paths)
    L.push(`| ${x.machine} | ${x.path.replace(/\|/g, '\\|')} | ${x.transitions} | \`${x.test}\` |`);
  L.push('');
  L.push('### Arrears timer vs a daily-polling design', '');
  L.push(
    'The polling design (not built; computed): Wait 1 day → Task (paid yet?) → Choice, once a day, i.e.',
    `${t.polling.perPoll} transitions a day for up to ${t.polling.days} days, plus the final Task and the end state.`,
    '',
    '| path | this design (callback + timeout) | daily polling | polling ÷ ours |',
    '|---|---:|---:|---:|',
    `| paid on day 60 | ${t.polling.ours.paidDay60} | ${t.polling.paidDay60} (60 × 3 + 1) | ${fmt(t.polling.ratio.paidDay60, 1)}× |`,
    `| never paid (flexible, lapses after day 90) | ${t.polling.ours.neverPaid} | ${t.polling.neverPaid} (90 × 3 + 2) | ${fmt(t.polling.ratio.neverPaid, 1)}× |`,
    `| worst tested path (short payment, top-up) | ${t.polling.ours.worst} | ≥ ${t.polling.paidDay60} | — |`,
    '',
    `A unit's backfill wait (to the horizon, ~6 more months) would add another ~180 × 3 polls; this design pays 3 more transitions for it.`,
    '',
  );

  L.push('## 5. Province cost model', '');
  const us = m.priced.find((x) => x.list.currency === 'USD')!;
  const cn = m.priced.find((x) => x.list.currency === 'CNY')!;
  const fx = m.cnyPerUsdList;
  L.push(
    `${fmt(a.residents)} residents and ${fmt(a.employees)} employees. The same yearly quantities priced twice: **${us.list.title}**`,
    `in USD (${us.list.asOf}), and **${cn.list.title}** in CNY, where the stack deploys (infra/app.ts: cn-north-1 by default).`,
    'Free tiers, storage, logs, CloudWatch, API Gateway, S3, KMS and data transfer are not included.',
    '',
    '### Prices',
    '',
    '| price | per | us-east-1 USD | China CNY | China price is | China source |',
    '|---|---:|---:|---:|---|---|',
  );
  for (const k of Object.keys(PRICE_LABELS) as PriceKey[]) {
    const pu = us.list.prices[k];
    const pc = cn.list.prices[k];
    L.push(
      `| ${PRICE_LABELS[k]} | ${fmt(pu.per)} ${pu.unit} | ${pu.amount} | ${pc.amount} | ${pc.status === 'published' ? 'published' : '**assumed**'} | ${pc.source} |`,
    );
  }
  L.push(
    '',
    `The one China price found is DynamoDB on-demand writes, ¥ 11.1538 per million write request units, for both China`,
    'regions (www.amazonaws.cn/en/dynamodb/pricing/, as stored by the offline page search; the stored text stops inside that',
    "sentence and carries no date, so the read price and the page's date are unknown). The Step Functions, Lambda,",
    'EventBridge, Scheduler and SQS China price pages were not found. **Every other China price above is an assumption**:',
    `the us-east-1 price × ${fx.factor}, which is ¥ 11.1538 ÷ 1.25 USD, the us-east-1 write price before its 2024-11-01`,
    `reduction (against today's 0.625 USD the ratio would be ${fmt(Number(cn.list.prices.dynamoWriteUnits.amount) / Number(us.list.prices.dynamoWriteUnits.amount), 1)}: whether the China page predates a like`,
    "reduction there is not known, and other services' China prices may relate differently to their US ones); DynamoDB",
    "reads are the writes' price ÷ 5, the read : write ratio of every on-demand price list seen. Both China regions are",
    "assumed to share one price list (the DynamoDB page does). Replace the assumed figures with the operators' published",
    'ones (bench/cost-model.ts, `CHINA`); each price carries its source and whether it is published or assumed.',
    '',
    'Assumptions:',
    '',
    `- payments: each resident once a year (${fmt(a.residents)}), each employee once a month (${fmt(a.employees * 12)} a year); plus ${a.redeliveryShare * 100} % redelivered notifications → ${fmt(m.deliveriesPerYear)} deliveries a year;`,
    `- DynamoDB per delivery: the mixed workload's concurrent median (§2), ${fmt(m.inputs.writeUnitsPerNotification, 2)} write units (DynamoDB Local's ConsumedCapacity; TransactWriteItems counts double) and ${fmt(m.readUnitsPerDelivery, 3)} read units: the larger of the measured ${fmt(m.inputs.readUnitsPerNotification, 2)} and ${fmt(m.inputs.readRequestsPerNotification, 3)} Queries × ${a.minReadUnitsPerQuery} unit (DynamoDB Local reports 0 for a Query that finds nothing);`,
    `- intake Lambda: ${a.intakeMemoryGb * 1024} MB on Arm, ${a.intakeMsPerNotification} ms billed per notification on AWS (assumed, not measured), SQS batches of ${a.intakeBatchSize}; ${a.sqsRequestsPerDelivery} SQS requests and 1 EventBridge event per delivery;`,
    `- arrears: ${a.arrearsShareOfEmployeeMonths * 100} % of employee months are paid late → ${fmt(m.arrearsCasesPerYear)} arrears-timer executions a year, path mix ${a.arrearsMix.map((x) => `${x.share * 100} % × ${x.transitions}`).join(', ')} → ${fmt(m.arrearsTransitionsPerCase, 2)} transitions a case; ${a.arrearsReadUnits} read and ${a.arrearsWriteUnits} write units a case; ${a.taskInvocationsPerTransition} task invocations per transition, ${a.taskMemoryGb * 1024} MB, ${a.taskMs} ms each;`,
    `- collection window (sizing of docs/workflows.md): batches of ${a.windowBatch}, 2 Maps × (1 child + 1 Task) per batch + 7 per region (9 regions); ${a.windowCreateSecondsPerBatch} s and ${a.windowLapseSecondsPerBatch} s of Lambda per batch; ${a.windowWriteUnitsPerResident} write units per resident (renewal + audit, transactional), ${a.windowReadUnitsPerResident} read units per resident at the close, ${a.windowLapsedShare * 100} % lapsed (another ${a.windowWriteUnitsPerResident} write units each);`,
    `- other workflows a year (assumed): ${fmt(a.retirementsPerYear)} retirement transfers × ${a.retirementTransitions}, ${fmt(a.unemploymentAwardsPerYear)} unemployment awards × ${a.unemploymentMonthsPerAward} months × 3, ${fmt(a.bankruptcyAgreementsPerYear)} bankruptcy deferrals × ${a.bankruptcyTransitions} transitions;`,
    `- Scheduler: the daily sweep (${a.sweepSecondsPerDay} s of Lambda a day) and one window start per region.`,
    '',
    'Rounding: each line is computed exactly (decimal prices, BigInt) from its yearly quantity rounded up to a whole',
    'billing unit (GB-seconds to the thousandth) and rounded half up to the cent or fen once; totals are sums of the',
    'rounded lines; the monthly average is the total ÷ 12, rounded half up to the cent or fen.',
    '',
    '### Yearly cost',
    '',
    '| item | quantity a year | USD a year (us-east-1) | CNY a year (China) | of which on assumed prices |',
    '|---|---|---:|---:|---:|',
  );
  m.items.forEach((it, k) => {
    const lu = us.lines[k]!;
    const lc = cn.lines[k]!;
    L.push(
      `| ${it.item} | ${it.quantityPerYear} | ${exact(lu.minorPerYear)} | ${exact(lc.minorPerYear)} | ${fmt(100 * lc.assumedShare, 0)} % |`,
    );
  });
  const assumedShare = cn.totalMinorPerYear ? cn.assumedMinorPerYear / cn.totalMinorPerYear : 0;
  const plainFx =
    cn.totalMinorPerYear -
    cn.assumedMinorPerYear +
    (cn.assumedMinorPerYear * Number(fx.plainExchangeRate)) / Number(fx.factor);
  L.push(
    `| **total** | | **${exact(us.totalMinorPerYear)}** | **${exact(cn.totalMinorPerYear)}** | ${fmt(100 * assumedShare, 0)} % |`,
    '',
    `**us-east-1: ≈ ${money(us.totalMinorPerYear, 'USD')} a year, ${money(us.averageMinorPerMonth, 'USD')} a month on average. China regions: ≈ ${money(cn.totalMinorPerYear, 'CNY')} a year,`,
    `${money(cn.averageMinorPerMonth, 'CNY')} a month on average**, of which ${money(cn.assumedMinorPerYear, 'CNY')} (${fmt(100 * assumedShare, 0)} %) rests on assumed prices; with a plain`,
    `exchange rate of ${fx.plainExchangeRate} instead of ${fx.factor} for those, ≈ ${money(plainFx, 'CNY')} a year. The window months October–December carry the`,
    "residents' payments and the collection-window batches, so they cost more than the other nine.",
    '',
    'DynamoDB writes are the largest China line: the published China write price is twice the US one converted at the',
    'assumed factor (see Prices).',
    '',
    `Arrears timers alone: ${money(us.arrearsTimerMinorPerYear, 'USD')} / ${money(cn.arrearsTimerMinorPerYear, 'CNY')} a year in transitions; the daily-polling design would cost`,
    `${money(us.pollingAlternativeMinorPerYear, 'USD')} / ${money(cn.pollingAlternativeMinorPerYear, 'CNY')} (${fmt(m.inputs.pollingTransitionsPerArrearsCase)} transitions a case, the never-paid worst case taken for every case: an upper bound).`,
    '',
    '### Peak intake on the last day of the window (31 December)',
    '',
    `Assumption: ${a.lastDayShare * 100} % of residents (${fmt(m.peak.residentsOnLastDay)}) pay on the last day, ${a.lastDayBusyHoursShare * 100} % of them within`,
    `${a.lastDayBusyHours} busy hours, the busiest hour at ${a.peakHourFactor}× those hours' average, plus ${a.redeliveryShare * 100} % redeliveries and the employees'`,
    'ordinary flow (a month of payments over 20 working days of 8 hours).',
    '',
    `| peak notifications/s | write units/s | read units/s | intake Lambda concurrency (${a.intakeMsPerNotification} ms each, batches of ${a.intakeBatchSize}) |`,
    '|---:|---:|---:|---:|',
    `| ${fmt(m.peak.notificationsPerSecond)} | ${fmt(m.peak.writeUnitsPerSecond)} | ${fmt(m.peak.readUnitsPerSecond)} | ${fmt(m.peak.lambdaConcurrency)} |`,
    '',
    "Well inside a new on-demand table's initial 4,000 WCU / 12,000 RCU a second; the heavier load of the window is",
    "the collection window's `create-renewals` on the opening day (~80,000 WCU/s, see docs/workflows.md: pre-warm).",
    '',
  );
  return L.join('\n');
}

async function orchestrate(): Promise<void> {
  const t0 = performance.now();
  const loadStart = loadavg()[0]!;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const partSeconds: Record<string, number> = {};
  let mark = t0;
  const done = (part: string) => {
    const now = performance.now();
    partSeconds[part] = Math.round((now - mark) / 1000);
    mark = now;
    log(`   ${part}: ${partSeconds[part]} s`);
  };
  log('1/5 rules (bundled) and json-rules-engine…');
  const rules = await runRulesBundled();
  done('rules');
  log('2/5 intake on DynamoDB Local…');
  // Loaded here, not imported at the top: the rules part bundles this file, and the intake part (DynamoDB
  // Local, the AWS SDK) must stay out of that bundle.
  const intakeModule = './intake.js';
  const { benchIntake } = (await import(intakeModule)) as typeof import('./intake.js');
  const intake = await benchIntake(INTAKE_RUNS, 600, 16, 200);
  done('intake');
  log('3/5 functions…');
  const functions = runFunctions();
  done('functions');
  log('4/5 transitions…');
  const tr = transitions();
  done('transitions');
  log('5/5 cost model…');
  // The mixed workload: the cost model counts redelivered notifications as deliveries too.
  const mixed = intake.variants.mixed.concurrent;
  const cost = costModel({
    readUnitsPerNotification: mixed.readCapacityPerNotification,
    writeUnitsPerNotification: mixed.writeCapacityPerNotification,
    readRequestsPerNotification: mixed.readsPerNotification,
    pollingTransitionsPerArrearsCase: tr.polling.neverPaid,
  });
  done('cost model');
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverage: { start: loadStart, end: loadavg()[0]! },
    },
    durationSeconds: Math.round((performance.now() - t0) / 1000),
    partSeconds,
    rules,
    intake,
    functions,
    transitions: tr,
    cost,
    goals: goals(rules, intake, functions, tr),
  };
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'docs/performance.md'), markdown(results));
  log(`\nwrote bench/results.json and docs/performance.md in ${results.durationSeconds} s`);
  for (const g of results.goals) log(`  ${g.met ? 'met   ' : 'MISSED'}  ${g.goal}: ${g.measured} — ${g.note}`);
}

export const BENCH_HELP = `npm run bench
  全部基准测试 / every benchmark, medians of several runs: the rules (bundled) against json-rules-engine, intake
  through the store on DynamoDB Local (Java 17), the Lambda bundles, the transitions per case path, the cost model.
  Writes bench/results.json and docs/performance.md (with the machine and the date). Takes no flags but:

  -h, --help             本说明 / this help

Exit codes: 0 written; 1 a benchmark failed; 2 a bad flag (on stderr).
`;

/** The command line of \`npm run bench\`: only --help (node:util parseArgs, strict). */
export function parseBenchCli(argv: readonly string[]): { help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
    allowPositionals: false,
  });
  return { help: values.help ?? false };
}

if (process.env.BENCH_RUN_PART === 'rules') {
  console.log(JSON.stringify(await rulesPart()));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  let cli: { help: boolean } | undefined;
  try {
    cli = parseBenchCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`npm run bench: ${(e as Error).message} (npm run bench -- --help)\n`);
    process.exitCode = 2;
  }
  if (cli?.help) process.stdout.write(BENCH_HELP);
  else if (cli) await orchestrate();
}
