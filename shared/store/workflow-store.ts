/**
 * The case store with what the workflows add (docs/data-model.md, patterns 17–21):
 *
 * - expected employee fee months, in the person's partition, indexed while unsettled under their due
 *   date in the sparse byDeadline index (`PAYDUE#<region>#<date>#<shard>`), so the daily sweep asks
 *   "which months fall due on D and are not paid" with one Query per shard, never a Scan;
 * - resident renewals of the collection window, in the person's partition, with per-region, per-year
 *   counters (sharded items of one partition) that the renewal-rate report reads with one Query.
 *
 * Every change writes its audit record in the same transaction, as everywhere in the store.
 */
import {
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { maskIdentity } from '#domain/identity.js';
import { isValidDate } from '#domain/calendar.js';
import type { Page, PageOptions, WorkflowStore } from './case-store.js';
import { ConditionFailed } from './dynamo-client.js';
import { DynamoCaseStore, fromItem, type Item, parse, toItem } from './dynamo-store.js';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidCursorError,
  NotFoundError,
  StoreValidationError,
} from './errors.js';
import {
  expectedPaymentSk,
  PAYMENT_DUE_SHARDS,
  paymentDuePk,
  paymentDueSk,
  personPk,
  RENEWAL_COUNTER_SHARDS,
  renewalSk,
  renewalStatsPk,
  renewalStatsSk,
  shardOf,
} from './keys.js';
import type { ChangeContext } from './model.js';
import { INDEX } from './table.js';
import {
  type ExpectedPayment,
  type ExpectedPaymentInput,
  type ExpectedPaymentRef,
  type ExpectedPaymentSettlement,
  expectedPaymentInput,
  type Renewal,
  type RenewalCounts,
  type RenewalInput,
  type RenewalSettlement,
  renewalInput,
} from './workflow-model.js';

/** Renewals per transaction: a Put and an audit record each, plus one counter update, within DynamoDB's 100. */
const RENEWALS_PER_TRANSACTION = 45;
const SETTLEMENTS_PER_TRANSACTION = 45;

const refLabel = (r: ExpectedPaymentRef) => `${maskIdentity(r.identityKey)}/${r.enrollmentId}/${r.feeMonth}`;

interface DueCursor {
  readonly s: number;
  readonly c?: string;
}

/**
 * The cursor of `paymentsDueOn`: the shard to resume and that shard's own page cursor (which queryPage
 * checks against the shard's query). Anything else is InvalidCursorError, not a query of a shard that
 * does not exist.
 */
function dueCursor(cursor: string): DueCursor {
  let at: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    at = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const { s, c, ...rest } = (typeof at === 'object' && at !== null ? at : {}) as Record<string, unknown>;
  if (
    !Number.isInteger(s) ||
    (s as number) < 0 ||
    (s as number) >= PAYMENT_DUE_SHARDS ||
    (c !== undefined && (typeof c !== 'string' || c === '')) ||
    Object.keys(rest).length > 0
  )
    throw new InvalidCursorError();
  return { s: s as number, ...(c !== undefined ? { c: c as string } : {}) };
}

export class DynamoWorkflowStore extends DynamoCaseStore implements WorkflowStore {
  // ── Expected employee fee months ───────────────────────────────────────────

  private expectedItem(p: ExpectedPayment): Item {
    const live = p.status === 'expected';
    return toItem({
      pk: personPk(p.identityKey),
      sk: expectedPaymentSk(p.enrollmentId, p.feeMonth),
      type: 'expected-payment',
      // Sparse: a settled month carries no index keys, so a Put of it leaves the due index.
      ...(live
        ? {
            gsi2pk: paymentDuePk(p.region, p.dueDate, shardOf(p.identityKey, PAYMENT_DUE_SHARDS)),
            gsi2sk: paymentDueSk(p.identityKey, p.enrollmentId, p.feeMonth),
          }
        : {}),
      ...p,
    });
  }

  async expectPayment(
    input: ExpectedPaymentInput,
    ctx: ChangeContext,
  ): Promise<{ created: boolean; payment: ExpectedPayment }> {
    const p = parse(expectedPaymentInput, input, 'expected payment');
    const payment: ExpectedPayment = { ...p, status: 'expected', version: 1, updatedAt: this.now().toISOString() };
    const pk = personPk(p.identityKey);
    try {
      await this.transact('expectPayment', {
        actions: [
          this.put(this.expectedItem(payment), 'attribute_not_exists(pk)'),
          this.auditAction(pk, `expected-payment:${p.enrollmentId}:${p.feeMonth}`, 'payment-expected', ctx, {
            [`expected-payment:${p.enrollmentId}:${p.feeMonth}`]: 1,
          }),
        ],
        labels: [
          { entity: 'expected payment', id: refLabel(p), expectedVersion: null, guard: 'create' },
          { entity: 'audit', id: refLabel(p), expectedVersion: null, guard: 'append' },
        ],
      });
      return { created: true, payment };
    } catch (e) {
      if (e instanceof AlreadyExistsError) return { created: false, payment: await this.getExpectedPayment(p) };
      throw e;
    }
  }

  async getExpectedPayment(ref: ExpectedPaymentRef): Promise<ExpectedPayment> {
    const item = await this.getItem(
      'getExpectedPayment',
      personPk(ref.identityKey),
      expectedPaymentSk(ref.enrollmentId, ref.feeMonth),
    );
    if (!item) throw new NotFoundError('expected payment', refLabel(ref));
    return fromItem<ExpectedPayment>(item);
  }

  async paymentsDueOn(region: string, date: string, options: PageOptions = {}): Promise<Page<ExpectedPayment>> {
    if (!isValidDate(date)) throw new StoreValidationError('date', [{ path: 'date', message: 'must be YYYY-MM-DD' }]);
    const limit = options.limit ?? 100;
    let at: DueCursor = { s: 0 };
    if (options.cursor) at = dueCursor(options.cursor);
    const items: ExpectedPayment[] = [];
    const cursorOf = (c: DueCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
    const shardQuery = (shard: number, page: PageOptions) =>
      this.queryPage(
        'paymentsDueOn',
        {
          IndexName: INDEX.byDeadline,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: paymentDuePk(region, date, shard) } },
        },
        page,
      );
    if (!options.cursor) {
      // A first page reads every shard at once: most days most shards are empty, and 16 reads one after
      // the other would cost 16 round trips. When together they fit in one page, that is the answer;
      // otherwise the shards are read in order below, as a cursor resumes them.
      const pages = await Promise.all(Array.from({ length: PAYMENT_DUE_SHARDS }, (_, s) => shardQuery(s, { limit })));
      const all = pages.flatMap((p) => p.items);
      if (all.length <= limit && pages.every((p) => !p.cursor))
        return { items: all.map((i) => fromItem<ExpectedPayment>(i)) };
    }
    let shard = at.s;
    let inner = at.c;
    while (shard < PAYMENT_DUE_SHARDS) {
      const page = await shardQuery(shard, { limit: limit - items.length, ...(inner ? { cursor: inner } : {}) });
      items.push(...page.items.map((i) => fromItem<ExpectedPayment>(i)));
      if (page.cursor) {
        inner = page.cursor;
        if (items.length >= limit) return { items, cursor: cursorOf({ s: shard, c: inner }) };
        continue;
      }
      shard++;
      inner = undefined;
      if (items.length >= limit && shard < PAYMENT_DUE_SHARDS) return { items, cursor: cursorOf({ s: shard }) };
    }
    return { items };
  }

  async settleExpectedPayment(
    ref: ExpectedPaymentRef,
    settlement: ExpectedPaymentSettlement,
    ctx: ChangeContext,
  ): Promise<{ settled: boolean; payment: ExpectedPayment }> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.getExpectedPayment(ref);
      if (current.status !== 'expected') return { settled: false, payment: current };
      const next: ExpectedPayment = {
        ...current,
        status: settlement.status,
        settledOn: settlement.settledOn,
        ...(settlement.caseId ? { caseId: settlement.caseId } : {}),
        ...(settlement.notificationId ? { notificationId: settlement.notificationId } : {}),
        version: current.version + 1,
        updatedAt: this.now().toISOString(),
      };
      const key = `expected-payment:${ref.enrollmentId}:${ref.feeMonth}`;
      try {
        await this.transact('settleExpectedPayment', {
          actions: [
            this.put(this.expectedItem(next), '#v = :v', { ':v': { N: String(current.version) } }),
            this.auditAction(personPk(ref.identityKey), key, `payment-${settlement.status}`, ctx, {
              [key]: next.version,
            }),
          ],
          labels: [
            { entity: 'expected payment', id: refLabel(ref), expectedVersion: current.version, guard: 'version' },
            { entity: 'audit', id: refLabel(ref), expectedVersion: null, guard: 'append' },
          ],
        });
        return { settled: true, payment: next };
      } catch (e) {
        // Another settler came first: read again; it is settled now, or retry.
        if (!(e instanceof ConflictError) || attempt >= 5) throw e;
        await this.db.pause(attempt);
      }
    }
  }

  // ── Resident renewals ──────────────────────────────────────────────────────

  private counterUpdate(region: string, feeYear: number, shard: number, deltas: Record<string, number>) {
    const names: Record<string, string> = {};
    const values: Item = {};
    const adds: string[] = [];
    Object.entries(deltas)
      .filter(([, n]) => n !== 0)
      .forEach(([field, n], i) => {
        names[`#c${i}`] = field;
        values[`:c${i}`] = { N: String(n) };
        adds.push(`#c${i} :c${i}`);
      });
    values[':region'] = { S: region };
    values[':year'] = { N: String(feeYear) };
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: { S: renewalStatsPk(region, feeYear) }, sk: { S: renewalStatsSk(shard) } },
        UpdateExpression: `SET #type = :type, #region = :region, #year = :year ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { ...names, '#type': 'type', '#region': 'region', '#year': 'feeYear' },
        ExpressionAttributeValues: { ...values, ':type': { S: 'renewal-counter' } },
      },
    } satisfies TransactWriteItem;
  }

  /**
   * Sends a transaction of per-record pairs (record, audit) plus one trailing counter update; records
   * whose condition fails are dropped and the rest sent again, so each record is counted exactly once.
   */
  private async sendPairs<T>(
    operation: string,
    records: readonly T[],
    build: (rs: readonly T[]) => TransactWriteItem[],
  ): Promise<{ applied: number; skipped: number }> {
    let pending = [...records];
    let skipped = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      try {
        await this.db.send(operation, new TransactWriteItemsCommand({ TransactItems: build(pending) }));
        return { applied: pending.length, skipped };
      } catch (e) {
        if (!(e instanceof ConditionFailed)) throw e;
        const reasons = e.reasons ?? [];
        const failed = new Set<number>();
        reasons.forEach((r, i) => {
          if (r.Code === 'ConditionalCheckFailed' && i < pending.length * 2) failed.add(Math.floor(i / 2));
        });
        if (failed.size === 0) {
          if (attempt >= 5) throw new ConflictError(operation, 'renewals', null, 'still contended');
          await this.db.pause(attempt);
          continue;
        }
        skipped += failed.size;
        pending = pending.filter((_, i) => !failed.has(i));
      }
    }
    return { applied: 0, skipped };
  }

  async createRenewals(
    input: readonly RenewalInput[],
    ctx: ChangeContext,
  ): Promise<{ created: number; existing: number }> {
    const parsed = input.map((r, i) => parse(renewalInput, r, `renewal[${i}]`));
    if (parsed.length === 0) return { created: 0, existing: 0 };
    const { region, feeYear } = parsed[0]!;
    if (parsed.some((r) => r.region !== region || r.feeYear !== feeYear))
      throw new StoreValidationError('renewals', [
        { path: '', message: 'all renewals of one call share region and fee year' },
      ]);
    // The same person twice in one roster batch is one renewal (a transaction may not touch an item twice).
    const unique = [...new Map(parsed.map((r) => [r.identityKey, r])).values()];
    let created = 0;
    let existing = parsed.length - unique.length;
    const at = this.now().toISOString();
    for (let i = 0; i < unique.length; i += RENEWALS_PER_TRANSACTION) {
      const chunk = unique.slice(i, i + RENEWALS_PER_TRANSACTION);
      const shard = shardOf(chunk[0]!.identityKey, RENEWAL_COUNTER_SHARDS);
      const r = await this.sendPairs('createRenewals', chunk, (rs) => [
        ...rs.flatMap((x) => {
          const renewal: Renewal = { ...x, status: 'pending', version: 1, updatedAt: at };
          const pk = personPk(x.identityKey);
          return [
            this.put(toItem({ pk, sk: renewalSk(x.feeYear), type: 'renewal', ...renewal }), 'attribute_not_exists(pk)'),
            this.auditAction(pk, `renewal:${x.feeYear}`, 'renewal-rostered', ctx, { [`renewal:${x.feeYear}`]: 1 }),
          ];
        }),
        this.counterUpdate(region, feeYear, shard, { rostered: rs.length, pending: rs.length }),
      ]);
      created += r.applied;
      existing += r.skipped;
    }
    return { created, existing };
  }

  async getRenewal(identityKey: string, feeYear: number): Promise<Renewal> {
    const item = await this.getItem('getRenewal', personPk(identityKey), renewalSk(feeYear));
    if (!item) throw new NotFoundError('renewal', `${maskIdentity(identityKey)}/${feeYear}`);
    return fromItem<Renewal>(item);
  }

  async settleRenewals(
    region: string,
    feeYear: number,
    settlements: readonly RenewalSettlement[],
    actor: ChangeContext['actor'],
  ): Promise<{ changed: number; unchanged: number }> {
    const unique = [...new Map(settlements.map((s) => [s.identityKey, s])).values()];
    let changed = 0;
    let unchanged = settlements.length - unique.length;
    const at = this.now().toISOString();
    for (let i = 0; i < unique.length; i += SETTLEMENTS_PER_TRANSACTION) {
      const chunk = unique.slice(i, i + SETTLEMENTS_PER_TRANSACTION);
      const shard = shardOf(chunk[0]!.identityKey, RENEWAL_COUNTER_SHARDS);
      const r = await this.sendPairs('settleRenewals', chunk, (ss) => {
        const deltas: Record<string, number> = { pending: -ss.length };
        for (const s of ss) deltas[s.status] = (deltas[s.status] ?? 0) + 1;
        return [
          ...ss.flatMap((s): TransactWriteItem[] => {
            const pk = personPk(s.identityKey);
            const values: Item = {
              ':pending': { S: 'pending' },
              ':status': { S: s.status },
              ':on': { S: s.settledOn },
              ':at': { S: at },
              ':one': { N: '1' },
              ':details': toItem({ d: s.details ?? {} }).d!,
            };
            return [
              {
                // Only a pending renewal moves (a missing one fails the condition too): counted once.
                Update: {
                  TableName: this.tableName,
                  Key: { pk: { S: pk }, sk: { S: renewalSk(feeYear) } },
                  UpdateExpression:
                    'SET #status = :status, settledOn = :on, details = :details, updatedAt = :at ADD #v :one',
                  ConditionExpression: '#status = :pending',
                  ExpressionAttributeNames: { '#status': 'status', '#v': 'version' },
                  ExpressionAttributeValues: values,
                },
              },
              this.auditAction(pk, `renewal:${feeYear}`, `renewal-${s.status}`, {
                actor,
                reason: s.reason,
                ...(s.trace ? { trace: s.trace } : {}),
              }),
            ];
          }),
          this.counterUpdate(region, feeYear, shard, deltas),
        ];
      });
      changed += r.applied;
      unchanged += r.skipped;
    }
    return { changed, unchanged };
  }

  async renewalCounts(region: string, feeYear: number): Promise<RenewalCounts> {
    const out = await this.db.send<QueryCommandOutput>(
      'renewalCounts',
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: renewalStatsPk(region, feeYear) } },
        ConsistentRead: true,
      }),
    );
    const counts = { rostered: 0, pending: 0, renewed: 0, subsidised: 0, lapsed: 0 };
    for (const item of out.Items ?? []) {
      const c = fromItem<Partial<typeof counts>>(item);
      for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] += Number(c[k] ?? 0);
    }
    return { region, feeYear, ...counts };
  }
}
