/**
 * The CLI conventions of every npm script that takes arguments (start, demo, decide, bench): `--help` on
 * stdout with exit code 0, a flag it does not know refused on stderr with exit code 2 (node:util parseArgs,
 * strict), nothing on stdout then, so a pipe never takes an error for a result.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** The file an npm script runs with tsx. */
const fileOf = (script: string) => /^tsx (\S+)$/.exec(scripts[script] ?? '')?.[1];

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // stdin stays open, as in a terminal: a command must not wait on it to answer --help or a bad flag.
    execFile(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      { cwd: root, encoding: 'utf8', timeout: 50_000 },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

describe.each(['start', 'demo', 'decide', 'bench'])('npm run %s', (script) => {
  const file = fileOf(script)!;

  it('is a tsx script that parses its flags with node:util parseArgs', () => {
    expect(file).toBeDefined();
    const source = readFileSync(join(root, file), 'utf8');
    const args = join(root, file.replace(/[^/]+$/, 'args.ts'));
    expect(`${source}${script === 'start' ? readFileSync(args, 'utf8') : ''}`).toMatch(/parseArgs\(/);
  });

  it('--help: what it does and its flags, on stdout, exit code 0', async () => {
    const r = await run(file, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `npm ${script === 'start' ? 'start' : `run${script === 'decide' ? ' -s' : ''} ${script}`}`,
    );
    expect(r.stdout).toMatch(/-h, --help/);
    expect(r.stdout).toMatch(/Exit codes/);
  }, 60_000);

  it('an unknown flag: refused on stderr, exit code 2, nothing on stdout', async () => {
    const r = await run(file, ['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no-such-flag/);
  }, 60_000);
});
