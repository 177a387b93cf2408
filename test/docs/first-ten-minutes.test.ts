/**
 * The first ten minutes, as a newcomer spends them: the README's shell blocks in order, and at its
 * `npm start` the block the start banner prints, pasted line by line into a second shell — against a real
 * `npm start -- --in-memory` of its own on free ports. Each command must do what its text says: every curl
 * answers 2xx, and the story the banner tells ends in a settled arrears case. Commands that run for minutes
 * or are the system itself are not run, and are named here with the reason.
 *
 * The clock starts two days before the story (`--clock-start`), so that the test does not depend on the day it
 * runs; the banner's first command moves the clock from wherever it stands, as on a fresh start at any date
 * before the story.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, PASTE_BEGIN, PASTE_END, sampleStory } from '#tools/local-runtime/banner.js';
import { freePort } from '#tools/local-runtime/ports.js';
import { fencedBlocks, SHELL_LANGS, shellCommands } from './markdown.js';

const root = join(import.meta.dirname, '../..');
const story = sampleStory(root);
const CLOCK_START = `${new Date(story.startAt - 2 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)}T09:00:00+08:00`;

/** README commands this test does not run, and why. */
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm ci && npm start':
    'the system itself: this test starts it (npm start -- --in-memory, on free ports) and runs the banner in its place',
  'npm start -- --in-memory': 'the system itself, started by this test',
  'npm ci && npm test': 'long-running: the whole suite, of which this test is a part',
  'npm run demo': 'long-running: a simulated year on its own system (test/local-runtime/demo.test.ts tells it)',
  'npm run demo -- --url http://127.0.0.1:3000':
    'long-running: a simulated year, on a system on port 3000 whose clock has not passed 2027-09-01',
};
/** Where, in the README's order, the banner's block is pasted: right after the system is started. */
const START = 'npm ci && npm start';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of every route, read field by field
type Json = any;

interface Ran {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function bash(script: string, cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) =>
        done({
          command: script.split('\n').at(-1)!,
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

/** A curl line of the banner: its answer and curl's own ` [HTTP nnn]` after it. */
function answerOf(r: Ran): { status: number; body: Json } {
  const m = /^([\s\S]*) \[HTTP (\d{3})\]\n?$/.exec(r.stdout);
  if (!m) throw new Error(`no [HTTP nnn] after the answer of ${r.command}: ${r.stdout.slice(0, 400)} ${r.stderr}`);
  return { status: Number(m[2]), body: m[1] ? JSON.parse(m[1]) : null };
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The story's arrears cases in a list of cases: the worker of docs/examples/enrollment.json, its fee month. */
const storyCases = (items: Json[]) =>
  items.filter(
    (c) =>
      c.caseType === 'arrears' &&
      (c.subject?.identityKey ?? c.data?.identityKey) === story.identityKey &&
      JSON.stringify(c.data?.months ?? []).includes(story.feeMonth),
  );

/**
 * What each banner command's comment says it does, checked on its answer. Every command must match one:
 * a new sample line comes with the check of what it claims.
 */
const BANNER_CHECKS: ReadonlyArray<{ when: RegExp; check: (body: Json, comment: string) => void }> = [
  {
    when: /\/_clock\/advance/,
    check: (b, comment) => expect(comment, 'the clock lands on the day the comment names').toContain(`to ${b.today}`),
  },
  {
    when: /enrollment\.json/,
    check: (b, comment) => {
      expect(b.enrollment.mode).toBe('flexible');
      expect(comment).toContain(`since ${b.enrollment.enrolledOn}`);
    },
  },
  {
    when: /notification-person\.json/,
    check: (b) => {
      expect(b.kind).toBe('processed');
      expect(b.persons[0].intake).toBe('stored');
      expect(b.persons[0].arrears, 'paid in full: no arrears').toEqual([]);
    },
  },
  {
    when: /notification-person-short\.json/,
    check: (b, comment) => {
      const a = b.persons[0].arrears[0];
      expect(a).toMatchObject({ feeMonth: story.feeMonth, caseOutcome: 'opened', workflow: 'started' });
      expect(comment).toContain(`${yuan(a.paidFen)} of ${yuan(a.dueFen)} yuan`);
    },
  },
  {
    when: /notification-(unit|unemployment-fund|custodian|agent|government)\.json/,
    check: (b) => {
      expect(b.kind).toBe('processed');
      for (const p of b.persons) expect(p.intake).toBe('stored');
    },
  },
  {
    when: /roster\.json/,
    check: (b) =>
      expect(b.items).toBe((JSON.parse(readFileSync(join(root, EXAMPLES.roster), 'utf8')) as unknown[]).length),
  },
  {
    when: /notification-person-rest\.json/,
    check: (b) => expect(b.persons[0].resumed).toEqual([{ caseId: expect.any(String), callback: 'resumed' }]),
  },
  {
    when: /\/cases\?caseType=arrears&state=waiting-payment/,
    check: (b, comment) => {
      const [c, ...more] = storyCases(b.items);
      expect(more).toEqual([]);
      expect(c, JSON.stringify(b.items)).toMatchObject({ state: 'waiting-payment', wait: { for: 'payment' } });
      expect(comment).toContain('waits for the rest');
    },
  },
  {
    when: /\/cases\?caseType=arrears&state=completed/,
    check: (b, comment) => {
      const [c, ...more] = storyCases(b.items);
      expect(more).toEqual([]);
      expect(c?.state, JSON.stringify(b.items)).toBe('completed');
      expect(c.data.outcome).toMatchObject({ decidedBy: 'A-4', paid: true, arrearsPeriodCovered: true });
      expect(comment).toContain('completed, decided by A-4');
    },
  },
];

/** What the README's own runnable commands say they do. */
const README_CHECKS: ReadonlyArray<{ when: RegExp; check: (r: Ran, before: string) => void }> = [
  {
    when: /decide -- waiting-period/,
    check: (r, before) => {
      // "(cover from 2027-04-01, 2027-08-09, …)": the dates the text names, in order.
      const said = /cover from ([^)]*)/.exec(before)?.[1]?.match(/\d{4}-\d{2}-\d{2}/g) ?? [];
      expect(said.length).toBeGreaterThan(0);
      const got = (JSON.parse(r.stdout) as Json[]).map((x) => x.value.coverStarts);
      expect(got.slice(0, said.length)).toEqual(said);
    },
  },
];

let system: ChildProcessWithoutNullStreams;
let output = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  const port = await freePort();
  system = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tools/local-runtime/main.ts',
      '--in-memory',
      '--port',
      String(port),
      '--clock-start',
      CLOCK_START,
    ],
    { cwd: root, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' } },
  );
  system.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  system.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  exited = new Promise((done) => system.once('exit', (code) => done(code)));
  const deadline = Date.now() + 150_000;
  while (!output.includes(PASTE_END)) {
    if (system.exitCode !== null) throw new Error(`npm start exited ${system.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no banner from npm start within 150 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 160_000);

afterAll(async () => {
  if (system && system.exitCode === null) {
    system.kill('SIGINT');
    await exited;
  }
}, 60_000);

/** The banner's block as printed: every line is shell, a command or a `#` comment. */
function pasteBlock(): string[] {
  const lines = output.split('\n');
  const from = lines.indexOf(PASTE_BEGIN);
  const to = lines.indexOf(PASTE_END);
  expect(from, 'the banner has its paste block').toBeGreaterThanOrEqual(0);
  return lines.slice(from, to + 1);
}

describe('the README and the start banner, pasted in order', () => {
  const skipped: Array<{ command: string; why: string }> = [];
  const ran: string[] = [];

  it('every command does what its text says', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = fencedBlocks('README.md', readme).filter((b) => SHELL_LANGS.has(b.lang));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      for (const { command } of shellCommands(block)) {
        if (command === START) await pasteTheBanner(ran);
        if (NOT_RUN[command] !== undefined) {
          skipped.push({ command, why: NOT_RUN[command]! });
          continue;
        }
        const checks = README_CHECKS.filter((c) => c.when.test(command));
        expect(checks, `README command with nothing saying what it does: ${command}`).not.toEqual([]);
        const r = await bash(command, root);
        expect(r.code, `${command}\n${r.stderr}`).toBe(0);
        for (const c of checks) c.check(r, block.before);
        ran.push(command);
      }
    }
    // The story was told, the README's own command ran, and what was not run is named.
    expect(ran.some((c) => c.includes('/_events'))).toBe(true);
    expect(ran.some((c) => c.includes('decide -- waiting-period'))).toBe(true);
    expect(skipped.map((s) => s.command)).toEqual(expect.arrayContaining(Object.keys(NOT_RUN)));
    console.log(`not run:\n${skipped.map((s) => `  ${s.command} — ${s.why}`).join('\n')}`);
  }, 240_000);

  it('wrote every dev token to the file the banner names', () => {
    const file = /every dev token, each role and region: (\S+)/.exec(output)?.[1];
    expect(file && existsSync(file)).toBe(true);
    const tokens = JSON.parse(readFileSync(file!, 'utf8')) as Array<{ role: string; region: string; token: string }>;
    expect(tokens.map((t) => `${t.region} ${t.role}`)).toEqual(
      expect.arrayContaining(['220100 clerk', '220100 approver', '220100 auditor', '220200 clerk']),
    );
  });

  it('takes a passport holder all the way through intake (docs/events.md and docs/examples/)', async () => {
    const env = await bash(
      `${pasteBlock()
        .filter((l) => /^(cd|export) /.test(l))
        .join('\n')}\nenv`,
      tmpdir(),
    );
    const api = /^API=(.*)$/m.exec(env.stdout)![1]!;
    const clerk = /^CLERK_TOKEN=(.*)$/m.exec(env.stdout)![1]!;
    const events = fencedBlocks('docs/events.md', readFileSync(join(root, 'docs/events.md'), 'utf8')).find(
      (b) => b.lang === 'json' && b.heading === '## Example',
    )!;
    const posted = await fetch(`${api}/_events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: events.body,
    });
    const body = (await posted.json()) as Json;
    expect(posted.status, JSON.stringify(body)).toBe(200);
    expect(body.persons.map((p: Json) => p.intake)).toEqual(['stored', 'stored']);
    for (const key of ['PP:KOR:E1234567', 'PP:KOR:M12345678']) {
      const r = await fetch(`${api}/persons/${encodeURIComponent(key)}/status?date=2027-03-31`, {
        headers: { authorization: `Bearer ${clerk}` },
      });
      const s = (await r.json()) as Json;
      expect(r.status, JSON.stringify(s)).toBe(200);
      expect(s.status).toMatchObject({ enrolled: true, scheme: 'employee', mode: 'unit' });
    }
  });

  it('stops on Ctrl-C (exit 0) and removes the temporary token file', async () => {
    const file = /every dev token, each role and region: (\S+)/.exec(output)![1]!;
    system.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  async function pasteTheBanner(log: string[]): Promise<void> {
    // The second terminal starts anywhere: the block's `cd` takes it to the checkout.
    const cwd = tmpdir();
    const prelude: string[] = [];
    let comment: string[] = [];
    for (const line of pasteBlock()) {
      if (line.startsWith('#') || line.trim() === '') {
        comment.push(line);
        continue;
      }
      const said = comment.join('\n');
      comment = [];
      if (/^(cd|export) /.test(line)) {
        const r = await bash([...prelude, line].join('\n'), cwd);
        expect(r.code, `${line}\n${r.stderr}`).toBe(0);
        prelude.push(line);
        log.push(line);
        continue;
      }
      expect(line, 'the banner pastes only cd, export and curl').toMatch(/^curl /);
      const checks = BANNER_CHECKS.filter((c) => c.when.test(line));
      expect(checks, `banner command with no check of what its comment says: ${line}`).not.toEqual([]);
      const r = await bash([...prelude, line].join('\n'), cwd);
      expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      const { status, body } = answerOf(r);
      expect(status, `${line}\n→ ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(200);
      expect(status, `${line}\n→ ${JSON.stringify(body)}`).toBeLessThan(300);
      for (const c of checks) c.check(body, said);
      log.push(line);
    }
  }
});
