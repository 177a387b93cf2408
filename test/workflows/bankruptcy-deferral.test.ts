/**
 * The bankruptcy deferral state machine, as synthesized, run by the local adapter on a virtual clock with the
 * REAL task handler on DynamoDB Local. A unit in Jilin City filed for bankruptcy on 2026-09-15 and its deferral
 * agreement on 2026-09-28, to end on 2026-12-31; each employee owes 2026-09 and 2026-10 on a 5,000.00 base
 * (425.00 a month). Intake resumes the execution on a unit payment; staff resume it with a court ruling.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { bankruptcyDeferralTasks } from '#functions/tasks/bankruptcy-deferral/handler.js';
import { buildBankruptcyDeferralStateMachine } from '#infra/state-machines/bankruptcy-deferral.js';
import { b4ArrearsCaseId } from '#app/workflows/bankruptcy-deferral.js';
import { openBankruptcyDeferral, payDeferredMonth } from '../support/fixtures.js';
import { auditLines, type Harness, newIdentityKey, staff, uid, useWorkflowSuite, validateAsl } from './support.js';

const suite = useWorkflowSuite({
  entry: 'functions/tasks/bankruptcy-deferral/handler.ts',
  build: buildBankruptcyDeferralStateMachine,
  tasks: bankruptcyDeferralTasks,
  start: '2026-11-10T09:00:00+08:00',
});

const transitions: Record<string, number> = {};
afterAll(() => console.info('bankruptcy-deferral transitions per path', transitions));

/** The unit's employees enrolled, and the deferral case as the staff API opens it on 2026-11-10. */
const unitInBankruptcy = (h: Harness, employees: string[], opts: { taxConfirmed?: boolean } = {}) =>
  openBankruptcyDeferral(h.store, employees, { ...opts, unitId: uid('U-220200'), openedOn: '2026-11-10' });

/** Intake: the unit's payment for one employee and month goes to the ledger… */
const pay = (h: Harness, identityKey: string, unitId: string, feeMonth: string, paidAt: string) =>
  payDeferredMonth(h.store, identityKey, unitId, feeMonth, paidAt);

/** …and resumes the deferral execution waiting on the case, with the token stored there. */
async function resumeAsIntake(h: Harness, caseId: string, token: string, notificationId: string) {
  expect((await h.store.getCase(caseId)).taskToken).toBe(token); // where intake finds it
  expect(await h.deps.callbacks!.succeed(token, { event: 'payment', notificationId })).toBe('resumed');
}

describe('the definition', () => {
  it('is valid ASL, JSONPath only, Standard, logs ALL with X-Ray on, cdk-nag clean', () => {
    expect(validateAsl(suite.wf.definition)).toEqual({ isValid: true, errors: expect.any(String) });
    // The state machine and its role are clean (the function's own findings are suppressed by the system stack).
    expect(suite.wf.nagFindings.filter((f) => !f.startsWith('/WorkflowTest/Tasks/'))).toEqual([]);
    expect(JSON.stringify(suite.wf.definition)).not.toMatch(/JSONata|"Assign"|"Arguments"|"Output"/);
    expect(suite.wf.resource.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL' },
    });
    expect(suite.wf.definition.States.AwaitSettlement).toMatchObject({
      Resource: expect.stringMatching(/:states:::lambda:invoke\.waitForTaskToken$/),
      TimeoutSecondsPath: '$.filed.timeoutSeconds',
      Parameters: { Payload: { task: 'await-settlement', 'taskToken.$': '$$.Task.Token' } },
    });
  });
});

describe('bankruptcy deferral', () => {
  it('paid in full in two settlements (B-1, B-2): held credits released at once, no arrears', async () => {
    const h = suite.harness();
    const a = newIdentityKey('19700101');
    const b = newIdentityKey('19700102');
    const u = await unitInBankruptcy(h, [a, b]);
    const exec = await h.start(u.caseId);

    const first = await h.storedToken(u.caseId);
    expect(await h.store.getCase(u.caseId)).toMatchObject({
      state: 'in-force',
      wait: { for: 'settlement', until: '2026-12-31' },
      data: { filed: { deferralInForce: true, heldCreditFen: 40_000, unpaidFen: 170_000 } },
    });

    // 2026-11-20: the unit settles 2026-09 for both.
    await h.advanceTo('2026-11-20T10:00:00+08:00');
    await pay(h, a, u.unitId, '2026-09', '2026-11-20T10:00:00+08:00');
    const n1 = await pay(h, b, u.unitId, '2026-09', '2026-11-20T10:00:00+08:00');
    await resumeAsIntake(h, u.caseId, first, n1);
    const second = await h.storedToken(u.caseId, first);
    expect((await h.store.getCase(u.caseId)).data.settlement).toEqual({ allPaid: false, unpaidFen: 85_000 });

    // 2026-11-25: and 2026-10.
    await h.advanceTo('2026-11-25T10:00:00+08:00');
    await pay(h, a, u.unitId, '2026-10', '2026-11-25T10:00:00+08:00');
    const n2 = await pay(h, b, u.unitId, '2026-10', '2026-11-25T10:00:00+08:00');
    await resumeAsIntake(h, u.caseId, second, n2);

    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(h.path(exec)).toEqual([
      'File',
      'InForce?',
      'AwaitSettlement',
      'Resumed',
      'RecordSettlement',
      'Settled?',
      'Deadline',
      'AwaitSettlement',
      'Resumed',
      'RecordSettlement',
      'Settled?',
      'PaidInFull',
    ]);
    const c = await h.store.getCase(u.caseId);
    expect(c).toMatchObject({
      state: 'completed',
      wait: null,
      taskToken: null,
      closedOn: '2026-11-25',
      data: { settlement: { allPaid: true, unpaidFen: 0, creditsReleased: { fen: 40_000 } } },
    });
    expect(['2026-11-25', '2026-11-26']).toContain(
      (c.data.settlement as { creditsReleased: { on: string } }).creditsReleased.on,
    );
    expect(auditLines(await h.audit(u.caseId))).toEqual([
      '2026-11-10T01:00:00.000Z case-opened:opened | test',
      '2026-11-10T01:00:00.000Z case-saved:in-force | B-1:',
      '2026-11-10T01:00:00.000Z case-saved:in-force | wait',
      '2026-11-20T02:00:00.000Z case-saved:in-force | B-1:',
      '2026-11-20T02:00:00.000Z case-saved:in-force | wait',
      '2026-11-25T02:00:00.000Z case-saved:completed | B-2:',
    ]);
    expect(h.started).toEqual([]);
    // B-1: benefits kept all along.
    expect(await h.store.statusOn(a, '2026-11-01')).toMatchObject({ covered: true });
    const t = h.transitions(exec);
    expect(t).toMatchObject({ total: 12, retries: 0 });
    transitions['paid in full in two settlements'] = t.total;
  });

  it('ends unpaid on 2026-12-31 (B-4): an arrears case and timer per unpaid employee from 2027-01-01', async () => {
    const h = suite.harness();
    const paid = newIdentityKey('19710101');
    const half = newIdentityKey('19710102');
    const none = newIdentityKey('19710103');
    const u = await unitInBankruptcy(h, [paid, half, none]);
    const exec = await h.start(u.caseId);
    const first = await h.storedToken(u.caseId);

    // 2026-12-01: one employee paid in full, another only 2026-09.
    await h.advanceTo('2026-12-01T10:00:00+08:00');
    await pay(h, paid, u.unitId, '2026-09', '2026-12-01T10:00:00+08:00');
    await pay(h, paid, u.unitId, '2026-10', '2026-12-01T10:00:00+08:00');
    const n = await pay(h, half, u.unitId, '2026-09', '2026-12-01T10:00:00+08:00');
    await resumeAsIntake(h, u.caseId, first, n);
    await h.storedToken(u.caseId, first);

    // The wait (re-armed from 2026-12-01) still ends with the agreement's last day.
    await h.advanceTo('2026-12-31T23:59:59+08:00');
    expect(h.sfn.describeExecution(exec.executionArn).status).toBe('RUNNING');
    await h.advanceTo('2027-01-01T00:00:00+08:00');
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(h.path(exec).slice(-4)).toEqual(['Deadline', 'AwaitSettlement', 'End', 'Ended']);

    const halfId = b4ArrearsCaseId(u.caseId, half, 'E1');
    const noneId = b4ArrearsCaseId(u.caseId, none, 'E1');
    expect(h.started).toEqual([
      { machine: 'arrears-timer', caseId: halfId, input: { caseId: halfId } },
      { machine: 'arrears-timer', caseId: noneId, input: { caseId: noneId } },
    ]);
    expect(await h.store.getCase(u.caseId)).toMatchObject({
      state: 'closed',
      closedOn: '2027-01-01',
      taskToken: null,
      data: { settlement: { allPaid: false, unpaidFen: 127_500, arrearsCases: [halfId, noneId] } },
    });
    expect(await h.store.getCase(halfId)).toMatchObject({
      caseType: 'arrears',
      state: 'opened',
      openedOn: '2027-01-01',
      data: {
        identityKey: half,
        enrollmentId: 'E1',
        unitId: u.unitId,
        months: [{ feeMonth: '2026-10', baseFen: 500_000 }],
        firstUnpaidDay: '2027-01-01',
        deferredUntil: '2026-12-31',
        bankruptcyCaseId: u.caseId,
      },
    });
    expect((await h.store.getCase(noneId)).data).toMatchObject({
      months: [{ feeMonth: '2026-09' }, { feeMonth: '2026-10' }],
      firstUnpaidDay: '2027-01-01',
    });
    expect(auditLines(await h.audit(halfId))).toEqual(['2026-12-31T16:00:00.000Z case-opened:opened | B-4:']);
    expect(auditLines(await h.audit(u.caseId)).slice(-1)).toEqual([
      '2026-12-31T16:00:00.000Z case-saved:closed | B-4:',
    ]);
    const t = h.transitions(exec);
    // File, InForce?, Await, Resumed, RecordSettlement, Settled?, Deadline, Await, End, Ended.
    expect(t).toMatchObject({ total: 10, retries: 0 });
    transitions['agreement ends unpaid'] = t.total;
  });

  it('a court ruling ends it early (staff resume it): arrears from the day after the ruling', async () => {
    const h = suite.harness();
    const half = newIdentityKey('19720101');
    const none = newIdentityKey('19720102');
    const u = await unitInBankruptcy(h, [half, none]);
    const exec = await h.start(u.caseId);
    const first = await h.storedToken(u.caseId);
    await h.advanceTo('2026-12-01T10:00:00+08:00');
    const n = await pay(h, half, u.unitId, '2026-09', '2026-12-01T10:00:00+08:00');
    await resumeAsIntake(h, u.caseId, first, n);
    const second = await h.storedToken(u.caseId, first);

    // 2026-12-10: the court rules; staff record the end on the case, then resume the execution with it.
    await h.advanceTo('2026-12-10T15:00:00+08:00');
    const end = { cause: 'court-ruling', endedOn: '2026-12-10', endedBy: 'cc-0042' };
    await h.store.updateCase(
      u.caseId,
      (cur) => ({ ...cur, state: 'ended', wait: null, taskToken: null, data: { ...cur.data, end } }),
      { ...staff, reason: 'court-ruling on 2026-12-10: court ruled bankruptcy' },
    );
    expect(await h.deps.callbacks!.succeed(second, { event: 'agreement-ended', ...end })).toBe('resumed');

    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(h.path(exec).slice(-5)).toEqual(['Deadline', 'AwaitSettlement', 'Resumed', 'End', 'Ended']);
    const halfId = b4ArrearsCaseId(u.caseId, half, 'E1');
    const noneId = b4ArrearsCaseId(u.caseId, none, 'E1');
    expect(h.started.map((s) => s.caseId)).toEqual([halfId, noneId]);
    expect(await h.store.getCase(halfId)).toMatchObject({
      openedOn: '2026-12-11',
      data: { months: [{ feeMonth: '2026-10' }], firstUnpaidDay: '2026-12-11', deferredUntil: '2026-12-10' },
    });
    expect(await h.store.getCase(u.caseId)).toMatchObject({
      state: 'closed',
      closedOn: '2026-12-11',
      data: { settlement: { allPaid: false, unpaidFen: 127_500 } },
    });
    const t = h.transitions(exec);
    // File, InForce?, Await, Resumed, RecordSettlement, Settled?, Deadline, Await, Resumed, End, Ended.
    expect(t).toMatchObject({ total: 11, retries: 0 });
    transitions['court ruling ends it early'] = t.total;
  });

  it('not in force (tax did not confirm): closed at once, ordinary arrears apply', async () => {
    const h = suite.harness();
    const u = await unitInBankruptcy(h, [newIdentityKey('19730101')], { taxConfirmed: false });
    const exec = await h.start(u.caseId);
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    expect(h.path(exec)).toEqual(['File', 'InForce?', 'NotInForce']);
    expect(await h.store.getCase(u.caseId)).toMatchObject({ state: 'closed', closedOn: '2026-11-10' });
    transitions['not in force'] = h.transitions(exec).total;
    expect(transitions['not in force']).toBe(3);
  });

  it('a missing case fails the execution (Case.NotFound → Failed)', async () => {
    const h = suite.harness();
    const exec = await h.start(uid('no-such-case'));
    expect(await h.finish(exec)).toMatchObject({ status: 'FAILED', error: 'Case.NotFound' });
    transitions['case missing'] = h.transitions(exec).total;
    expect(transitions['case missing']).toBe(2);
  });
});
