/**
 * `tsx infra/bundling/bundle-cli.ts <entry> <outDir>`: bundles one Lambda into `<outDir>/index.mjs`. The CDK
 * asset bundling is synchronous and esbuild plugins need its async API, so the construct runs this.
 */
import { join } from 'node:path';
import { bundleLambda } from './lambda-bundle.js';

const [entry, outDir] = process.argv.slice(2);
if (!entry || !outDir) {
  process.stderr.write('usage: bundle-cli.ts <entry> <outDir>\n');
  process.exit(2);
}
await bundleLambda(entry, join(outDir, 'index.mjs'));
