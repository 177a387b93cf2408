/**
 * Case-store intake benchmark: starts its own DynamoDB Local, stores tax payment notifications
 * through the real DynamoCaseStore and measures notifications per second, p50/p99 latency, and the
 * DynamoDB requests and consumed capacity per notification as the SDK reports them.
 *
 * Two workloads, measured against the same DynamoDB Local in one call of `benchStore()`:
 *
 * - baseline: each notification new (no repeated deliveries, no corrections), each person's months in
 *   calendar order (every January payment, then every February one, …);
 * - mixed: months in shuffled, out-of-order order, 10 % repeated deliveries (an earlier notification
 *   delivered again) and 5 % corrections (a new notification correcting an earlier one).
 *
 * Each workload is measured in two blocks: one at a time (min(500, N/4) notifications, 1 in flight) and
 * concurrent (N notifications, BENCH_CONCURRENCY in flight). Every block writes to people of its own, so
 * one block's ledger entries never meet another's.
 *
 * The goal: at most one write request (a transaction counts as one) and one read per notification.
 *
 *   npm run bench:store                       # 2000 notifications, 16 in flight, both workloads
 *   BENCH_N=10000 BENCH_CONCURRENCY=32 npm run bench:store
 *   npm run bench:store -- --json             # the result as JSON on stdout
 *
 * `npm run bench` (bench/run.ts → bench/intake.ts) calls `benchStore()` itself, several times.
 *
 * DynamoDB Local is a Java emulator: its latencies say nothing about DynamoDB's. The request and
 * capacity counts per notification are what carry over to AWS.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestEvent } from '#store/dynamo-client.js';
import { DynamoCaseStore } from '#store/dynamo-store.js';
import type { ChangeContext, IntakeOutcome, TaxPaymentNotification } from '#store/model.js';
import { startDynamoDbLocal } from '#test/support/dynamodb-local.js';

/** Share of deliveries of the mixed workload that repeat an earlier notification, and of corrections. */
export const DUPLICATE_SHARE = 0.1;
export const CORRECTION_SHARE = 0.05;

export type IntakeVariant = 'baseline' | 'mixed';
export const INTAKE_VARIANTS: readonly IntakeVariant[] = ['baseline', 'mixed'];

export const WORKLOAD_DESCRIPTION: Record<IntakeVariant, string> = {
  baseline:
    'employee months for ~N/6 people, each notification new (no repeated deliveries, no corrections), months in calendar order (all January payments, then all February ones, …)',
  mixed: `employee months for ~N/6 people in shuffled (out-of-order) month order, ${DUPLICATE_SHARE * 100} % repeated deliveries of an earlier notification, ${CORRECTION_SHARE * 100} % corrections of an earlier notification`,
};

const ctx: ChangeContext = { actor: { kind: 'system', component: 'bench' }, reason: 'bench intake' };

function person(i: number): string {
  return `CN:2201021990${String(i).padStart(8, '0')}`;
}

function notification(id: string, who: string, month: string): TaxPaymentNotification {
  return {
    notificationId: id,
    identityKey: who,
    scheme: 'employee',
    mode: 'flexible',
    region: '220100',
    payer: { kind: 'person' },
    paidAt: `${month}-15T10:00:00+08:00`,
    periods: [{ feePeriod: month, base: 581_900, rate: { num: 85, den: 1000 }, amount: 49_462 }],
  };
}

/** The mixed stream: employee months for ~n/6 people in shuffled order, some repeats and corrections. */
function mixedWorkload(n: number, tag: string, firstPerson: number): TaxPaymentNotification[] {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const people = Math.max(1, Math.floor(n / 6));
  const out: TaxPaymentNotification[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (out.length > 0 && r < DUPLICATE_SHARE) {
      out.push(out[Math.floor(rnd() * out.length)]!);
      continue;
    }
    const p = Math.floor(rnd() * people);
    const month = `2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}`;
    const base = notification(`${tag}-${i}`, person(firstPerson + p), month);
    const earlier =
      out.length > 0 && r < DUPLICATE_SHARE + CORRECTION_SHARE ? out[Math.floor(rnd() * out.length)]! : undefined;
    out.push(
      earlier
        ? {
            ...earlier,
            notificationId: `${tag}-${i}`,
            corrects: earlier.notificationId,
            periods: [{ ...earlier.periods[0]!, amount: 50_000 }],
          }
        : base,
    );
  }
  return out;
}

/**
 * The baseline stream: the same ~n/6 people, every notification new, in calendar order: month 1 for
 * every person (in a fixed shuffled order of people), then month 2, … (at most 12 months).
 */
function baselineWorkload(n: number, tag: string, firstPerson: number): TaxPaymentNotification[] {
  const people = Math.max(1, Math.floor(n / 6), Math.ceil(n / 12));
  let seed = 7;
  const order = Array.from({ length: people }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = Math.floor((seed / 2 ** 31) * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out: TaxPaymentNotification[] = [];
  for (let m = 1; out.length < n; m++) {
    const month = `2026-${String(m).padStart(2, '0')}`;
    for (const p of order) {
      if (out.length >= n) break;
      out.push(notification(`${tag}-${out.length}`, person(firstPerson + p), month));
    }
  }
  return out;
}

export function workload(
  variant: IntakeVariant,
  n: number,
  tag: string,
  firstPerson: number,
): TaxPaymentNotification[] {
  return variant === 'baseline' ? baselineWorkload(n, tag, firstPerson) : mixedWorkload(n, tag, firstPerson);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** What one intake cost: its requests, attributed through the async context it ran in. */
interface Sample {
  ms: number;
  events: RequestEvent[];
  outcome?: IntakeOutcome['outcome'];
}

const current = new AsyncLocalStorage<Sample>();

async function run(store: DynamoCaseStore, items: TaxPaymentNotification[], concurrency: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      const sample: Sample = { ms: 0, events: [] };
      const t = performance.now();
      const result = await current.run(sample, () => store.intakeNotification(items[i]!, ctx));
      sample.ms = performance.now() - t;
      sample.outcome = result.outcome;
      samples.push(sample);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return samples;
}

const isRead = (e: RequestEvent) => e.command === 'QueryCommand' || e.command === 'GetItemCommand';
const isWrite = (e: RequestEvent) => e.command === 'TransactWriteItemsCommand' || e.command === 'PutItemCommand';
const cu = (list: RequestEvent[]) =>
  list.reduce((t, e) => t + e.consumedCapacity.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0), 0);

/** One block's figures. Per-notification figures are means over the block's notifications. */
export interface IntakeBlock {
  readonly notifications: number;
  readonly inFlight: number;
  /** Intakes that stored something, and those the store recognised as a repeated delivery. */
  readonly stored: number;
  readonly duplicates: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly readsPerNotification: number;
  readonly writesPerNotification: number;
  readonly capacityPerNotification: number;
  readonly readCapacityPerNotification: number;
  readonly writeCapacityPerNotification: number;
  /** Notifications whose ledger entry another in-flight intake changed between their read and their write. */
  readonly redone: number;
  /** The most reads and writes of any notification not redone. */
  readonly worstOtherReads: number;
  readonly worstOtherWrites: number;
}

function measure(samples: Sample[], seconds: number, concurrency: number): IntakeBlock {
  const n = samples.length;
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const events = samples.flatMap((s) => s.events);
  const reads = events.filter(isRead);
  const writes = events.filter(isWrite);
  // A notification whose ledger entry another intake changed between its read and its write
  // re-reads and rewrites: that is the optimistic lock at work, not the design's cost.
  const raced = samples.filter(
    (s) =>
      s.events.some((e) => !e.ok && e.errorCode === 'ConditionalCheckFailed') && s.events.filter(isWrite).length > 1,
  );
  const plain = samples.filter((s) => !raced.includes(s));
  const worstPlain = plain.reduce(
    (w, s) => ({ r: Math.max(w.r, s.events.filter(isRead).length), w: Math.max(w.w, s.events.filter(isWrite).length) }),
    { r: 0, w: 0 },
  );
  const round = (x: number, d: number) => Number(x.toFixed(d));
  return {
    notifications: n,
    inFlight: concurrency,
    stored: samples.filter((s) => s.outcome === 'stored').length,
    duplicates: samples.filter((s) => s.outcome === 'duplicate').length,
    perSecond: round(n / seconds, 1),
    p50Ms: round(quantile(latencies, 0.5), 1),
    p99Ms: round(quantile(latencies, 0.99), 1),
    readsPerNotification: round(reads.length / n, 3),
    writesPerNotification: round(writes.length / n, 3),
    capacityPerNotification: round(cu(events) / n, 3),
    readCapacityPerNotification: round(cu(reads) / n, 3),
    writeCapacityPerNotification: round(cu(writes) / n, 3),
    redone: raced.length,
    worstOtherReads: worstPlain.r,
    worstOtherWrites: worstPlain.w,
  };
}

export interface VariantRun {
  readonly sequential: IntakeBlock;
  readonly concurrent: IntakeBlock;
  /** Every notification not redone used at most one read and one write request. */
  readonly goalMet: boolean;
}

export interface StoreRun {
  readonly n: number;
  readonly concurrency: number;
  readonly warmup: number;
  /** The order the variants were measured in (bench/intake.ts alternates it between runs). */
  readonly order: readonly IntakeVariant[];
  readonly variants: Record<IntakeVariant, VariantRun>;
}

export interface StoreBenchOptions {
  readonly n?: number;
  readonly concurrency?: number;
  readonly warmup?: number;
  readonly order?: readonly IntakeVariant[];
}

const met = (b: IntakeBlock) => b.worstOtherReads <= 1 && b.worstOtherWrites <= 1;

/**
 * One DynamoDB Local (a fresh JVM and table), warmed up, then each variant in `order`: its one-at-a-time
 * block, then its concurrent block. People: each block its own range (warm-up from 0, then 10⁶ apart).
 */
export async function benchStore(options: StoreBenchOptions = {}): Promise<StoreRun> {
  const n = options.n ?? 2000;
  const concurrency = options.concurrency ?? 16;
  const warmup = options.warmup ?? 300;
  const order = options.order ?? INTAKE_VARIANTS;
  const local = await startDynamoDbLocal({ tableName: 'cases-bench' });
  try {
    const store = new DynamoCaseStore({
      client: local.client,
      tableName: local.tableName,
      observer: (e) => current.getStore()?.events.push(e),
    });
    // The JVM behind DynamoDB Local needs a warm-up before its figures settle: both workloads, so that
    // neither is measured on a colder server than the other.
    for (const v of INTAKE_VARIANTS) await run(store, workload(v, Math.ceil(warmup / 2), `warm-${v}`, 0), concurrency);

    const variants = {} as Record<IntakeVariant, VariantRun>;
    let people = 1_000_000;
    for (const v of order) {
      let t = performance.now();
      const one = await run(store, workload(v, Math.min(500, Math.ceil(n / 4)), `${v}-seq`, people), 1);
      const sequential = measure(one, (performance.now() - t) / 1000, 1);
      people += 1_000_000;
      t = performance.now();
      const many = await run(store, workload(v, n, `${v}-con`, people), concurrency);
      const concurrent = measure(many, (performance.now() - t) / 1000, concurrency);
      people += 1_000_000;
      variants[v] = { sequential, concurrent, goalMet: met(sequential) && met(concurrent) };
    }
    return { n, concurrency, warmup, order, variants };
  } finally {
    await local.stop();
  }
}

function print(title: string, b: IntakeBlock): void {
  const rows: Array<[string, string]> = [
    ['notifications', `${b.notifications}, ${b.inFlight} in flight (${b.stored} stored, ${b.duplicates} duplicates)`],
    ['throughput', `${b.perSecond.toFixed(0)} notifications/s`],
    ['latency p50 / p99', `${b.p50Ms.toFixed(1)} ms / ${b.p99Ms.toFixed(1)} ms`],
    ['read requests / notification', `${b.readsPerNotification.toFixed(3)} (Query)`],
    ['write requests / notification', `${b.writesPerNotification.toFixed(3)} (TransactWriteItems)`],
    [
      'consumed capacity / notification',
      `${b.capacityPerNotification.toFixed(2)} CU (reads ${b.readCapacityPerNotification.toFixed(2)}, writes ${b.writeCapacityPerNotification.toFixed(2)})`,
    ],
    [
      'redone after a concurrent change',
      `${b.redone} (${((100 * b.redone) / Math.max(1, b.notifications)).toFixed(1)} %)`,
    ],
    ['worst other notification', `${b.worstOtherReads} read(s), ${b.worstOtherWrites} write(s)`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

async function main() {
  const asJson = process.argv.includes('--json');
  if (!asJson) console.log('starting DynamoDB Local…');
  const result = await benchStore({
    n: Number(process.env.BENCH_N ?? 2000),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    warmup: Number(process.env.BENCH_WARMUP ?? 300),
  });
  const allMet = INTAKE_VARIANTS.every((v) => result.variants[v].goalMet);
  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const v of result.order) {
      console.log(`\n── ${v}: ${WORKLOAD_DESCRIPTION[v]}`);
      print('one at a time', result.variants[v].sequential);
      print('concurrent', result.variants[v].concurrent);
    }
    console.log(
      `\ngoal (≤ 1 write request and ≤ 1 read per notification): ${allMet ? 'MET' : 'NOT MET'}` +
        ' — every notification not redone after a concurrent change to its ledger entry used at most one Query and one TransactWriteItems',
    );
    console.log(
      '(DynamoDB Local is an emulator: its latencies and capacity figures are indicative; the request counts carry over.)',
    );
  }
  if (!allMet) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
