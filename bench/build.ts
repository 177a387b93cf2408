/**
 * Benchmarks run the code as Lambda runs it: bundled by esbuild (minified, no keepNames). Under tsx
 * every closure is wrapped in esbuild's `__name` helper, which alone costs a quarter of a decision.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export async function bundleForBench(entry: string): Promise<string> {
  const outDir = join(import.meta.dirname, '../.local/bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${entry.replace(/[/.]/g, '_')}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, '..', entry)],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
