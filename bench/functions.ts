/**
 * Functions benchmark: bundle size and cold initialisation time of every Lambda entry point.
 *
 *   npm run bench:functions                 # = tsx bench/functions.ts
 *   npm run bench:functions -- --runs 11    # imports per entry (median reported; default 7)
 *   npm run bench:functions -- --json       # machine-readable result on stdout
 *
 * Entry points are discovered, not listed: every `.ts` under functions/ (outside `lib/` folders) that
 * exports `handler` — the intake, each staff API route, each workflow's task Lambda, the sweep. Each is
 * bundled as CDK bundles it for Lambda (esbuild, minified, platform node, target node24, ESM) with
 * `@aws-sdk/*` external, because the Node.js 24 Lambda runtime provides the AWS SDK v3. Cold init is
 * the time to `import()` the bundle in a fresh `node` process (module evaluation: what Lambda's Init
 * phase runs before the first event; the external SDK modules are loaded from node_modules and
 * counted), median of several runs. Goals: ≤ 400 KB and ≤ 100 ms per entry point; misses are listed
 * with by how much. A benchmark, not a test: it always exits 0.
 *
 * Why the goals are missed, measured rather than guessed (in the JSON and docs/performance.md):
 * - each bundle broken down by where its bytes come from (esbuild's metafile: zod, Powertools, middy,
 *   our rules, parameters, store, application code, …);
 * - cold init of a module that only imports the AWS SDK packages an entry imports (and of an empty module),
 *   beside the entry's own init, plus how many files and KB of JavaScript those SDK imports load;
 * - an experiment that is not the shipped bundle: an entry with the SDK bundled in instead of external.
 */
import { lambdaBuildOptions } from '#infra/bundling/lambda-bundle.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.local/bench/functions');
const GOAL_BYTES = 400 * 1024;
const GOAL_MS = 100;

const args = process.argv.slice(2);
const runs =
  Number(args[args.indexOf('--runs') + 1]) > 0 && args.includes('--runs')
    ? Number(args[args.indexOf('--runs') + 1])
    : 7;
const asJson = args.includes('--json');

const EXPORTS_HANDLER =
  /export\s+(?:const|let|async\s+function|function)\s+handler\b|export\s+const\s*\{[^}]*\bhandler\b[^}]*\}\s*=/;

function discover(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'lib' && name !== 'node_modules') out.push(...discover(p));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && EXPORTS_HANDLER.test(readFileSync(p, 'utf8'))) {
      out.push(relative(ROOT, p));
    }
  }
  return out.sort();
}

/** Where a bundle's bytes come from, in the groups docs/performance.md shows. */
export const BREAKDOWN_GROUPS = [
  'zod',
  '@aws-lambda-powertools/*',
  '@middy/core',
  'other packages',
  'shared/rules',
  'shared/params',
  'shared/store',
  'shared/app',
  'shared/domain, shared/schemas',
  'functions/**',
  'esbuild runtime and banner',
] as const;
export type BreakdownGroup = (typeof BREAKDOWN_GROUPS)[number];

function groupOf(input: string): BreakdownGroup {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  if (pkg) {
    if (pkg === 'zod' || input.startsWith('zod-locales')) return 'zod';
    if (pkg.startsWith('@aws-lambda-powertools/')) return '@aws-lambda-powertools/*';
    if (pkg === '@middy/core') return '@middy/core';
    return 'other packages';
  }
  if (input.startsWith('zod-locales')) return 'zod';
  for (const g of ['shared/rules', 'shared/params', 'shared/store', 'shared/app'] as const)
    if (input.startsWith(`${g}/`)) return g;
  if (input.startsWith('shared/')) return 'shared/domain, shared/schemas';
  if (input.startsWith('functions/')) return 'functions/**';
  return 'other packages';
}

function breakdown(metafile: Metafile, bytes: number): Record<BreakdownGroup, number> {
  const out = Object.fromEntries(BREAKDOWN_GROUPS.map((g) => [g, 0])) as Record<BreakdownGroup, number>;
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  let sum = 0;
  for (const [path, v] of Object.entries(output?.inputs ?? {})) {
    out[groupOf(path)] += v.bytesInOutput;
    sum += v.bytesInOutput;
  }
  out['esbuild runtime and banner'] = bytes - sum;
  return out;
}

async function bundle(
  entry: string,
  extra: { external?: string[]; plugins?: Plugin[]; suffix?: string } = {},
): Promise<{
  file: string;
  bytes: number;
  gzipBytes: number;
  externals: string[];
  breakdown: Record<BreakdownGroup, number>;
}> {
  const file = join(
    OUT,
    `${entry
      .replace(/^functions\//, '')
      .replace(/\.ts$/, '')
      .replace(/[/.]/g, '_')}${extra.suffix ?? ''}.mjs`,
  );
  // The very bundle Lambda runs (infra/bundling): ESM, minified, @aws-sdk external, zod English only.
  const options = lambdaBuildOptions(entry, file);
  const result = await build({
    ...options,
    sourcemap: false,
    ...(extra.external ? { external: extra.external } : {}),
    ...(extra.plugins ? { plugins: [...(options.plugins ?? []), ...extra.plugins] } : {}),
  });
  const code = readFileSync(file);
  const externals = [
    ...new Set(
      Object.values(result.metafile!.outputs)
        .flatMap((o) => o.imports)
        .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path),
    ),
  ];
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    externals: externals.sort(),
    breakdown: breakdown(result.metafile!, code.length),
  };
}

/** Dummy configuration: the modules must import as in Lambda, never reach AWS. */
const ENV = {
  ...process.env,
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  CASE_TABLE_NAME: 'bench-cases',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/bench',
  MALFORMED_DLQ_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/bench-malformed',
  NODE_OPTIONS: '',
};

/**
 * argv[1]: the bundle; argv[2]: SDK packages to load first (JSON), so the time left is the bundle's
 * own code. Run once with none (the whole Init) and once with the bundle's SDK imports preloaded.
 */
const PROBE = `const pre = JSON.parse(process.argv[2]);
for (const m of pre) await import(m);
const t0 = performance.now();
try {
  await import(process.argv[1]);
  const ms = performance.now() - t0;
  const { createRequire } = await import('node:module');
  const { statSync } = await import('node:fs');
  const files = Object.keys(createRequire(process.cwd() + '/').cache);
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  process.stdout.write(JSON.stringify({ ms, cjsFiles: files.length, cjsBytes: bytes }));
}
catch (e) { process.stdout.write(JSON.stringify({ error: String(e && e.message || e).slice(0, 300) })); }`;

function probe(file: string, preload: string[]): { ms?: number; cjsFiles?: number; cjsBytes?: number; error?: string } {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', PROBE, pathToFileURL(file).href, JSON.stringify(preload)],
    { env: ENV, encoding: 'utf8', cwd: ROOT },
  );
  return JSON.parse(out) as { ms?: number; cjsFiles?: number; cjsBytes?: number; error?: string };
}

function coldInit(
  file: string,
  externals: string[],
  sdkStub?: string,
): { ms: number[]; ownMs: number[]; sdkMs: number[]; error?: string } {
  const ms: number[] = [];
  const ownMs: number[] = [];
  const sdkMs: number[] = [];
  // Interleaved, so that drift of the machine touches the three alike.
  for (let i = 0; i < runs; i++) {
    const whole = probe(file, []);
    if (whole.error) return { ms, ownMs, sdkMs, error: whole.error };
    ms.push(whole.ms!);
    if (externals.length) {
      const own = probe(file, externals);
      if (own.ms !== undefined) ownMs.push(own.ms);
    } else {
      ownMs.push(whole.ms!);
    }
    if (sdkStub) {
      const sdk = probe(sdkStub, []);
      if (sdk.ms !== undefined) sdkMs.push(sdk.ms);
    }
  }
  return { ms, ownMs, sdkMs };
}

/** A module that imports the given packages and nothing else (none: an empty module). */
function sdkStub(packages: readonly string[]): string {
  const name = packages.length ? packages.map((p) => p.replace(/^@aws-sdk\//, '')).join('+') : 'empty';
  const file = join(OUT, `stub-${name}.mjs`);
  writeFileSync(file, `${packages.map((p) => `import ${JSON.stringify(p)};`).join('\n')}\n`);
  return file;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface Row {
  readonly entry: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly initMs: number;
  readonly initMinMs: number;
  readonly initMaxMs: number;
  /** The bundle's own code: import with its @aws-sdk/* packages already loaded. */
  readonly ownMs: number;
  /** The @aws-sdk/* packages the bundle imports (external), and a module importing only those. */
  readonly sdkPackages: readonly string[];
  readonly sdkOnlyMs: number;
  readonly breakdown: Readonly<Record<BreakdownGroup, number>>;
  readonly error?: string;
}

export interface SdkLoad {
  /** The packages imported (none: an empty module). */
  readonly packages: readonly string[];
  /** Median over every probe of this set (each entry importing it contributes its runs). */
  readonly ms: number;
  readonly probes: number;
  /** CommonJS files and bytes of JavaScript source those imports load. */
  readonly cjsFiles: number;
  readonly cjsKb: number;
}

export interface Experiment {
  readonly name: string;
  readonly entry: string;
  readonly what: string;
  readonly bytes: number;
  readonly shippedBytes: number;
  readonly initMs: number;
  readonly ownMs: number;
  readonly shippedInitMs: number;
  readonly shippedOwnMs: number;
  /** Whether the experiment's change took effect (e.g. the import it redirects is still there). */
  readonly applied: boolean;
}

export interface FunctionsResult {
  readonly node: string;
  readonly runs: number;
  readonly goals: { readonly bytes: number; readonly ms: number };
  readonly rows: readonly Row[];
  readonly sdk: readonly SdkLoad[];
  readonly experiments: readonly Experiment[];
  readonly misses: readonly string[];
}

async function experiments(rows: readonly Row[]): Promise<Experiment[]> {
  const out: Experiment[] = [];
  const shipped = (entry: string) => rows.find((r) => r.entry === entry);

  // 1. The AWS SDK bundled in (minified, tree-shaken ESM) instead of loaded from the runtime's node_modules.
  const inlineEntry = 'functions/api/handlers/get-case.ts';
  const base = shipped(inlineEntry);
  if (base && !base.error) {
    const b = await bundle(inlineEntry, { external: [], suffix: '-sdk-bundled' });
    const init = coldInit(b.file, []);
    out.push({
      name: 'sdk-bundled',
      entry: inlineEntry,
      what: 'the same entry with @aws-sdk/* bundled in (esbuild, minified, tree-shaken) instead of external',
      bytes: b.bytes,
      shippedBytes: base.bytes,
      initMs: median(init.ms),
      ownMs: median(init.ownMs),
      shippedInitMs: base.initMs,
      shippedOwnMs: base.ownMs,
      applied: true,
    });
  }

  return out;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const entries = discover(join(ROOT, 'functions'));
  const rows: Row[] = [];
  const sdkProbes = new Map<string, number[]>();
  for (const entry of entries) {
    try {
      const b = await bundle(entry);
      const stub = sdkStub(b.externals);
      const init = coldInit(b.file, b.externals, stub);
      const key = JSON.stringify(b.externals);
      sdkProbes.set(key, [...(sdkProbes.get(key) ?? []), ...init.sdkMs]);
      rows.push({
        entry,
        bytes: b.bytes,
        gzipBytes: b.gzipBytes,
        initMs: median(init.ms),
        initMinMs: Math.min(...init.ms),
        initMaxMs: Math.max(...init.ms),
        ownMs: median(init.ownMs),
        sdkPackages: b.externals,
        sdkOnlyMs: median(init.sdkMs),
        breakdown: b.breakdown,
        ...(init.error ? { error: `import failed: ${init.error}` } : {}),
      });
    } catch (e) {
      rows.push({
        entry,
        bytes: 0,
        gzipBytes: 0,
        initMs: Number.NaN,
        initMinMs: Number.NaN,
        initMaxMs: Number.NaN,
        ownMs: Number.NaN,
        sdkPackages: [],
        sdkOnlyMs: Number.NaN,
        breakdown: Object.fromEntries(BREAKDOWN_GROUPS.map((g) => [g, 0])) as Record<BreakdownGroup, number>,
        error: `bundle failed: ${(e as Error).message.slice(0, 300)}`,
      });
    }
  }
  // The empty module: what an import() costs with nothing to load.
  const empty = sdkStub([]);
  sdkProbes.set('[]', [
    ...(sdkProbes.get('[]') ?? []),
    ...Array.from({ length: runs }, () => probe(empty, []).ms ?? Number.NaN),
  ]);
  const sdk: SdkLoad[] = [...sdkProbes]
    .map(([key, ms]) => {
      const packages = JSON.parse(key) as string[];
      const once = probe(sdkStub(packages), []);
      return {
        packages,
        ms: median(ms),
        probes: ms.length,
        cjsFiles: once.cjsFiles ?? 0,
        cjsKb: Math.round((once.cjsBytes ?? 0) / 1024),
      };
    })
    .sort((a, b) => a.packages.length - b.packages.length);
  const exps = await experiments(rows);

  const misses = rows.flatMap((r) => [
    ...(r.bytes > GOAL_BYTES
      ? [`${r.entry}: ${kb(r.bytes)} KB, ${kb(r.bytes - GOAL_BYTES)} KB over ${kb(GOAL_BYTES)} KB`]
      : []),
    ...(r.initMs > GOAL_MS
      ? [`${r.entry}: ${r.initMs.toFixed(1)} ms, ${(r.initMs - GOAL_MS).toFixed(1)} ms over ${GOAL_MS} ms`]
      : []),
    ...(r.error ? [`${r.entry}: ${r.error}`] : []),
  ]);

  if (asJson) {
    const result: FunctionsResult = {
      node: process.version,
      runs,
      goals: { bytes: GOAL_BYTES, ms: GOAL_MS },
      rows,
      sdk,
      experiments: exps,
      misses,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const w = Math.max(...rows.map((r) => r.entry.length), 10);
  console.log(
    `Functions benchmark — ${rows.length} entry points (every functions/**.ts exporting \`handler\`, lib/ excluded)`,
  );
  console.log('Bundles: esbuild, minified, platform node, target node24, format esm;');
  console.log(
    '         @aws-sdk/* external (the Lambda Node.js 24 runtime provides the AWS SDK v3; its import is counted below).',
  );
  console.log(
    `Cold init: import() of the bundle in a fresh node ${process.version} process, median of ${runs} runs, ${cpus()[0]?.model ?? 'cpu'}.`,
  );
  console.log("own ms: the same import with the bundle's @aws-sdk/* packages loaded first (the bundle's own code).");
  console.log(`Goals: ≤ ${kb(GOAL_BYTES)} KB and ≤ ${GOAL_MS} ms (init) each.\n`);
  console.log(
    `${'entry'.padEnd(w)}  ${'size KB'.padStart(8)}  ${'gzip KB'.padStart(8)}  ${'init ms'.padStart(8)}  ${'min–max'.padStart(13)}  ${'own ms'.padStart(7)}  ${'SDK ms'.padStart(7)}  goal`,
  );
  for (const r of rows) {
    const ok = !r.error && r.bytes <= GOAL_BYTES && r.initMs <= GOAL_MS;
    console.log(
      `${r.entry.padEnd(w)}  ${kb(r.bytes).padStart(8)}  ${kb(r.gzipBytes).padStart(8)}  ${fmt(r.initMs).padStart(8)}  ${`${fmt(r.initMinMs)}–${fmt(r.initMaxMs)}`.padStart(13)}  ${fmt(r.ownMs).padStart(7)}  ${fmt(r.sdkOnlyMs).padStart(7)}  ${ok ? 'met' : 'MISSED'}`,
    );
  }
  console.log("\nSDK ms: a module importing only the entry's @aws-sdk/* packages, in a fresh process:");
  for (const x of sdk)
    console.log(
      `  ${(x.packages.join(' + ') || '(empty module)').padEnd(90)} ${fmt(x.ms).padStart(7)} ms  ${x.cjsFiles} CommonJS files, ${x.cjsKb} KB`,
    );
  for (const x of exps)
    console.log(
      `\nexperiment ${x.name} (${x.what}):\n  ${kb(x.bytes)} KB (shipped ${kb(x.shippedBytes)} KB), init ${fmt(x.initMs)} ms (shipped ${fmt(x.shippedInitMs)} ms), own ${fmt(x.ownMs)} ms${x.applied ? '' : ' — NOT APPLIED (nothing to redirect)'}`,
    );
  console.log(
    misses.length ? `\nMissed (${misses.length}):\n  ${misses.join('\n  ')}` : '\nEvery entry point meets both goals.',
  );
}

const kb = (b: number) => (b / 1024).toFixed(1);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');

await main();
