/**
 * Tax payment notifications and the ledger on DynamoDB. A notification is stored once under its own
 * partition (`N#<notification id>`), the item whose create condition makes intake idempotent; its fee
 * periods become `LEDGER#…` entries of the person's partition, in fee-period order, and every value
 * an entry replaces is kept as a `LEDGERV#…` version, so the ledger never loses a state it once showed.
 *
 * One intake is one read (the touched fee periods, one Query) and one transaction (notification,
 * entries, versions, one audit record, and any `alongside` change); a concurrent intake for the same
 * person is answered by reading again and redoing, a second delivery by `duplicate`.
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
}
