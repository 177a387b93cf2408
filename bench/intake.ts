/**
 * Intake through the case store on DynamoDB Local, for `npm run bench` (bench/run.ts): `benchStore()` of
 * bench/store.ts, called in this process several times (each call its own DynamoDB Local), each call
 * measuring both workloads — the baseline (no repeated deliveries, months in calendar order) and the
 * mixed one (out-of-order months, 10 % repeated deliveries, 5 % corrections) — against the same server.
 * The order of the two alternates from run to run, so that drift of the machine or of the emulator's JVM
 * touches both alike. Each figure is the median over the runs (the worst-case columns: the maximum).
 */
import {
  benchStore,
  type IntakeBlock,
  type IntakeVariant,
  INTAKE_VARIANTS,
  type StoreRun,
  WORKLOAD_DESCRIPTION,
} from './store.js';

export type { IntakeBlock, IntakeVariant } from './store.js';

export interface IntakeVariantResult {
  readonly workload: string;
  /** Every run: every notification not redone used at most one read and one write request. */
  readonly goalMet: boolean;
  readonly sequential: IntakeBlock;
  readonly concurrent: IntakeBlock;
}

export interface IntakeResult {
  readonly runs: number;
  readonly n: number;
  readonly sequentialN: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly goalMet: boolean;
  readonly variants: Record<IntakeVariant, IntakeVariantResult>;
  readonly perRun: readonly StoreRun[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const WORST = new Set<keyof IntakeBlock>(['worstOtherReads', 'worstOtherWrites']);

function medianBlock(blocks: readonly IntakeBlock[]): IntakeBlock {
  const keys = Object.keys(blocks[0]!) as (keyof IntakeBlock)[];
  return Object.fromEntries(
    keys.map((k) => [k, WORST.has(k) ? Math.max(...blocks.map((b) => b[k])) : median(blocks.map((b) => b[k]))]),
  ) as unknown as IntakeBlock;
}

export async function benchIntake(runs = 3, n = 600, concurrency = 16, warmup = 200): Promise<IntakeResult> {
  const perRun: StoreRun[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? INTAKE_VARIANTS : [...INTAKE_VARIANTS].reverse();
    perRun.push(await benchStore({ n, concurrency, warmup, order }));
    process.stderr.write(`  intake run ${i + 1}/${runs} done (${order.join(', then ')})\n`);
  }
  const variants = Object.fromEntries(
    INTAKE_VARIANTS.map((v) => [
      v,
      {
        workload: WORKLOAD_DESCRIPTION[v],
        goalMet: perRun.every((r) => r.variants[v].goalMet),
        sequential: medianBlock(perRun.map((r) => r.variants[v].sequential)),
        concurrent: medianBlock(perRun.map((r) => r.variants[v].concurrent)),
      },
    ]),
  ) as Record<IntakeVariant, IntakeVariantResult>;
  return {
    runs,
    n,
    sequentialN: Math.min(500, Math.ceil(n / 4)),
    concurrency,
    warmup,
    goalMet: INTAKE_VARIANTS.every((v) => variants[v].goalMet),
    variants,
    perRun,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchIntake(1), null, 2));
