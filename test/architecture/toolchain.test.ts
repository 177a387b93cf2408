/**
 * What is tested is what runs: the tests run on the Node that package.json pins (the npm registry's `node`
 * package, first on PATH in every npm script), and that is the major version of the Lambda runtime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
  engines: { node: string };
};
const serviceFunction = readFileSync(join(import.meta.dirname, '../../infra/constructs/service-function.ts'), 'utf8');
const major = (v: string) => Number(/(\d+)/.exec(v)?.[1]);

describe('toolchain', () => {
  it('runs the tests on Node 24 LTS, the pinned node package', () => {
    expect(major(process.versions.node)).toBe(24);
    expect(pkg.devDependencies.node).toMatch(/^24\.\d+\.\d+$/);
    expect(process.versions.node).toBe(pkg.devDependencies.node);
    expect(pkg.engines.node).toBe('>=24');
  });

  it('deploys every Lambda on the same major version', () => {
    const runtimes = [...serviceFunction.matchAll(/Runtime\.NODEJS_(\d+)_X/g)].map((m) => Number(m[1]));
    expect(runtimes).toEqual([major(process.versions.node)]);
  });
});
