/**
 * The base of every DynamoDB repository of the case store: its requests on the one table (table.ts),
 * all through StoreClient (retries, typed errors, consumed capacity), and the building blocks of its
 * writes.
 *
 * Writes that belong together go in one TransactWriteItems with their audit records; every replace
 * of a case, enrollment, person or ledger entry is conditional on the version it was read at
 * (optimistic locking), so of two concurrent writers one wins and the other gets ConflictError.
 * `transact` turns a failed condition into the typed error of the action it belongs to.
 */
import {
  GetItemCommand,
  type GetItemCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { PageOptions } from '../case-store.js';
import { ConditionFailed, type StoreClient } from '../dynamo-client.js';
import { AlreadyExistsError, ConflictError, NotFoundError, type StoreError, StoreValidationError } from '../errors.js';
import { auditSk } from '../keys.js';
import type { AuditRecord, ChangeContext } from '../model.js';
import {
  cursorShapeOf,
  decodeCursor,
  encodeCursor,
  type Item,
  type StoreContext,
  toItem,
  type Write,
} from './common.js';

/** DynamoDB's limit on actions in one TransactWriteItems. */
const MAX_TRANSACTION_ACTIONS = 100;

export abstract class DynamoRepository {
  readonly tableName: string;
  readonly db: StoreClient;
  protected readonly now: () => Date;
  protected readonly newId: () => string;

  constructor(context: StoreContext) {
    this.tableName = context.tableName;
    this.db = context.db;
    this.now = context.now;
    this.newId = context.newId;
  }

  protected async getItem(operation: string, pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.db.send<GetItemCommandOutput>(
      operation,
      new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }),
    );
    return out.Item;
  }

  /** One Query request (one page); a cursor is checked against the query's key shape before DynamoDB sees it. */
  protected async queryPage(
    operation: string,
    input: Omit<QueryCommandInput, 'TableName'>,
    options: PageOptions = {},
  ): Promise<{ items: Item[]; cursor?: string }> {
    const out = await this.db.send<QueryCommandOutput>(
      operation,
      new QueryCommand({
        TableName: this.tableName,
        ...input,
        ...(options.limit ? { Limit: options.limit } : {}),
        ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor, cursorShapeOf(input)) } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: out.Items ?? [], ...(cursor ? { cursor } : {}) };
  }

  /** Every page of a Query; for partitions whose size is bounded (a person's enrollments, a fee period's history). */
  protected async queryAll(operation: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.queryPage(operation, input, cursor ? { cursor } : {});
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return items;
  }

  protected put(item: Item, condition: string, values?: Item): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ConditionExpression: condition,
        ...(condition.includes('#v') ? { ExpressionAttributeNames: { '#v': 'version' } } : {}),
        ...(values ? { ExpressionAttributeValues: values } : {}),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  protected versionedPut(item: Item, expectedVersion: number | null): TransactWriteItem {
    return expectedVersion === null
      ? this.put(item, 'attribute_not_exists(pk)')
      : this.put(item, '#v = :v', { ':v': { N: String(expectedVersion) } });
  }

  protected auditAction(
    pk: string,
    subject: string,
    action: string,
    ctx: ChangeContext,
    versions?: Record<string, number>,
  ): TransactWriteItem {
    const at = this.now().toISOString();
    const auditId = this.newId();
    const record: AuditRecord = {
      auditId,
      subject,
      actor: ctx.actor,
      at,
      action,
      reason: ctx.reason,
      ...(ctx.trace ? { trace: ctx.trace } : {}),
      ...(versions ? { versions } : {}),
    };
    // Append-only: the condition makes an audit record impossible to overwrite.
    return this.put(toItem({ pk, sk: auditSk(at, auditId), type: 'audit', ...record }), 'attribute_not_exists(pk)');
  }

  /** Sends a transaction; a failed condition becomes the typed error of the action it belongs to. */
  protected async transact(operation: string, write: Write, token?: string): Promise<void> {
    if (write.actions.length > MAX_TRANSACTION_ACTIONS) {
      throw new StoreValidationError(operation, [
        {
          path: '',
          message: `${write.actions.length} writes in one change; DynamoDB allows ${MAX_TRANSACTION_ACTIONS}`,
        },
      ]);
    }
    try {
      await this.db.send(
        operation,
        new TransactWriteItemsCommand({
          TransactItems: write.actions,
          ...(token ? { ClientRequestToken: token } : {}),
        }),
      );
    } catch (e) {
      if (e instanceof ConditionFailed) throw this.conditionError(e, write);
      throw e;
    }
  }

  protected conditionError(e: ConditionFailed, write: Write): StoreError {
    const reasons = e.reasons ?? [];
    const i = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
    const label = write.labels[i] ?? write.labels[0]!;
    const reason = reasons[i];
    if (reason?.Code === 'TransactionConflict')
      return new ConflictError(label.entity, label.id, label.expectedVersion, 'concurrent transaction');
    if (label.guard === 'create') return new AlreadyExistsError(label.entity, label.id);
    if (label.guard === 'version' && reason && !reason.Item) return new NotFoundError(label.entity, label.id);
    const actual = reason?.Item ? Number((unmarshall(reason.Item as Item) as { version?: number }).version) : undefined;
    return new ConflictError(
      label.entity,
      label.id,
      label.expectedVersion,
      actual !== undefined ? `now at version ${actual}` : '',
    );
  }
}
