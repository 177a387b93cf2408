/**
 * The retirement-transfer state machine as synthesized, run on the local adapter with the real task
 * handler on DynamoDB Local. The man born 1965-03-10 of docs/decisions.md (retirement age 60 years 1
 * month), unit mode in Jilin City: with 12 deemed years and 16 local combined years he is 2 years short
 * (options: keep paying, a lump sum of 11,473.92, resident insurance); with 14 deemed years he has 30.
 */
import { describe, expect, it } from 'vitest';
import { bankruptcyDeferralTasks } from '#functions/tasks/bankruptcy-deferral/handler.js';
import { retirementTransferTasks } from '#functions/tasks/retirement-transfer/handler.js';
import { buildRetirementTransferStateMachine } from '#infra/state-machines/retirement-transfer.js';
import { openBankruptcyDeferral, openRetirementApplication, payDeferredMonth } from '../support/fixtures.js';
import {
  auditLines,
  expectStandardDefinition,
  type Harness,
  newIdentityKey,
  rearmOnto,
  uid,
  useWorkflowSuite,
} from './support.js';

const suite = useWorkflowSuite({
  entry: 'functions/tasks/retirement-transfer/handler.ts',
  build: buildRetirementTransferStateMachine,
  tasks: retirementTransferTasks,
  start: '2026-04-20T10:00:00+08:00',
});

const T0 = '2026-04-20T02:00:00.000Z';
const SHORT_EVALUATION = {
  processedOn: '2026-04-20',
  eligibleNow: false,
  blockedBy: null,
  duesFirstFen: 0,
  options: ['continue-paying', 'lump-sum', 'resident'],
  shortfallMonths: 24,
  lumpSumFen: 1_147_392,
  accountCreditFen: 286_848,
};

describe('the synthesized definition', () => {
  it('is a Standard machine, logging ALL with X-Ray, JSONPath only, valid ASL, cdk-nag clean', () => {
    expectStandardDefinition(suite.wf);
  });

  it('waits for the choice and the lump sum with the token and TimeoutSecondsPath; a choice not offered waits again', () => {
    const s = suite.wf.definition.States;
    for (const name of ['AwaitChoice', 'AwaitPayment'])
      expect(s[name]).toMatchObject({
        Resource: expect.stringMatching(/:states:::lambda:invoke\.waitForTaskToken$/),
        TimeoutSecondsPath: '$.timeoutSeconds',
        Parameters: { Payload: { task: 'await', 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
        Catch: expect.arrayContaining([{ ErrorEquals: ['States.Timeout'], Next: 'Expire', ResultPath: null }]),
      });
    expect(s.AwaitDues).toMatchObject({
      TimeoutSeconds: 30 * 86_400,
      Catch: expect.arrayContaining([{ ErrorEquals: ['States.Timeout'], Next: 'Evaluate', ResultPath: null }]),
    });
    expect((s.RecordChoice!.Catch as unknown[])[0]).toEqual({
      ErrorEquals: ['Choice.NotOffered'],
      Next: 'Evaluate',
      ResultPath: '$.error',
    });
  });
});

/**
 * A unit in Jilin City filed for bankruptcy on 2026-09-15 and its deferral agreement on 2026-09-28 (to
 * 2026-12-31); its employee (the man born 1965-03-10, 30 years with 14 deemed) owes 2026-09 and 2026-10 on a
 * 5,000.00 base (425.00 a month): the deferral is filed (B-1) on 2026-11-10, when he applies.
 */
async function employeeUnderDeferral() {
  const h = suite.harness('2026-11-10T09:00:00+08:00');
  const identityKey = newIdentityKey('19650310');
  const { caseId: deferral, unitId } = await openBankruptcyDeferral(h.store, [identityKey]);
  const bankruptcy = bankruptcyDeferralTasks(h.deps);
  await bankruptcy.file({ caseId: deferral });
  return { h, identityKey, unitId, deferral, bankruptcy };
}

/** The unit pays both months on 2026-11-25 10:00 CST. */
async function payDues(h: Harness, identityKey: string, unitId: string) {
  await h.advanceTo('2026-11-25T10:00:00+08:00');
  for (const feeMonth of ['2026-09', '2026-10'])
    await payDeferredMonth(h.store, identityKey, unitId, feeMonth, '2026-11-25T10:00:00+08:00');
}

describe('paths', () => {
  it('eligible at once (30 years): the transfer completes on the processing day', async () => {
    const h = suite.harness();
    const a = await openRetirementApplication(h.store, { deemedMonths: 168 });
    const exec = await h.start(a.caseId);
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(a.caseId);
    expect(c).toMatchObject({ state: 'completed', wait: null, taskToken: null, closedOn: '2026-04-20' });
    expect(c.data).toMatchObject({
      transferredOn: '2026-04-20',
      evaluation: { eligibleNow: true, blockedBy: null, shortfallMonths: 0, options: ['transfer'] },
    });
    expect(auditLines(await h.audit(a.caseId))).toEqual([
      `${T0} case-opened:opened | test`,
      `${T0} case-saved:completed | R-1:`,
    ]);
    expect(h.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'Done']);
    suite.recordTransitions(h, 'eligible at once', exec, 3);
  });

  it('short → lump sum chosen → paid 2026-05-06 → the account credited 2,868.48 once (R-7)', async () => {
    const h = suite.harness();
    const a = await openRetirementApplication(h.store);
    const exec = await h.start(a.caseId);
    const choiceToken = await h.storedToken(a.caseId);
    const waiting = await h.store.getCase(a.caseId);
    expect(waiting).toMatchObject({ state: 'waiting-choice', wait: { for: 'choice', until: '2026-06-19' } });
    expect(waiting.data.evaluation).toEqual(SHORT_EVALUATION);

    await h.advanceTo('2026-04-21T10:00:00+08:00');
    h.sfn.sendTaskSuccess(choiceToken, { choice: 'lump-sum' });
    const paymentToken = await h.storedToken(a.caseId, choiceToken);
    expect(await h.store.getCase(a.caseId)).toMatchObject({
      state: 'waiting-lump-sum',
      wait: { for: 'lump-sum-payment', until: '2026-05-21' },
      data: { choice: 'lump-sum' },
    });

    await h.advanceTo('2026-05-06T15:00:00+08:00');
    const notificationId = uid('N');
    // What intake sends (paymentFacts): the notification and the payment day, among others.
    const payment = {
      event: 'payment',
      caseId: a.caseId,
      notificationId,
      purpose: 'retirement-lump-sum',
      scheme: 'employee',
      region: '220200',
      paidAt: '2026-05-06T14:30:00+08:00',
      paidOn: '2026-05-06',
      periods: [],
    };
    h.sfn.sendTaskSuccess(paymentToken, payment);
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    // A second notification of the same payment finds the wait over: nothing more is credited.
    expect(() => h.sfn.sendTaskSuccess(paymentToken, payment)).toThrow(/Task Timed Out|does not exist/);

    const c = await h.store.getCase(a.caseId);
    const credit = { creditId: `${a.caseId}-R-7`, fen: 286_848, creditedOn: '2026-05-06', notificationId };
    expect(c).toMatchObject({ state: 'completed', wait: null, taskToken: null, closedOn: '2026-05-06' });
    expect(c.data).toMatchObject({ choice: 'lump-sum', transferredOn: '2026-05-06', accountCredit: credit });
    // A retried credit-account answers from what it stored: still one credit.
    const again = await retirementTransferTasks(h.deps)['credit-account']({ caseId: a.caseId, paidOn: '2026-05-07' });
    expect(again.accountCredit).toEqual(credit);
    expect(auditLines(await h.audit(a.caseId))).toEqual([
      `${T0} case-opened:opened | test`,
      `${T0} case-saved:waiting-choice | R-4:`,
      `${T0} case-saved:waiting-choice | wait`,
      '2026-04-21T02:00:00.000Z case-saved:waiting-lump-sum | R-4:',
      '2026-04-21T02:00:00.000Z case-saved:waiting-lump-sum | wait',
      '2026-05-06T07:00:00.000Z case-saved:completed | R-7:',
    ]);
    expect(h.path(exec)).toEqual([
      'Evaluate',
      'EvaluateNext',
      'AwaitChoice',
      'RecordChoice',
      'ChoiceNext',
      'AwaitPayment',
      'CreditAccount',
    ]);
    suite.recordTransitions(h, 'short → lump sum → paid → credited once', exec, 7);
  });

  it.each([
    ['resident', 'short → resident insurance chosen'],
    ['continue-paying', 'short → keep paying'],
  ] as const)('short → %s chosen: the application completes with that choice', async (choice, label) => {
    const h = suite.harness();
    const a = await openRetirementApplication(h.store);
    const exec = await h.start(a.caseId);
    const token = await h.storedToken(a.caseId);
    await h.advanceTo('2026-05-12T09:30:00+08:00');
    h.sfn.sendTaskSuccess(token, { choice });
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(a.caseId);
    expect(c).toMatchObject({ state: 'completed', wait: null, taskToken: null, closedOn: '2026-05-12' });
    expect(c.data).toMatchObject({ choice, evaluation: SHORT_EVALUATION });
    expect(c.data).not.toHaveProperty('accountCredit');
    expect(auditLines(await h.audit(a.caseId))).toEqual([
      `${T0} case-opened:opened | test`,
      `${T0} case-saved:waiting-choice | R-4:`,
      `${T0} case-saved:waiting-choice | wait`,
      '2026-05-12T01:30:00.000Z case-saved:completed | R-4:',
    ]);
    expect(h.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'AwaitChoice', 'RecordChoice', 'ChoiceNext', 'Done']);
    suite.recordTransitions(h, label, exec, 6);
  });

  it('no choice by the end of 2026-06-19 (60 days): the application lapses', async () => {
    const h = suite.harness();
    const a = await openRetirementApplication(h.store);
    const exec = await h.start(a.caseId);
    await h.storedToken(a.caseId);
    await h.advanceTo('2026-06-19T23:59:59+08:00');
    expect((await h.store.getCase(a.caseId)).state).toBe('waiting-choice');
    await h.advanceTo('2026-06-20T00:00:00+08:00');
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(await h.store.getCase(a.caseId)).toMatchObject({
      state: 'lapsed',
      wait: null,
      taskToken: null,
      closedOn: '2026-06-20',
    });
    expect(auditLines(await h.audit(a.caseId), 12)).toEqual([
      `${T0} case-opened:opened | test set-up `,
      `${T0} case-saved:waiting-choice | R-4: legal r`,
      `${T0} case-saved:waiting-choice | waiting for `,
      '2026-06-19T16:00:00.000Z case-saved:lapsed | no choice by',
    ]);
    expect(h.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'AwaitChoice', 'Expire']);
    suite.recordTransitions(h, 'choice never made (expire)', exec, 4);
  });

  it('lump sum chosen but not paid by the end of 2026-05-21: the application lapses', async () => {
    const h = suite.harness();
    const a = await openRetirementApplication(h.store);
    const exec = await h.start(a.caseId);
    const token = await h.storedToken(a.caseId);
    await h.advanceTo('2026-04-21T10:00:00+08:00');
    h.sfn.sendTaskSuccess(token, { choice: 'lump-sum' });
    await h.storedToken(a.caseId, token);
    await h.advanceTo('2026-05-22T00:00:00+08:00');
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(a.caseId);
    expect(c).toMatchObject({ state: 'lapsed', closedOn: '2026-05-22', data: { choice: 'lump-sum' } });
    expect(c.data).not.toHaveProperty('accountCredit');
    expect(h.path(exec)).toEqual([
      'Evaluate',
      'EvaluateNext',
      'AwaitChoice',
      'RecordChoice',
      'ChoiceNext',
      'AwaitPayment',
      'Expire',
    ]);
    suite.recordTransitions(h, 'lump sum never paid (expire)', exec, 7);
  });

  it('a choice that was not offered waits again, to the same deadline', async () => {
    const h = suite.harness();
    const a = await openRetirementApplication(h.store);
    const exec = await h.start(a.caseId);
    const first = await h.storedToken(a.caseId);
    await h.advanceTo('2026-05-01T10:00:00+08:00');
    h.sfn.sendTaskSuccess(first, { choice: 'transfer' });
    const second = await h.storedToken(a.caseId, first);
    const evaluated = exec.events().filter((e) => e.type === 'StateExited' && e.stateName === 'Evaluate');
    // 2026-05-01 10:00 CST to the end of 2026-06-19 CST: 49 days and 14 hours (not 60 days again).
    expect((evaluated[1]!.output as { timeoutSeconds: number }).timeoutSeconds).toBe(49 * 86_400 + 14 * 3600);
    h.sfn.sendTaskSuccess(second, { choice: 'resident' });
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(await h.store.getCase(a.caseId)).toMatchObject({ state: 'completed', data: { choice: 'resident' } });
    expect(h.path(exec)).toEqual([
      'Evaluate',
      'EvaluateNext',
      'AwaitChoice',
      'RecordChoice',
      'Evaluate',
      'EvaluateNext',
      'AwaitChoice',
      'RecordChoice',
      'ChoiceNext',
      'Done',
    ]);
    suite.recordTransitions(h, 'a choice not offered, then resident', exec, 10);
  });

  it('blocked by B-3 while the employer’s deferral is in force with 850.00 due, then the dues paid: transferred', async () => {
    const { h, identityKey, unitId, deferral, bankruptcy } = await employeeUnderDeferral();

    const a = await openRetirementApplication(h.store, {
      deemedMonths: 168,
      unitId,
      openedOn: '2026-11-10',
      identityKey,
    });
    const exec = await h.start(a.caseId);
    await h.storedToken(a.caseId);
    const blocked = await h.store.getCase(a.caseId);
    expect(blocked).toMatchObject({ state: 'waiting-dues', wait: null });
    expect(blocked.data.evaluation).toMatchObject({ blockedBy: 'R-8', duesFirstFen: 85_000, deferralCaseId: deferral });
    expect((await h.store.getCase(deferral)).data.blockedCases).toEqual([a.caseId]);

    // The unit pays both months on 2026-11-25; the deferral's settlement task resumes the application.
    await payDues(h, identityKey, unitId);
    await h.advanceTo('2026-11-25T12:00:00+08:00');
    expect(await bankruptcy['record-settlement']({ caseId: deferral })).toMatchObject({
      state: 'completed',
      allPaid: true,
      unpaidFen: 0,
    });
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(a.caseId);
    expect(c).toMatchObject({ state: 'completed', taskToken: null, closedOn: '2026-11-25' });
    expect(c.data).toMatchObject({
      transferredOn: '2026-11-25',
      evaluation: { processedOn: '2026-11-25', eligibleNow: true, blockedBy: null },
    });
    expect(auditLines(await h.audit(a.caseId))).toEqual([
      '2026-11-10T01:00:00.000Z case-opened:opened | test',
      '2026-11-10T01:00:00.000Z case-saved:waiting-dues | R-1:', // evaluated: blocked by R-8
      '2026-11-10T01:00:00.000Z case-saved:waiting-dues | wait',
      '2026-11-25T04:00:00.000Z case-saved:completed | R-1:',
    ]);
    expect(h.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'AwaitDues', 'Evaluate', 'EvaluateNext', 'Done']);
    suite.recordTransitions(h, 'blocked by B-3, then the dues paid', exec, 6);
  });

  it('blocked by B-3, the resumption lost (no token when the deferral settled): the 30-day re-check transfers', async () => {
    const { h, identityKey, unitId, deferral } = await employeeUnderDeferral();
    const a = await openRetirementApplication(h.store, {
      deemedMonths: 168,
      unitId,
      openedOn: '2026-11-10',
      identityKey,
    });
    const exec = await h.start(a.caseId);
    await h.storedToken(a.caseId);
    await payDues(h, identityKey, unitId);
    await h.advanceTo('2026-11-25T12:00:00+08:00');
    // The settlement runs with a callback port that reaches nobody (the race of Evaluate and AwaitDues).
    const lost = bankruptcyDeferralTasks({
      ...h.deps,
      callbacks: { succeed: async () => 'gone', fail: async () => 'gone' },
    });
    expect(await lost['record-settlement']({ caseId: deferral })).toMatchObject({ state: 'completed', allPaid: true });
    await h.advanceTo('2026-12-10T08:59:59+08:00');
    expect((await h.store.getCase(a.caseId)).state).toBe('waiting-dues');
    await h.advanceTo('2026-12-10T09:00:00+08:00'); // 30 days after AwaitDues began
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(await h.store.getCase(a.caseId)).toMatchObject({
      state: 'completed',
      closedOn: '2026-12-10',
      data: { transferredOn: '2026-12-10', evaluation: { eligibleNow: true, blockedBy: null } },
    });
    expect(h.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'AwaitDues', 'Evaluate', 'EvaluateNext', 'Done']);
    suite.recordTransitions(h, 'blocked by B-3, resumption lost, re-checked after 30 days', exec, 6);
  });
});

describe('re-armed after a restart (shared/app/workflows/rearm.ts)', () => {
  it('waiting for the lump sum: a fresh execution goes straight to AwaitPayment, and the payment credits the account once', async () => {
    const before = suite.harness();
    const a = await openRetirementApplication(before.store);
    await before.start(a.caseId);
    const choiceToken = await before.storedToken(a.caseId);
    await before.advanceTo('2026-04-21T10:00:00+08:00');
    before.sfn.sendTaskSuccess(choiceToken, { choice: 'lump-sum' });
    const lostToken = await before.storedToken(a.caseId, choiceToken);
    before.sfn.dispose(); // the system stops: its executions are gone, the case stays in the store

    const after = suite.harness('2026-04-25T09:00:00+08:00');
    const exec = (await rearmOnto(after, 'retirement-transfer', '220200', [a.caseId])).get(a.caseId)!;
    const token = await after.storedToken(a.caseId, lostToken);
    expect(await after.store.getCase(a.caseId)).toMatchObject({
      state: 'waiting-lump-sum',
      wait: { for: 'lump-sum-payment', until: '2026-05-21' },
    });
    await after.advanceTo('2026-05-06T15:00:00+08:00');
    after.sfn.sendTaskSuccess(token, { event: 'payment', notificationId: 'N-rearm-1', paidOn: '2026-05-06' });
    expect(await after.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await after.store.getCase(a.caseId);
    expect(c).toMatchObject({ state: 'completed', closedOn: '2026-05-06' });
    expect(c.data).toMatchObject({ accountCredit: { fen: 286_848, creditedOn: '2026-05-06' } });
    expect(after.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'AwaitPayment', 'CreditAccount']);
    suite.recordTransitions(after, 're-armed waiting for the lump sum, then paid', exec, 4);
  });

  it('no choice by the deadline, though re-armed in between: the re-armed wait keeps the 60-day deadline', async () => {
    const before = suite.harness();
    const a = await openRetirementApplication(before.store);
    await before.start(a.caseId);
    const lostToken = await before.storedToken(a.caseId);
    before.sfn.dispose();

    const after = suite.harness('2026-05-30T09:00:00+08:00');
    const exec = (await rearmOnto(after, 'retirement-transfer', '220200', [a.caseId])).get(a.caseId)!;
    await after.storedToken(a.caseId, lostToken);
    await after.advanceTo('2026-06-19T23:59:59+08:00');
    expect((await after.store.getCase(a.caseId)).state).toBe('waiting-choice');
    await after.advanceTo('2026-06-20T00:00:00+08:00');
    expect(await after.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(await after.store.getCase(a.caseId)).toMatchObject({ state: 'lapsed', closedOn: '2026-06-20' });
    expect(after.path(exec)).toEqual(['Evaluate', 'EvaluateNext', 'AwaitChoice', 'Expire']);
  });
});
