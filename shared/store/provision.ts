/**
 * Creates the case table from its one definition (table.ts) where no CDK runs: the local runtime
 * on DynamoDB Local, the tests and the bench. Idempotent: an existing table is left as it is.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CASE_TABLE, createTableInput, type TableDescription, timeToLiveInput } from './table.js';

export interface EnsureTableOptions {
  readonly tableName?: string;
  readonly table?: TableDescription;
  /** How long to wait for the table to become ACTIVE. */
  readonly timeoutMs?: number;
}

export async function ensureCaseTable(client: DynamoDBClient, options: EnsureTableOptions = {}): Promise<string> {
  const table = options.table ?? CASE_TABLE;
  const tableName = options.tableName ?? table.tableName;
  try {
    await client.send(new CreateTableCommand(createTableInput(table, { tableName, deletionProtection: false })));
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceInUseException') throw e;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (d.Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (d.Table?.TableStatus === 'ACTIVE' && indexesActive) break;
    if (Date.now() > deadline) throw new Error(`table ${tableName} not active after ${options.timeoutMs ?? 60_000} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(table, tableName)));
  } catch (e) {
    // Already enabled on an existing table: nothing to do.
    if ((e as { name?: string }).name !== 'ValidationException') throw e;
  }
  return tableName;
}
