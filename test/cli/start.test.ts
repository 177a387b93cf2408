/**
 * `npm start` on a machine that lacks something: each gap is one line on stderr saying what to do, and exit
 * code 2, before anything starts — no Java 17, the port in use, ../shared missing, the data dir in use by
 * another start (which then keeps its cases and its dev-tokens.json untouched). And the banner for a clock
 * before, on and past the sample story's first day.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, StartRefused } from '#tools/local-runtime/args.js';
import { PASTE_BEGIN, PASTE_END, renderBanner, sampleStory } from '#tools/local-runtime/banner.js';
import { freePort } from '#tools/local-runtime/ports.js';
import { acquireDataDirLock, javaMajor, LOCK_FILE } from '#tools/local-runtime/preflight.js';

const root = join(import.meta.dirname, '../..');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function start(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/local-runtime/main.ts', ...args],
      { cwd: root, env, encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) =>
        done({
          code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          stdout,
          stderr,
          ms: Date.now() - t0,
        }),
    );
  });
}

/** One line on stderr, saying what to do; nothing on stdout. */
function expectRefused(r: Ran, says: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^npm start: /);
  expect(lines[0]).toMatch(says);
}

describe('npm start flags', () => {
  it('--help lists them on stdout, exit code 0', async () => {
    const r = await start(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const flag of ['--in-memory', '--data-dir', '--port', '--clock-start', '--regions', '--verbose', '--help'])
      expect(r.stdout).toContain(flag);
  });

  it('a bad flag or value: one line on stderr, exit code 2', async () => {
    expectRefused(await start(['--bogus']), /--bogus.*npm start -- --help/);
    expect(() => parseCli(['--port', '3o00'])).toThrow(StartRefused);
    expect(() => parseCli(['--regions', '220100,999999'])).toThrow(/999999/);
    expect(() => parseCli(['--in-memory', '--data-dir', 'x'])).toThrow(/one or the other/);
    expect(parseCli(['-h'])).toMatchObject({ help: true });
  });
});

describe('what a new machine may lack', () => {
  it('../shared: says where it looked and how to point elsewhere', async () => {
    expectRefused(
      await start(['--in-memory'], { ...process.env, SHARED_DIR: join(tmpdir(), 'no-such-shared') }),
      /no-such-shared\/spec\/RULES\.md is missing.*SHARED_DIR/,
    );
  });

  it('Java: none on PATH, or one older than 17, says how to install Java 17', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'jl-no-java-'));
    expectRefused(await start(['--in-memory'], { ...process.env, PATH: empty }), /Java 17.*apt-get install openjdk-17/);
    const old = mkdtempSync(join(tmpdir(), 'jl-old-java-'));
    writeFileSync(join(old, 'java'), '#!/bin/sh\necho \'openjdk version "11.0.21" 2023-10-17\' >&2\n');
    chmodSync(join(old, 'java'), 0o755);
    expectRefused(await start(['--in-memory'], { ...process.env, PATH: old }), /Java 11.*brew install openjdk@17/);
    expect([javaMajor('openjdk version "17.0.15" 2025-04-15'), javaMajor('java version "1.8.0_381"')]).toEqual([17, 8]);
  });

  it('the port in use: names it and another to try', async () => {
    const port = await freePort();
    const busy: Server = createServer();
    await new Promise<void>((ok) => busy.listen(port, '127.0.0.1', () => ok()));
    try {
      const r = await start(['--in-memory', '--port', String(port)]);
      expectRefused(r, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use.*--port`));
      expect(r.ms).toBeLessThan(30_000);
    } finally {
      busy.close();
    }
  });
});

describe('the data dir lock', () => {
  it('refuses a live holder, takes over from a dead one, and releases only its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jl-lock-'));
    const mine = acquireDataDirLock(dir);
    // Another process (pid 1 is always alive) asking for the same folder.
    expect(() => acquireDataDirLock(dir, 1)).toThrow(/in use by another npm start \(pid \d+/);
    mine.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, startedAt: '2026-01-01T00:00:00Z' }));
    const taken = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    taken.release();
    taken.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  describe('a second npm start on the data dir of a running one', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jl-data-'));
    let first: ChildProcessWithoutNullStreams | undefined;
    let output = '';
    afterAll(async () => {
      if (first && first.exitCode === null) {
        first.kill('SIGINT');
        await new Promise((r) => first!.once('exit', r));
      }
    }, 60_000);

    it('refuses at once and touches nothing of the first', async () => {
      first = spawn(
        process.execPath,
        ['--import', 'tsx', 'tools/local-runtime/main.ts', '--data-dir', dataDir, '--port', '0'],
        {
          cwd: root,
          env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
        },
      );
      first.stdout.on('data', (d: Buffer) => {
        output += d.toString();
      });
      first.stderr.on('data', (d: Buffer) => {
        output += d.toString();
      });
      const deadline = Date.now() + 150_000;
      while (!output.includes(PASTE_END)) {
        if (first.exitCode !== null) throw new Error(`the first start exited ${first.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no banner within 150 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const api = /^export API=(\S+)$/m.exec(output)![1]!;
      const clerk = /^export CLERK_TOKEN=(\S+)$/m.exec(output)![1]!;
      const tokenFile = join(dataDir, 'dev-tokens.json');
      expect(output).toContain(`every dev token, each role and region: ${tokenFile}`);
      const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'));
      expect(lock.pid).toBe(first.pid);

      // A case of the first system's, to find again afterwards.
      const number = '220102199003071235';
      const enrolled = await fetch(`${api}/enrollments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk}` },
        body: JSON.stringify({
          identity: { number },
          region: '220100',
          scheme: 'employee',
          mode: 'flexible',
          work: 'platform-worker',
          places: { residence: '220100' },
        }),
      });
      expect(enrolled.status, await enrolled.clone().text()).toBe(201);

      const before = { tokens: readFileSync(tokenFile), tokensAt: statSync(tokenFile).mtimeMs };
      const second = await start(['--data-dir', dataDir, '--port', '0']);
      expectRefused(second, new RegExp(`in use by another npm start \\(pid ${first.pid}.*--in-memory`));
      expect(second.ms).toBeLessThan(30_000);
      expect(readFileSync(tokenFile)).toEqual(before.tokens);
      expect(statSync(tokenFile).mtimeMs).toBe(before.tokensAt);
      expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(first.pid);

      // The first still answers, with its own token, about its own case.
      const today = ((await (await fetch(`${api}/_clock`)).json()) as { today: string }).today;
      const status = await fetch(`${api}/persons/${encodeURIComponent(`CN:${number}`)}/status?date=${today}`, {
        headers: { authorization: `Bearer ${clerk}` },
      });
      expect(status.status).toBe(200);
      expect(((await status.json()) as { status: { enrolled: boolean } }).status.enrolled).toBe(true);

      first.kill('SIGINT');
      expect(await new Promise((r) => first!.once('exit', r))).toBe(0);
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    }, 200_000);
  });
});

describe('the start banner', () => {
  const story = sampleStory(root);
  const tokens = ['220100', '220200'].flatMap((region) =>
    ['clerk', 'approver', 'auditor'].map((role) => ({
      role: role as 'clerk',
      region,
      sub: `dev-${role}-${region}`,
      token: `ey.${role}.${region}`,
    })),
  );
  const banner = (clockMs: number, dataDir: string | null = null) =>
    renderBanner({
      repoRoot: root,
      apiUrl: 'http://127.0.0.1:3000',
      clockMs,
      dataDir,
      tokenFile: '/tmp/t/dev-tokens.json',
      tokens,
      rearmed: 'none',
      caughtUp: 0,
    });
  const block = (text: string) => text.slice(text.indexOf(PASTE_BEGIN), text.indexOf(PASTE_END) + PASTE_END.length);

  it('exports one token per role of the first region, and names the file of all of them', () => {
    const b = block(banner(story.startAt - 86_400_000));
    expect(b).toContain('export CLERK_TOKEN=ey.clerk.220100\n');
    expect(b).toContain('export APPROVER_TOKEN=ey.approver.220100\n');
    expect(b).not.toContain('220200');
    expect(b).toContain('/tmp/t/dev-tokens.json');
    // Pasted whole, every line is shell: a command or a comment.
    for (const l of b.split('\n')) expect(l).toMatch(/^(#|cd '|export |curl )/);
  });

  it('before the story: moves the clock to its first morning, saying it never moves back', () => {
    const b = banner(story.startAt - 86_400_000);
    expect(b).toContain(`-d '{"ms": 86400000}' "$API/_clock/advance"`);
    expect(b).toContain('The clock never moves back');
    // Kept data: says that the data dir keeps the move.
    expect(banner(story.startAt - 1000, '/work/main/.local')).toContain('the data dir keeps it where it is moved');
  });

  it('on the story day: no move; past it: how to start a system on which the story can be told', () => {
    expect(banner(story.startAt + 3_600_000)).not.toContain('"ms"');
    expect(banner(story.startAt + 3_600_000)).toContain('no move needed');
    const past = banner(story.startAt + 3 * 86_400_000);
    expect(past).not.toContain('/_events');
    const cmd = /npm start -- --in-memory --clock-start (\S+)/.exec(past)?.[1];
    expect(cmd).toBeDefined();
    // The system that command starts prints the story, with a short move.
    expect(banner(Date.parse(cmd!) + 60_000)).toContain('/_events');
  });
});
