/**
 * Bankruptcy deferral (B-1…B-4) and retirement transfer (R-1…R-8) tasks on DynamoDB Local. A unit in
 * Jilin City filed for bankruptcy on 2026-09-15 and its deferral agreement on 2026-09-28, to end on
 * 2026-12-31; its employees owe 2026-09 and 2026-10 on a 5,000.00 yuan base (425.00 a month each).
 */
import { describe, expect, it } from 'vitest';
import { arrearsTimerTasks } from '#functions/tasks/arrears-timer/handler.js';
import { bankruptcyDeferralTasks } from '#functions/tasks/bankruptcy-deferral/handler.js';
import { retirementTransferTasks } from '#functions/tasks/retirement-transfer/handler.js';
import { b4ArrearsCaseId } from '#app/workflows/bankruptcy-deferral.js';
import {
  DEFERRED_MONTHS,
  openBankruptcyDeferral,
  openRetirementApplication,
  payDeferredMonth,
} from '../../support/fixtures.js';
import { depsAt, employeeEnrollment, newIdentityKey, staff, uid, useWorkflowStore } from './helpers.js';

const suite = useWorkflowStore();

describe('bankruptcy deferral', () => {
  it('files (B-1): benefits kept, 200.00 a person of account credits held, wait to the end of 2026-12-31', async () => {
    const a = newIdentityKey('19700101');
    const b = newIdentityKey('19700102');
    const u = await openBankruptcyDeferral(suite.store, [a, b]);
    const { deps } = depsAt(suite.store, '2026-11-10T09:00:00+08:00');
    const t = bankruptcyDeferralTasks(deps);
    const out = await t.handler({ task: 'file', caseId: u.caseId, now: '2026-12-31T12:00:00+08:00' });
    expect(out).toEqual({
      caseId: u.caseId,
      state: 'in-force',
      deferralInForce: true,
      endsOn: '2026-12-31',
      employees: 2,
      heldCreditFen: 40_000,
      unpaidFen: 170_000,
      timeoutSeconds: 12 * 3600,
    });
    expect(await t.file({ caseId: u.caseId, now: '2026-12-31T12:00:00+08:00' })).toEqual(out);
    expect((await suite.store.auditTrail({ caseId: u.caseId })).items.map((x) => x.action)).toEqual([
      'case-opened:opened',
      'case-saved:in-force',
    ]);
  });

  it('all paid (B-2): held credits released at once, a blocked retirement transfer resumed', async () => {
    const a = newIdentityKey('19650301');
    const u = await openBankruptcyDeferral(suite.store, [a]);
    const at = depsAt(suite.store, '2026-11-10T09:00:00+08:00');
    const b = bankruptcyDeferralTasks(at.deps);
    await b.file({ caseId: u.caseId });

    // The employee applies for the retirement transfer meanwhile: R-8 holds it for the dues (850.00).
    const r = retirementTransferTasks(at.deps);
    const { caseId: app } = await openRetirementApplication(suite.store, {
      identityKey: a,
      unitId: u.unitId,
      deemedMonths: 168,
    });
    const ev = await r.evaluate({ caseId: app });
    expect(ev).toMatchObject({
      state: 'waiting-dues',
      next: 'await-dues',
      evaluation: { blockedBy: 'R-8', duesFirstFen: 85_000 },
    });
    await r.await({ caseId: app, taskToken: 'retire-token' });

    await payDeferredMonth(suite.store, a, u.unitId, '2026-09', '2026-11-20T10:00:00+08:00');
    expect(await b['record-settlement']({ caseId: u.caseId })).toEqual({
      caseId: u.caseId,
      state: 'in-force',
      allPaid: false,
      unpaidFen: 42_500,
    });
    await payDeferredMonth(suite.store, a, u.unitId, '2026-10', '2026-11-25T10:00:00+08:00');
    at.clock.set(Date.parse('2026-11-25T12:00:00+08:00'));
    const done = await b['record-settlement']({ caseId: u.caseId });
    expect(done).toMatchObject({ state: 'completed', allPaid: true, unpaidFen: 0, creditsReleased: { fen: 20_000 } });
    expect(['2026-11-25', '2026-11-26']).toContain(done.creditsReleased?.on);
    expect(at.recorded.succeeded).toEqual([
      { token: 'retire-token', output: { event: 'dues-paid', unitId: u.unitId } },
    ]);
    expect(await b['record-settlement']({ caseId: u.caseId })).toEqual(done);

    // Resumed, the application is evaluated again: eligible now (30 years), the transfer completes.
    expect(await r.evaluate({ caseId: app })).toMatchObject({
      state: 'completed',
      next: 'done',
      evaluation: { eligibleNow: true },
    });
  });

  it('ends unpaid (B-4): an arrears case per unpaid employee from 2027-01-01, its timer started once', async () => {
    const paid = newIdentityKey('19710101');
    const unpaid = newIdentityKey('19710102');
    const u = await openBankruptcyDeferral(suite.store, [paid, unpaid]);
    const at = depsAt(suite.store, '2026-11-10T09:00:00+08:00');
    const b = bankruptcyDeferralTasks(at.deps);
    await b.file({ caseId: u.caseId });
    await payDeferredMonth(suite.store, paid, u.unitId, '2026-09', '2026-12-01T10:00:00+08:00');
    await payDeferredMonth(suite.store, paid, u.unitId, '2026-10', '2026-12-01T10:00:00+08:00');
    at.clock.set(Date.parse('2027-01-01T00:10:00+08:00'));
    const out = await b.end({ caseId: u.caseId });
    const arrearsId = b4ArrearsCaseId(u.caseId, unpaid, 'E1');
    expect(out).toEqual({
      caseId: u.caseId,
      state: 'closed',
      allPaid: false,
      unpaidFen: 85_000,
      arrearsCases: [arrearsId],
    });
    expect(at.recorded.started).toEqual([
      { machine: 'arrears-timer', caseId: arrearsId, input: { caseId: arrearsId } },
    ]);
    expect(await b.end({ caseId: u.caseId })).toEqual(out);
    expect(at.recorded.started).toHaveLength(1);

    // The arrears timer takes it from there: suspended from 2027-01-01, window to 2027-03-31 (A-1, B-4).
    const opened = await arrearsTimerTasks(at.deps).open({ caseId: arrearsId, now: '2027-01-01T00:10:00+08:00' });
    expect(opened).toMatchObject({ suspendedFrom: '2027-01-01', windowLastDay: '2027-03-31', principalFen: 85_000 });
    expect(await suite.store.statusOn(unpaid, '2026-12-31')).toMatchObject({ covered: true });
    expect(await suite.store.statusOn(unpaid, '2027-01-01')).toMatchObject({ covered: false, status: 'suspended' });
    expect(await suite.store.statusOn(paid, '2027-01-01')).toMatchObject({ covered: true });
  });
});

describe('retirement transfer', () => {
  it('short by 2 years: offers the options, takes the lump sum of 11473.92, credits the account 2868.48 once (R-7)', async () => {
    const k = newIdentityKey('19650310');
    const { caseId } = await openRetirementApplication(suite.store, { identityKey: k });
    const at = depsAt(suite.store, '2026-04-20T10:00:00+08:00');
    const r = retirementTransferTasks(at.deps);
    const ev = await r.handler({ task: 'evaluate', caseId, now: '2026-04-20T10:00:00+08:00' });
    expect(ev).toMatchObject({
      state: 'waiting-choice',
      next: 'await-choice',
      evaluation: {
        processedOn: '2026-04-20',
        shortfallMonths: 24,
        options: ['continue-paying', 'lump-sum', 'resident'],
        lumpSumFen: 1_147_392,
        accountCreditFen: 286_848,
      },
      timeoutSeconds: 60 * 86_400 + 14 * 3600,
    });
    await r.await({ caseId, taskToken: 'choice-token' });
    expect((await suite.store.getCase(caseId)).taskToken).toBe('choice-token');

    const choice = await r['record-choice']({ caseId, choice: 'lump-sum', now: '2026-04-21T10:00:00+08:00' });
    expect(choice).toMatchObject({
      state: 'waiting-lump-sum',
      next: 'await-payment',
      lumpSumFen: 1_147_392,
      dueBy: '2026-05-20',
    });
    expect(await r['record-choice']({ caseId, choice: 'lump-sum', now: '2026-04-21T10:00:00+08:00' })).toEqual(choice);
    await expect(r['record-choice']({ caseId, choice: 'resident' })).rejects.toMatchObject({
      name: 'Case.StateInvalid',
    });

    at.clock.set(Date.parse('2026-05-06T15:00:00+08:00'));
    const credit = await r['credit-account']({ caseId, paidOn: '2026-05-06' });
    expect(credit).toEqual({
      caseId,
      state: 'completed',
      accountCredit: { creditId: `${caseId}-R-7`, fen: 286_848, creditedOn: '2026-05-06' },
    });
    expect(await r['credit-account']({ caseId, paidOn: '2026-05-07' })).toEqual(credit);
    const actions = (await suite.store.auditTrail({ caseId })).items.map((a) => a.action);
    expect(actions.filter((a) => a === 'case-saved:completed')).toHaveLength(1);
  });

  it('refuses a choice the evaluation did not offer, and lapses when no choice comes', async () => {
    const k = newIdentityKey('19650311');
    const { caseId } = await openRetirementApplication(suite.store, { identityKey: k });
    const at = depsAt(suite.store, '2026-04-20T10:00:00+08:00');
    const r = retirementTransferTasks(at.deps);
    await r.evaluate({ caseId });
    await expect(r['record-choice']({ caseId, choice: 'transfer' })).rejects.toMatchObject({
      name: 'Choice.NotOffered',
    });
    expect(await r.expire({ caseId })).toEqual({ caseId, state: 'lapsed' });
    expect(await r.expire({ caseId })).toEqual({ caseId, state: 'lapsed' });
  });
});

describe('cases opened by the staff API (its data shapes and state names)', () => {
  it('bankruptcy: terms under data.agreement, no enrollment ids, ended by staff → B-4 arrears per employee', async () => {
    const k = newIdentityKey('19720303');
    const unitId = uid('U');
    await suite.store.createEnrollment(employeeEnrollment(k, 'E7', { region: '220200', unitId }), staff);
    const caseId = uid('BD');
    await suite.store.openCase(
      {
        caseId,
        caseType: 'bankruptcy-deferral',
        region: '220200',
        subject: { kind: 'unit', unitId },
        state: 'in-force',
        openedOn: '2026-09-28',
        wait: { for: 'settlement-or-ruling', until: '2026-12-31' },
        taskToken: null,
        data: {
          unitId,
          agreement: {
            filedOn: '2026-09-15',
            taxConfirmed: true,
            agreementFiledOn: '2026-09-28',
            agreementEndsOn: '2026-12-31',
          },
          employees: [{ identityKey: k, months: DEFERRED_MONTHS }],
        },
      },
      staff,
    );
    const at = depsAt(suite.store, '2026-10-10T09:00:00+08:00');
    const b = bankruptcyDeferralTasks(at.deps);
    expect(await b.file({ caseId })).toMatchObject({ state: 'in-force', deferralInForce: true, heldCreditFen: 20_000 });
    // Staff record the court's ruling of 2026-11-30 (state `ended`); the execution's end task takes over.
    const c = await suite.store.getCase(caseId);
    await suite.store.saveCase(
      { ...c, state: 'ended', wait: null, data: { ...c.data, end: { cause: 'ruling', endedOn: '2026-11-30' } } },
      c.version,
      staff,
    );
    at.clock.set(Date.parse('2026-12-01T08:00:00+08:00'));
    const out = await b.end({ caseId });
    expect(out).toMatchObject({
      state: 'closed',
      allPaid: false,
      unpaidFen: 85_000,
      arrearsCases: [b4ArrearsCaseId(caseId, k, 'E7')],
    });
    expect(await suite.store.getCase(b4ArrearsCaseId(caseId, k, 'E7'))).toMatchObject({
      data: { enrollmentId: 'E7', firstUnpaidDay: '2026-12-01', deferredUntil: '2026-11-30' },
    });
  });

  it('retirement: evaluated at opening (awaiting-choice), choice recorded by staff (choice-recorded)', async () => {
    const k = newIdentityKey('19650312');
    const caseId = uid('RT');
    await suite.store.openCase(
      {
        caseId,
        caseType: 'retirement-transfer',
        region: '220200',
        subject: { kind: 'person', identityKey: k },
        state: 'awaiting-choice',
        openedOn: '2026-04-20',
        wait: { for: 'person-choice', until: '2026-06-19' },
        taskToken: null,
        data: {
          identityKey: k,
          enrollmentId: 'E1',
          options: ['continue-paying', 'lump-sum', 'resident'],
          eligibleNow: false,
          blockedBy: null,
          duesFirstFen: 0,
          lumpSumFen: 1_147_392,
          accountCreditFen: 286_848,
        },
      },
      staff,
    );
    const at = depsAt(suite.store, '2026-04-20T10:00:00+08:00');
    const r = retirementTransferTasks(at.deps);
    expect(await r.evaluate({ caseId })).toMatchObject({ next: 'await-choice', evaluation: { lumpSumFen: 1_147_392 } });
    await r.await({ caseId, taskToken: 'choice' });
    const c = await suite.store.getCase(caseId);
    await suite.store.saveCase(
      {
        ...c,
        state: 'choice-recorded',
        wait: null,
        taskToken: null,
        data: { ...c.data, choice: { choice: 'lump-sum', recordedOn: '2026-04-22', recordedBy: 'cc-0042' } },
      },
      c.version,
      staff,
    );
    at.clock.set(Date.parse('2026-04-22T11:00:00+08:00'));
    expect(await r['record-choice']({ caseId, choice: 'lump-sum' })).toMatchObject({
      state: 'waiting-lump-sum',
      next: 'await-payment',
      dueBy: '2026-05-22',
    });
    expect(await r['credit-account']({ caseId, paidOn: '2026-05-06' })).toMatchObject({
      state: 'completed',
      accountCredit: { fen: 286_848, creditedOn: '2026-05-06' },
    });
  });
});
