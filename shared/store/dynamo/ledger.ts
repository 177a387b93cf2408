/**
 * Tax payment notifications and the ledger on DynamoDB. A notification is stored once under its own
 * partition (`N#<notification id>`), the item whose create condition makes intake idempotent; its fee
 * periods become `LEDGER#…` entries of the person's partition, in fee-period order, and every value
 * an entry replaces is kept as a `LEDGERV#…` version, so the ledger never loses a state it once showed.
 *
 * One intake is one read (the touched fee periods, one Query) and one transaction (notification,
 * entries, versions, one audit record, and any `alongside` change); a concurrent intake for the same
 * person is answered by reading again and redoing, a second delivery by `duplicate`, the same id with
 * other content by `conflict` (nothing written).
 *
 * Before any person's part, intake claims the tax bureau's notification id for the content it came with
 * (`claimNotification`, the `NOTIFICATION#<id>` guard): the per-person items are keyed by person for a unit
 * payroll (`<id>.<personTag>`), so only this guard sees the id reused for another person. It is one write
 * per notification rather than an item in every person's transaction: a payroll's persons are stored side
 * by side, and transactions that all wrote (or checked) one item would conflict with each other. The guard
 * is immutable, so "claimed first, parts after" is enough: no part of another content is ever stored.
 */
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type CalendarDate, cstDateOf } from '#domain/calendar.js';
import { maskIdentity as maskIdentityKey } from '#domain/identity.js';
import type { AtomicChange, LedgerRepository } from '../case-store.js';
import { ConditionFailed } from '../dynamo-client.js';
import { ConflictError, NotFoundError, StoreValidationError } from '../errors.js';
import {
  lateSupersededSk,
  ledgerSk,
  ledgerVersionPrefix,
  ledgerVersionSk,
  notificationGuardPk,
  notificationPk,
  personPk,
  SK,
} from '../keys.js';
import {
  type ChangeContext,
  type IntakeOutcome,
  type LedgerEntry,
  type LedgerPayment,
  type LedgerVersion,
  type NotificationClaim,
  type NotificationClaimInput,
  type Scheme,
  type StoredNotification,
  type TaxPaymentNotification,
  taxPaymentNotification,
} from '../model.js';
import type { DynamoCases } from './cases.js';
import { fromItem, type Item, parse, type StoreContext, toItem, type Write } from './common.js';
import { DynamoRepository } from './repository.js';

const sumAmounts = (payments: readonly LedgerPayment[]) => payments.reduce((t, p) => t + p.amount, 0);

/** The payment that speaks for the entry: the latest paid (the last applied among equals). */
function latestPayment(payments: readonly LedgerPayment[]): LedgerPayment {
  let best = payments[0]!;
  for (const p of payments) if (p.paidAt >= best.paidAt) best = p;
  return best;
}

export class DynamoLedger extends DynamoRepository implements LedgerRepository {
  constructor(
    context: StoreContext,
    private readonly cases: DynamoCases,
    private readonly intakeAttempts: number,
  ) {
    super(context);
  }

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
    const extra = alongside.map((c) => this.cases.atomicWrite(c, ctx));

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
          // An id is bound to its first content: the same again is a redelivery, other content a conflict.
          return earlier?.raw === rawText
            ? { outcome: 'duplicate', notificationId: n.notificationId }
            : { outcome: 'conflict', notificationId: n.notificationId };
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

  async claimNotification(claim: NotificationClaimInput, ctx: ChangeContext): Promise<NotificationClaim> {
    if (!claim.notificationId || !/^[0-9a-f]{64}$/.test(claim.contentHash))
      throw new StoreValidationError('notification claim', [
        { path: 'contentHash', message: 'a notification id and a SHA-256 hex hash are required' },
      ]);
    const pk = notificationGuardPk(claim.notificationId);
    const receivedAt = this.now().toISOString();
    const write: Write = {
      actions: [
        this.put(
          toItem({
            pk,
            sk: SK.notificationGuard,
            type: 'notification-guard',
            notificationId: claim.notificationId,
            contentHash: claim.contentHash,
            persons: claim.persons,
            receivedAt,
          }),
          'attribute_not_exists(pk)',
        ),
        this.auditAction(pk, `notification:${claim.notificationId}`, 'notification-claimed', ctx),
      ],
      labels: [
        { entity: 'notification-guard', id: claim.notificationId, expectedVersion: null, guard: 'create' },
        { entity: 'audit', id: claim.notificationId, expectedVersion: null, guard: 'append' },
      ],
    };
    try {
      await this.db.send('claimNotification', new TransactWriteItemsCommand({ TransactItems: write.actions }));
      return { outcome: 'claimed', notificationId: claim.notificationId };
    } catch (e) {
      if (!(e instanceof ConditionFailed)) throw e;
      const guard = e.reasons?.[0];
      if (guard?.Code !== 'ConditionalCheckFailed') throw this.conditionError(e, write);
      const first = guard.Item
        ? (unmarshall(guard.Item as Item) as { contentHash?: string; receivedAt?: string })
        : await this.getItem('claimNotification', pk, SK.notificationGuard).then((i) =>
            i ? fromItem<{ contentHash?: string; receivedAt?: string }>(i) : undefined,
          );
      if (first?.contentHash === claim.contentHash) return { outcome: 'same', notificationId: claim.notificationId };
      return { outcome: 'conflict', notificationId: claim.notificationId, firstReceivedAt: first?.receivedAt ?? '' };
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
}
