/**
 * Tax payment notification intake against a real DynamoDB Local: idempotency, fee months arriving
 * out of order, corrections that supersede without losing the earlier value, concurrent deliveries,
 * and a payment that closes an arrears case in the same transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '#rules/registry.js';
import type { RequestEvent } from '#store/dynamo-client.js';
import { DynamoCaseStore } from '#store/dynamo-store.js';
import { ConflictError, NotFoundError } from '#store/errors.js';
import type { CaseInput, ChangeContext, TaxPaymentNotification } from '#store/model.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';

let local: LocalDynamo;
let store: DynamoCaseStore;
const events: RequestEvent[] = [];

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = new DynamoCaseStore({
    client: local.client,
    tableName: local.tableName,
    observer: (e) => events.push(e),
    retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 },
    intakeAttempts: 50,
  });
});
afterAll(() => local?.stop());

const system: ChangeContext = { actor: { kind: 'system', component: 'intake' }, reason: 'tax payment notification' };

let seq = 0;
/** A fresh person per test, so tests share one table without seeing each other. */
const newKey = () => `CN:22010219900307${String(1000 + seq++).padStart(4, '0')}`;

function employeeNotification(
  identityKey: string,
  id: string,
  months: Array<[string, number]>,
  extra: Partial<TaxPaymentNotification> = {},
): TaxPaymentNotification {
  return {
    notificationId: id,
    identityKey,
    scheme: 'employee',
    mode: 'flexible',
    region: '220100',
    payer: { kind: 'person' },
    paidAt: '2026-04-10T10:00:00+08:00',
    periods: months.map(([feePeriod, amount]) => ({ feePeriod, base: 500_000, rate: { num: 85, den: 1000 }, amount })),
    ...extra,
  };
}

function countRequests(operation: string, from: number) {
  const mine = events.slice(from).filter((e) => e.operation === operation);
  return {
    reads: mine.filter((e) => e.command === 'QueryCommand' || e.command === 'GetItemCommand').length,
    writes: mine.filter((e) => e.command === 'TransactWriteItemsCommand').length,
  };
}

describe('idempotent intake', () => {
  it('stores the same notification twice as one ledger entry, in one read and one write each', async () => {
    const key = newKey();
    const n = employeeNotification(key, `N-${key}-1`, [['2026-03', 42_500]]);
    const raw = JSON.stringify(n);
    const before = events.length;
    const first = await store.intakeNotification(raw, system);
    expect(countRequests('intakeNotification', before)).toEqual({ reads: 1, writes: 1 });
    const mid = events.length;
    const second = await store.intakeNotification(raw, system);
    expect(countRequests('intakeNotification', mid)).toEqual({ reads: 1, writes: 1 });

    expect(first).toEqual({
      outcome: 'stored',
      notificationId: n.notificationId,
      periods: [{ feePeriod: '2026-03', effect: 'new', version: 1 }],
    });
    expect(second).toEqual({ outcome: 'duplicate', notificationId: n.notificationId });

    const ledger = await store.ledger(key, 'employee');
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      feePeriod: '2026-03',
      amount: 42_500,
      base: 500_000,
      rate: { num: 85, den: 1000 },
      paidOn: '2026-04-10',
      payer: { kind: 'person' },
      notificationId: n.notificationId,
      version: 1,
    });
    expect(ledger[0]!.payments).toHaveLength(1);
    expect(await store.ledgerHistory(key, 'employee', '2026-03')).toEqual([]);

    // The raw notification is kept exactly as received.
    const stored = await store.getNotification(n.notificationId);
    expect(stored.raw).toBe(raw);
    expect(stored.paidOn).toBe('2026-04-10');
  });

  it('reports a second copy that differs from the first as a conflict, and changes nothing', async () => {
    const key = newKey();
    const n = employeeNotification(key, `N-${key}-1`, [['2026-03', 42_500]]);
    await store.intakeNotification(n, system);
    const changed = await store.intakeNotification({ ...n, periods: [{ ...n.periods[0]!, amount: 1 }] }, system);
    // The id is bound to its first content: other content under it is a conflict, never a duplicate.
    expect(changed).toEqual({ outcome: 'conflict', notificationId: n.notificationId });
    expect((await store.ledger(key, 'employee'))[0]!.amount).toBe(42_500);
  });

  it('gives exactly one stored outcome when the same notification is delivered 10 times at once', async () => {
    const key = newKey();
    const n = employeeNotification(key, `N-${key}-1`, [['2026-03', 42_500]]);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.intakeNotification(n, system)));
    expect(outcomes.filter((o) => o.outcome === 'stored')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(9);
    const ledger = await store.ledger(key, 'employee');
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.payments).toHaveLength(1);
  });

  it('writes the audit record with the notification, with actor, reason and decision trace', async () => {
    const key = newKey();
    const trace = decide(
      'waiting-period',
      { region: '220100', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 },
      '2026-11-15',
    ).trace;
    await store.intakeNotification(
      {
        notificationId: `N-${key}-r`,
        identityKey: key,
        scheme: 'resident',
        region: '220100',
        payer: { kind: 'person' },
        paidAt: '2026-11-15T09:00:00+08:00',
        periods: [{ feePeriod: '2027', amount: 40_000 }],
      },
      { ...system, trace },
    );
    const trail = await store.auditTrail({ identityKey: key });
    expect(trail.items).toHaveLength(1);
    expect(trail.items[0]).toMatchObject({
      subject: `notification:N-${key}-r`,
      action: 'notification-stored',
      actor: { kind: 'system', component: 'intake' },
      reason: 'tax payment notification',
      versions: { 'ledger:resident:2027': 1 },
    });
    expect(trail.items[0]!.trace?.rules.map((r) => r.id)).toContain('W-6');
    expect(trail.items[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await store.ledger(key, 'resident'))[0]).toMatchObject({ feePeriod: '2027', amount: 40_000 });
  });
});

describe('fee months out of order', () => {
  it('lands each month in its place, and reads a range in calendar order', async () => {
    const key = newKey();
    for (const [i, m] of ['2026-05', '2026-02', '2026-04', '2025-12', '2026-03'].entries()) {
      await store.intakeNotification(employeeNotification(key, `N-${key}-${i}`, [[m, 40_000 + i]]), system);
    }
    const all = await store.ledger(key, 'employee');
    expect(all.map((e) => e.feePeriod)).toEqual(['2025-12', '2026-02', '2026-03', '2026-04', '2026-05']);
    expect(all.map((e) => e.amount)).toEqual([40_003, 40_001, 40_004, 40_002, 40_000]);
    const spring = await store.ledger(key, 'employee', { from: '2026-02', to: '2026-04' });
    expect(spring.map((e) => e.feePeriod)).toEqual(['2026-02', '2026-03', '2026-04']);
    // The resident ledger of the same person is apart.
    expect(await store.ledger(key, 'resident')).toEqual([]);
  });

  it('stores a notification for several months in one read and one write', async () => {
    const key = newKey();
    await store.intakeNotification(employeeNotification(key, `N-${key}-a`, [['2026-02', 40_000]]), system);
    const before = events.length;
    const out = await store.intakeNotification(
      employeeNotification(key, `N-${key}-b`, [
        ['2026-04', 40_000],
        ['2026-01', 40_000],
        ['2026-03', 40_000],
      ]),
      system,
    );
    expect(countRequests('intakeNotification', before)).toEqual({ reads: 1, writes: 1 });
    expect(out.outcome === 'stored' && out.periods.map((p) => p.effect)).toEqual(['new', 'new', 'new']);
    expect((await store.ledger(key, 'employee')).map((e) => e.feePeriod)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
    ]);
  });
});

describe('corrections and top-ups', () => {
  it('a correction supersedes the earlier value and keeps it', async () => {
    const key = newKey();
    const n1 = employeeNotification(key, `N-${key}-1`, [['2026-03', 42_500]]);
    const n2 = employeeNotification(key, `N-${key}-2`, [['2026-03', 50_000]], {
      corrects: n1.notificationId,
      paidAt: '2026-04-20T10:00:00+08:00',
    });
    await store.intakeNotification(n1, system);
    const out = await store.intakeNotification(n2, system);
    expect(out).toMatchObject({
      outcome: 'stored',
      periods: [{ feePeriod: '2026-03', effect: 'corrected', version: 2 }],
    });

    const [entry] = await store.ledger(key, 'employee');
    expect(entry).toMatchObject({
      amount: 50_000,
      notificationId: n2.notificationId,
      paidOn: '2026-04-20',
      supersededIds: [n1.notificationId],
      version: 2,
    });
    expect(entry!.payments.map((p) => p.notificationId)).toEqual([n2.notificationId]);

    const history = await store.ledgerHistory(key, 'employee', '2026-03');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      kind: 'replaced',
      supersededBy: n2.notificationId,
      entry: { amount: 42_500, notificationId: n1.notificationId, version: 1 },
    });
    // Both notifications stay as received.
    await expect(store.getNotification(n1.notificationId)).resolves.toBeDefined();
  });

  it('a correction that arrives before the notification it corrects still wins', async () => {
    const key = newKey();
    const n1 = employeeNotification(key, `N-${key}-1`, [['2026-03', 42_500]]);
    const n2 = employeeNotification(key, `N-${key}-2`, [['2026-03', 50_000]], { corrects: n1.notificationId });
    await store.intakeNotification(n2, system);
    const late = await store.intakeNotification(n1, system);
    expect(late).toMatchObject({ outcome: 'stored', periods: [{ effect: 'kept-as-superseded', version: 1 }] });

    const [entry] = await store.ledger(key, 'employee');
    expect(entry).toMatchObject({ amount: 50_000, notificationId: n2.notificationId, version: 1 });
    const history = await store.ledgerHistory(key, 'employee', '2026-03');
    expect(history).toEqual([
      expect.objectContaining({
        kind: 'late-superseded',
        supersededBy: n2.notificationId,
        payment: expect.objectContaining({ notificationId: n1.notificationId, amount: 42_500 }),
      }),
    ]);
    // Delivered again, the late original is a duplicate like any other.
    expect(await store.intakeNotification(n1, system)).toEqual({
      outcome: 'duplicate',
      notificationId: n1.notificationId,
    });
  });

  it('a second payment for the month (a top-up) adds to it and keeps the earlier state', async () => {
    const key = newKey();
    await store.intakeNotification(employeeNotification(key, `N-${key}-1`, [['2026-03', 30_000]]), system);
    await store.intakeNotification(
      employeeNotification(key, `N-${key}-2`, [['2026-03', 12_500]], { paidAt: '2026-05-02T08:00:00+08:00' }),
      system,
    );
    const [entry] = await store.ledger(key, 'employee');
    expect(entry).toMatchObject({ amount: 42_500, paidOn: '2026-05-02', version: 2 });
    expect(entry!.payments.map((p) => p.amount)).toEqual([30_000, 12_500]);
    expect((await store.ledgerHistory(key, 'employee', '2026-03'))[0]!.entry).toMatchObject({ amount: 30_000 });
  });

  it('concurrent payments for the same month are all kept (the loser re-reads and redoes)', async () => {
    const key = newKey();
    const n = 12;
    const outcomes = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        store.intakeNotification(employeeNotification(key, `N-${key}-${i}`, [['2026-03', 1_000 + i]]), system),
      ),
    );
    expect(outcomes.every((o) => o.outcome === 'stored')).toBe(true);
    const [entry] = await store.ledger(key, 'employee');
    expect(entry!.payments).toHaveLength(n);
    expect(entry!.amount).toBe(Array.from({ length: n }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0));
    expect(entry!.version).toBe(n);
    expect(await store.ledgerHistory(key, 'employee', '2026-03')).toHaveLength(n - 1);
  });
});

describe('a payment that closes an arrears case', () => {
  const arrears = (key: string, caseId: string): CaseInput => ({
    caseId,
    caseType: 'arrears',
    region: '220100',
    subject: { kind: 'person', identityKey: key },
    state: 'waiting-payment',
    openedOn: '2026-04-01',
    wait: { for: 'payment', until: '2026-06-29' },
    taskToken: 'token-abc',
    data: { firstUnpaidDay: '2026-04-01', months: ['2026-03'], unpaid: 42_500 },
  });

  it('updates the ledger, closes the case and leaves the deadline index, in one transaction', async () => {
    const key = newKey();
    const caseId = `arrears-${key}`;
    const opened = await store.openCase(arrears(key, caseId), system);
    expect((await store.casesExpiringOn('220100', '2026-06-29')).items.map((c) => c.caseId)).toContain(caseId);

    const before = events.length;
    const out = await store.intakeNotification(
      employeeNotification(key, `N-${key}-pay`, [['2026-03', 42_500]]),
      system,
      [
        {
          kind: 'case',
          expectedVersion: opened.version,
          case: { ...opened, state: 'closed', wait: null, taskToken: null, closedOn: '2026-05-10' },
        },
      ],
    );
    expect(countRequests('intakeNotification', before)).toEqual({ reads: 1, writes: 1 });
    expect(out.outcome).toBe('stored');

    const closed = await store.getCase(caseId);
    expect(closed).toMatchObject({ state: 'closed', wait: null, taskToken: null, version: 2 });
    expect((await store.casesExpiringOn('220100', '2026-06-29')).items.map((c) => c.caseId)).not.toContain(caseId);
    expect((await store.auditTrail({ caseId })).items.map((a) => a.action)).toEqual([
      'case-opened:waiting-payment',
      'case-saved:closed',
    ]);
  });

  it('stores nothing when the case changed meanwhile (ConflictError, retryable)', async () => {
    const key = newKey();
    const caseId = `arrears-${key}`;
    const opened = await store.openCase(arrears(key, caseId), system);
    await store.saveCase({ ...opened, data: { ...opened.data, reminded: true } }, opened.version, system);

    const n = employeeNotification(key, `N-${key}-pay`, [['2026-03', 42_500]]);
    const err = await store
      .intakeNotification(n, system, [
        { kind: 'case', expectedVersion: opened.version, case: { ...opened, state: 'closed', wait: null } },
      ])
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ entity: 'case', id: caseId, expectedVersion: 1, retryable: true });
    await expect(store.getNotification(n.notificationId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.ledger(key, 'employee')).toEqual([]);
    expect((await store.getCase(caseId)).state).toBe('waiting-payment');
  });
});
