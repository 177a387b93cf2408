/**
 * Case-store intake benchmark: starts its own DynamoDB Local, stores tax payment notifications
 * through the real DynamoCaseStore and reports notifications per second, p50/p99 latency, and the
 * DynamoDB requests and consumed capacity per notification as the SDK reports them.
 *
 * The goal: at most one write request (a transaction counts as one) and one read per notification.
 *
 *   npm run bench:store                       # 2000 notifications, 16 in flight
 *   BENCH_N=10000 BENCH_CONCURRENCY=32 npm run bench:store
 *
 * DynamoDB Local is a Java emulator: its latencies say nothing about DynamoDB's. The request and
 * capacity counts per notification are what carry over to AWS.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestEvent } from '../shared/store/dynamo-client.js';
import { DynamoCaseStore } from '../shared/store/dynamo-store.js';
import type { ChangeContext, TaxPaymentNotification } from '../shared/store/model.js';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';

const N = Number(process.env.BENCH_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
/** Share of deliveries that repeat an earlier notification, and of corrections. */
const DUPLICATE_SHARE = 0.1;
const CORRECTION_SHARE = 0.05;

const ctx: ChangeContext = { actor: { kind: 'system', component: 'bench' }, reason: 'bench intake' };

function person(i: number): string {
  return `CN:2201021990${String(i).padStart(8, '0')}`;
}

/** A deterministic stream: employee months for ~N/6 people in shuffled order, some repeats and corrections. */
function workload(n: number, tag: string): TaxPaymentNotification[] {
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
    const base: TaxPaymentNotification = {
      notificationId: `${tag}-${i}`,
      identityKey: person(p),
      scheme: 'employee',
      mode: 'flexible',
      region: '220100',
      payer: { kind: 'person' },
      paidAt: `${month}-15T10:00:00+08:00`,
      periods: [{ feePeriod: month, base: 581_900, rate: { num: 85, den: 1000 }, amount: 49_462 }],
    };
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

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** What one intake cost: its requests, attributed through the async context it ran in. */
interface Sample {
  ms: number;
  events: RequestEvent[];
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
      await current.run(sample, () => store.intakeNotification(items[i]!, ctx));
      sample.ms = performance.now() - t;
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

function report(title: string, samples: Sample[], seconds: number, concurrency: number): boolean {
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
  const rows: Array<[string, string]> = [
    ['notifications', `${n}, ${concurrency} in flight`],
    ['throughput', `${(n / seconds).toFixed(0)} notifications/s`],
    ['latency p50 / p99', `${quantile(latencies, 0.5).toFixed(1)} ms / ${quantile(latencies, 0.99).toFixed(1)} ms`],
    ['read requests / notification', `${(reads.length / n).toFixed(3)} (Query)`],
    ['write requests / notification', `${(writes.length / n).toFixed(3)} (TransactWriteItems)`],
    [
      'consumed capacity / notification',
      `${(cu(events) / n).toFixed(2)} CU (reads ${(cu(reads) / n).toFixed(2)}, writes ${(cu(writes) / n).toFixed(2)})`,
    ],
    ['redone after a concurrent change', `${raced.length} (${((100 * raced.length) / n).toFixed(1)} %)`],
    ['worst other notification', `${worstPlain.r} read(s), ${worstPlain.w} write(s)`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  return worstPlain.r <= 1 && worstPlain.w <= 1;
}

async function main() {
  console.log('starting DynamoDB Local…');
  const local = await startDynamoDbLocal({ tableName: 'cases-bench' });
  try {
    const store = new DynamoCaseStore({
      client: local.client,
      tableName: local.tableName,
      observer: (e) => current.getStore()?.events.push(e),
    });
    // The JVM behind DynamoDB Local needs a warm-up before its figures settle.
    await run(store, workload(WARMUP, 'warm'), CONCURRENCY);

    const sequential = workload(Math.min(500, Math.ceil(N / 4)), 'seq');
    let t = performance.now();
    const one = await run(store, sequential, 1);
    const metSequential = report('one at a time', one, (performance.now() - t) / 1000, 1);

    t = performance.now();
    const many = await run(store, workload(N, 'bench'), CONCURRENCY);
    const metConcurrent = report(
      `concurrent (${Math.round(DUPLICATE_SHARE * 100)} % repeated deliveries, ${Math.round(CORRECTION_SHARE * 100)} % corrections)`,
      many,
      (performance.now() - t) / 1000,
      CONCURRENCY,
    );

    const met = metSequential && metConcurrent;
    console.log(
      `\ngoal (≤ 1 write request and ≤ 1 read per notification): ${met ? 'MET' : 'NOT MET'}` +
        ' — every notification not redone after a concurrent change to its ledger entry used at most one Query and one TransactWriteItems',
    );
    console.log(
      '(DynamoDB Local is an emulator: its latencies and capacity figures are indicative; the request counts carry over.)',
    );
    if (!met) process.exitCode = 1;
  } finally {
    await local.stop();
  }
}

await main();
