/**
 * `npm run demo`: a year of Changchun through the public interfaces, printed with the rules behind each step,
 * then every case checked against what the rules expect (script.ts and its scenes/ tell the story).
 *
 *   npm run demo                          # starts its own in-memory system on free ports, stops it at the end
 *   npm run demo -- --url http://127.0.0.1:3000 [--tokens .local/dev-tokens.json]
 *                                         # drives a running system (npm start -- --in-memory) whose clock is
 *                                         # not past the story's start (2027-09-01 09:00 CST)
 *   flags: --log <file> (the own system's log; default: kept quiet)
 *
 * Exit code: 0 when every case is as the rules expect, 1 with the mismatches, 2 when it cannot run (bad
 * flags: a JSON error on stderr; a running system whose clock is past the start, no tokens: on stdout).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clockAllowsDemo, DEMO_START, type DemoReport, type DemoToken, runDemo } from './script.js';

export interface DemoCli {
  readonly url?: string;
  readonly tokens: string;
  readonly log?: string;
  readonly help?: true;
}

export const DEMO_HELP = `npm run demo -- [options]
  长春市一年的示例，只经公开接口，每个案件按规则核对 / a year of Changchun (2027-09-01 to 2028-08-31) through the
  public interfaces only, every case checked at the end against values worked out from RULES.md.

  (no flags)             自带内存系统，空闲端口，结束即停 / its own in-memory system on free ports, stopped at the end
  --url <http://…>       驱动一个运行中的系统 / drive a running system (npm start -- --in-memory) whose clock has not
                         passed 2027-09-01 09:00 CST; the clock never moves back, so each run needs a fresh system
  --tokens <file>        该系统的开发令牌 / that system's dev tokens (default .local/dev-tokens.json; npm start's
                         banner names the file)
  --log <file>           自带系统的日志 / the own system's log (default: kept quiet)
  -h, --help             本说明 / this help

Exit codes: 0 every case as the rules expect; 1 mismatches (listed); 2 cannot run (a bad flag on stderr; a system
whose clock is past the start, or no tokens: a JSON error on stdout).
`;

export function parseDemoCli(argv: readonly string[]): DemoCli {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      tokens: { type: 'string', default: '.local/dev-tokens.json' },
      log: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.url !== undefined && !/^https?:\/\/[^/]+/.test(values.url))
    throw new Error(`--url: not an http URL: ${values.url}`);
  return {
    ...(values.url ? { url: values.url.replace(/\/+$/, '') } : {}),
    tokens: values.tokens ?? '.local/dev-tokens.json',
    ...(values.log ? { log: values.log } : {}),
    ...(values.help ? { help: true as const } : {}),
  };
}

class CannotRun extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The dev tokens of a running system: `.local/dev-tokens.json` as the runtime writes it when it keeps its
 * data, or the lines `npm start` prints (`  220100 clerk    eyJ…`), saved to a file (an in-memory system
 * writes no token file).
 */
export function readTokens(file: string): DemoToken[] {
  const path = resolve(file);
  if (!existsSync(path))
    throw new CannotRun(
      'no-tokens',
      `no dev tokens at ${path}: a system that keeps its data writes them there (npm start); for one started with --in-memory, save the token lines it prints to a file and give --tokens <file>`,
    );
  const text = readFileSync(path, 'utf8');
  let tokens: DemoToken[];
  try {
    tokens = JSON.parse(text) as DemoToken[];
  } catch {
    tokens = [...text.matchAll(/^\s*(\d{6})\s+(clerk|approver|auditor)\s+(\S+)\s*$/gm)].map((m) => ({
      region: m[1]!,
      role: m[2]!,
      token: m[3]!,
    }));
  }
  if (!Array.isArray(tokens) || tokens.length === 0 || !tokens.every((t) => typeof t?.token === 'string'))
    throw new CannotRun(
      'bad-tokens',
      `${path} holds no dev tokens (a JSON list of {role, region, token}, or the lines npm start prints)`,
    );
  return tokens;
}

/** Against a running system: its tokens, and a clock that has not passed the start. */
async function againstRunning(cli: DemoCli & { url: string }): Promise<DemoReport> {
  const tokens = readTokens(cli.tokens);
  let clock: Awaited<ReturnType<typeof clockAllowsDemo>>;
  try {
    clock = await clockAllowsDemo(cli.url);
  } catch (e) {
    throw new CannotRun('unreachable', `cannot read the clock of ${cli.url}: ${(e as Error).message}`);
  }
  if (!clock.ok)
    throw new CannotRun(
      'clock-past-start',
      `the system's clock (${clock.now}) is past the demo's start (${DEMO_START}) and never moves back: start a fresh system (npm start -- --in-memory, or npm start -- --data-dir <an empty folder>) and run the demo against it, or run npm run demo without --url`,
      { clock: clock.now, demoStart: DEMO_START },
    );
  return runDemo({ baseUrl: cli.url, tokens });
}

/** With its own system: in memory, on free ports, the clock at the start and moved only by the story. */
async function withOwnSystem(cli: DemoCli): Promise<DemoReport> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const { startLocalRuntime } = await import('../local-runtime/runtime.js');
  const logFile = cli.log ? resolve(cli.log) : null;
  const log = logFile ? (line: string) => appendFileSync(logFile, `${line}\n`) : () => undefined;
  console.log(`Starting an in-memory system (DynamoDB Local, the state machines, the staff API)…`);
  const rt = await startLocalRuntime({
    inMemory: true,
    apiPort: 0,
    clockStart: DEMO_START,
    followRealTime: false,
    log,
  });
  try {
    console.log(`System up on ${rt.apiUrl}${logFile ? ` (log: ${logFile})` : ''}.`);
    return await runDemo({ baseUrl: rt.apiUrl, tokens: rt.tokens });
  } finally {
    await rt.stop();
  }
}

async function main(): Promise<number> {
  let cli: DemoCli;
  try {
    cli = parseDemoCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(
      `${JSON.stringify({ error: 'invalid-arguments', message: `${(e as Error).message} (npm run demo -- --help lists the flags)` })}\n`,
    );
    return 2;
  }
  if (cli.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  try {
    const report = cli.url ? await againstRunning({ ...cli, url: cli.url }) : await withOwnSystem(cli);
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof CannotRun) {
      console.log(JSON.stringify({ error: e.code, message: e.message, ...e.extra }));
      return 2;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
