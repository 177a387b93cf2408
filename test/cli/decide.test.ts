/**
 * The decision CLI: RULES.md worked examples through the real command, batches, schema, exit codes, and the
 * CLI conventions (node:util parseArgs, --help, results on stdout and errors on stderr).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '#tools/cli/decide.js';
import { DOC_PATH, renderDecisionsDoc } from '#tools/cli/docs.js';

const root = join(import.meta.dirname, '../..');
const run = (args: string[], stdin: string) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/cli/decide.ts', ...args], {
    cwd: root,
    input: stdin,
    encoding: 'utf8',
  });
  return {
    code: r.status,
    out: r.stdout ? JSON.parse(r.stdout) : null,
    err: r.stderr ? JSON.parse(r.stderr) : null,
  };
};

describe('npm run decide -- waiting-period (the real command)', () => {
  it('answers the RULES.md §3 worked examples in one batch, in order (W-6, W-5c, W-7)', () => {
    const batch = [
      { region: '220100', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 },
      { region: '220100', scheme: 'resident', paidAt: '2027-05-10', feeYear: 2027 },
      {
        region: '220100',
        scheme: 'resident',
        paidAt: '2027-03-20',
        feeYear: 2027,
        previousCover: { scheme: 'resident', lastCoveredDay: '2026-12-31', continuousYears: 4 },
      },
      {
        region: '220100',
        scheme: 'resident',
        paidAt: '2027-06-01',
        feeYear: 2027,
        previousCover: { scheme: 'resident', lastCoveredDay: '2023-12-31', continuousYears: 2 },
      },
    ];
    const r = run(['waiting-period', '--as-of', '2027-06-01'], JSON.stringify(batch));
    expect(r.code).toBe(0);
    expect(r.out.map((x: { value: { coverStarts: string } }) => x.value.coverStarts)).toEqual([
      '2027-04-01',
      '2027-08-09',
      '2027-01-01',
      '2027-10-30',
    ]);
    expect(
      r.out[3].trace.rules.filter((s: { outcome: string }) => s.outcome === 'applied').map((s: { id: string }) => s.id),
    ).toEqual(['P-1', 'W-7', 'W-6']);
  });

  it('bad input: exit code 2 and a JSON error on stderr naming each bad field, nothing decided', () => {
    const r = run(['waiting-period'], JSON.stringify({ region: '999999', scheme: 'resident', paidAt: '2027-02-30' }));
    expect(r.code).toBe(2);
    expect(r.out).toBeNull();
    expect(r.err.error).toBe('invalid-input');
    const paths = r.err.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['region', 'paidAt']));
  });
});

describe('runCli', () => {
  const good = { region: '220100', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 };

  it('names the bad fields of each batch item by index', () => {
    const r = runCli(
      ['waiting-period', '--as-of', '2026-11-15'],
      JSON.stringify([good, { ...good, feeYear: 'next' }, { ...good, scheme: 'employee' }]),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const body = JSON.parse(r.stderr);
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual(['[1].feeYear', '[2].feeMonth', '[2].mode']);
  });

  it('an unknown decision: exit code 2 and the list of decisions', () => {
    const r = runCli(['wating-period'], '{}');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({
      error: 'unknown-decision',
      decisions: expect.arrayContaining(['waiting-period']),
    });
  });

  it('not JSON: exit code 2', () => {
    expect(runCli(['waiting-period'], '{oops').code).toBe(2);
  });

  it('a bad --as-of: exit code 2 naming it', () => {
    const r = runCli(['waiting-period', '--as-of', '2026-02-30'], JSON.stringify(good));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).issues[0].path).toBe('--as-of');
  });

  it('the rules cannot decide: exit code 3 with the error and the batch index', () => {
    const r = runCli(
      ['waiting-period', '--as-of', '2024-03-15'],
      JSON.stringify([
        good,
        { region: '220100', scheme: 'employee', mode: 'unit', paidAt: '2024-03-15', feeMonth: '2024-03' },
      ]),
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'no-applicable-rule', index: 1 });
  });

  it('--schema prints the input as JSON Schema, generated from zod', () => {
    const r = runCli(['waiting-period', '--schema'], '');
    const schema = JSON.parse(r.stdout);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['region', 'scheme', 'paidAt']));
    expect(schema.properties.region.enum).toContain('220100');
  });

  it('an unknown flag or a second decision: exit code 2 on stderr (parseArgs, strict)', () => {
    for (const args of [['waiting-period', '--asof', '2026-11-15'], ['waiting-period', 'arrears'], ['--as-of']]) {
      const r = runCli(args, JSON.stringify(good));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr).error).toBe('invalid-arguments');
    }
  });

  it('--help says how to call it, on stdout, exit code 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = runCli([flag], '');
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain('npm run -s decide -- <decision>');
      expect(r.stdout).toContain('--as-of');
    }
  });

  it('--list names the decisions with their rules', () => {
    const list = JSON.parse(runCli(['--list'], '').stdout);
    expect(list.find((d: { id: string }) => d.id === 'waiting-period').rules).toContain('W-7');
  });
});

describe('docs/decisions.md', () => {
  it('is current with the registry (run `npm run docs` after changing a decision)', () => {
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderDecisionsDoc());
  });
});
