/**
 * One arrears case per enrollment and fee month, whoever comes first: the daily sweep (a month due
 * unpaid, C-6) and intake (a short payment) open the same case, with the same id, and a short payment for a
 * month the sweep already holds joins the sweep's case instead of starting a second arrears timer. Beside
 * it, the arrears case module's own contract: the id, the closed union of states and their transitions, the
 * data schema that refuses a case whose enrollment is another person's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARREARS_CLOSED_STATES,
  ARREARS_OPEN_STATES,
  ARREARS_STATE,
  ARREARS_STATES,
  ARREARS_TRANSITIONS,
  arrearsCaseId,
  newArrearsCase,
  nextArrearsCase,
  readArrearsCase,
} from '#app/cases/arrears.js';
import { runDailySweep } from '#app/sweep/daily-sweep.js';
import { allCasesOf } from '#app/workflows/common.js';
import { REARM_PLANS } from '#app/workflows/rearm.js';
import { type Case, CLOSED_STATES } from '#store/model.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';
import { eventBody, idNumber, staff, storeOn, system, unitEnrollment, unitPayroll } from './support.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = storeOn(local);
});
afterAll(() => local?.stop());

/** The unit-contribution due of a 6,000.00 base in 220100 as the tax bureau assesses it (C-1…C-3). */
const DUE = 54_000;

/** A unit employee (enrollment E1) whose fee month `feeMonth` is expected by its due date. */
async function employeeExpecting(feeMonth: string, dueDate: string) {
  const number = idNumber();
  const identityKey = `CN:${number}`;
  await store.createEnrollment(unitEnrollment(identityKey, 'E1'), staff);
  await store.expectPayment(
    {
      identityKey,
      enrollmentId: 'E1',
      region: '220100',
      mode: 'unit',
      unitId: 'U-220100-0001',
      feeMonth,
      dueDate,
      baseFen: 600_000,
      dueFen: DUE,
    },
    staff,
  );
  return { number, identityKey };
}

const arrearsCases = async (identityKey: string) =>
  (await allCasesOf(store, { kind: 'person', identityKey })).filter((c) => c.caseType === 'arrears');

const holding = (cases: readonly Case[], feeMonth: string) =>
  cases.filter(
    (c) =>
      !CLOSED_STATES.has(c.state) &&
      (c.data.months as Array<{ feeMonth: string }>).some((m) => m.feeMonth === feeMonth),
  );

describe('a short payment for a month the sweep already opened', () => {
  it('joins the sweep’s arrears case: one case, one arrears timer', async () => {
    const { number, identityKey } = await employeeExpecting('2026-09', '2026-09-30');
    const sys = system(store, '2026-10-01T00:05:00+08:00');
    const report = await runDailySweep(sys.sweepDeps, { date: '2026-10-01', regions: ['220100'] });
    expect(report).toMatchObject({ arrearsOpened: 1, failures: [] });
    const caseId = arrearsCaseId({ identityKey, enrollmentId: 'E1', feeMonth: '2026-09' });
    expect((await store.getCase(caseId)).state).toBe('opened');

    // The unit pays a third of September on 2026-10-10.
    sys.clock.set(Date.parse('2026-10-10T10:00:00+08:00'));
    const outcome = await sys.intake.handleMessage(
      eventBody(
        unitPayroll({
          paidAt: '2026-10-10T10:00:00+08:00',
          insured: [{ number, periods: [{ feePeriod: '2026-09', amountFen: 18_000, baseFen: 600_000, dueFen: DUE }] }],
        }),
      ),
    );
    expect(outcome.kind).toBe('processed');
    if (outcome.kind !== 'processed') return;
    expect(outcome.persons[0]!.arrears).toMatchObject([{ caseId, feeMonth: '2026-09', caseOutcome: 'existing' }]);

    const cases = await arrearsCases(identityKey);
    expect(cases.map((c) => c.caseId)).toEqual([caseId]);
    // Every start was of that one case: Step Functions runs one timer for it.
    expect(new Set(sys.recorded.starts.map((s) => s.caseId))).toEqual(new Set([caseId]));
    expect(sys.recorded.started).toHaveLength(1);
  });

  it('joins the sweep’s run when the month was added to it (A-1: the run goes on)', async () => {
    const { number, identityKey } = await employeeExpecting('2026-09', '2026-09-30');
    const sys = system(store, '2026-10-01T00:05:00+08:00');
    await runDailySweep(sys.sweepDeps, { date: '2026-10-01', regions: ['220100'] });
    sys.clock.set(Date.parse('2026-11-01T00:05:00+08:00'));
    await runDailySweep(sys.sweepDeps, { date: '2026-11-01', regions: ['220100'] });
    const run = arrearsCaseId({ identityKey, enrollmentId: 'E1', feeMonth: '2026-09' });
    expect(readArrearsCase(await store.getCase(run)).data.months.map((m) => m.feeMonth)).toEqual([
      '2026-09',
      '2026-10',
    ]);

    sys.clock.set(Date.parse('2026-11-05T10:00:00+08:00'));
    await sys.intake.handleMessage(
      eventBody(
        unitPayroll({
          paidAt: '2026-11-05T10:00:00+08:00',
          insured: [{ number, periods: [{ feePeriod: '2026-10', amountFen: 20_000, baseFen: 600_000, dueFen: DUE }] }],
        }),
      ),
    );
    const cases = await arrearsCases(identityKey);
    expect(cases.map((c) => c.caseId)).toEqual([run]);
    expect(holding(cases, '2026-10').map((c) => c.caseId)).toEqual([run]);
    expect(sys.recorded.started.map((s) => s.caseId)).toEqual([run]);
  });
});

describe('a short payment before the month falls due', () => {
  it('opens the month’s case (the sweep’s id); the sweep opens no other', async () => {
    const { number, identityKey } = await employeeExpecting('2026-09', '2026-09-30');
    const sys = system(store, '2026-09-20T10:00:00+08:00');
    await sys.intake.handleMessage(
      eventBody(
        unitPayroll({
          paidAt: '2026-09-20T10:00:00+08:00',
          insured: [{ number, periods: [{ feePeriod: '2026-09', amountFen: 18_000, baseFen: 600_000, dueFen: DUE }] }],
        }),
      ),
    );
    const caseId = arrearsCaseId({ identityKey, enrollmentId: 'E1', feeMonth: '2026-09' });
    expect(readArrearsCase(await store.getCase(caseId)).data).toMatchObject({
      identityKey,
      enrollmentId: 'E1',
      months: [{ feeMonth: '2026-09', principalFen: DUE - 18_000, paidFen: 18_000 }],
      openedBy: expect.stringMatching(/^DW/),
    });

    sys.clock.set(Date.parse('2026-10-01T00:05:00+08:00'));
    const report = await runDailySweep(sys.sweepDeps, { date: '2026-10-01', regions: ['220100'] });
    expect(report.failures).toEqual([]);
    // Intake took the month off the sweep's list with the payment (C-6); the case follows it.
    expect(await store.getExpectedPayment({ identityKey, enrollmentId: 'E1', feeMonth: '2026-09' })).toMatchObject({
      status: 'paid',
    });
    expect((await arrearsCases(identityKey)).map((c) => c.caseId)).toEqual([caseId]);
    expect(new Set(sys.recorded.starts.map((s) => s.caseId))).toEqual(new Set([caseId]));
  });
});

describe('the arrears case module', () => {
  const key = { identityKey: 'CN:220102198506121004', enrollmentId: 'E1', feeMonth: '2026-09' };
  const data = {
    identityKey: key.identityKey,
    enrollmentId: 'E1',
    mode: 'unit' as const,
    months: [{ feeMonth: '2026-09', baseFen: 600_000, paidFen: 0 }],
    firstUnpaidDay: '2026-09-01',
  };

  it('ids: one function of the natural key, a valid execution name with no ID number', () => {
    const id = arrearsCaseId(key);
    expect(id).toMatch(/^arrears-2026-09-[0-9a-f]{16}$/);
    expect(arrearsCaseId({ ...key })).toBe(id);
    expect(arrearsCaseId({ ...key, enrollmentId: 'E2' })).not.toBe(id);
    const b4 = arrearsCaseId({ bankruptcyCaseId: 'bankruptcy-1', identityKey: key.identityKey, enrollmentId: 'E1' });
    expect(b4).toMatch(/^arrears-b4-[0-9a-f]{16}$/);
    for (const x of [id, b4]) {
      expect(x.length).toBeLessThanOrEqual(80);
      expect(x).not.toContain(':');
      expect(x).not.toContain('220102198506121004');
    }
  });

  it('states: a closed union the store, the re-arm plan and the state machine agree on', () => {
    expect(ARREARS_CLOSED_STATES.every((s) => CLOSED_STATES.has(s))).toBe(true);
    expect(ARREARS_OPEN_STATES.some((s) => CLOSED_STATES.has(s))).toBe(false);
    expect([...REARM_PLANS.arrears!.openStates].sort()).toEqual([...ARREARS_OPEN_STATES].sort());
    expect(Object.values(ARREARS_STATE).sort()).toEqual([...ARREARS_STATES].sort());
    // Every target is a state; closed states lead nowhere.
    for (const [from, to] of Object.entries(ARREARS_TRANSITIONS)) {
      for (const t of to) expect(ARREARS_STATES).toContain(t);
      if (ARREARS_CLOSED_STATES.includes(from as never)) expect(to).toEqual([]);
    }
  });

  it('transitions: only the ones listed; a closed case is not written again', () => {
    const opened = readArrearsCase({
      ...newArrearsCase({ key, region: '220100', openedOn: '2026-10-01', wait: null, data }),
      version: 1,
      updatedAt: '2026-10-01T00:05:00.000Z',
    } as Case);
    expect(nextArrearsCase(opened, { state: 'waiting-payment' }).state).toBe('waiting-payment');
    expect(() => nextArrearsCase(opened, { state: 'completed' })).toThrow(/may go to waiting-payment, not completed/);
    const done = { ...opened, state: 'completed' as const };
    expect(() => nextArrearsCase(done, { taskToken: 't' })).toThrow(/not written again/);
  });

  it('data: parsed on read and write; refuses unknown fields and another person’s enrollment', () => {
    const input = newArrearsCase({ key, region: '220100', openedOn: '2026-10-01', wait: null, data });
    const stored = { ...input, version: 1, updatedAt: '' } as Case;
    expect(readArrearsCase(stored).data).toEqual(data);
    expect(() => readArrearsCase({ ...stored, data: { ...data, months: [] } })).toThrow(/Case.DataInvalid|months/);
    expect(() => readArrearsCase({ ...stored, data: { ...data, stray: 1 } })).toThrow();
    expect(() => readArrearsCase({ ...stored, state: 'waiting' })).toThrow();
    // The intake defect: the first person's case with the second person's enrollment.
    const other = 'CN:220102198506121012';
    expect(() => readArrearsCase({ ...stored, data: { ...data, identityKey: other } })).toThrow(
      /the enrollment belongs to another person/,
    );
    expect(() =>
      newArrearsCase({
        key,
        region: '220100',
        openedOn: '2026-10-01',
        wait: null,
        data: { ...data, identityKey: other },
      }),
    ).toThrow();
  });
});
