/**
 * The daily sweep on DynamoDB Local, through its handler: the run of 2026-10-01 handles what ended on
 * 2026-09-30 — a waiting period, two newborn windows, employee fee months 2026-09 due that day (paid,
 * unpaid, under a bankruptcy deferral), an arrears wait that belongs to its execution — then runs
 * again and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepHandler } from '#functions/sweep/handler.js';
import { arrearsCaseId } from '#app/sweep/daily-sweep.js';
import type { SweepReport } from '#app/sweep/daily-sweep.js';
import type { CaseInput, EnrollmentInput } from '#store/model.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../../support/dynamodb-local.js';
import { depsAt, employeeEnrollment, newIdentityKey, staff, storeOn, uid } from '../tasks/helpers.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = storeOn(local);
});
afterAll(() => local?.stop());

const W6 = [{ id: 'W-6', cites: 'JL26 Art.10 ¶4' }];
const waitingReason = { zh: '首次参保，设90日固定待遇等待期', en: 'first enrollment: 90-day fixed waiting period' };

function residentEnrollment(identityKey: string, enrollmentId: string, withCover: boolean): EnrollmentInput {
  return {
    enrollmentId,
    identityKey,
    scheme: 'resident',
    region: '220100',
    enrolledOn: '2026-07-02',
    statusHistory: [
      { status: 'normal', from: '2026-07-02', rules: [{ id: 'E-3', cites: 'JL26 Art.4' }], reason: waitingReason },
    ],
    coverPeriods: withCover
      ? [{ start: '2026-10-01', end: '2026-12-31', rules: W6, reason: waitingReason, decision: 'waiting-period' }]
      : [],
  };
}

function caseOf(overrides: Partial<CaseInput> & Pick<CaseInput, 'caseType' | 'subject' | 'data'>): CaseInput {
  return {
    caseId: uid(overrides.caseType),
    region: '220100',
    state: 'waiting',
    openedOn: '2026-07-02',
    wait: { for: 'deadline', until: '2026-09-30' },
    taskToken: null,
    ...overrides,
  };
}

describe('the sweep of 2026-10-01 (deadlines of 2026-09-30), run twice', () => {
  it('does what each deadline implies, and nothing more the second time', async () => {
    // A waiting period ending 2026-09-30: cover from 2026-10-01 (already on the enrollment / only in the case).
    const wp1 = newIdentityKey('19900101');
    await store.createEnrollment(residentEnrollment(wp1, 'R1', true), staff);
    const wpCase1 = caseOf({
      caseType: 'waiting-period-expiry',
      subject: { kind: 'person', identityKey: wp1 },
      wait: { for: 'waiting-period-end', until: '2026-09-30' },
      data: { identityKey: wp1, enrollmentId: 'R1' },
    });
    const wp2 = newIdentityKey('19900102');
    await store.createEnrollment(residentEnrollment(wp2, 'R1', false), staff);
    const wpCase2 = caseOf({
      caseType: 'waiting-period-expiry',
      subject: { kind: 'person', identityKey: wp2 },
      wait: { for: 'waiting-period-end', until: '2026-09-30' },
      data: {
        identityKey: wp2,
        enrollmentId: 'R1',
        coverPeriod: {
          start: '2026-10-01',
          end: '2026-12-31',
          rules: W6,
          reason: waitingReason,
          decision: 'waiting-period',
        },
      },
    });
    // Newborns born 2026-07-02: the window's last day is 2026-09-30 (W-1: within 90 days).
    const baby1 = newIdentityKey('20260702');
    const nbCase1 = caseOf({
      caseType: 'newborn-window',
      subject: { kind: 'person', identityKey: baby1 },
      wait: { for: 'enrollment', until: '2026-09-30' },
      data: { identityKey: baby1, birthDate: '2026-07-02' },
    });
    const baby2 = newIdentityKey('20260702');
    await store.createEnrollment({ ...residentEnrollment(baby2, 'R1', false), enrolledOn: '2026-09-20' }, staff);
    const nbCase2 = caseOf({
      caseType: 'newborn-window',
      subject: { kind: 'person', identityKey: baby2 },
      wait: { for: 'enrollment', until: '2026-09-30' },
      data: { identityKey: baby2, birthDate: '2026-07-02' },
    });
    // An arrears window whose timer is its execution's.
    const owned = caseOf({
      caseType: 'arrears',
      subject: { kind: 'person', identityKey: wp1 },
      state: 'waiting-payment',
      executionArn: 'arn:aws:states:cn-north-1:000000000000:execution:arrears-timer:x',
      wait: { for: 'payment', until: '2026-09-30' },
      data: {},
    });
    for (const c of [wpCase1, wpCase2, nbCase1, nbCase2, owned]) await store.openCase(c, staff);

    // Employee fee months 2026-09, due 2026-09-30 (C-6 end of month): unpaid, paid, deferred.
    const unpaid = newIdentityKey('19850505');
    const paid = newIdentityKey('19850506');
    const deferred = newIdentityKey('19850507');
    for (const [k, unitId] of [
      [unpaid, 'U-220100-0001'],
      [paid, 'U-220100-0001'],
      [deferred, 'U-220100-0999'],
    ] as const) {
      await store.createEnrollment(employeeEnrollment(k, 'E1', { unitId }), staff);
      await store.expectPayment(
        {
          identityKey: k,
          enrollmentId: 'E1',
          region: '220100',
          mode: 'unit',
          unitId,
          feeMonth: '2026-09',
          dueDate: '2026-09-30',
          baseFen: 600_000,
        },
        staff,
      );
    }
    await store.intakeNotification(
      {
        notificationId: uid('N'),
        identityKey: paid,
        scheme: 'employee',
        mode: 'unit',
        region: '220100',
        payer: { kind: 'unit', id: 'U-220100-0001' },
        paidAt: '2026-09-25T10:00:00+08:00',
        periods: [{ feePeriod: '2026-09', base: 600_000, amount: 54_000 }],
      },
      staff,
    );
    await store.openCase(
      {
        caseId: uid('bankruptcy'),
        caseType: 'bankruptcy-deferral',
        region: '220100',
        subject: { kind: 'unit', unitId: 'U-220100-0999' },
        state: 'in-force',
        openedOn: '2026-09-01',
        wait: { for: 'settlement', until: '2027-03-31' },
        taskToken: null,
      },
      staff,
    );

    const { deps, recorded } = depsAt(store, '2026-10-01T00:05:00+08:00');
    const sweep = sweepHandler(deps);
    const first = (await sweep({ date: '2026-10-01' })) as SweepReport;
    expect(first).toEqual({
      date: '2026-10-01',
      deadlineDay: '2026-09-30',
      complete: true,
      coverStarted: 2,
      coverRescheduled: 0,
      windowsClosed: 1,
      windowsCompleted: 1,
      arrearsOpened: 1,
      arrearsExtended: 0,
      monthsPaid: 1,
      monthsDeferred: 1,
      monthsNotDue: 0,
      monthsLapsed: 0,
      ownedByExecution: 1,
      unhandled: 0,
      failures: [],
    });

    // Waiting periods: covered from 2026-10-01, the cases complete.
    for (const k of [wp1, wp2]) {
      expect(await store.statusOn(k, '2026-09-30')).toMatchObject({ covered: false });
      expect(await store.statusOn(k, '2026-10-01')).toMatchObject({ covered: true });
    }
    expect(await store.getCase(wpCase2.caseId)).toMatchObject({
      state: 'completed',
      closedOn: '2026-10-01',
      wait: null,
    });
    // Newborn windows: one closed with the later rule from the engine, one completed.
    const closed = await store.getCase(nbCase1.caseId);
    expect(closed).toMatchObject({ state: 'closed', closedOn: '2026-10-01' });
    expect(closed.data.windowClosed).toMatchObject({
      lastDay: '2026-09-30',
      later: { decidedBy: 'W-1', waitingDays: 0 },
    });
    expect(await store.getCase(nbCase2.caseId)).toMatchObject({ state: 'completed' });
    // Arrears for the unpaid month: case opened, timer started with the case id as execution name.
    const caseId = arrearsCaseId({ identityKey: unpaid, enrollmentId: 'E1', feeMonth: '2026-09' });
    expect(await store.getCase(caseId)).toMatchObject({
      state: 'opened',
      openedOn: '2026-10-01',
      data: { firstUnpaidDay: '2026-09-01', months: [{ feeMonth: '2026-09', baseFen: 600_000, paidFen: 0 }] },
    });
    expect(recorded.started).toEqual([{ machine: 'arrears-timer', caseId, input: { caseId } }]);
    expect(
      await store.getExpectedPayment({ identityKey: unpaid, enrollmentId: 'E1', feeMonth: '2026-09' }),
    ).toMatchObject({
      status: 'arrears',
      caseId,
    });
    // Each enrollment's next month is watched: 2026-10, due 2026-10-31.
    const october = await store.paymentsDueOn('220100', '2026-10-31');
    expect(october.items.map((p) => p.identityKey).sort()).toEqual([unpaid, paid, deferred].sort());
    expect(
      await store.getExpectedPayment({ identityKey: deferred, enrollmentId: 'E1', feeMonth: '2026-09' }),
    ).toMatchObject({
      status: 'deferred',
    });
    expect((await store.paymentsDueOn('220100', '2026-09-30')).items).toEqual([]);

    // The same day again: nothing new, no second execution, no new audit record.
    const trailBefore = (await store.auditTrail({ caseId })).items.length;
    const second = (await sweep({ date: '2026-10-01' })) as SweepReport;
    expect(second).toMatchObject({
      complete: true,
      coverStarted: 0,
      windowsClosed: 0,
      windowsCompleted: 0,
      arrearsOpened: 0,
      monthsPaid: 0,
      monthsDeferred: 0,
      ownedByExecution: 1,
    });
    expect(recorded.started).toHaveLength(1);
    expect((await store.auditTrail({ caseId })).items.length).toBe(trailBefore);
  });

  it('adds a further unpaid month to the open arrears case instead of opening another', async () => {
    const k = newIdentityKey('19860606');
    await store.createEnrollment(employeeEnrollment(k, 'E1', { region: '220200' }), staff);
    await store.expectPayment(
      {
        identityKey: k,
        enrollmentId: 'E1',
        region: '220200',
        mode: 'unit',
        unitId: 'U-220200-7',
        feeMonth: '2026-09',
        dueDate: '2026-09-30',
        baseFen: 500_000,
      },
      staff,
    );
    const { deps, clock, recorded } = depsAt(store, '2026-10-01T00:05:00+08:00');
    const sweep = sweepHandler(deps);
    await sweep({ date: '2026-10-01', regions: ['220200'] });
    clock.set(Date.parse('2026-11-01T00:05:00+08:00'));
    const report = (await sweep({ date: '2026-11-01', regions: ['220200'] })) as SweepReport;
    expect(report).toMatchObject({ arrearsOpened: 0, arrearsExtended: 1, complete: true });
    const c = await store.getCase(arrearsCaseId({ identityKey: k, enrollmentId: 'E1', feeMonth: '2026-09' }));
    expect((c.data.months as Array<{ feeMonth: string }>).map((m) => m.feeMonth)).toEqual(['2026-09', '2026-10']);
    expect(recorded.started).toHaveLength(1);
  });

  it('R-1: a month after the transfer to the retiree scheme is not due: no arrears, nothing more expected', async () => {
    const k = newIdentityKey('19650310');
    await store.createEnrollment(employeeEnrollment(k, 'E1', { region: '220200' }), staff);
    await store.openCase(
      {
        caseId: uid('retire'),
        caseType: 'retirement-transfer',
        region: '220200',
        subject: { kind: 'person', identityKey: k },
        state: 'completed',
        openedOn: '2026-08-20',
        wait: null,
        taskToken: null,
        closedOn: '2026-08-20',
        data: { identityKey: k, transferredOn: '2026-08-20' },
      },
      staff,
    );
    const month = { identityKey: k, enrollmentId: 'E1', region: '220200', mode: 'unit' as const, unitId: 'U-220200-7' };
    await store.expectPayment({ ...month, feeMonth: '2026-09', dueDate: '2026-09-30', baseFen: 500_000 }, staff);
    const { deps, recorded } = depsAt(store, '2026-10-01T00:05:00+08:00');
    const report = (await sweepHandler(deps)({ date: '2026-10-01', regions: ['220200'] })) as SweepReport;
    expect(report).toMatchObject({ monthsNotDue: 1, arrearsOpened: 0, complete: true });
    expect(await store.getExpectedPayment({ identityKey: k, enrollmentId: 'E1', feeMonth: '2026-09' })).toMatchObject({
      status: 'not-due',
      settledOn: '2026-10-01',
    });
    await expect(
      store.getExpectedPayment({ identityKey: k, enrollmentId: 'E1', feeMonth: '2026-10' }),
    ).rejects.toThrow();
    expect(recorded.started).toEqual([]);
  });

  it('a flexible month with no base or amount known is priced at the flexible base and rates (C-4, C-5), A-1 opens', async () => {
    const k = newIdentityKey('19880808');
    await store.createEnrollment(
      employeeEnrollment(k, 'E1', { mode: 'flexible', flexibleMode: 'combined', unitId: undefined }),
      staff,
    );
    await store.expectPayment(
      {
        identityKey: k,
        enrollmentId: 'E1',
        region: '220100',
        mode: 'flexible',
        feeMonth: '2026-09',
        dueDate: '2026-09-30',
      },
      staff,
    );
    const { deps } = depsAt(store, '2026-10-01T00:05:00+08:00');
    const report = (await sweepHandler(deps)({ date: '2026-10-01', regions: ['220100'] })) as SweepReport;
    expect(report).toMatchObject({ arrearsOpened: 1, complete: true });
    const c = await store.getCase(arrearsCaseId({ identityKey: k, enrollmentId: 'E1', feeMonth: '2026-09' }));
    // FLX25 §3, JL26 Art.15: base 83 % × 7,500 = 6,225.00; 6.5 % = 404.63, 0.5 % = 31.13, 2 % = 124.50: 560.26.
    expect(c.data).toMatchObject({ flexibleMode: 'combined', months: [{ feeMonth: '2026-09', principalFen: 56_026 }] });
  });

  it('reads every shard of the due index in pages', async () => {
    const keys = Array.from({ length: 7 }, (_, i) => newIdentityKey(`1970010${i + 1}`));
    for (const k of keys)
      await store.expectPayment(
        {
          identityKey: k,
          enrollmentId: 'E9',
          region: '220300',
          mode: 'flexible',
          feeMonth: '2026-11',
          dueDate: '2026-11-30',
        },
        staff,
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.paymentsDueOn('220300', '2026-11-30', { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.identityKey));
      cursor = page.cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(keys.sort());
  });
});
