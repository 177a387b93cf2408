/**
 * `npm start`: the local runtime on 127.0.0.1 (see runtime.ts). `npm start -- --help` lists the flags (args.ts).
 *
 * Before anything starts, what a new machine may lack is checked (preflight.ts) and said in one line on
 * stderr with exit code 2: ../shared, Java 17, the port, the data dir (locked, so a second start on the
 * same folder touches nothing of the first). Once up, it prints the banner (banner.ts): a block to paste
 * into a second terminal, each command of which works as printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliOptions, parseCli, START_HELP, StartRefused } from './args.js';
import {
  acquireDataDirLock,
  checkJava,
  checkPortFree,
  checkSharedDir,
  type DataDirLock,
  portRefusal,
} from './preflight.js';

export { type CliOptions, parseCli } from './args.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<number> {
  const cli: CliOptions = parseCli(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(START_HELP);
    return 0;
  }
  checkSharedDir(REPO_ROOT);
  // The runtime's own default (runtime.ts): `.local` in the repository.
  const dataDir = cli.inMemory ? null : resolve(cli.dataDir ?? join(REPO_ROOT, '.local'));
  const lock: DataDirLock | null = dataDir ? acquireDataDirLock(dataDir) : null;
  // An in-memory system writes no token file of its own: the banner's file is a temporary one, gone at stop.
  let tokenDir: string | null = null;
  const cleanUp = () => {
    lock?.release();
    if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
    tokenDir = null;
  };
  process.on('exit', cleanUp);
  try {
    checkJava();
    await checkPortFree(cli.port);
  } catch (e) {
    cleanUp();
    throw e;
  }

  // The handlers' Powertools loggers read their level when their module loads: quiet unless --verbose.
  process.env.POWERTOOLS_LOG_LEVEL ??= cli.verbose ? 'INFO' : 'WARN';
  const { startLocalRuntime } = await import('./runtime.js');
  let rt: Awaited<ReturnType<typeof startLocalRuntime>>;
  try {
    rt = await startLocalRuntime({
      apiPort: cli.port,
      inMemory: cli.inMemory,
      verbose: cli.verbose,
      ...(cli.clockStart ? { clockStart: cli.clockStart } : {}),
      ...(dataDir ? { dataDir } : {}),
      ...(cli.regions ? { tokenRegions: cli.regions } : {}),
    });
  } catch (e) {
    cleanUp();
    // Taken between the check and the listen.
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portRefusal(cli.port);
    throw e;
  }

  let tokenFile: string;
  if (dataDir) tokenFile = join(dataDir, 'dev-tokens.json');
  else {
    tokenDir = mkdtempSync(join(tmpdir(), 'jl-local-tokens-'));
    tokenFile = join(tokenDir, 'dev-tokens.json');
    writeFileSync(tokenFile, `${JSON.stringify(rt.tokens, null, 2)}\n`, { mode: 0o600 });
  }
  const { renderBanner } = await import('./banner.js');
  process.stdout.write(
    renderBanner({
      repoRoot: REPO_ROOT,
      apiUrl: rt.apiUrl,
      clockMs: rt.clock.now(),
      dataDir,
      tokenFile,
      tokens: rt.tokens,
      rearmed:
        Object.entries(rt.rearmed.rearmed)
          .map(([w, n]) => `${w} ${n}`)
          .join(', ') || 'none',
      caughtUp: rt.caughtUp,
    }),
  );
  console.log('Ctrl-C 停止 / Ctrl-C stops.');

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: stopping`);
      rt.stop().then(
        () => {
          cleanUp();
          done(0);
        },
        (e: unknown) => {
          console.error(e);
          cleanUp();
          done(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof StartRefused) {
        process.stderr.write(`npm start: ${e.message}\n`);
        process.exit(e.exitCode);
      }
      console.error(e);
      process.exit(1);
    },
  );
}
