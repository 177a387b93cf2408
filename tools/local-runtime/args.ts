/**
 * The flags of `npm start` (node:util parseArgs, strict) and its `--help`. A bad flag is a `StartRefused`
 * (exit code 2, one line on stderr saying what to do), like everything else that keeps a start from
 * happening (preflight.ts).
 */
import { parseArgs } from 'node:util';
import { REGION_CODES } from '#domain/regions.js';

export interface CliOptions {
  inMemory: boolean;
  port: number;
  clockStart?: string;
  dataDir?: string;
  regions?: string[];
  verbose: boolean;
  help?: true;
}

/** Why `npm start` does not start: one line for the person at the terminal, exit code 2. */
export class StartRefused extends Error {
  readonly exitCode = 2;
}

export const START_HELP = `npm start -- [options]
  本地运行整个系统（127.0.0.1）/ the whole system on 127.0.0.1: DynamoDB Local, the five state machines,
  the staff API, the tax payment intake (POST /_events), the roster upload and a clock that only moves forward.
  It prints a banner to paste, in order, into a second terminal.

  --in-memory            不保留数据 / keep nothing: DynamoDB Local in memory, the clock at now
  --data-dir <folder>    数据目录 / where the cases, the clock and dev-tokens.json are kept (default .local)
  --port <n>             员工接口端口 / port of the staff API on 127.0.0.1 (default 3000; 0: a free one)
  --clock-start <ISO>    时钟起点 / where the clock starts, e.g. 2027-03-01T08:00:00+08:00
                         (default: now, or where the kept clock stood if that is later)
  --regions <codes>      开发令牌的统筹区 / regions of the dev tokens, comma-separated (default 220100,220200)
  --verbose              详细日志 / the handlers' JSON logs as well
  -h, --help             本说明 / this help

Needs Java 17 or later (DynamoDB Local) and ../shared beside the checkout (or SHARED_DIR).
Exit codes: 0 stopped with Ctrl-C; 1 failed while running; 2 could not start (a bad flag, no Java 17,
the port or the data dir in use, ../shared missing), with one line on stderr saying what to do.
`;

export function parseCli(argv: readonly string[]): CliOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (e) {
    throw new StartRefused(`${(e as Error).message} (npm start -- --help lists the flags)`);
  }
  if (values.help) return { inMemory: false, port: 3000, verbose: false, help: true };
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? '') || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new StartRefused(`--port: not a port: ${values.port} (0 … 65535; 0 picks a free one)`);
  const clockStart = values['clock-start'];
  if (clockStart !== undefined && Number.isNaN(Date.parse(clockStart)))
    throw new StartRefused(`--clock-start: not an ISO instant: ${clockStart} (e.g. 2027-03-01T08:00:00+08:00)`);
  const regions = values.regions?.split(',').filter(Boolean);
  const unknown = regions?.filter((r) => !REGION_CODES.includes(r)) ?? [];
  if (unknown.length > 0)
    throw new StartRefused(`--regions: unknown region ${unknown.join(', ')} (known: ${REGION_CODES.join(', ')})`);
  if (regions !== undefined && regions.length === 0) throw new StartRefused('--regions: name at least one region');
  if (values['in-memory'] && values['data-dir'])
    throw new StartRefused('--in-memory keeps nothing, so it takes no --data-dir: give one or the other');
  return {
    inMemory: values['in-memory'] ?? false,
    port,
    ...(clockStart ? { clockStart } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(regions ? { regions } : {}),
    verbose: values.verbose ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      'in-memory': { type: 'boolean', default: false },
      port: { type: 'string', default: '3000' },
      'clock-start': { type: 'string' },
      'data-dir': { type: 'string' },
      regions: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}
