/**
 * Arrears timer tasks on DynamoDB Local, through the Lambda handlers: fee month 2026-09 unpaid, first
 * unpaid day 2026-09-01, window's last day 2026-11-29 (A-4: 90 days after 2026-08-31).
 */
import { describe, expect, it } from 'vitest';
import { arrearsTimerTasks } from '#functions/tasks/arrears-timer/handler.js';
import { openUnpaidSeptember, paySeptember } from '../../support/fixtures.js';
import { depsAt, useWorkflowStore } from './helpers.js';

const suite = useWorkflowStore();

/** The case as the sweep opens it: September 2026 unpaid (test/support/fixtures.ts). */
const scenario = (mode: 'unit' | 'flexible' = 'unit') => openUnpaidSeptember(suite.store, mode);

const auditActions = async (caseId: string) => (await suite.store.auditTrail({ caseId })).items.map((a) => a.action);

describe('open (A-1)', () => {
  it('suspends cover from the first unpaid day and waits to the end of 2026-11-29 CST', async () => {
    const s = await scenario();
    const { deps } = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(deps);
    const out = await t.handler({ task: 'open', caseId: s.caseId, now: '2026-10-01T00:30:00+08:00' });
    // 2026-10-01 00:30 CST → 2026-11-30 00:00 CST: 59 days and 23.5 hours.
    expect(out).toEqual({
      caseId: s.caseId,
      state: 'waiting-payment',
      suspendedFrom: '2026-09-01',
      windowLastDay: '2026-11-29',
      principalFen: 54_000,
      timeoutSeconds: 59 * 86_400 + 23.5 * 3600,
      windowOpen: true,
    });
    expect((await suite.store.getCase(s.caseId)).wait).toEqual({ for: 'payment', until: '2026-11-29' });
    expect(await suite.store.statusOn(s.identityKey, '2026-08-31')).toMatchObject({ covered: true, status: 'normal' });
    const sept = await suite.store.statusOn(s.identityKey, '2026-09-15');
    expect(sept).toMatchObject({ covered: false, status: 'suspended' });
    expect(sept.rules.map((r) => r.id)).toContain('A-1');
    // The deadline index holds it under its window's last day.
    const due = await suite.store.casesExpiringOn('220100', '2026-11-29');
    expect(due.items.map((c) => c.caseId)).toContain(s.caseId);
  });

  it('is idempotent under a retry: same answer, one audit record, one suspension', async () => {
    const s = await scenario();
    const { deps } = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(deps);
    const first = await t.open({ caseId: s.caseId, now: '2026-10-01T00:30:00+08:00' });
    const second = await t.open({ caseId: s.caseId, now: '2026-10-01T00:30:00+08:00' });
    expect(second).toEqual(first);
    expect(await auditActions(s.caseId)).toEqual(['case-opened:opened', 'case-saved:waiting-payment']);
    const e = await suite.store.getEnrollment(s.identityKey, s.enrollmentId);
    expect(e.statusHistory.filter((h) => h.status === 'suspended')).toHaveLength(1);
  });

  it('answers timeoutSeconds from the given now, and windowOpen false once the day has ended', async () => {
    const s = await scenario();
    const { deps } = depsAt(suite.store, '2026-11-29T23:59:00+08:00');
    const t = arrearsTimerTasks(deps);
    await t.open({ caseId: s.caseId, now: '2026-11-29T23:59:00+08:00' });
    expect(await t.open({ caseId: s.caseId, now: '2026-11-29T23:59:00+08:00' })).toMatchObject({
      timeoutSeconds: 60,
      windowOpen: true,
    });
    expect(await t.open({ caseId: s.caseId, now: '2026-11-30T00:00:01+08:00' })).toMatchObject({
      timeoutSeconds: 1,
      windowOpen: false,
    });
  });
});

describe('await-payment (callback token)', () => {
  it('stores the token once, and resumes at once when the payment is already in the ledger', async () => {
    const s = await scenario();
    const { deps, recorded } = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(deps);
    await t.open({ caseId: s.caseId });
    await t['await-payment']({ caseId: s.caseId, taskToken: 'token-1' });
    await t['await-payment']({ caseId: s.caseId, taskToken: 'token-1' });
    expect((await suite.store.getCase(s.caseId)).taskToken).toBe('token-1');
    expect((await auditActions(s.caseId)).filter((a) => a === 'case-saved:waiting-payment')).toHaveLength(2);
    expect(recorded.succeeded).toEqual([]);

    const n = await paySeptember(suite.store, s.identityKey, '2026-10-20T10:00:00+08:00', 54_000);
    await t['await-payment']({ caseId: s.caseId, taskToken: 'token-2' });
    expect(recorded.succeeded).toEqual([{ token: 'token-2', output: { event: 'payment', notificationId: n } }]);
  });
});

describe('settle', () => {
  it('paid on day 60 (2026-10-30): principal 540.00 + late fee 8.10, cover restored 2026-10-31, arrears period covered (A-4)', async () => {
    const s = await scenario();
    const { deps } = depsAt(suite.store, '2026-10-30T16:00:00+08:00');
    const t = arrearsTimerTasks(deps);
    await t.open({ caseId: s.caseId });
    await t['await-payment']({ caseId: s.caseId, taskToken: 'tk' });
    const n = await paySeptember(suite.store, s.identityKey, '2026-10-30T15:20:00+08:00', 54_000);
    const out = await t.handler({ task: 'settle', caseId: s.caseId, notificationId: n });
    expect(out).toEqual({
      caseId: s.caseId,
      settled: true,
      state: 'completed',
      outcome: {
        decidedBy: 'A-4',
        paid: true,
        paidOn: '2026-10-30',
        restoredOn: '2026-10-31',
        coverStarts: '2026-09-01',
        arrearsPeriodCovered: true,
        backfillAllowed: true,
        yearsAndAccountCredited: true,
        principalFen: 54_000,
        lateFeeFen: 810,
        amountDueFen: 54_810,
        notificationId: n,
      },
    });
    const sept = await suite.store.statusOn(s.identityKey, '2026-09-15');
    expect(sept).toMatchObject({ covered: true, status: 'normal' });
    expect(sept.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['A-4', 'A-2', 'W-9']));
    const c = await suite.store.getCase(s.caseId);
    expect(c).toMatchObject({ state: 'completed', wait: null, taskToken: null, closedOn: '2026-10-30' });
    expect((await suite.store.casesExpiringOn('220100', '2026-11-29')).items.map((x) => x.caseId)).not.toContain(
      s.caseId,
    );

    // A retry after the successful write: same answer, nothing written again.
    const before = await auditActions(s.caseId);
    expect(await t.settle({ caseId: s.caseId, notificationId: n })).toEqual(out);
    expect(await auditActions(s.caseId)).toEqual(before);
    expect(before.filter((a) => a === 'case-saved:completed')).toHaveLength(1);
  });

  it('a short payment does not settle: still due, the case keeps waiting', async () => {
    const s = await scenario();
    const { deps } = depsAt(suite.store, '2026-10-15T12:00:00+08:00');
    const t = arrearsTimerTasks(deps);
    await t.open({ caseId: s.caseId });
    await paySeptember(suite.store, s.identityKey, '2026-10-15T09:00:00+08:00', 40_000);
    expect(await t.settle({ caseId: s.caseId })).toEqual({
      caseId: s.caseId,
      settled: false,
      state: 'waiting-payment',
      stillDueFen: 14_000,
    });
  });

  it('refuses to settle a case that was never opened, naming the state', async () => {
    const s = await scenario();
    const { deps } = depsAt(suite.store, '2026-10-15T12:00:00+08:00');
    await expect(arrearsTimerTasks(deps).settle({ caseId: s.caseId })).rejects.toMatchObject({
      name: 'Case.StateInvalid',
    });
  });
});

describe('timeout', () => {
  it('unit mode (A-5): waits on for a backfill without cover; a payment then restores cover after 90 days', async () => {
    const s = await scenario('unit');
    const at = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(at.deps);
    await t.open({ caseId: s.caseId });
    at.clock.set(Date.parse('2026-11-30T00:00:05+08:00'));
    const out = await t.timeout({ caseId: s.caseId, now: '2026-11-30T00:00:05+08:00' });
    expect(out).toEqual({
      caseId: s.caseId,
      state: 'awaiting-backfill',
      next: 'await-backfill',
      decidedBy: 'A-5',
      backfillUntil: '2027-05-28',
      timeoutSeconds: 179 * 86_400 + 86_400 - 5,
    });
    expect(await t.timeout({ caseId: s.caseId, now: '2026-11-30T00:00:05+08:00' })).toMatchObject({
      state: 'awaiting-backfill',
      next: 'await-backfill',
    });
    expect((await auditActions(s.caseId)).filter((a) => a === 'case-saved:awaiting-backfill')).toHaveLength(1);

    // Paid 2026-12-10: years and account backfilled (late fee: 71 days after the 09-30 due date at
    // 0.05 % = 19.17), the arrears period not covered, W-6 90 days from 12-11.
    at.clock.set(Date.parse('2026-12-10T12:00:00+08:00'));
    await paySeptember(suite.store, s.identityKey, '2026-12-10T10:00:00+08:00', 54_000);
    const settled = await t.settle({ caseId: s.caseId });
    expect(settled.outcome).toMatchObject({
      decidedBy: 'A-5',
      arrearsPeriodCovered: false,
      yearsAndAccountCredited: true,
      coverStarts: '2027-03-11',
      principalFen: 54_000,
      lateFeeFen: 1_917,
    });
    expect(await suite.store.statusOn(s.identityKey, '2026-09-15')).toMatchObject({ covered: false });
    expect(await suite.store.statusOn(s.identityKey, '2027-01-15')).toMatchObject({ covered: false, status: 'normal' });
    expect(await suite.store.statusOn(s.identityKey, '2027-03-11')).toMatchObject({ covered: true });
  });

  it('flexible mode (A-6): backfill closed, the enrollment ends, the case lapses', async () => {
    const s = await scenario('flexible');
    const at = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(at.deps);
    await t.open({ caseId: s.caseId });
    at.clock.set(Date.parse('2026-11-30T08:00:00+08:00'));
    const out = await t.timeout({ caseId: s.caseId });
    expect(out).toMatchObject({ state: 'lapsed', next: 'closed', decidedBy: 'A-6' });
    expect(out.outcome).toMatchObject({ backfillAllowed: false, amountDueFen: 0 });
    expect(await suite.store.statusOn(s.identityKey, '2026-12-01')).toMatchObject({
      status: 'terminated',
      covered: false,
    });
    expect((await suite.store.getCase(s.caseId)).wait).toBeNull();
    expect(await t.timeout({ caseId: s.caseId })).toMatchObject({ state: 'lapsed', next: 'closed' });
  });

  it('a payment that raced the timer is settled, not timed out', async () => {
    const s = await scenario('unit');
    const at = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(at.deps);
    await t.open({ caseId: s.caseId });
    await paySeptember(suite.store, s.identityKey, '2026-11-29T23:50:00+08:00', 54_000);
    at.clock.set(Date.parse('2026-11-30T00:00:05+08:00'));
    const out = await t.timeout({ caseId: s.caseId });
    expect(out).toMatchObject({ next: 'settled', decidedBy: 'A-4', state: 'completed' });
  });
});

describe('remind', () => {
  it('records one reminder a day with what paying that day costs', async () => {
    const s = await scenario();
    const at = depsAt(suite.store, '2026-10-01T01:00:00+08:00');
    const t = arrearsTimerTasks(at.deps);
    await t.open({ caseId: s.caseId });
    at.clock.set(Date.parse('2026-11-20T09:00:00+08:00'));
    const r = await t.remind({ caseId: s.caseId });
    // 51 days after the 2026-09-30 due date at 0.05 % a day: 13.77.
    expect(r).toEqual({
      caseId: s.caseId,
      state: 'waiting-payment',
      windowLastDay: '2026-11-29',
      amountDueFenToday: 54_000 + 1_377,
      remindedOn: '2026-11-20',
      recorded: true,
    });
    expect(await t.remind({ caseId: s.caseId })).toMatchObject({ recorded: false });
  });
});
