/**
 * The store's workflow additions on DynamoDB Local: expected employee fee months and their sparse due
 * index (patterns 17–19), resident renewals and their per-region counters (20–21).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeContext } from '#store/model.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = new DynamoWorkflowStore({
    client: local.client,
    tableName: local.tableName,
    retry: { baseDelayMs: 2, maxDelayMs: 20 },
  });
});
afterAll(() => local?.stop());

const ctx: ChangeContext = { actor: { kind: 'system', component: 'test' }, reason: 'test' };
let seq = 0;
const key = () => `CN:22010219900307${String(2000 + seq++).padStart(4, '0')}`;

describe('expected payments', () => {
  it('expects a month once, lists it under its due date, and settles it out of the index once', async () => {
    const k = key();
    const input = {
      identityKey: k,
      enrollmentId: 'E1',
      region: '220500',
      mode: 'unit' as const,
      feeMonth: '2026-09',
      dueDate: '2026-09-30',
      baseFen: 600_000,
    };
    expect((await store.expectPayment(input, ctx)).created).toBe(true);
    expect((await store.expectPayment(input, ctx)).created).toBe(false);
    expect((await store.paymentsDueOn('220500', '2026-09-30')).items).toMatchObject([
      { identityKey: k, status: 'expected', version: 1 },
    ]);

    const ref = { identityKey: k, enrollmentId: 'E1', feeMonth: '2026-09' };
    const first = await store.settleExpectedPayment(
      ref,
      { status: 'paid', settledOn: '2026-09-20', notificationId: 'N1' },
      ctx,
    );
    expect(first).toMatchObject({ settled: true, payment: { status: 'paid', version: 2 } });
    const again = await store.settleExpectedPayment(ref, { status: 'arrears', settledOn: '2026-10-01' }, ctx);
    expect(again).toMatchObject({ settled: false, payment: { status: 'paid', notificationId: 'N1' } });
    expect((await store.paymentsDueOn('220500', '2026-09-30')).items).toEqual([]);
    const trail = (await store.auditTrail({ identityKey: k })).items.map((a) => a.action);
    expect(trail).toEqual(['payment-expected', 'payment-paid']);
  });
});

describe('renewals', () => {
  it('counts each resident once under concurrent, overlapping batches', async () => {
    const keys = Array.from({ length: 60 }, key);
    const renewal = (identityKey: string) => ({
      identityKey,
      region: '220600',
      feeYear: 2027,
      category: 'adult',
      personPaysFen: 42_000,
      subsidyFen: 0,
      lastCoveredFeeYear: 2026,
      continuousYears: 2,
      windowClosesOn: '2026-12-31',
    });
    const results = await Promise.all([
      store.createRenewals(keys.slice(0, 40).map(renewal), ctx),
      store.createRenewals(keys.slice(20, 60).map(renewal), ctx),
      store.createRenewals(keys.slice(10, 50).map(renewal), ctx),
    ]);
    expect(results.reduce((s, r) => s + r.created, 0)).toBe(60);
    expect(results.reduce((s, r) => s + r.existing, 0)).toBe(60);
    expect(await store.renewalCounts('220600', 2027)).toEqual({
      region: '220600',
      feeYear: 2027,
      rostered: 60,
      pending: 60,
      renewed: 0,
      subsidised: 0,
      lapsed: 0,
    });
    const settle = (status: 'renewed' | 'lapsed') => (identityKey: string) => ({
      identityKey,
      status,
      settledOn: '2026-12-31',
      reason: status,
    });
    const system = { kind: 'system' as const, component: 'test' };
    const [a, b] = await Promise.all([
      store.settleRenewals('220600', 2027, keys.slice(0, 30).map(settle('renewed')), system),
      store.settleRenewals('220600', 2027, keys.slice(20, 50).map(settle('lapsed')), system),
    ]);
    expect(a.changed + b.changed).toBe(50);
    expect(a.unchanged + b.unchanged).toBe(10);
    const counts = await store.renewalCounts('220600', 2027);
    expect(counts.renewed + counts.lapsed).toBe(50);
    expect(counts.pending).toBe(10);
    expect((await store.getRenewal(keys[0]!, 2027)).status).toBe('renewed');
    expect((await store.getRenewal(keys[45]!, 2027)).status).toBe('lapsed');
  });
});
