/**
 * The arrears-timer state machine as synthesized, run on the local adapter with the real task handler on
 * DynamoDB Local. Fee month 2026-09 unpaid (base 6,000.00), first unpaid day 2026-09-01, the window's
 * last day (day 90) 2026-11-29; the daily sweep starts the execution at 2026-10-01 00:05 CST.
 */
import { describe, expect, it } from 'vitest';
import { arrearsTimerTasks } from '#functions/tasks/arrears-timer/handler.js';
import { buildArrearsTimerStateMachine } from '#infra/state-machines/arrears-timer.js';
import { openUnpaidSeptember, paySeptember } from '../support/fixtures.js';
import { auditLines, expectStandardDefinition, type Harness, rearmOnto, staff, useWorkflowSuite } from './support.js';

const suite = useWorkflowSuite({
  entry: 'functions/tasks/arrears-timer/handler.ts',
  build: buildArrearsTimerStateMachine,
  tasks: arrearsTimerTasks,
  start: '2026-10-01T00:05:00+08:00',
});

type Mode = 'unit' | 'flexible';

/** The case as the sweep opens it: September 2026 unpaid (test/support/fixtures.ts). */
const scenario = (h: Harness, mode: Mode) => openUnpaidSeptember(h.store, mode);

/** A tax payment notification for 2026-09 into the ledger (what intake records before it resumes the case). */
const pay = (h: Harness, identityKey: string, mode: Mode, paidAt: string, amount: number) =>
  paySeptember(h.store, identityKey, paidAt, amount, mode);

/** Intake's part: the ledger holds the payment, then the token stored on the case is answered. */
async function payAndResume(
  h: Harness,
  s: { identityKey: string; caseId: string },
  mode: Mode,
  paidAt: string,
  amount: number,
) {
  const token = await h.storedToken(s.caseId);
  await h.advanceTo(paidAt);
  const notificationId = await pay(h, s.identityKey, mode, paidAt, amount);
  h.sfn.sendTaskSuccess(token, { event: 'payment', caseId: s.caseId, notificationId });
  return { token, notificationId };
}

const T0 = '2026-09-30T16:05:00.000Z'; // 2026-10-01 00:05 CST
const DAY91 = '2026-11-29T16:00:00.000Z'; // 2026-11-30 00:00 CST

/** Day 60 (2026-10-30) and day 90 (2026-11-29, 23:50 CST: still within the window) – A-4 in both modes. */
const A4 = {
  unit: {
    principalFen: 54_000,
    lateFeeFen: { '2026-10-30': 810, '2026-11-29': 1_620 },
  },
  // A-3's late fee is a unit-mode reading: a flexible worker pays the principal only.
  flexible: {
    principalFen: 54_000,
    lateFeeFen: { '2026-10-30': 0, '2026-11-29': 0 },
  },
} as const;

describe('the synthesized definition', () => {
  it('is a Standard machine, logging ALL with X-Ray, JSONPath only, valid ASL, cdk-nag clean', () => {
    expectStandardDefinition(suite.wf);
  });

  it('waits with the task token to the end of day 90 (TimeoutSecondsPath), retries store throttling, catches by name', () => {
    const s = suite.wf.definition.States;
    expect(Object.keys(s).sort()).toEqual(
      [
        'AfterTimeout',
        'AwaitPayment',
        'Done',
        'Failed',
        'IsSettled',
        'NeedsStaffReview',
        'Open',
        'Settle',
        'Timeout',
      ].sort(),
    );
    expect(s.AwaitPayment).toMatchObject({
      Resource: expect.stringMatching(/:states:::lambda:invoke\.waitForTaskToken$/),
      TimeoutSecondsPath: '$.timeoutSeconds',
      ResultPath: null,
      Parameters: { Payload: { task: 'await-payment', 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
      Next: 'Settle',
    });
    expect(s.AwaitPayment!.Catch).toContainEqual({
      ErrorEquals: ['States.Timeout'],
      Next: 'Timeout',
      ResultPath: null,
    });
    for (const name of ['Open', 'AwaitPayment', 'Settle', 'Timeout']) {
      expect(s[name]!.Retry).toContainEqual(
        expect.objectContaining({ ErrorEquals: ['Store.Retryable'], MaxAttempts: 3, BackoffRate: 2 }),
      );
      expect(s[name]!.Catch).toEqual(
        expect.arrayContaining([
          {
            ErrorEquals: ['Case.StateInvalid', 'Case.DataInvalid', 'Rules.CannotDecide'],
            Next: 'NeedsStaffReview',
            ResultPath: '$.error',
          },
          { ErrorEquals: ['Case.NotFound', 'Task.InputInvalid'], Next: 'Failed', ResultPath: '$.error' },
        ]),
      );
    }
  });
});

describe.each(['unit', 'flexible'] as const)('%s mode', (mode) => {
  it.each([
    ['day 60', '2026-10-30T15:20:00+08:00', '2026-10-30'],
    ['day 90, the last day', '2026-11-29T23:50:00+08:00', '2026-11-29'],
  ] as const)(
    'paid on %s: A-4, late fee, arrears period covered, cover restored the next day',
    async (label, paidAt, paidOn) => {
      const h = suite.harness();
      const s = await scenario(h, mode);
      const exec = await h.start(s.caseId);
      const { notificationId } = await payAndResume(h, s, mode, paidAt, A4[mode].principalFen);
      expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });

      const lateFeeFen = A4[mode].lateFeeFen[paidOn];
      const restoredOn = paidOn === '2026-10-30' ? '2026-10-31' : '2026-11-30';
      const c = await h.store.getCase(s.caseId);
      expect(c).toMatchObject({ state: 'completed', wait: null, taskToken: null, closedOn: paidOn });
      expect(c.data.outcome).toEqual({
        decidedBy: 'A-4',
        paid: true,
        paidOn,
        restoredOn,
        coverStarts: '2026-09-01',
        arrearsPeriodCovered: true,
        backfillAllowed: true,
        yearsAndAccountCredited: true,
        principalFen: A4[mode].principalFen,
        lateFeeFen,
        amountDueFen: A4[mode].principalFen + lateFeeFen,
        notificationId,
      });
      expect(await h.store.statusOn(s.identityKey, '2026-09-15')).toMatchObject({ covered: true, status: 'normal' });

      const audit = await h.audit(s.caseId);
      const paidAtUtc = new Date(Date.parse(paidAt)).toISOString();
      expect(auditLines(audit)).toEqual([
        `${T0} case-opened:opened | test`,
        `${T0} case-saved:waiting-payment | A-1:`, // suspended from 2026-09-01, wait to 2026-11-29
        `${T0} case-saved:waiting-payment | wait`, // the callback token stored
        `${paidAtUtc} case-saved:completed | A-4:`,
      ]);
      expect(audit.every((r) => r.action === 'case-opened:opened' || r.actor.kind === 'system')).toBe(true);
      expect(audit.find((r) => r.action === 'case-saved:completed')).toMatchObject({
        actor: { kind: 'system', component: 'arrears-timer' },
        trace: expect.anything(),
      });

      expect(h.path(exec)).toEqual(['Open', 'AwaitPayment', 'Settle', 'IsSettled', 'Done']);
      suite.recordTransitions(h, `${mode}: paid on ${label}`, exec, 5);
    },
  );
});

// Unit: day 90 passes unpaid → A-5 wait for a backfill to the horizon (window + 180 days), then closed.
describe('never paid', () => {
  it('unit (A-5, then A-7): waits for a backfill to 2027-05-28, then the case closes and tax pursues', async () => {
    const h = suite.harness();
    const s = await scenario(h, 'unit');
    const exec = await h.start(s.caseId);
    const first = await h.storedToken(s.caseId);
    await h.advanceTo('2026-11-29T23:59:59+08:00');
    expect((await h.store.getCase(s.caseId)).state).toBe('waiting-payment');
    await h.advanceTo('2026-11-30T00:00:00+08:00');
    await h.storedToken(s.caseId, first); // the backfill wait's token
    const backfill = await h.store.getCase(s.caseId);
    expect(backfill).toMatchObject({ state: 'awaiting-backfill', wait: { for: 'backfill', until: '2027-05-28' } });
    expect(backfill.data.afterWindow).toEqual({ decidedBy: 'A-5', backfillAllowed: true, arrearsPeriodCovered: false });
    expect(await h.store.statusOn(s.identityKey, '2026-12-15')).toMatchObject({ covered: false, status: 'suspended' });

    await h.advanceTo('2027-05-28T23:59:59+08:00');
    expect(h.sfn.describeExecution(exec.executionArn).status).toBe('RUNNING');
    await h.advanceTo('2027-05-29T00:00:00+08:00');
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(s.caseId);
    expect(c).toMatchObject({ state: 'closed', wait: null, taskToken: null, closedOn: '2027-05-29' });
    expect(c.data.closedUnpaid).toEqual({ on: '2027-05-29', referredTo: 'tax' });
    expect(auditLines(await h.audit(s.caseId))).toEqual([
      `${T0} case-opened:opened | test`,
      `${T0} case-saved:waiting-payment | A-1:`,
      `${T0} case-saved:waiting-payment | wait`,
      `${DAY91} case-saved:awaiting-backfill | A-5:`, // day 90 passed unpaid
      `${DAY91} case-saved:awaiting-backfill | wait`, // the backfill wait's token
      '2027-05-28T16:00:00.000Z case-saved:closed | A-5/', // no backfill by 2027-05-28, tax pursues
    ]);
    expect(h.path(exec)).toEqual([
      'Open',
      'AwaitPayment',
      'Timeout',
      'AfterTimeout',
      'AwaitPayment',
      'Timeout',
      'AfterTimeout',
      'Done',
    ]);
    suite.recordTransitions(h, 'unit: never paid (A-5 backfill wait, then closed A-7)', exec, 8);
  });

  it('flexible (A-6): backfill closed the day after day 90, the enrollment ends, the case lapses', async () => {
    const h = suite.harness();
    const s = await scenario(h, 'flexible');
    const exec = await h.start(s.caseId);
    await h.storedToken(s.caseId);
    await h.advanceTo('2026-11-30T00:00:00+08:00');
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(s.caseId);
    expect(c).toMatchObject({ state: 'lapsed', wait: null, taskToken: null, closedOn: '2026-11-30' });
    expect(c.data.outcome).toEqual({
      decidedBy: 'A-6',
      paid: false,
      paidOn: null,
      restoredOn: null,
      coverStarts: null,
      arrearsPeriodCovered: false,
      backfillAllowed: false,
      yearsAndAccountCredited: false,
      principalFen: A4.flexible.principalFen,
      lateFeeFen: 0,
      amountDueFen: 0,
    });
    expect(await h.store.statusOn(s.identityKey, '2026-11-29')).toMatchObject({ covered: false, status: 'suspended' });
    expect(await h.store.statusOn(s.identityKey, '2026-11-30')).toMatchObject({ covered: false, status: 'terminated' });
    expect(auditLines(await h.audit(s.caseId))).toEqual([
      `${T0} case-opened:opened | test`,
      `${T0} case-saved:waiting-payment | A-1:`,
      `${T0} case-saved:waiting-payment | wait`,
      `${DAY91} case-saved:lapsed | A-6:`,
    ]);
    expect(h.path(exec)).toEqual(['Open', 'AwaitPayment', 'Timeout', 'AfterTimeout', 'Done']);
    suite.recordTransitions(h, 'flexible: never paid (A-6 lapse)', exec, 5);
  });
});

describe('payments that do not simply answer the wait', () => {
  it('unit, paid after day 90 during the backfill wait (A-5): years and account backfilled, cover after W-6', async () => {
    const h = suite.harness();
    const s = await scenario(h, 'unit');
    const exec = await h.start(s.caseId);
    const first = await h.storedToken(s.caseId);
    await h.advanceTo('2026-11-30T00:00:00+08:00');
    const token = await h.storedToken(s.caseId, first);
    await h.advanceTo('2026-12-10T10:00:00+08:00');
    const notificationId = await pay(h, s.identityKey, 'unit', '2026-12-10T10:00:00+08:00', 54_000);
    h.sfn.sendTaskSuccess(token, { event: 'payment', caseId: s.caseId, notificationId });
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(s.caseId);
    expect(c).toMatchObject({ state: 'completed', closedOn: '2026-12-10' });
    expect(c.data.outcome).toMatchObject({
      decidedBy: 'A-5',
      paidOn: '2026-12-10',
      arrearsPeriodCovered: false,
      yearsAndAccountCredited: true,
      coverStarts: '2027-03-11',
      principalFen: 54_000,
      lateFeeFen: 1_917,
      amountDueFen: 55_917,
    });
    expect(await h.store.statusOn(s.identityKey, '2026-09-15')).toMatchObject({ covered: false });
    expect(await h.store.statusOn(s.identityKey, '2027-03-11')).toMatchObject({ covered: true, status: 'normal' });
    expect(h.path(exec)).toEqual([
      'Open',
      'AwaitPayment',
      'Timeout',
      'AfterTimeout',
      'AwaitPayment',
      'Settle',
      'IsSettled',
      'Done',
    ]);
    suite.recordTransitions(h, 'unit: paid 2026-12-10, after day 90 (A-5)', exec, 8);
  });

  it('a payment already in the ledger before the token is stored: await-payment resumes at once (A-4)', async () => {
    const h = suite.harness();
    const s = await scenario(h, 'unit');
    // Paid at 00:02 on 2026-10-01, three minutes before the sweep opened the case.
    const notificationId = await pay(h, s.identityKey, 'unit', '2026-10-01T00:02:00+08:00', 54_000);
    const exec = await h.start(s.caseId);
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(s.caseId);
    expect(c).toMatchObject({ state: 'completed', taskToken: null, closedOn: '2026-10-01' });
    expect(c.data.outcome).toMatchObject({
      decidedBy: 'A-4',
      paidOn: '2026-10-01', // one day after the 2026-09-30 due date: 0.05 % of 540.00 = 0.27
      restoredOn: '2026-10-02',
      coverStarts: '2026-09-01',
      principalFen: 54_000,
      lateFeeFen: 27,
      amountDueFen: 54_027,
      notificationId,
    });
    expect(await h.store.statusOn(s.identityKey, '2026-09-15')).toMatchObject({ covered: true, status: 'normal' });
    expect(h.issued.map((t) => t.stateName)).toEqual(['AwaitPayment']);
    expect(h.path(exec)).toEqual(['Open', 'AwaitPayment', 'Settle', 'IsSettled', 'Done']);
    suite.recordTransitions(h, 'unit: paid before the token was stored', exec, 5);
  });

  it('a short payment (settled: false) waits again to the same deadline; the top-up settles it (A-4)', async () => {
    const h = suite.harness();
    const s = await scenario(h, 'unit');
    const exec = await h.start(s.caseId);
    await payAndResume(h, s, 'unit', '2026-10-15T09:00:00+08:00', 40_000);
    const second = await h.storedToken(s.caseId, h.issued[0]!.token);
    // Waiting again, with what is left to the end of 2026-11-29 CST (not another 90 days).
    const again = h.issued[1]!;
    expect(again.stateName).toBe('AwaitPayment');
    expect(again.token).toBe(second);
    const reopened = h.path(exec).filter((n) => n === 'Open');
    expect(reopened).toHaveLength(2);
    const openOut = exec.events().filter((e) => e.type === 'StateExited' && e.stateName === 'Open')[1]!.output as {
      timeoutSeconds: number;
    };
    expect(openOut.timeoutSeconds).toBe(
      (Date.parse('2026-11-30T00:00:00+08:00') - Date.parse('2026-10-15T09:00:00+08:00')) / 1000,
    );
    expect((await h.store.getCase(s.caseId)).state).toBe('waiting-payment');

    await h.advanceTo('2026-10-20T11:00:00+08:00');
    const notificationId = await pay(h, s.identityKey, 'unit', '2026-10-20T11:00:00+08:00', 14_000);
    h.sfn.sendTaskSuccess(second, { event: 'payment', caseId: s.caseId, notificationId });
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(s.caseId);
    // The whole 540.00 is in the ledger on 2026-10-20 (day 50): A-4; the late fee counts to that day.
    expect(c).toMatchObject({ state: 'completed', closedOn: '2026-10-20' });
    expect(c.data.outcome).toMatchObject({
      decidedBy: 'A-4',
      paidOn: '2026-10-20',
      restoredOn: '2026-10-21',
      coverStarts: '2026-09-01',
      principalFen: 54_000,
      notificationId,
    });
    expect(auditLines(await h.audit(s.caseId))).toEqual([
      `${T0} case-opened:opened | test`,
      `${T0} case-saved:waiting-payment | A-1:`,
      `${T0} case-saved:waiting-payment | wait`, // token 1
      '2026-10-15T01:00:00.000Z case-saved:waiting-payment | wait', // token 2: settle wrote nothing on the short payment
      '2026-10-20T03:00:00.000Z case-saved:completed | A-4:',
    ]);
    expect(h.path(exec)).toEqual([
      'Open',
      'AwaitPayment',
      'Settle',
      'IsSettled',
      'Open',
      'AwaitPayment',
      'Settle',
      'IsSettled',
      'Done',
    ]);
    suite.recordTransitions(h, 'unit: short payment, then the top-up', exec, 9);
  });
});

describe('task errors', () => {
  it('a case the tasks cannot work on ends in NeedsStaffReview; a missing case in Failed, with the task error', async () => {
    const h = suite.harness();
    const s = await scenario(h, 'unit');
    const c = await h.store.getCase(s.caseId);
    await h.store.saveCase({ ...c, data: { ...c.data, months: [] } }, c.version, staff); // no months: Case.DataInvalid
    const review = await h.start(s.caseId);
    expect(await h.finish(review)).toMatchObject({
      status: 'FAILED',
      error: 'Case.NeedsStaffReview',
      cause: expect.stringContaining('Case.DataInvalid'),
    });
    expect(h.path(review)).toEqual(['Open', 'NeedsStaffReview']);
    expect((await h.store.getCase(s.caseId)).state).toBe('opened');

    const missing = await h.start('arrears-2026-09-no-such-case');
    expect(await h.finish(missing)).toMatchObject({ status: 'FAILED', error: 'Case.NotFound' });
    expect(h.path(missing)).toEqual(['Open', 'Failed']);
  });
});

describe('re-armed after a restart (shared/app/workflows/rearm.ts)', () => {
  it('unit, in the A-5 backfill wait: the fresh execution waits to the same horizon (2027-05-28), then closes (A-7)', async () => {
    const before = suite.harness();
    const s = await scenario(before, 'unit');
    await before.start(s.caseId);
    const first = await before.storedToken(s.caseId);
    await before.advanceTo('2026-11-30T00:00:00+08:00');
    const lost = await before.storedToken(s.caseId, first);
    before.sfn.dispose();

    const after = suite.harness('2027-01-10T09:00:00+08:00');
    const exec = (await rearmOnto(after, 'arrears-timer', '220100', [s.caseId])).get(s.caseId)!;
    await after.storedToken(s.caseId, lost);
    expect(await after.store.getCase(s.caseId)).toMatchObject({
      state: 'awaiting-backfill',
      wait: { for: 'backfill', until: '2027-05-28' },
    });
    await after.advanceTo('2027-05-28T23:59:59+08:00');
    expect(after.sfn.describeExecution(exec.executionArn).status).toBe('RUNNING');
    await after.advanceTo('2027-05-29T00:00:00+08:00');
    expect(await after.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(await after.store.getCase(s.caseId)).toMatchObject({ state: 'closed', closedOn: '2027-05-29' });
    expect(after.path(exec)).toEqual(['Open', 'AwaitPayment', 'Timeout', 'AfterTimeout', 'Done']);
  });

  it('flexible, paid while the system was down (day 60): the re-armed wait finds the payment and settles (A-4)', async () => {
    const before = suite.harness();
    const s = await scenario(before, 'flexible');
    await before.start(s.caseId);
    const lost = await before.storedToken(s.caseId);
    before.sfn.dispose();
    await pay(before, s.identityKey, 'flexible', '2026-10-30T10:00:00+08:00', 54_000);

    const after = suite.harness('2026-10-31T09:00:00+08:00');
    const exec = (await rearmOnto(after, 'arrears-timer', '220100', [s.caseId])).get(s.caseId)!;
    expect(await after.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await after.store.getCase(s.caseId);
    expect(c.taskToken).not.toBe(lost);
    expect(c).toMatchObject({ state: 'completed', closedOn: '2026-10-31' });
    expect(c.data.outcome).toMatchObject({ decidedBy: 'A-4', paidOn: '2026-10-30', arrearsPeriodCovered: true });
    expect(after.path(exec)).toEqual(['Open', 'AwaitPayment', 'Settle', 'IsSettled', 'Done']);
  });
});
