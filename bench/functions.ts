/**
 * Functions benchmark: bundle size and cold initialisation time of every Lambda entry point.
 *
 *   npm run bench:functions                 # = tsx bench/functions.ts
 *   npm run bench:functions -- --runs 11    # imports per entry (median reported; default 7)
 *   npm run bench:functions -- --json       # machine-readable result on stdout
 *
 * Entry points are discovered, not listed: every `.ts` under functions/ (outside `lib/` folders) that
 * exports `handler` — the intake, each staff API route, each workflow's task Lambda, the sweep. Each is
 * bundled as CDK bundles it for Lambda (esbuild, minified, platform node, target node22, ESM) with
 * `@aws-sdk/*` external, because the Node.js 22 Lambda runtime provides the AWS SDK v3. Cold init is
 * the time to `import()` the bundle in a fresh `node` process (module evaluation: what Lambda's Init
 * phase runs before the first event; the external SDK modules are loaded from node_modules and
 * counted), median of several runs. Goals: ≤ 400 KB and ≤ 100 ms per entry point; misses are listed
 * with by how much. A benchmark, not a test: it always exits 0.
 */
import { lambdaBuildOptions } from '../infra/bundling/lambda-bundle.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

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

async function bundle(entry: string): Promise<{ file: string; bytes: number; gzipBytes: number; externals: string[] }> {
  const file = join(
    OUT,
    `${entry
      .replace(/^functions\//, '')
      .replace(/\.ts$/, '')
      .replace(/[/.]/g, '_')}.mjs`,
  );
  // The very bundle Lambda runs (infra/bundling): ESM, minified, @aws-sdk external, zod English only.
  const result = await build({ ...lambdaBuildOptions(entry, file), sourcemap: false });
  const code = readFileSync(file);
  const externals = [
    ...new Set(
      Object.values(result.metafile!.outputs)
        .flatMap((o) => o.imports)
        .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path),
    ),
  ];
  return { file, bytes: code.length, gzipBytes: gzipSync(code).length, externals };
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
try { await import(process.argv[1]); process.stdout.write(JSON.stringify({ ms: performance.now() - t0 })); }
catch (e) { process.stdout.write(JSON.stringify({ error: String(e && e.message || e).slice(0, 300) })); }`;

function probe(file: string, preload: string[]): { ms?: number; error?: string } {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', PROBE, pathToFileURL(file).href, JSON.stringify(preload)],
    { env: ENV, encoding: 'utf8', cwd: ROOT },
  );
  return JSON.parse(out) as { ms?: number; error?: string };
}

function coldInit(file: string, externals: string[]): { ms: number[]; ownMs: number[]; error?: string } {
  const ms: number[] = [];
  const ownMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const whole = probe(file, []);
    if (whole.error) return { ms, ownMs, error: whole.error };
    ms.push(whole.ms!);
    const own = probe(file, externals);
    if (own.ms !== undefined) ownMs.push(own.ms);
  }
  return { ms, ownMs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Row {
  readonly entry: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly initMs: number;
  readonly initMinMs: number;
  readonly initMaxMs: number;
  /** The bundle's own code: import with its @aws-sdk/* packages already loaded. */
  readonly ownMs: number;
  readonly error?: string;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const entries = discover(join(ROOT, 'functions'));
  const rows: Row[] = [];
  for (const entry of entries) {
    try {
      const b = await bundle(entry);
      const init = coldInit(b.file, b.externals);
      rows.push({
        entry,
        bytes: b.bytes,
        gzipBytes: b.gzipBytes,
        initMs: median(init.ms),
        initMinMs: Math.min(...init.ms),
        initMaxMs: Math.max(...init.ms),
        ownMs: median(init.ownMs),
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
        error: `bundle failed: ${(e as Error).message.slice(0, 300)}`,
      });
    }
  }

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
    process.stdout.write(
      `${JSON.stringify({ node: process.version, runs, goals: { bytes: GOAL_BYTES, ms: GOAL_MS }, rows, misses }, null, 2)}\n`,
    );
    return;
  }
  const w = Math.max(...rows.map((r) => r.entry.length), 10);
  console.log(
    `Functions benchmark — ${rows.length} entry points (every functions/**.ts exporting \`handler\`, lib/ excluded)`,
  );
  console.log('Bundles: esbuild, minified, platform node, target node22, format esm;');
  console.log(
    '         @aws-sdk/* external (the Lambda Node.js 22 runtime provides the AWS SDK v3; its import is counted below).',
  );
  console.log(
    `Cold init: import() of the bundle in a fresh node ${process.version} process, median of ${runs} runs, ${cpus()[0]?.model ?? 'cpu'}.`,
  );
  console.log("own ms: the same import with the bundle's @aws-sdk/* packages loaded first (the bundle's own code).");
  console.log(`Goals: ≤ ${kb(GOAL_BYTES)} KB and ≤ ${GOAL_MS} ms (init) each.\n`);
  console.log(
    `${'entry'.padEnd(w)}  ${'size KB'.padStart(8)}  ${'gzip KB'.padStart(8)}  ${'init ms'.padStart(8)}  ${'min–max'.padStart(13)}  ${'own ms'.padStart(7)}  goal`,
  );
  for (const r of rows) {
    const ok = !r.error && r.bytes <= GOAL_BYTES && r.initMs <= GOAL_MS;
    console.log(
      `${r.entry.padEnd(w)}  ${kb(r.bytes).padStart(8)}  ${kb(r.gzipBytes).padStart(8)}  ${fmt(r.initMs).padStart(8)}  ${`${fmt(r.initMinMs)}–${fmt(r.initMaxMs)}`.padStart(13)}  ${fmt(r.ownMs).padStart(7)}  ${ok ? 'met' : 'MISSED'}`,
    );
  }
  console.log(
    misses.length ? `\nMissed (${misses.length}):\n  ${misses.join('\n  ')}` : '\nEvery entry point meets both goals.',
  );
}

const kb = (b: number) => (b / 1024).toFixed(1);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');

await main();
