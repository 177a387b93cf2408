/**
 * `npm run bench` (= tsx bench/run.ts): every benchmark, medians of several runs, written to
 * bench/results.json and docs/performance.md (with the machine and the date).
 *
 *  1. rules: `benchRules()` on the esbuild bundle (as bench/rules.ts runs itself), and in the same process
 *     the waiting-period decision against json-rules-engine (bench/json-rules-waiting.ts) over the same
 *     sample facts → ours ÷ theirs;
 *  2. intake through the store on DynamoDB Local (bench/intake.ts runs bench/store.ts);
 *  3. functions: `bench/functions.ts --json --runs 5` as a subprocess;
 *  4. transitions per case path from docs/workflows.md, and a daily-polling arrears timer beside them;
 *  5. the province cost model (bench/cost-model.ts).
 *
 * The rules part runs in a child process on the bundle of this file (BENCH_RUN_PART=rules), loaded with
 * `node -e` so that bench/rules.ts's own "am I the main module" check stays false.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cstDateOf } from '../shared/domain/calendar.js';
import { parameters } from '../shared/params/index.js';
import { evaluate, parseFacts } from '../shared/rules/engine.js';
import { DECISIONS } from '../shared/rules/registry.js';
import { type CostModel, costModel } from './cost-model.js';
import { benchIntake, type IntakeResult } from './intake.js';
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

interface FunctionsPart {
  node: string;
  runs: number;
  goals: { bytes: number; ms: number };
  rows: {
    entry: string;
    bytes: number;
    gzipBytes: number;
    initMs: number;
    initMinMs: number;
    initMaxMs: number;
    ownMs: number;
    error?: string;
  }[];
  misses: string[];
}

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
const usd = (n: number) => `${fmt(n, n < 100 ? 2 : 0)} USD`;
const kb = (b: number) => (b / 1024).toFixed(1);

interface Results {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string };
  durationSeconds: number;
  rules: RulesPart;
  intake: IntakeResult;
  functions: FunctionsPart;
  transitions: TransitionsResult;
  cost: CostModel;
  goals: { goal: string; measured: string; met: boolean; note: string }[];
}

function goals(rules: RulesPart, intake: IntakeResult, fns: FunctionsPart, tr: TransitionsResult): Results['goals'] {
  const w = rules.decisions.find((d) => d.decision === 'waiting-period');
  const wps = w?.perSecond ?? Number.NaN;
  const worstReads = Math.max(intake.sequential.worstOtherReads, intake.concurrent.worstOtherReads);
  const worstWrites = Math.max(intake.sequential.worstOtherWrites, intake.concurrent.worstOtherWrites);
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
      measured: `${intake.concurrent.writesPerNotification} writes, ${intake.concurrent.readsPerNotification} reads per notification (concurrent, median); every notification not redone after a concurrent change: ≤ ${worstReads} read, ≤ ${worstWrites} write`,
      met: intake.goalMet,
      note: `the excess over 1.000 is the optimistic lock redoing ${fmt(intake.concurrent.redone)} of ${fmt(intake.concurrent.notifications)} notifications (median) whose ledger entry another in-flight intake changed; sequentially exactly ${intake.sequential.readsPerNotification} / ${intake.sequential.writesPerNotification}`,
    },
    {
      goal: `each function ≤ ${kb(fns.goals.bytes)} KB`,
      measured: `largest ${kb(maxBytes)} KB`,
      met: bigOnes.length === 0,
      note: bigOnes.length
        ? bigOnes.map((r) => `${r.entry} ${kb(r.bytes - fns.goals.bytes)} KB over`).join('; ')
        : `${kb(fns.goals.bytes - maxBytes)} KB to spare on the largest`,
    },
    {
      goal: `each function ≤ ${fns.goals.ms} ms cold init`,
      measured: `slowest ${fmt(maxMs, 1)} ms (median of ${fns.runs})`,
      met: slowOnes.length === 0,
      note: slowOnes.length
        ? slowOnes.map((r) => `${r.entry} ${fmt(r.initMs - fns.goals.ms, 1)} ms over`).join('; ')
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
  const p = m.prices;
  const L: string[] = [];
  L.push('# Performance', '');
  L.push(
    'Generated by `npm run bench` (`bench/run.ts`); the raw figures are in `bench/results.json`. Do not edit by',
    'hand: re-run the benchmark.',
    '',
  );
  L.push(
    `- date: ${r.date}`,
    `- machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, ${r.machine.platform}`,
    `- node: ${r.machine.node}`,
    `- the whole run took ${fmt(r.durationSeconds)} s`,
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
    `\`bench/store.ts\` run ${i.runs} times as a subprocess (BENCH_N=${i.n}, ${i.concurrency} in flight), each with its own`,
    'DynamoDB Local; median of the runs (worst-case columns: the maximum). Workload (both blocks): employee months in',
    'shuffled, out-of-order month order, **10 % repeated deliveries and 5 % corrections** — store.ts always mixes them;',
    'no duplicate-free run was measured. DynamoDB Local is a Java emulator: its throughput and latencies say nothing',
    "about DynamoDB's; the request counts (and, roughly, the capacity units) carry over.",
    '',
    '| block | notifications | in flight | notifications/s | p50 ms | p99 ms | reads / notif. | writes / notif. | CU / notif. (read, write) | redone | worst other |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
  );
  for (const [name, b] of [
    ['one at a time', i.sequential],
    ['concurrent', i.concurrent],
  ] as const)
    L.push(
      `| ${name} | ${b.notifications} | ${b.inFlight} | ${fmt(b.perSecond)} | ${fmt(b.p50Ms, 1)} | ${fmt(b.p99Ms, 1)} | ${fmt(b.readsPerNotification, 3)} | ${fmt(b.writesPerNotification, 3)} | ${fmt(b.capacityPerNotification, 2)} (${fmt(b.readCapacityPerNotification, 2)}, ${fmt(b.writeCapacityPerNotification, 2)}) | ${b.redone} | ${b.worstOtherReads} read, ${b.worstOtherWrites} write |`,
    );
  L.push(
    '',
    '"redone": notifications whose ledger entry another in-flight intake changed between its Query and its',
    'TransactWriteItems (the optimistic lock re-reads and rewrites). Every other notification used at most one',
    'Query and one TransactWriteItems.',
    '',
  );

  L.push('## 3. Functions: bundle size and cold init', '');
  L.push(
    `\`bench/functions.ts --json --runs ${r.functions.runs}\`: every Lambda entry point bundled as CDK bundles it (esbuild, minified,`,
    'ESM, `@aws-sdk/*` external); cold init = `import()` of the bundle in a fresh node process, median of the runs',
    "(own ms: with the bundle's `@aws-sdk/*` packages loaded first).",
    '',
    '| entry | size KB | gzip KB | init ms (median) | min–max | own ms | goal |',
    '|---|---:|---:|---:|---|---:|---|',
  );
  for (const f of r.functions.rows) {
    const ok = !f.error && f.bytes <= r.functions.goals.bytes && f.initMs <= r.functions.goals.ms;
    L.push(
      `| ${f.entry} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} | ${fmt(f.initMs, 1)} | ${fmt(f.initMinMs, 1)}–${fmt(f.initMaxMs, 1)} | ${fmt(f.ownMs, 1)} | ${ok ? 'met' : `**missed**${f.error ? ` (${f.error})` : ''}`} |`,
    );
  }
  L.push('');
  if (r.functions.misses.length) {
    L.push('Misses:', '');
    for (const x of r.functions.misses) L.push(`- ${x}`);
    L.push('');
  }

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
  L.push(
    `${fmt(a.residents)} residents and ${fmt(a.employees)} employees. Prices: AWS list prices, **${p.region}, USD, ${p.asOf}**.`,
    'The stack is meant for the China regions (cn-north-1 / cn-northwest-1), priced in CNY by the local operators:',
    'the figures below are an order of magnitude, to be redone with those prices. Free tiers, storage, logs,',
    'CloudWatch, API Gateway, S3, KMS and data transfer are not included.',
    '',
    '| price | USD |',
    '|---|---:|',
    `| Step Functions Standard, per 1,000 state transitions | ${p.stepFunctionsPerThousandTransitions} |`,
    `| Lambda (x86), per GB-second | ${p.lambdaPerGbSecond} |`,
    `| Lambda, per million requests | ${p.lambdaPerMillionRequests} |`,
    `| DynamoDB on-demand, per million write request units | ${p.dynamoPerMillionWriteUnits} |`,
    `| DynamoDB on-demand, per million read request units | ${p.dynamoPerMillionReadUnits} |`,
    `| EventBridge, per million custom events | ${p.eventBridgePerMillionEvents} |`,
    `| EventBridge Scheduler, per million invocations | ${p.schedulerPerMillionInvocations} |`,
    `| SQS standard, per million requests | ${p.sqsPerMillionRequests} |`,
    '',
    'Assumptions:',
    '',
    `- payments: each resident once a year (${fmt(a.residents)}), each employee once a month (${fmt(a.employees * 12)} a year); plus ${a.redeliveryShare * 100} % redelivered notifications → ${fmt(m.deliveriesPerYear)} deliveries a year;`,
    `- DynamoDB per delivery: the measured concurrent median, ${fmt(m.inputs.readUnitsPerNotification, 2)} read and ${fmt(m.inputs.writeUnitsPerNotification, 2)} write units (DynamoDB Local's ConsumedCapacity; TransactWriteItems counts double);`,
    `- intake Lambda: ${a.intakeMemoryGb * 1024} MB, ${a.intakeMsPerNotification} ms billed per notification on AWS (assumed, not measured), SQS batches of ${a.intakeBatchSize}; ${a.sqsRequestsPerDelivery} SQS requests and 1 EventBridge event per delivery;`,
    `- arrears: ${a.arrearsShareOfEmployeeMonths * 100} % of employee months are paid late → ${fmt(m.arrearsCasesPerYear)} arrears-timer executions a year, path mix ${a.arrearsMix.map((x) => `${x.share * 100} % × ${x.transitions}`).join(', ')} → ${fmt(m.arrearsTransitionsPerCase, 2)} transitions a case; ${a.arrearsReadUnits} read and ${a.arrearsWriteUnits} write units a case; ${a.taskInvocationsPerTransition} task invocations per transition, ${a.taskMemoryGb * 1024} MB, ${a.taskMs} ms each;`,
    `- collection window (sizing of docs/workflows.md): batches of ${a.windowBatch}, 2 Maps × (1 child + 1 Task) per batch + 7 per region (9 regions); ${a.windowCreateSecondsPerBatch} s and ${a.windowLapseSecondsPerBatch} s of Lambda per batch; ${a.windowWriteUnitsPerResident} write units per resident (renewal + audit, transactional), ${a.windowReadUnitsPerResident} read units per resident at the close, ${a.windowLapsedShare * 100} % lapsed (another ${a.windowWriteUnitsPerResident} write units each);`,
    `- other workflows a year (assumed): ${fmt(a.retirementsPerYear)} retirement transfers × ${a.retirementTransitions}, ${fmt(a.unemploymentAwardsPerYear)} unemployment awards × ${a.unemploymentMonthsPerAward} months × 3, ${fmt(a.bankruptcyAgreementsPerYear)} bankruptcy deferrals × ${a.bankruptcyTransitions} transitions;`,
    `- Scheduler: the daily sweep (${a.sweepSecondsPerDay} s of Lambda a day) and one window start per region.`,
    '',
    '| item | quantity a year | USD a year |',
    '|---|---|---:|',
  );
  for (const l of m.lines) L.push(`| ${l.item} | ${l.quantityPerYear} | ${fmt(l.usdPerYear, 2)} |`);
  L.push(
    `| **total** | | **${fmt(m.usdPerYear, 0)}** |`,
    '',
    `**≈ ${usd(m.usdPerYear)} a year, ≈ ${usd(m.usdPerMonth)} a month on average** (the window months October–December carry the`,
    "residents' payments and the collection-window batches, so they cost more than the other nine).",
    '',
    `Arrears timers alone: ${usd(m.arrearsTimerUsdPerYear)} a year in transitions; the daily-polling design would cost ${usd(m.pollingAlternativeUsdPerYear)}`,
    `(${fmt(m.inputs.pollingTransitionsPerArrearsCase)} transitions a case, the never-paid worst case taken for every case: an upper bound).`,
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
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log('1/5 rules (bundled) and json-rules-engine…');
  const rules = await runRulesBundled();
  log('2/5 intake on DynamoDB Local…');
  const intake = benchIntake(INTAKE_RUNS, 600, 16, 200);
  log('3/5 functions…');
  const functions = runFunctions();
  log('4/5 transitions…');
  const tr = transitions();
  log('5/5 cost model…');
  const cost = costModel({
    readUnitsPerNotification: intake.concurrent.readCapacityPerNotification,
    writeUnitsPerNotification: intake.concurrent.writeCapacityPerNotification,
    pollingTransitionsPerArrearsCase: tr.polling.neverPaid,
  });
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    durationSeconds: Math.round((performance.now() - t0) / 1000),
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

if (process.env.BENCH_RUN_PART === 'rules') {
  console.log(JSON.stringify(await rulesPart()));
} else {
  await orchestrate();
}
