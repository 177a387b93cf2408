/**
 * How every Lambda is bundled, in one place: the CDK construct (through bundle-cli.ts) and the functions
 * benchmark build the very same bundle.
 *
 * - ESM for Node.js 24, minified, with `@aws-sdk/*` left to the runtime (it ships the AWS SDK v3).
 * - zod's ~40 message locales are ~250 KB of every bundle; the system reports errors in its own words
 *   (problem+json, decision errors), so only zod's English default is kept: the locale index resolves to
 *   a module exporting `en` alone.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const englishOnlyZodLocales: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(PROJECT_ROOT, 'node_modules/zod/v4/locales/en.js'))};`,
      resolveDir: PROJECT_ROOT,
    }));
  },
};

export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    external: ['@aws-sdk/*'],
    plugins: [englishOnlyZodLocales],
    metafile: true,
    logLevel: 'error',
    // ESM bundles of CommonJS dependencies still call require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  };
}

export async function bundleLambda(entry: string, outfile: string): Promise<Metafile> {
  const result = await build(lambdaBuildOptions(entry, outfile));
  return result.metafile!;
}
