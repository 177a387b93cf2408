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
import { ConflictError, StoreValidationError } from '../errors.js';
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

export function decodeCursor(cursor: string | undefined): Record<string, AttributeValue> | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new StoreValidationError('cursor', [{ path: 'cursor', message: 'not a cursor this store issued' }]);
  }
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
