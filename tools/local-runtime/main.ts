/**
 * `npm start`: the local runtime on 127.0.0.1 (see runtime.ts).
 *
 *   npm start -- [--in-memory] [--port 3000] [--clock-start 2026-10-01T00:00:00+08:00] [--data-dir .local]
 *                [--regions 220100,220200] [--verbose]
 */
import { parseArgs } from 'node:util';

export interface CliOptions {
  inMemory: boolean;
  port: number;
  clockStart?: string;
  dataDir?: string;
  regions?: string[];
  verbose: boolean;
}

export function parseCli(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'in-memory': { type: 'boolean', default: false },
      port: { type: 'string', default: '3000' },
      'clock-start': { type: 'string' },
      'data-dir': { type: 'string' },
      regions: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
  const clockStart = values['clock-start'];
  if (clockStart !== undefined && Number.isNaN(Date.parse(clockStart)))
    throw new Error(`--clock-start: not an ISO instant: ${clockStart}`);
  return {
    inMemory: values['in-memory'] ?? false,
    port,
    ...(clockStart ? { clockStart } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.regions ? { regions: values.regions.split(',').filter(Boolean) } : {}),
    verbose: values.verbose ?? false,
  };
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  // The handlers' Powertools loggers read their level when their module loads: quiet unless --verbose.
  process.env.POWERTOOLS_LOG_LEVEL ??= cli.verbose ? 'INFO' : 'WARN';
  const { startLocalRuntime } = await import('./runtime.js');
  const rt = await startLocalRuntime({
    apiPort: cli.port,
    inMemory: cli.inMemory,
    verbose: cli.verbose,
    ...(cli.clockStart ? { clockStart: cli.clockStart } : {}),
    ...(cli.dataDir ? { dataDir: cli.dataDir } : {}),
    ...(cli.regions ? { tokenRegions: cli.regions } : {}),
  });
  console.log('\nDev tokens (Authorization: Bearer <token>):');
  for (const t of rt.tokens) console.log(`  ${t.region} ${t.role.padEnd(8)} ${t.token}`);
  console.log(
    `\nTry:\n  curl -H "Authorization: Bearer $TOKEN" '${rt.apiUrl}/cases?state=opened&caseType=arrears'\n` +
      `  curl -X POST -d '{"days": 30}' ${rt.apiUrl}/_clock/advance\n` +
      `  curl -X POST -d @notification.json ${rt.apiUrl}/_events\n` +
      `  curl -X PUT -d @roster.json ${rt.apiUrl}/_rosters/2028/220100     # before the window opens (10-01)\n` +
      `Open cases re-armed at start: ${
        Object.entries(rt.rearmed.rearmed)
          .map(([w, n]) => `${w} ${n}`)
          .join(', ') || 'none'
      }; ` +
      `schedule occurrences caught up: ${rt.caughtUp}. Ctrl-C stops; the next start resumes the cases and the clock.\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    rt.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
