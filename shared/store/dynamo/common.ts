/**
 * What every part of the DynamoDB case store shares and that needs no table: the store's options and
 * context (one StoreClient, one clock, one id source for all repositories), validation with typed
 * errors, the mapping between entities and items, page cursors, the shape of a transaction being
 * built, and the conflict retry for multi-item changes.
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from 'zod';
import { StoreClient, type StoreClientOptions } from '../dynamo-client.js';
import { ConflictError, InvalidCursorError, StoreValidationError } from '../errors.js';
import { CASE_TABLE } from '../table.js';

/** Attributes that are keys or bookkeeping, not part of the entity. */
const STORAGE_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'type',
  'expiresAt',
];

export type Item = Record<string, AttributeValue>;

export interface DynamoCaseStoreOptions extends StoreClientOptions {
  readonly tableName?: string;
  /** Clock for audit time-stamps and `updatedAt` (tests pin it). */
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Re-reads of the ledger when a concurrent intake for the same person changed it first. */
  readonly intakeAttempts?: number;
}

/** The table, client, clock and id source that the repositories of one store share. */
export interface StoreContext {
  readonly tableName: string;
  readonly db: StoreClient;
  readonly now: () => Date;
  readonly newId: () => string;
}

export function storeContext(options: DynamoCaseStoreOptions): StoreContext {
  return {
    tableName: options.tableName ?? CASE_TABLE.tableName,
    db: new StoreClient(options),
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
  };
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  // Messages only: zod's `input` of a failing identity key would echo the key itself.
  throw new StoreValidationError(
    what,
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export const toItem = (value: Record<string, unknown>): Item =>
  marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: true });

export function fromItem<T>(item: Item | Record<string, unknown>): T {
  const plain = unmarshall(item as Item) as Record<string, unknown>;
  for (const a of STORAGE_ATTRIBUTES) delete plain[a];
  return plain as T;
}

export function encodeCursor(key: Record<string, AttributeValue> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * What a cursor of one query must be: a LastEvaluatedKey of the index it reads (exactly its key
 * attributes, each a string) inside the query's own partition and sort-key prefix. DynamoDB answers a
 * start key outside these with a ValidationException (or, for a value that is not a key at all, the SDK
 * fails before sending), so the store checks them itself and refuses with InvalidCursorError.
 */
export interface CursorShape {
  /** The table's key attributes, plus the index's for an index query. */
  readonly attributes: readonly string[];
  /** Attribute → the value it must have (the query's partition key). */
  readonly equals?: Readonly<Record<string, string>>;
  /** Attribute → the prefix its value must start with (a `begins_with` sort-key condition). */
  readonly prefixes?: Readonly<Record<string, string>>;
}

/** DynamoDB's own bound on a key attribute (partition keys 2048 bytes, sort keys 1024). */
const MAX_KEY_VALUE_BYTES = 2048;

/** The exclusive start key of a cursor this store issued for the query of `shape`; InvalidCursorError otherwise. */
export function decodeCursor(
  cursor: string | undefined,
  shape?: CursorShape,
): Record<string, AttributeValue> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new InvalidCursorError();
  const entries = Object.entries(key as Record<string, unknown>);
  const values: Record<string, string> = {};
  for (const [name, value] of entries) {
    const s = (value as { S?: unknown } | null)?.S;
    if (
      typeof value !== 'object' ||
      value === null ||
      Object.keys(value).length !== 1 ||
      typeof s !== 'string' ||
      s.length === 0 ||
      Buffer.byteLength(s) > MAX_KEY_VALUE_BYTES
    )
      throw new InvalidCursorError();
    values[name] = s;
  }
  if (shape) {
    const expected = new Set(shape.attributes);
    if (entries.length !== expected.size || !entries.every(([name]) => expected.has(name)))
      throw new InvalidCursorError();
    for (const [name, v] of Object.entries(shape.equals ?? {})) if (values[name] !== v) throw new InvalidCursorError();
    for (const [name, p] of Object.entries(shape.prefixes ?? {}))
      if (!values[name]!.startsWith(p)) throw new InvalidCursorError();
  }
  return key as Record<string, AttributeValue>;
}

/**
 * The shape of the cursors of one Query, read from the request itself: the key attributes of the table
 * or index it reads, the partition value of `<pk> = :v` and the prefix of `begins_with(<sk>, :v)`.
 */
export function cursorShapeOf(input: {
  readonly IndexName?: string | undefined;
  readonly KeyConditionExpression?: string | undefined;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue> | undefined;
}): CursorShape {
  const table = [CASE_TABLE.partitionKey.name, CASE_TABLE.sortKey.name];
  const index = input.IndexName
    ? CASE_TABLE.globalSecondaryIndexes.find((i) => i.indexName === input.IndexName)
    : undefined;
  const attributes = index ? [...table, index.partitionKey.name, index.sortKey.name] : table;
  const condition = input.KeyConditionExpression ?? '';
  const placeholderValue = (placeholder: string) => input.ExpressionAttributeValues?.[placeholder]?.S;
  const equals: Record<string, string> = {};
  const prefixes: Record<string, string> = {};
  const eq = /^\s*(\w+)\s*=\s*(:\w+)/.exec(condition);
  if (eq && placeholderValue(eq[2]!) !== undefined) equals[eq[1]!] = placeholderValue(eq[2]!)!;
  const bw = /begins_with\(\s*(\w+)\s*,\s*(:\w+)\s*\)/.exec(condition);
  if (bw && placeholderValue(bw[2]!) !== undefined) prefixes[bw[1]!] = placeholderValue(bw[2]!)!;
  return { attributes, equals, prefixes };
}

export interface Write {
  readonly actions: TransactWriteItem[];
  /** Describes action i for error messages: which entity, which id, which version was expected. */
  readonly labels: Array<{
    entity: string;
    id: string;
    expectedVersion: number | null;
    guard: 'create' | 'version' | 'append';
  }>;
}

/**
 * Retries `fn` while it fails with ConflictError (re-reading is `fn`'s job), with the store's
 * back-off. For multi-item changes built with `commit`; single cases have `updateCase`.
 */
export async function retryOnConflict<T>(
  fn: (attempt: number) => Promise<T>,
  options: { maxAttempts?: number; pause?: (attempt: number) => Promise<void> } = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 10;
  const pause =
    options.pause ??
    ((a: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(1000, 25 * 2 ** (a - 1)))));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!(e instanceof ConflictError) || attempt >= maxAttempts) throw e;
      await pause(attempt);
    }
  }
}
