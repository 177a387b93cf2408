/**
 * Intake through the case store on DynamoDB Local, for `npm run bench` (bench/run.ts).
 *
 * bench/store.ts exports nothing and has no `--json` flag, so it is run as a subprocess (with its own
 * DynamoDB Local) and its two report blocks are parsed: "one at a time" (1 in flight) and "concurrent"
 * (BENCH_CONCURRENCY in flight). Both of store.ts's workloads are the same mix: employee months for
 * ~N/6 people in shuffled (out-of-order) month order, 10 % repeated deliveries (an earlier notification
 * delivered again) and 5 % corrections. There is no clean (duplicate-free, in-order) run in store.ts.
 * Several runs; each figure is the median over the runs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface IntakeBlock {
  readonly notifications: number;
  readonly inFlight: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly readsPerNotification: number;
  readonly writesPerNotification: number;
  readonly capacityPerNotification: number;
  readonly readCapacityPerNotification: number;
  readonly writeCapacityPerNotification: number;
  readonly redone: number;
  readonly worstOtherReads: number;
  readonly worstOtherWrites: number;
}

export interface IntakeResult {
  readonly runs: number;
  readonly n: number;
  readonly concurrency: number;
  readonly workload: string;
  readonly goalMet: boolean;
  readonly sequential: IntakeBlock;
  readonly concurrent: IntakeBlock;
  readonly perRun: readonly { sequential: IntakeBlock; concurrent: IntakeBlock; goalMet: boolean }[];
}

const ROOT = join(import.meta.dirname, '..');

function num(block: string, label: string, re: RegExp): RegExpExecArray {
  const line = block.split('\n').find((l) => l.trim().startsWith(label));
  const m = line ? re.exec(line) : null;
  if (!m) throw new Error(`bench/store.ts output: cannot read "${label}"`);
  return m;
}

function parseBlock(block: string): IntakeBlock {
  const n = num(block, 'notifications', /notifications\s+(\d+),\s*(\d+) in flight/);
  const cu = num(block, 'consumed capacity', /([\d.]+) CU \(reads ([\d.]+), writes ([\d.]+)\)/);
  const lat = num(block, 'latency', /([\d.]+) ms \/ ([\d.]+) ms/);
  const worst = num(block, 'worst other', /(\d+) read\(s\), (\d+) write\(s\)/);
  return {
    notifications: Number(n[1]),
    inFlight: Number(n[2]),
    perSecond: Number(num(block, 'throughput', /([\d.]+) notifications\/s/)[1]),
    p50Ms: Number(lat[1]),
    p99Ms: Number(lat[2]),
    readsPerNotification: Number(num(block, 'read requests', /([\d.]+)/)[1]),
    writesPerNotification: Number(num(block, 'write requests', /([\d.]+)/)[1]),
    capacityPerNotification: Number(cu[1]),
    readCapacityPerNotification: Number(cu[2]),
    writeCapacityPerNotification: Number(cu[3]),
    redone: Number(num(block, 'redone', /(\d+) \(/)[1]),
    worstOtherReads: Number(worst[1]),
    worstOtherWrites: Number(worst[2]),
  };
}

/** Parses bench/store.ts's text report. */
export function parseStoreOutput(text: string): { sequential: IntakeBlock; concurrent: IntakeBlock; goalMet: boolean } {
  const seq = text.indexOf('\none at a time');
  const con = text.indexOf('\nconcurrent');
  const goal = text.indexOf('\ngoal');
  if (seq < 0 || con < 0) throw new Error(`bench/store.ts output not recognised:\n${text.slice(-2000)}`);
  return {
    sequential: parseBlock(text.slice(seq, con)),
    concurrent: parseBlock(text.slice(con, goal < 0 ? undefined : goal)),
    goalMet: /: MET\b/.test(text.slice(goal)),
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function medianBlock(blocks: readonly IntakeBlock[]): IntakeBlock {
  const keys = Object.keys(blocks[0]!) as (keyof IntakeBlock)[];
  const worstKeys = new Set<keyof IntakeBlock>(['worstOtherReads', 'worstOtherWrites']);
  return Object.fromEntries(
    keys.map((k) => [k, worstKeys.has(k) ? Math.max(...blocks.map((b) => b[k])) : median(blocks.map((b) => b[k]))]),
  ) as unknown as IntakeBlock;
}

export function benchIntake(runs = 3, n = 600, concurrency = 16, warmup = 200): IntakeResult {
  const perRun: { sequential: IntakeBlock; concurrent: IntakeBlock; goalMet: boolean }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['bench/store.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        BENCH_N: String(n),
        BENCH_CONCURRENCY: String(concurrency),
        BENCH_WARMUP: String(warmup),
      },
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    perRun.push(parseStoreOutput(`${r.stdout}`));
    process.stderr.write(`  intake run ${i + 1}/${runs} done\n`);
  }
  return {
    runs,
    n,
    concurrency,
    workload:
      'bench/store.ts workload: employee months, shuffled month order (out of order), 10 % repeated deliveries, 5 % corrections; sequential block = min(500, N/4) notifications, 1 in flight; concurrent block = N notifications',
    goalMet: perRun.every((r) => r.goalMet),
    sequential: medianBlock(perRun.map((r) => r.sequential)),
    concurrent: medianBlock(perRun.map((r) => r.concurrent)),
    perRun,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(benchIntake(1), null, 2));
