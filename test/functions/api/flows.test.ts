/**
 * The staff API's main paths through the real handlers, against DynamoDB Local, with the Step Functions
 * adapters over a mocked SFN client (StartExecution, SendTaskSuccess and its TaskTimedOut cannot come from a
 * local server at the right moment). Today is pinned to 2026-04-20 (CST).
 */
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useStaffDeps } from '#functions/api/deps.js';
import { ROUTES } from '#functions/api/routes.js';
import { sfnTaskCallbacks, sfnWorkflowStarter } from '#functions/lib/aws-ports.js';
import { fixedClock } from '#app/clock.js';
import { coverPeriodFromWaitingPeriod } from '#store/cover.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import type { ChangeContext } from '#store/model.js';
import { decide } from '#rules/registry.js';
import type { DecisionResult } from '#rules/engine.js';
import type { WaitingPeriod } from '#rules/waiting-period/decision.js';
import { type LocalDynamo, startDynamoDbLocal } from '../../support/dynamodb-local.js';
import { badFields, call, claims } from './support.js';

const sfn = mockClient(SFNClient);
let local: LocalDynamo;
let store: DynamoWorkflowStore;
const clock = fixedClock(Date.parse('2026-04-20T02:00:00Z'));

const RT_ARN = 'arn:aws:states:cn-north-1:000000000000:stateMachine:retirement-transfer';
const BD_ARN = 'arn:aws:states:cn-north-1:000000000000:stateMachine:bankruptcy-deferral';

beforeAll(async () => {
  process.env.STATE_MACHINE_RETIREMENT_TRANSFER = RT_ARN;
  process.env.STATE_MACHINE_BANKRUPTCY_DEFERRAL = BD_ARN;
  local = await startDynamoDbLocal();
  store = new DynamoWorkflowStore({
    client: local.client,
    tableName: local.tableName,
    now: () => new Date(clock.now()),
    retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 },
  });
  const client = new SFNClient({ region: 'cn-north-1' });
  useStaffDeps({ store, workflows: sfnWorkflowStarter(client), callbacks: sfnTaskCallbacks(client), clock });
});
afterAll(async () => {
  useStaffDeps(undefined);
  await local?.stop();
});
beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

const CC = claims('clerk-cc-01', '220100', 'clerk');
const CC_APPROVER = claims('approver-cc-02', '220100', 'approver');
const JC = claims('clerk-jc-01', '220200', 'clerk');
const JC_AUDITOR = claims('auditor-jc-09', '220200', 'auditor');
const system: ChangeContext = {
  actor: { kind: 'system', component: 'retirement-transfer' },
  reason: 'waiting for the choice',
};

/** A resident of Changchun, not working (E-3). */
const RESIDENT = '220102199003071235';
/** A man born 1965-03-10, unit employee in Jilin City: legal retirement 2025-04-10. */
const RETIREE = '220102196503101230';
const RETIREE_2 = '22010219790615303X';

describe('enroll → status on a date, with the reasons', () => {
  let enrollmentId: string;

  it('enrolls a new resident (E-6 key, E-3) and creates the person', async () => {
    const a = await call('enrollPerson', {
      claims: CC,
      body: {
        identity: { number: RESIDENT },
        region: '220100',
        scheme: 'resident',
        work: 'not-working',
        places: { hukou: '220100' },
      },
    });
    expect(a.status).toBe(201);
    expect(ROUTES.enrollPerson.response.schema.safeParse(a.body).success).toBe(true);
    expect(a.body.person).toMatchObject({
      identityKey: `CN:${RESIDENT}`,
      region: '220100',
      birthDate: '1990-03-07',
      sex: 'male',
    });
    expect(a.body.enrollment).toMatchObject({
      scheme: 'resident',
      region: '220100',
      enrolledOn: '2026-04-20',
      status: 'normal',
    });
    expect(a.body.enrollment.statusHistory[0].rules.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['P-1', 'E-3']),
    );
    expect(a.body.transferredFrom).toBeNull();
    enrollmentId = a.body.enrollment.enrollmentId;

    // Who, why and which decision: the audit record of the enrollment.
    const trail = await store.auditTrail({ identityKey: `CN:${RESIDENT}` });
    const rec = trail.items.find((r) => r.subject === `enrollment:${enrollmentId}`)!;
    expect(rec.actor).toEqual({ kind: 'staff', staffId: 'clerk-cc-01', region: '220100' });
    expect(rec.trace?.decision).toBe('enrollment-eligibility');
  });

  it('a second enrollment in the same scheme and region is a 409, nothing written', async () => {
    const a = await call('enrollPerson', {
      claims: CC,
      body: {
        identity: { number: RESIDENT },
        region: '220100',
        scheme: 'resident',
        work: 'not-working',
        places: { hukou: '220100' },
      },
    });
    expect(a.status).toBe(409);
    expect(await store.listEnrollments(`CN:${RESIDENT}`)).toHaveLength(1);
  });

  it('a unit employee whose unit is registered elsewhere cannot be enrolled here (E-1): 422 with the reason, no person written', async () => {
    const a = await call('enrollPerson', {
      claims: CC,
      body: {
        identity: { number: '22010219790615303X' },
        region: '220100',
        scheme: 'employee',
        mode: 'unit',
        work: 'unit-employee',
        employer: { unitId: 'U-220200-0042', kind: 'enterprise', registeredIn: '220200' },
      },
    });
    expect(a.status).toBe(422);
    expect(a.body.rules).toContain('E-1');
    expect(a.body.reason.en).toContain('May not enroll in 220100');
    await expect(store.getPerson('CN:22010219790615303X')).rejects.toThrow(/not found/);
  });

  it('status before any payment: enrolled, normal, not covered, E-7, and the eligibility trace', async () => {
    const a = await call('getPersonStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}` },
      query: { date: '2026-05-01' },
    });
    expect(a.status).toBe(200);
    expect(a.body.status).toMatchObject({ enrolled: true, status: 'normal', covered: false, scheme: 'resident' });
    expect(a.body.status.rules.map((r: { id: string }) => r.id)).toEqual(['E-7']);
    expect(a.body.trace.decision).toBe('enrollment-eligibility');
  });

  it('after a payment decided by waiting-period (W-6): waiting until 2026-07-19, covered from 2026-07-20 with W-6 and its trace', async () => {
    // What the payment intake does: the waiting-period decision becomes a cover period with its rules.
    const wp = decide(
      'waiting-period',
      { region: '220100', scheme: 'resident', paidAt: '2026-04-20', feeYear: 2026 },
      '2026-04-20',
    ) as DecisionResult<WaitingPeriod>;
    const e = await store.getEnrollment(`CN:${RESIDENT}`, enrollmentId);
    const { status: _s, version, updatedAt: _u, ...input } = e;
    await store.saveEnrollment(
      { ...input, coverPeriods: [coverPeriodFromWaitingPeriod(wp, '2026-12-31', 'n-2026-0001')] },
      version,
      { actor: { kind: 'system', component: 'payment-intake' }, reason: wp.trace.reason.en, trace: wp.trace },
    );

    const waiting = await call('getPersonStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}` },
      query: { date: '2026-07-19' },
    });
    expect(waiting.body.status).toMatchObject({
      covered: false,
      coverPeriod: { start: '2026-07-20', end: '2026-12-31' },
    });
    expect(waiting.body.status.reason.en).toContain('covered from 2026-07-20');

    const covered = await call('getPersonStatus', {
      claims: JC_AUDITOR,
      params: { identityKey: `CN:${RESIDENT}` },
      query: { date: '2026-07-20' },
    });
    expect(covered.status).toBe(403); // an auditor of another region may not read this person

    const own = await call('getPersonStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}` },
      query: { date: '2026-07-20' },
    });
    expect(own.status).toBe(200);
    expect(ROUTES.getPersonStatus.response.schema.safeParse(own.body).success).toBe(true);
    expect(own.body.status.covered).toBe(true);
    expect(own.body.status.rules.map((r: { id: string }) => r.id)).toEqual(['E-7', 'P-1', 'W-6']);
    expect(own.body.status.rules.find((r: { id: string }) => r.id === 'W-6').cites).toContain('JL26');
    expect(own.body.trace).toMatchObject({ decision: 'waiting-period', businessDate: '2026-04-20' });
    expect(own.body.enrollment.enrollmentId).toBe(enrollmentId);
  });

  it('suspends the enrollment from 2026-08-01 (A-1 with E-7): not covered on 2026-08-02', async () => {
    const a = await call('changeEnrollmentStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}`, enrollmentId },
      body: { status: 'suspended', from: '2026-08-01', rules: ['A-1'], note: 'suspended at the person’s request' },
    });
    expect(a.status).toBe(200);
    expect(a.body.enrollment.statusHistory.at(-1)).toMatchObject({
      status: 'suspended',
      from: '2026-08-01',
      rules: [{ id: 'E-7' }, { id: 'A-1' }],
    });
    const s = await call('getPersonStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}` },
      query: { date: '2026-08-02' },
    });
    expect(s.body.status).toMatchObject({ status: 'suspended', covered: false });
    // Still covered the day before.
    const before = await call('getPersonStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}` },
      query: { date: '2026-07-31' },
    });
    expect(before.body.status.covered).toBe(true);
  });

  it('a status change before the last one, or with an unknown rule id, is a 400 naming the field', async () => {
    const a = await call('changeEnrollmentStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}`, enrollmentId },
      body: { status: 'normal', from: '2026-06-01', rules: ['Z-99'], note: 'x' },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['rules[0]']);
    const b = await call('changeEnrollmentStatus', {
      claims: CC,
      params: { identityKey: `CN:${RESIDENT}`, enrollmentId },
      body: { status: 'normal', from: '2026-06-01', note: 'x' },
    });
    expect(b.status).toBe(400);
    expect(badFields(b)).toEqual(['from']);
  });
});

describe('E-8 in-province transfer (即参即停)', () => {
  const KEY = 'CN:220202198805120044';

  it('a flexible worker enrolled in Jilin City moves to Changchun: the old stops on 2026-04-19, the new starts on 2026-04-20', async () => {
    const first = await call('enrollPerson', {
      claims: JC,
      body: {
        identity: { number: '220202198805120044' },
        region: '220200',
        on: '2026-03-02',
        scheme: 'employee',
        mode: 'flexible',
        work: 'platform-worker',
        places: { residence: '220200' },
      },
    });
    expect(first.status).toBe(201);
    const oldId = first.body.enrollment.enrollmentId;
    // C-6: the daily sweep now watches the first fee month, due at the end of the following month.
    expect(
      await store.getExpectedPayment({ identityKey: KEY, enrollmentId: oldId, feeMonth: '2026-03' }),
    ).toMatchObject({
      status: 'expected',
      dueDate: '2026-04-30',
      region: '220200',
      mode: 'flexible',
    });

    // Staff of another region may not change it…
    const foreign = await call('changeEnrollmentStatus', {
      claims: CC,
      params: { identityKey: KEY, enrollmentId: oldId },
      body: { status: 'suspended', from: '2026-05-01', note: 'x' },
    });
    expect(foreign.status).toBe(403);

    // …but the receiving agency enrolls, which stops the old one at once.
    const moved = await call('transferEnrollment', {
      claims: CC,
      params: { identityKey: KEY, enrollmentId: oldId },
      body: { toRegion: '220100', work: 'platform-worker', places: { residence: '220100', employment: '220100' } },
    });
    expect(moved.status).toBe(201);
    expect(moved.body.enrollment).toMatchObject({ region: '220100', enrolledOn: '2026-04-20', mode: 'flexible' });
    expect(moved.body.transferredFrom.enrollmentId).toBe(oldId);
    expect(moved.body.transferredFrom.statusHistory.at(-1)).toMatchObject({
      status: 'terminated',
      from: '2026-04-20',
      rules: [{ id: 'E-8' }],
    });
    expect(moved.body.rules.map((r: { id: string }) => r.id)).toContain('E-8');

    const s = await call('getPersonStatus', {
      claims: CC,
      params: { identityKey: KEY },
      query: { date: '2026-04-20' },
    });
    expect(s.body.status).toMatchObject({ enrollmentId: moved.body.enrollment.enrollmentId, region: '220100' });
    const before = await call('getPersonStatus', {
      claims: JC,
      params: { identityKey: KEY },
      query: { date: '2026-04-19' },
    });
    expect(before.body.status).toMatchObject({ enrollmentId: oldId, region: '220200', status: 'normal' });
  });
});

describe('retirement transfer: open → StartExecution(name = case id) → choice → SendTaskSuccess', () => {
  let caseId: string;

  it('enrolls the retiree as a unit employee in Jilin City, then opens the application', async () => {
    const e = await call('enrollPerson', {
      claims: JC,
      body: {
        identity: { number: RETIREE },
        region: '220200',
        on: '2026-03-02',
        scheme: 'employee',
        mode: 'unit',
        work: 'unit-employee',
        employer: { unitId: 'U-220200-0042', kind: 'enterprise', registeredIn: '220200' },
      },
    });
    expect(e.status).toBe(201);

    const a = await call('openRetirementApplication', {
      claims: JC,
      headers: { 'idempotency-key': 'rt-app-0001' },
      body: {
        identityKey: `CN:${RETIREE}`,
        record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 },
      },
    });
    expect(a.status).toBe(201);
    expect(ROUTES.openRetirementApplication.response.schema.safeParse(a.body).success).toBe(true);
    caseId = a.body.case.caseId;
    expect(a.body.case).toMatchObject({
      caseType: 'retirement-transfer',
      region: '220200',
      state: 'awaiting-choice',
      // the agency's choice window, 60 days (retirement.choiceWindowDays), the workflow's too.
      wait: { for: 'person-choice', until: '2026-06-19' },
      waitingForCallback: false,
    });
    // The engine's own answer for the same facts: two years short, three options.
    const engine = decide(
      'retirement-transfer',
      {
        region: '220200',
        processedOn: '2026-04-20',
        sex: 'male',
        birthDate: '1965-03-10',
        mode: 'unit',
        record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 },
      },
      '2026-04-20',
    ) as DecisionResult<{ lumpSum: { totalFen: number } }>;
    expect(a.body.case.data).toMatchObject({
      options: ['continue-paying', 'lump-sum', 'resident'],
      lumpSumFen: engine.value.lumpSum.totalFen,
    });
    expect(a.body.decisions['retirement-age'].value.retirementDate).toBe('2025-04-10');
    expect(a.body.decisions['retirement-transfer'].value.shortfallMonths).toBe(24);
    expect(a.body.case).not.toHaveProperty('taskToken');
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: RT_ARN, name: caseId });
  });

  it('the same Idempotency-Key and body: the same case (replayed), started again harmlessly; another body: 422', async () => {
    const again = await call('openRetirementApplication', {
      claims: JC,
      headers: { 'idempotency-key': 'rt-app-0001' },
      body: {
        identityKey: `CN:${RETIREE}`,
        record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 },
      },
    });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.case.caseId).toBe(caseId);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: caseId });
    const other = await call('openRetirementApplication', {
      claims: JC,
      headers: { 'idempotency-key': 'rt-app-0001' },
      body: {
        identityKey: `CN:${RETIREE}`,
        record: { deemedMonths: 150, outOfProvinceMonths: 0, localCombinedMonths: 192 },
      },
    });
    expect(other.status).toBe(422);
    expect(other.body.type).toContain('idempotency-key-reused');
    const cases = await store.casesOf({ kind: 'person', identityKey: `CN:${RETIREE}` });
    expect(cases.items).toHaveLength(1);
  });

  it('before the execution waits on the case, recording the choice is a 409 (not-waiting)', async () => {
    const a = await call('recordRetirementChoice', { claims: JC, params: { caseId }, body: { choice: 'lump-sum' } });
    expect(a.status).toBe(409);
    expect(a.body.type).toContain('not-waiting');
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it('an option not offered is a 400 naming choice', async () => {
    await store.updateCase(caseId, (c) => ({ ...c, taskToken: 'token-rt-1' }), system);
    const a = await call('recordRetirementChoice', { claims: JC, params: { caseId }, body: { choice: 'transfer' } });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['choice']);
  });

  it('records the choice: SendTaskSuccess with the stored token, case choice-recorded, audited', async () => {
    const a = await call('recordRetirementChoice', { claims: JC, params: { caseId }, body: { choice: 'lump-sum' } });
    expect(a.status).toBe(200);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-rt-1' });
    const sent = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!);
    expect(sent).toEqual({ choice: 'lump-sum', recordedOn: '2026-04-20', recordedBy: 'clerk-jc-01' });
    expect(a.body.case).toMatchObject({ state: 'choice-recorded', wait: null, waitingForCallback: false });
    const stored = await store.getCase(caseId);
    expect(stored.taskToken).toBeNull();
    const trail = await store.auditTrail({ caseId });
    // The clock is pinned, so records share one instant: find it by what it did.
    expect(trail.items.find((r) => r.action === 'case-saved:choice-recorded')).toMatchObject({
      actor: { kind: 'staff', staffId: 'clerk-jc-01', region: '220200' },
    });
    // The same choice again is answered with the case as it is; no second resume.
    const again = await call('recordRetirementChoice', {
      claims: JC,
      params: { caseId },
      body: { choice: 'lump-sum' },
    });
    expect(again.status).toBe(200);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('a token that timed out (TaskTimedOut) is a 409 callback-gone, and the case is left as it was', async () => {
    await call('enrollPerson', {
      claims: JC,
      body: {
        identity: { number: RETIREE_2 },
        region: '220200',
        on: '2026-03-02',
        scheme: 'employee',
        mode: 'unit',
        work: 'unit-employee',
        employer: { unitId: 'U-220200-0042', kind: 'enterprise', registeredIn: '220200' },
      },
    });
    // Born 1979: the legal age is years away, so no application can be opened yet (422, nothing stored).
    const early = await call('openRetirementApplication', {
      claims: JC,
      body: {
        identityKey: `CN:${RETIREE_2}`,
        record: { deemedMonths: 0, outOfProvinceMonths: 0, localCombinedMonths: 250 },
      },
    });
    expect(early.status).toBe(422);
    expect(early.body.reason.en).toBeTruthy();

    const opened = await call('openRetirementApplication', {
      claims: JC,
      body: {
        identityKey: `CN:${RETIREE}`,
        record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 },
      },
    });
    const id2 = opened.body.case.caseId;
    await store.updateCase(id2, (c) => ({ ...c, taskToken: 'token-rt-timed-out' }), system);
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const a = await call('recordRetirementChoice', {
      claims: JC,
      params: { caseId: id2 },
      body: { choice: 'resident' },
    });
    expect(a.status).toBe(409);
    expect(a.headers['content-type']).toBe('application/problem+json');
    expect(a.body.type).toContain('callback-gone');
    const after = await store.getCase(id2);
    expect(after).toMatchObject({ state: 'awaiting-choice', taskToken: 'token-rt-timed-out', version: 2 });
    expect(after.data.choice).toBeUndefined();
  });
});

describe('cases by region and state', () => {
  it('lists the region’s cases awaiting a choice, paged; another region is a 403', async () => {
    const all = await call('listCases', { claims: JC_AUDITOR, query: { state: 'awaiting-choice' } });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(1);
    expect(all.body.items[0]).toMatchObject({
      caseType: 'retirement-transfer',
      region: '220200',
      waitingForCallback: true,
    });
    expect(all.body.items[0]).not.toHaveProperty('taskToken');

    const recorded = await call('listCases', {
      claims: JC,
      query: { state: 'choice-recorded', caseType: 'retirement-transfer' },
    });
    expect(recorded.body.items).toHaveLength(1);

    const none = await call('listCases', { claims: CC, query: { state: 'awaiting-choice' } });
    expect(none.body.items).toEqual([]);
    const foreign = await call('listCases', { claims: CC, query: { state: 'awaiting-choice', region: '220200' } });
    expect(foreign.status).toBe(403);
  });

  it('pages with limit and cursor', async () => {
    for (const n of ['1', '2', '3']) {
      const r = await call('registerNewborn', {
        claims: CC,
        headers: { 'idempotency-key': `newborn-page-${n}` },
        body: { identity: { number: '220102202603010027' }, region: '220100', note: `page ${n}` },
      });
      expect(r.status).toBe(201);
    }
    const p1 = await call('listCases', { claims: CC, query: { state: 'waiting-enrollment', limit: '2' } });
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.cursor).toBeTruthy();
    const p2 = await call('listCases', {
      claims: CC,
      query: { state: 'waiting-enrollment', limit: '2', cursor: p1.body.cursor },
    });
    expect(p2.body.items).toHaveLength(1);
    const ids = new Set([...p1.body.items, ...p2.body.items].map((c: { caseId: string }) => c.caseId));
    expect(ids.size).toBe(3);
  });
});

describe('newborn and identity-conversion windows (W-1, W-2)', () => {
  it('a newborn born 2026-03-01: the case waits for enrollment and payment until 2026-05-30 (birth + 90)', async () => {
    const a = await call('registerNewborn', {
      claims: CC,
      body: { identity: { number: '220102202603010027' }, region: '220100' },
    });
    expect(a.status).toBe(201);
    expect(a.body.case).toMatchObject({
      caseType: 'newborn-window',
      state: 'waiting-enrollment',
      wait: { for: 'enrollment-and-payment', until: '2026-05-30' },
      data: { birthDate: '2026-03-01', windowDays: 90, windowLastDay: '2026-05-30' },
    });
    expect(await store.getPerson('CN:220102202603010027')).toMatchObject({ birthDate: '2026-03-01', region: '220100' });
    const due = await store.casesExpiringOn('220100', '2026-05-30');
    expect(due.items.map((c) => c.caseId)).toContain(a.body.case.caseId);
  });

  it('an identity conversion on 2026-01-20 waits until 2026-04-20 (day 90 is still within); on 2026-01-19 the window has closed (422)', async () => {
    const open = await call('registerIdentityConversion', {
      claims: CC,
      body: { identity: { number: RESIDENT }, region: '220100', conversionDate: '2026-01-20', kind: 'veteran' },
    });
    expect(open.status).toBe(201);
    expect(open.body.case.wait).toEqual({ for: 'enrollment-and-payment', until: '2026-04-20' });
    const closed = await call('registerIdentityConversion', {
      claims: CC,
      body: { identity: { number: RESIDENT }, region: '220100', conversionDate: '2026-01-19' },
    });
    expect(closed.status).toBe(422);
    expect(closed.body.windowLastDay).toBe('2026-04-19');
  });

  it('an ID number with a bad check character is a 400 naming identity.number', async () => {
    const a = await call('registerNewborn', {
      claims: CC,
      body: { identity: { number: '220102202603010028' }, region: '220100' },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['identity.number']);
  });
});

describe('refunds: a clerk applies, another member of staff approves', () => {
  it('F-1 duplicate payment: 400.00 yuan refundable; approval by an approver who did not apply', async () => {
    const a = await call('applyForRefund', {
      claims: CC,
      body: {
        identityKey: `CN:${RESIDENT}`,
        facts: {
          region: '220100',
          scheme: 'resident',
          reason: 'duplicate-payment',
          eventOn: '2026-04-10',
          payments: [{ feeYear: 2027, amountFen: 40000 }],
        },
      },
    });
    expect(a.status).toBe(201);
    expect(a.body.case).toMatchObject({ caseType: 'refund', state: 'awaiting-approval', data: { refundFen: 40000 } });
    const caseId = a.body.case.caseId;

    expect((await call('approveRefund', { claims: CC, params: { caseId }, body: { note: 'ok' } })).status).toBe(403);
    const selfApproval = await call('approveRefund', {
      claims: claims('clerk-cc-01', '220100', 'clerk', 'approver'),
      params: { caseId },
      body: { note: 'ok' },
    });
    expect(selfApproval.status).toBe(403);
    const other = await call('approveRefund', {
      claims: claims('approver-jc-01', '220200', 'approver'),
      params: { caseId },
      body: { note: 'ok' },
    });
    expect(other.status).toBe(403);

    const ok = await call('approveRefund', {
      claims: CC_APPROVER,
      params: { caseId },
      body: { note: 'checked with tax' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.case).toMatchObject({
      state: 'approved',
      data: { approval: { approvedBy: 'approver-cc-02', approvedOn: '2026-04-20' } },
    });
  });

  it('after the benefit period began, not refundable: 422 with the reason, no case', async () => {
    const before = (await store.casesOf({ kind: 'person', identityKey: `CN:${RESIDENT}` })).items.length;
    const a = await call('applyForRefund', {
      claims: CC,
      body: {
        identityKey: `CN:${RESIDENT}`,
        facts: {
          region: '220100',
          scheme: 'resident',
          reason: 'duplicate-payment',
          eventOn: '2026-04-10',
          payments: [{ feeYear: 2026, amountFen: 40000 }],
        },
      },
    });
    expect(a.status).toBe(422);
    expect(a.body.rules).toContain('F-1');
    expect((await store.casesOf({ kind: 'person', identityKey: `CN:${RESIDENT}` })).items.length).toBe(before);
  });

  it('bad refund facts: 400 naming each field under facts', async () => {
    const a = await call('applyForRefund', {
      claims: CC,
      body: {
        identityKey: `CN:${RESIDENT}`,
        facts: { region: '220100', scheme: 'resident', reason: 'lottery', payments: [] },
      },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(expect.arrayContaining(['facts.reason', 'facts.eventOn', 'facts.payments']));
  });
});

describe('duplicate enrollment resolved on a written request (D-7)', () => {
  const KEY = 'CN:220102199003071235';

  it('keeps the resident enrollment asked for and terminates the employee one (D-6), with the case, atomically', async () => {
    const staffCtx: ChangeContext = {
      actor: { kind: 'staff', staffId: 'clerk-cc-01', region: '220100' },
      reason: 'seed',
    };
    await store.createEnrollment(
      {
        enrollmentId: 'E-220100-unit-0001',
        identityKey: KEY,
        scheme: 'employee',
        mode: 'unit',
        region: '220100',
        unitId: 'U-220100-0007',
        enrolledOn: '2024-03-01',
        statusHistory: [
          {
            status: 'normal',
            from: '2024-03-01',
            rules: [{ id: 'E-1', cites: 'JL26 Art.4' }],
            reason: { zh: '单位参保', en: 'unit' },
          },
        ],
        coverPeriods: [],
      },
      staffCtx,
    );
    const resident = (await store.listEnrollments(KEY)).find((e) => e.scheme === 'resident')!;
    const a = await call('resolveDuplicate', {
      claims: CC,
      params: { identityKey: KEY },
      body: {
        request: { keepId: resident.enrollmentId, writtenOn: '2026-04-18' },
        enrollments: [
          { enrollmentId: 'E-220100-unit-0001', place: 'employment', continuousEmployeeYears: 2.1 },
          { enrollmentId: resident.enrollmentId, place: 'habitual-residence' },
        ],
        note: 'written request received at the counter',
      },
    });
    expect(a.status).toBe(201);
    expect(a.body.case).toMatchObject({ caseType: 'duplicate-enrollment', state: 'resolved', closedOn: '2026-04-20' });
    const unit = a.body.enrollments.find((e: { enrollmentId: string }) => e.enrollmentId === 'E-220100-unit-0001');
    expect(unit.statusHistory.at(-1)).toMatchObject({
      status: 'terminated',
      from: '2026-04-20',
      rules: [{ id: 'D-6' }, { id: 'D-7' }],
    });
    const kept = a.body.enrollments.find((e: { enrollmentId: string }) => e.enrollmentId === resident.enrollmentId);
    expect(kept.statusHistory.at(-1).status).toBe(resident.statusHistory.at(-1)!.status);
  });

  it('an enrollment that is not the person’s is a 400 naming it', async () => {
    const a = await call('resolveDuplicate', {
      claims: CC,
      params: { identityKey: KEY },
      body: {
        request: { keepId: 'E-nope', writtenOn: '2026-04-18' },
        enrollments: [
          { enrollmentId: 'E-nope', place: 'employment' },
          { enrollmentId: 'E-220100-unit-0001', place: 'other' },
        ],
        note: 'x',
      },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['enrollments[0].enrollmentId']);
  });
});

describe('bankruptcy deferral: approvers file and end the agreement', () => {
  const body = {
    unitId: 'U-220200-0042',
    region: '220200',
    filedOn: '2026-03-15',
    taxConfirmed: true,
    agreementFiledOn: '2026-03-28',
    agreementEndsOn: '2026-09-30',
    employees: [
      {
        identityKey: `CN:${RETIREE}`,
        months: [
          { feeMonth: '2026-03', baseFen: 500000 },
          { feeMonth: '2026-04', baseFen: 500000 },
        ],
      },
    ],
  };

  it('a clerk may not file (403); an approver files: B-1, case in force until 2026-09-30, workflow started', async () => {
    expect((await call('fileDeferralAgreement', { claims: JC, body })).status).toBe(403);
    const a = await call('fileDeferralAgreement', { claims: claims('approver-jc-02', '220200', 'approver'), body });
    expect(a.status).toBe(201);
    expect(a.body.case).toMatchObject({
      caseType: 'bankruptcy-deferral',
      subject: { kind: 'unit', unitId: 'U-220200-0042' },
      state: 'in-force',
      wait: { for: 'settlement-or-ruling', until: '2026-09-30' },
    });
    expect(a.body.case.data.employees[0].heldCreditFen).toBe(20000);
    expect(a.body.decisions['bankruptcy-deferral'].rules.map((r: { id: string }) => r.id)).toContain('B-1');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: BD_ARN, name: a.body.case.caseId });

    const ended = await call('endDeferralAgreement', {
      claims: claims('approver-jc-02', '220200', 'approver'),
      params: { caseId: a.body.case.caseId },
      body: { cause: 'court-ruling', endedOn: '2026-04-15', note: 'ruling issued' },
    });
    expect(ended.status).toBe(200);
    expect(ended.body.case).toMatchObject({
      state: 'ended',
      wait: null,
      data: { end: { cause: 'court-ruling', endedOn: '2026-04-15' } },
    });
    // B-4: the two unpaid months (425.00 yuan each) become arrears, benefits suspended from the day after the end.
    expect(ended.body.case.data.end.employees[0]).toMatchObject({ amountDueFen: 85000, suspendedFrom: '2026-04-16' });
    expect(ended.body.decisions['bankruptcy-deferral'].rules.map((r: { id: string }) => r.id)).toContain('B-4');
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });
});

describe('what-if decisions', () => {
  it('waiting-period: first enrollment in the window for 2027 is covered from 2027-04-01 (W-6)', async () => {
    const a = await call('decide', {
      claims: JC_AUDITOR,
      params: { id: 'waiting-period' },
      query: { asOf: '2026-11-15' },
      body: { region: '220200', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 },
    });
    expect(a.status).toBe(200);
    expect(a.body.value.coverStarts).toBe('2027-04-01');
    expect(
      a.body.trace.rules.filter((r: { outcome: string }) => r.outcome === 'applied').map((r: { id: string }) => r.id),
    ).toEqual(['P-1', 'W-6']);
  });

  it('400 naming the bad facts, 422 when a parameter is missing, 404 for an unknown decision, 403 for another region', async () => {
    const bad = await call('decide', {
      claims: CC,
      params: { id: 'waiting-period' },
      body: { region: '220100', scheme: 'resident', paidAt: '2027-02-30' },
    });
    expect(bad.status).toBe(400);
    expect(badFields(bad)).toEqual(expect.arrayContaining(['paidAt']));

    const missing = await call('decide', {
      claims: CC,
      params: { id: 'resident-contribution' },
      body: { region: '220100', feeYear: 2030, paidOn: '2029-11-15', person: { birthDate: '1980-04-12' } },
    });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ error: 'missing-parameter', parameter: 'resident.personalAmount' });

    const unknown = await call('decide', {
      claims: CC,
      params: { id: 'no-such-decision' },
      body: { region: '220100' },
    });
    expect(unknown.status).toBe(404);

    const foreign = await call('decide', {
      claims: CC,
      params: { id: 'waiting-period' },
      body: { region: '220200', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 },
    });
    expect(foreign.status).toBe(403);
  });
});
