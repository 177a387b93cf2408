/**
 * The one definition of the case table: keys, indexes, TTL attribute and stream.
 *
 * The CDK stack (infra/), the local runtime and the tests all build the table from `CASE_TABLE`,
 * so the key names the repository code writes (keys.ts) and the table that holds them cannot drift
 * apart. It is a plain object on purpose: infra/ maps it onto `dynamodb.TableV2` props, and
 * `createTableInput` maps it onto the SDK's CreateTable request.
 */
import type { CreateTableCommandInput, UpdateTimeToLiveCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S';
}

export interface IndexDescription {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** ALL: every attribute is copied (the staff API and the deadline sweep need the case itself). */
  readonly projection: 'ALL' | 'KEYS_ONLY';
  readonly purpose: string;
}

export interface TableDescription {
  /** Default physical name; a deployment may prefix it (stage, account). */
  readonly tableName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDescription[];
  /** Epoch seconds. Only transient items carry it: nothing of record (ledger, notifications, audit) ever expires. */
  readonly timeToLiveAttribute: string;
  /** Changes feed the workflows and the reporting projections. */
  readonly stream: 'NEW_AND_OLD_IMAGES';
  readonly billingMode: 'PAY_PER_REQUEST';
  /** The ledger and the audit trail are records of a public fund: the table must be restorable. */
  readonly pointInTimeRecovery: true;
  readonly deletionProtection: true;
}

const s = (name: string): KeyAttribute => ({ name, type: 'S' });

/** Index names, used by the repository code. */
export const INDEX = {
  byRegionState: 'byRegionState',
  byDeadline: 'byDeadline',
  bySubject: 'bySubject',
} as const;

export const CASE_TABLE: TableDescription = {
  tableName: 'jl-mi-cases',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: [
    {
      indexName: INDEX.byRegionState,
      partitionKey: s('gsi1pk'),
      sortKey: s('gsi1sk'),
      projection: 'ALL',
      purpose: 'cases by pooling region and state (staff API)',
    },
    {
      // Sparse: only a case that is waiting carries these attributes; closing the wait removes them.
      indexName: INDEX.byDeadline,
      partitionKey: s('gsi2pk'),
      sortKey: s('gsi2sk'),
      projection: 'ALL',
      purpose: 'waits that expire on a date, per region (deadline sweep)',
    },
    {
      indexName: INDEX.bySubject,
      partitionKey: s('gsi3pk'),
      sortKey: s('gsi3sk'),
      projection: 'ALL',
      purpose: "a person's or a unit's cases",
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  billingMode: 'PAY_PER_REQUEST',
  pointInTimeRecovery: true,
  deletionProtection: true,
};

export interface CreateTableOptions {
  readonly tableName?: string;
  /** Defaults to the description's; the local runtime and the tests pass false for throw-away tables. */
  readonly deletionProtection?: boolean;
}

/** The CreateTable request for a description (the local runtime and the tests use it; CDK does its own). */
export function createTableInput(
  table: TableDescription = CASE_TABLE,
  options: CreateTableOptions = {},
): CreateTableCommandInput {
  const tableName = options.tableName ?? table.tableName;
  const attributes = new Map<string, KeyAttribute>();
  for (const k of [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    attributes.set(k.name, k);
  }
  return {
    TableName: tableName,
    BillingMode: table.billingMode,
    AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: table.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: i.projection },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    DeletionProtectionEnabled: options.deletionProtection ?? table.deletionProtection,
  };
}

/** TTL is not part of CreateTable: it is switched on by a second request once the table is active. */
export function timeToLiveInput(
  table: TableDescription = CASE_TABLE,
  tableName: string = table.tableName,
): UpdateTimeToLiveCommandInput {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
  };
}
