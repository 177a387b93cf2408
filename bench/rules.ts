/**
 * `npm run bench:rules`: decisions per second per decision type on one core (Node is single-threaded),
 * each with its full trace, validated facts reused (the engine's cost, not zod's). Median of 5 runs of
 * about 300 ms each. A benchmark, not a test: nothing here is timed inside the test suite.
 */
import { parameters } from '#params/index.js';
import { evaluate, parseFacts } from '#rules/engine.js';
import { DECISIONS } from '#rules/registry.js';

export interface RuleBench {
  readonly decision: string;
  readonly perSecond: number;
  readonly runs: readonly number[];
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchRules(runMs = 300, runs = 5): RuleBench[] {
  const store = parameters();
  return DECISIONS.map((d) => {
    const facts = parseFacts(d, d.example.facts);
    const asOf = d.example.asOf;
    for (let i = 0; i < 2000; i++) evaluate(d, facts, asOf, store); // warm-up for the JIT
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      let n = 0;
      const start = process.hrtime.bigint();
      const until = start + BigInt(runMs) * 1_000_000n;
      let now = start;
      while (now < until) {
        for (let i = 0; i < 200; i++) evaluate(d, facts, asOf, store);
        n += 200;
        now = process.hrtime.bigint();
      }
      rates.push(Math.round((n * 1e9) / Number(now - start)));
    }
    return { decision: d.id, perSecond: median(rates), runs: rates };
  });
}

async function main() {
  // Run bundled, as in Lambda (see build.ts), unless already running from the bundle.
  if (!process.env.BENCH_BUNDLED) {
    const { bundleForBench } = await import('./build.js');
    const { spawnSync } = await import('node:child_process');
    const out = await bundleForBench('bench/rules.ts');
    const r = spawnSync(process.execPath, [out], { stdio: 'inherit', env: { ...process.env, BENCH_BUNDLED: '1' } });
    process.exitCode = r.status ?? 1;
    return;
  }
  const results = benchRules();
  console.log('decision'.padEnd(28), 'decisions/s (median of 5)');
  for (const r of results) console.log(r.decision.padEnd(28), r.perSecond.toLocaleString('en'));
  const w = results.find((r) => r.decision === 'waiting-period');
  if (w)
    console.log(
      `\nwaiting-period goal ≥ 100,000/s: ${w.perSecond >= 100_000 ? 'met' : `missed by ${(100_000 - w.perSecond).toLocaleString('en')}/s`}`,
    );
}

if (process.env.BENCH_BUNDLED || import.meta.url === `file://${process.argv[1]}`) await main();
