/**
 * The case store on DynamoDB: one table (table.ts), keys from keys.ts, every request through
 * StoreClient (retries, typed errors, consumed capacity).
 *
 * Writes that belong together go in one TransactWriteItems with their audit records; every
 * replace of a case, enrollment, person or ledger entry is conditional on the version it was read
 * at (optimistic locking), so of two concurrent writers one wins and the other gets ConflictError.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  GetItemCommand,
  type GetItemCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from 'zod';
import { type CalendarDate, cstDateOf, isValidDate, todayCst } from '#domain/calendar.js';
import type { AtomicChange, CaseStore, Page, PageOptions, UpdateOptions } from './case-store.js';
import { ConditionFailed, StoreClient, type StoreClientOptions } from './dynamo-client.js';
import { AlreadyExistsError, ConflictError, NotFoundError, type StoreError, StoreValidationError } from './errors.js';
import {
  auditSk,
  casePk,
  deadlinePk,
  deadlineSk,
  enrollmentSk,
  lateSupersededSk,
  ledgerSk,
  ledgerVersionPrefix,
  ledgerVersionSk,
  notificationPk,
  personPk,
  regionStatePk,
  regionStateSk,
  SK,
  subjectPk,
  subjectSk,
} from './keys.js';
import { maskIdentity as maskIdentityKey } from '#domain/identity.js';
import {
  type AuditRecord,
  type Case,
  type CaseFields,
  type CaseInput,
  type CaseSubject,
  type CaseType,
  CLOSED_STATES,
  type ChangeContext,
  caseInput,
  type Enrollment,
  type EnrollmentInput,
  type EnrollmentStatus,
  enrollmentInput,
  type IntakeOutcome,
  type LedgerEntry,
  type LedgerPayment,
  type LedgerVersion,
  type Person,
  type PersonInput,
  personInput,
  type Scheme,
  type StatusOnDate,
  type StoredNotification,
  type TaxPaymentNotification,
  taxPaymentNotification,
  identityKey as identityKeySchema,
} from './model.js';
import { INDEX, CASE_TABLE } from './table.js';
import { statusOnDate } from './status.js';

/** DynamoDB's limit on actions in one TransactWriteItems. */
const MAX_TRANSACTION_ACTIONS = 100;

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

const sumAmounts = (payments: readonly LedgerPayment[]) => payments.reduce((t, p) => t + p.amount, 0);

/** The payment that speaks for the entry: the latest paid (the last applied among equals). */
function latestPayment(payments: readonly LedgerPayment[]): LedgerPayment {
  let best = payments[0]!;
  for (const p of payments) if (p.paidAt >= best.paidAt) best = p;
  return best;
}

/** The current status: the last change that has begun by `today` (the first one if none has). */
function currentStatus(e: EnrollmentInput, today: CalendarDate): EnrollmentStatus {
  let s = e.statusHistory[0]!.status;
  for (const c of e.statusHistory) if (c.from <= today) s = c.status;
  return s;
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

export class DynamoCaseStore implements CaseStore {
  readonly tableName: string;
  readonly db: StoreClient;
  protected readonly now: () => Date;
  protected readonly newId: () => string;
  private readonly intakeAttempts: number;

  constructor(options: DynamoCaseStoreOptions = {}) {
    this.tableName = options.tableName ?? CASE_TABLE.tableName;
    this.db = new StoreClient(options);
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.intakeAttempts = options.intakeAttempts ?? 8;
  }

  // ── Low-level helpers ──────────────────────────────────────────────────────

  protected async getItem(operation: string, pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.db.send<GetItemCommandOutput>(
      operation,
      new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }),
    );
    return out.Item;
  }

  /** One Query request (one page). */
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
        ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor) } : {}),
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

  private versionedPut(item: Item, expectedVersion: number | null): TransactWriteItem {
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

  private conditionError(e: ConditionFailed, write: Write): StoreError {
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

  // ── Persons ────────────────────────────────────────────────────────────────

  private personWrite(
    input: PersonInput,
    expectedVersion: number | null,
    ctx: ChangeContext,
  ): { write: Write; person: Person } {
    const p = parse(personInput, input, 'person');
    const at = this.now().toISOString();
    const person: Person = {
      ...p,
      version: (expectedVersion ?? 0) + 1,
      createdAt: at,
      updatedAt: at,
    };
    const pk = personPk(p.identityKey);
    const masked = maskIdentityKey(p.identityKey);
    const action = expectedVersion === null ? 'person-created' : 'person-updated';
    const item = toItem({ pk, sk: SK.profile, type: 'person', ...person });
    return {
      person,
      write: {
        actions: [
          expectedVersion === null
            ? this.put(item, 'attribute_not_exists(pk)')
            : this.versionedPutKeepingCreated(item, expectedVersion),
          this.auditAction(pk, `person:${masked}`, action, ctx, { person: person.version }),
        ],
        labels: [
          { entity: 'person', id: masked, expectedVersion, guard: expectedVersion === null ? 'create' : 'version' },
          { entity: 'audit', id: masked, expectedVersion: null, guard: 'append' },
        ],
      },
    };
  }

  private versionedPutKeepingCreated(item: Item, expectedVersion: number): TransactWriteItem {
    // createdAt cannot be known without a read; a Put replaces the item, so an Update keeps it.
    const { pk, sk, createdAt: _created, ...rest } = item;
    const names: Record<string, string> = { '#v': 'version' };
    const values: Item = { ':v': { N: String(expectedVersion) } };
    const sets: string[] = [];
    Object.entries(rest).forEach(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      sets.push(`#a${i} = :a${i}`);
    });
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: pk!, sk: sk! },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  async createPerson(person: PersonInput, ctx: ChangeContext): Promise<Person> {
    const w = this.personWrite(person, null, ctx);
    await this.transact('createPerson', w.write);
    return w.person;
  }

  async updatePerson(person: PersonInput, expectedVersion: number, ctx: ChangeContext): Promise<Person> {
    const w = this.personWrite(person, expectedVersion, ctx);
    await this.transact('updatePerson', w.write);
    return this.getPerson(person.identityKey);
  }

  async getPerson(identityKey: string): Promise<Person> {
    const item = await this.getItem('getPerson', personPk(identityKey), SK.profile);
    if (!item) throw new NotFoundError('person', maskIdentityKey(identityKey));
    return fromItem<Person>(item);
  }

  // ── Enrollments ────────────────────────────────────────────────────────────

  private enrollmentWrite(
    input: EnrollmentInput,
    expectedVersion: number | null,
    ctx: ChangeContext,
  ): { write: Write; enrollment: Enrollment } {
    const e = parse(enrollmentInput, input, 'enrollment');
    const at = this.now();
    const enrollment: Enrollment = {
      ...e,
      status: currentStatus(e, todayCst(at.getTime())),
      version: (expectedVersion ?? 0) + 1,
      updatedAt: at.toISOString(),
    };
    const pk = personPk(e.identityKey);
    const id = `${maskIdentityKey(e.identityKey)}/${e.enrollmentId}`;
    return {
      enrollment,
      write: {
        actions: [
          this.versionedPut(
            toItem({ pk, sk: enrollmentSk(e.enrollmentId), type: 'enrollment', ...enrollment }),
            expectedVersion,
          ),
          this.auditAction(
            pk,
            `enrollment:${e.enrollmentId}`,
            expectedVersion === null ? 'enrollment-created' : 'enrollment-saved',
            ctx,
            {
              [`enrollment:${e.enrollmentId}`]: enrollment.version,
            },
          ),
        ],
        labels: [
          { entity: 'enrollment', id, expectedVersion, guard: expectedVersion === null ? 'create' : 'version' },
          { entity: 'audit', id, expectedVersion: null, guard: 'append' },
        ],
      },
    };
  }

  async createEnrollment(enrollment: EnrollmentInput, ctx: ChangeContext): Promise<Enrollment> {
    const w = this.enrollmentWrite(enrollment, null, ctx);
    await this.transact('createEnrollment', w.write);
    return w.enrollment;
  }

  async saveEnrollment(enrollment: EnrollmentInput, expectedVersion: number, ctx: ChangeContext): Promise<Enrollment> {
    const w = this.enrollmentWrite(enrollment, expectedVersion, ctx);
    await this.transact('saveEnrollment', w.write);
    return w.enrollment;
  }

  async getEnrollment(identityKey: string, enrollmentId: string): Promise<Enrollment> {
    const item = await this.getItem('getEnrollment', personPk(identityKey), enrollmentSk(enrollmentId));
    if (!item) throw new NotFoundError('enrollment', `${maskIdentityKey(identityKey)}/${enrollmentId}`);
    return fromItem<Enrollment>(item);
  }

  async listEnrollments(identityKey: string): Promise<Enrollment[]> {
    const items = await this.queryAll('listEnrollments', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': { S: personPk(identityKey) }, ':prefix': { S: SK.enrollmentPrefix } },
      ConsistentRead: true,
    });
    return items.map((i) => fromItem<Enrollment>(i));
  }

  async statusOn(identityKey: string, date: CalendarDate): Promise<StatusOnDate> {
    parse(identityKeySchema, identityKey, 'identity key');
    if (!isValidDate(date)) throw new StoreValidationError('date', [{ path: 'date', message: 'must be YYYY-MM-DD' }]);
    return statusOnDate(await this.listEnrollments(identityKey), date);
  }

  // ── Notifications and the ledger ─────────────────────────────────────────────

  async intakeNotification(
    raw: unknown,
    ctx: ChangeContext,
    alongside: readonly AtomicChange[] = [],
  ): Promise<IntakeOutcome> {
    let value = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new StoreValidationError('notification', [{ path: '', message: 'not JSON' }]);
      }
    }
    const n = parse(taxPaymentNotification, value, 'notification');
    const rawText = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const paidOn = cstDateOf(n.paidAt);
    const periods = n.periods.map((p) => p.feePeriod).sort();
    const extra = alongside.map((c) => this.atomicWrite(c, ctx));

    for (let attempt = 1; ; attempt++) {
      // The one read: the fee periods this notification touches, in one Query of the person's ledger.
      const existing = new Map(
        (
          await this.queryAll('intakeNotification', {
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': { S: personPk(n.identityKey) },
              ':from': { S: ledgerSk(n.scheme, periods[0]!) },
              ':to': { S: ledgerSk(n.scheme, periods[periods.length - 1]!) },
            },
            ConsistentRead: true,
          })
        )
          .map((i) => fromItem<LedgerEntry>(i))
          .map((e) => [e.feePeriod, e] as const),
      );
      const { write, effects } = this.intakeWrite(n, rawText, paidOn, existing, ctx);
      for (const x of extra) {
        write.actions.push(...x.actions);
        write.labels.push(...x.labels);
      }
      try {
        // The token makes the store's own retry of this very request (after a timeout) idempotent
        // at DynamoDB, so it is not mistaken for a second delivery of the notification.
        await this.db.send(
          'intakeNotification',
          new TransactWriteItemsCommand({ TransactItems: write.actions, ClientRequestToken: this.newId() }),
        );
        return { outcome: 'stored', notificationId: n.notificationId, periods: effects };
      } catch (e) {
        if (!(e instanceof ConditionFailed)) throw e;
        const reasons = e.reasons ?? [];
        const notif = reasons[0];
        if (notif?.Code === 'ConditionalCheckFailed') {
          const earlier = notif.Item ? (unmarshall(notif.Item as Item) as { raw?: string }) : undefined;
          return { outcome: 'duplicate', notificationId: n.notificationId, identical: earlier?.raw === rawText };
        }
        const failed = reasons.findIndex(
          (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
        );
        const label = write.labels[failed];
        // A concurrent intake for the same person and fee period: read the ledger again and redo.
        const ledgerRace = !label || label.entity === 'ledger' || reasons[failed]?.Code === 'TransactionConflict';
        if (!ledgerRace) throw this.conditionError(e, write);
        if (attempt >= this.intakeAttempts)
          throw new ConflictError(
            'ledger',
            `${maskIdentityKey(n.identityKey)}/${n.scheme}`,
            null,
            `still contended after ${attempt} attempts`,
          );
        await this.db.pause(attempt);
      }
    }
  }

  /** The transaction of one intake: the notification (guarding idempotency), its ledger entries and versions, one audit record. */
  private intakeWrite(
    n: TaxPaymentNotification,
    raw: string,
    paidOn: CalendarDate,
    existing: ReadonlyMap<string, LedgerEntry>,
    ctx: ChangeContext,
  ): {
    write: Write;
    effects: Array<{
      feePeriod: string;
      effect: 'new' | 'added' | 'corrected' | 'kept-as-superseded';
      version: number;
    }>;
  } {
    const at = this.now().toISOString();
    const pk = personPk(n.identityKey);
    const masked = maskIdentityKey(n.identityKey);
    const stored: StoredNotification = { notification: n, raw, receivedAt: at, paidOn };
    const write: Write = {
      actions: [
        this.put(
          toItem({
            pk: notificationPk(n.notificationId),
            sk: SK.notification,
            type: 'notification',
            identityKey: n.identityKey,
            ...stored,
          }),
          'attribute_not_exists(pk)',
        ),
      ],
      labels: [{ entity: 'notification', id: n.notificationId, expectedVersion: null, guard: 'create' }],
    };
    const effects: Array<{
      feePeriod: string;
      effect: 'new' | 'added' | 'corrected' | 'kept-as-superseded';
      version: number;
    }> = [];
    const versions: Record<string, number> = {};
    const ledgerLabel = (feePeriod: string, expectedVersion: number | null) => ({
      entity: 'ledger',
      id: `${masked}/${feePeriod}`,
      expectedVersion,
      guard: 'version' as const,
    });

    for (const p of n.periods) {
      const payment: LedgerPayment = {
        notificationId: n.notificationId,
        amount: p.amount,
        ...(p.base !== undefined ? { base: p.base } : {}),
        ...(p.rate ? { rate: p.rate } : {}),
        paidOn,
        paidAt: n.paidAt,
        payer: n.payer,
        ...(n.corrects ? { corrects: n.corrects } : {}),
      };
      const before = existing.get(p.feePeriod);

      if (before?.supersededIds.includes(n.notificationId)) {
        // Its correction came first: keep this value as superseded, never let it overwrite.
        const version: LedgerVersion = {
          feePeriod: p.feePeriod,
          scheme: n.scheme,
          kind: 'late-superseded',
          entry: null,
          payment,
          supersededBy:
            before.payments.find((x) => x.corrects === n.notificationId)?.notificationId ?? before.notificationId,
          recordedAt: at,
        };
        write.actions.push(
          this.put(
            toItem({
              pk,
              sk: lateSupersededSk(n.scheme, p.feePeriod, n.notificationId),
              type: 'ledger-version',
              ...version,
            }),
            'attribute_not_exists(pk)',
          ),
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: { pk: { S: pk }, sk: { S: ledgerSk(n.scheme, p.feePeriod) } },
              ConditionExpression: '#v = :v',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': { N: String(before.version) } },
            },
          },
        );
        write.labels.push(ledgerLabel(p.feePeriod, null), ledgerLabel(p.feePeriod, before.version));
        effects.push({ feePeriod: p.feePeriod, effect: 'kept-as-superseded', version: before.version });
        continue;
      }

      let payments: LedgerPayment[];
      let effect: 'new' | 'added' | 'corrected';
      if (!before) {
        payments = [payment];
        effect = 'new';
      } else if (n.corrects && before.payments.some((x) => x.notificationId === n.corrects)) {
        payments = [...before.payments.filter((x) => x.notificationId !== n.corrects), payment];
        effect = 'corrected';
      } else {
        // A second payment for the period (a short payment's top-up), or a correction whose original has not come yet.
        payments = [...before.payments, payment];
        effect = 'added';
      }
      const latest = latestPayment(payments);
      const entry: LedgerEntry = {
        identityKey: n.identityKey,
        scheme: n.scheme,
        feePeriod: p.feePeriod,
        region: n.region,
        ...(n.mode ? { mode: n.mode } : {}),
        ...(latest.base !== undefined ? { base: latest.base } : {}),
        ...(latest.rate ? { rate: latest.rate } : {}),
        amount: sumAmounts(payments),
        paidOn: latest.paidOn,
        payer: latest.payer,
        notificationId: n.notificationId,
        payments,
        supersededIds: [...new Set([...(before?.supersededIds ?? []), ...(n.corrects ? [n.corrects] : [])])],
        version: (before?.version ?? 0) + 1,
        updatedAt: at,
      };
      write.actions.push(
        this.versionedPut(
          toItem({ pk, sk: ledgerSk(n.scheme, p.feePeriod), type: 'ledger', ...entry }),
          before ? before.version : null,
        ),
      );
      write.labels.push(ledgerLabel(p.feePeriod, before ? before.version : null));
      if (before) {
        // Keep the value being replaced: the ledger never loses a state it once showed.
        const version: LedgerVersion = {
          feePeriod: p.feePeriod,
          scheme: n.scheme,
          kind: 'replaced',
          entry: before,
          payment: null,
          supersededBy: n.notificationId,
          recordedAt: at,
        };
        write.actions.push(
          this.put(
            toItem({
              pk,
              sk: ledgerVersionSk(n.scheme, p.feePeriod, before.version),
              type: 'ledger-version',
              ...version,
            }),
            'attribute_not_exists(pk)',
          ),
        );
        write.labels.push(ledgerLabel(p.feePeriod, before.version));
      }
      versions[`ledger:${n.scheme}:${p.feePeriod}`] = entry.version;
      effects.push({ feePeriod: p.feePeriod, effect, version: entry.version });
    }
    write.actions.push(this.auditAction(pk, `notification:${n.notificationId}`, 'notification-stored', ctx, versions));
    write.labels.push({ entity: 'audit', id: masked, expectedVersion: null, guard: 'append' });
    return { write, effects };
  }

  async getNotification(notificationId: string): Promise<StoredNotification> {
    const item = await this.getItem('getNotification', notificationPk(notificationId), SK.notification);
    if (!item) throw new NotFoundError('notification', notificationId);
    const { identityKey: _k, ...rest } = fromItem<StoredNotification & { identityKey: string }>(item);
    return rest;
  }

  async ledger(
    identityKey: string,
    scheme: Scheme,
    range: { from?: string; to?: string } = {},
  ): Promise<LedgerEntry[]> {
    const from = ledgerSk(scheme, range.from ?? '');
    // '~' sorts after every digit and dash: the upper bound of an open range.
    const to = ledgerSk(scheme, range.to ?? '~');
    const items = await this.queryAll('ledger', {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': { S: personPk(identityKey) }, ':from': { S: from }, ':to': { S: to } },
      ConsistentRead: true,
    });
    return items.map((i) => fromItem<LedgerEntry>(i));
  }

  async ledgerHistory(identityKey: string, scheme: Scheme, feePeriod: string): Promise<LedgerVersion[]> {
    const items = await this.queryAll('ledgerHistory', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': { S: personPk(identityKey) },
        ':prefix': { S: ledgerVersionPrefix(scheme, feePeriod) },
      },
      ConsistentRead: true,
    });
    return items
      .map((i) => fromItem<LedgerVersion>(i))
      .sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  }

  // ── Cases ──────────────────────────────────────────────────────────────────

  private caseItem(c: Case): Item {
    const waiting = c.wait !== null && !CLOSED_STATES.has(c.state);
    return toItem({
      pk: casePk(c.caseId),
      sk: SK.case,
      type: 'case',
      gsi1pk: regionStatePk(c.region, c.state),
      gsi1sk: regionStateSk(c.caseType, c.openedOn, c.caseId),
      // Sparse deadline index: only a case that waits is in it; a Put without these removes it.
      ...(waiting ? { gsi2pk: deadlinePk(c.region, c.wait!.until), gsi2sk: deadlineSk(c.caseType, c.caseId) } : {}),
      gsi3pk: subjectPk(c.subject),
      gsi3sk: subjectSk(c.openedOn, c.caseType, c.caseId),
      ...c,
    });
  }

  private caseWrite(
    input: CaseInput,
    expectedVersion: number | null,
    ctx: ChangeContext,
  ): { write: Write; case: Case } {
    const fields: CaseFields = parse(caseInput, input, 'case');
    const c: Case = { ...fields, version: (expectedVersion ?? 0) + 1, updatedAt: this.now().toISOString() };
    const pk = casePk(c.caseId);
    const action = expectedVersion === null ? 'case-opened' : 'case-saved';
    return {
      case: c,
      write: {
        actions: [
          this.versionedPut(this.caseItem(c), expectedVersion),
          this.auditAction(pk, `case:${c.caseId}`, `${action}:${c.state}`, ctx, { [`case:${c.caseId}`]: c.version }),
        ],
        labels: [
          { entity: 'case', id: c.caseId, expectedVersion, guard: expectedVersion === null ? 'create' : 'version' },
          { entity: 'audit', id: c.caseId, expectedVersion: null, guard: 'append' },
        ],
      },
    };
  }

  private atomicWrite(change: AtomicChange, ctx: ChangeContext): Write {
    return change.kind === 'case'
      ? this.caseWrite(change.case, change.expectedVersion, ctx).write
      : this.enrollmentWrite(change.enrollment, change.expectedVersion, ctx).write;
  }

  async openCase(input: CaseInput, ctx: ChangeContext): Promise<Case> {
    const w = this.caseWrite(input, null, ctx);
    await this.transact('openCase', w.write);
    return w.case;
  }

  async saveCase(input: CaseInput, expectedVersion: number, ctx: ChangeContext): Promise<Case> {
    const w = this.caseWrite(input, expectedVersion, ctx);
    await this.transact('saveCase', w.write);
    return w.case;
  }

  async getCase(caseId: string): Promise<Case> {
    const item = await this.getItem('getCase', casePk(caseId), SK.case);
    if (!item) throw new NotFoundError('case', caseId);
    return fromItem<Case>(item);
  }

  async updateCase(
    caseId: string,
    change: (c: Case) => CaseInput | null,
    ctx: ChangeContext | ((c: Case) => ChangeContext),
    options: UpdateOptions = {},
  ): Promise<Case> {
    const maxAttempts = options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const current = await this.getCase(caseId);
      const next = change(current);
      if (next === null) return current;
      if (next.caseId !== caseId)
        throw new StoreValidationError('case', [{ path: 'caseId', message: 'an update cannot change the case id' }]);
      try {
        return await this.saveCase(next, current.version, typeof ctx === 'function' ? ctx(current) : ctx);
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= maxAttempts) throw e;
        await this.db.pause(attempt);
      }
    }
  }

  async commit(changes: readonly AtomicChange[], ctx: ChangeContext): Promise<void> {
    if (changes.length === 0) return;
    const write: Write = { actions: [], labels: [] };
    for (const c of changes) {
      const w = this.atomicWrite(c, ctx);
      write.actions.push(...w.actions);
      write.labels.push(...w.labels);
    }
    await this.transact('commit', write);
  }

  async casesByRegionState(
    region: string,
    state: string,
    options: PageOptions & { caseType?: CaseType } = {},
  ): Promise<Page<Case>> {
    const page = await this.queryPage(
      'casesByRegionState',
      {
        IndexName: INDEX.byRegionState,
        KeyConditionExpression: options.caseType ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': { S: regionStatePk(region, state) },
          ...(options.caseType ? { ':t': { S: `${options.caseType}#` } } : {}),
        },
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<Case>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  async casesExpiringOn(region: string, date: CalendarDate, options: PageOptions = {}): Promise<Page<Case>> {
    if (!isValidDate(date)) throw new StoreValidationError('date', [{ path: 'date', message: 'must be YYYY-MM-DD' }]);
    const page = await this.queryPage(
      'casesExpiringOn',
      {
        IndexName: INDEX.byDeadline,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: deadlinePk(region, date) } },
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<Case>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  async casesOf(subject: CaseSubject, options: PageOptions = {}): Promise<Page<Case>> {
    const page = await this.queryPage(
      'casesOf',
      {
        IndexName: INDEX.bySubject,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: subjectPk(subject) } },
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<Case>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  // ── Audit ──────────────────────────────────────────────────────────────────

  async auditTrail(
    of: { identityKey: string } | { caseId: string },
    options: PageOptions = {},
  ): Promise<Page<AuditRecord>> {
    const pk = 'identityKey' in of ? personPk(of.identityKey) : casePk(of.caseId);
    const page = await this.queryPage(
      'auditTrail',
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: SK.auditPrefix } },
        ConsistentRead: true,
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<AuditRecord>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
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
