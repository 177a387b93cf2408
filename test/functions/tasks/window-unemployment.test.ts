/**
 * Collection window (C-8…C-11, W-4…W-7) and unemployment-fund contributions (C-7) on DynamoDB Local.
 * The 2027 window of Changchun runs 2026-10-01 to 2026-12-31; the adult amount for 2027 is 420.00.
 */
import { describe, expect, it } from 'vitest';
import { collectionWindowTasks } from '#functions/tasks/collection-window/handler.js';
import { unemploymentContributionTasks } from '#functions/tasks/unemployment-contributions/handler.js';
import { depsAt, newIdentityKey, staff, uid, useWorkflowStore } from './helpers.js';

const suite = useWorkflowStore();

async function payResident(identityKey: string, paidAt: string, amount: number) {
  await suite.store.intakeNotification(
    {
      notificationId: uid('N'),
      identityKey,
      scheme: 'resident',
      region: '220100',
      payer: { kind: 'person' },
      paidAt,
      periods: [{ feePeriod: '2027', amount }],
    },
    staff,
  );
}

describe('collection window 2027, Changchun', () => {
  it('rosters, renews, subsidises and lapses once each, and reports the renewal rate by Query', async () => {
    const adult = newIdentityKey('19800412');
    const assisted = newIdentityKey('19750101');
    const lapsing = newIdentityKey('19820202');
    const roster = [
      { identityKey: adult, region: '220100', birthDate: '1980-04-12', lastCoveredFeeYear: 2026, continuousYears: 4 },
      {
        identityKey: assisted,
        region: '220100',
        birthDate: '1975-01-01',
        assistance: { category: 'minimum-living', recognisedOn: '2024-03-01' },
        lastCoveredFeeYear: 2026,
        continuousYears: 3,
      },
      { identityKey: lapsing, region: '220100', birthDate: '1982-02-02', lastCoveredFeeYear: 2026, continuousYears: 4 },
      { identityKey: 'not-a-key', region: '220100', birthDate: '1982-02-02' },
    ];
    const at = depsAt(suite.store, '2026-10-01T00:01:00+08:00');
    const w = collectionWindowTasks(at.deps);
    const opened = (await w.handler({ task: 'open-window', region: '220100', feeYear: 2027 })) as { caseId: string };
    expect(opened).toEqual({
      caseId: 'collection-window-220100-2027',
      region: '220100',
      feeYear: 2027,
      opensOn: '2026-10-01',
      closesOn: '2026-12-31',
      closesAt: '2026-12-31T16:00:00.000Z',
    });
    expect(await w['open-window']({ region: '220100', feeYear: 2027 })).toEqual(opened);

    const batch = { Items: roster, BatchInput: { region: '220100', feeYear: 2027 } };
    const created = await w['create-renewals'](batch);
    expect(created).toMatchObject({ items: 4, created: 3, existing: 0 });
    expect(created.rejected).toHaveLength(1);
    expect(created.rejected[0]).toMatchObject({ index: 3 });
    // The Map retries the batch: nothing is created or counted twice.
    expect(await w['create-renewals'](batch)).toMatchObject({ created: 0, existing: 3 });
    expect(await suite.store.getRenewal(adult, 2027)).toMatchObject({
      status: 'pending',
      category: 'adult',
      personPaysFen: 42_000,
      subsidyFen: 0,
    });
    expect(await suite.store.getRenewal(assisted, 2027)).toMatchObject({ personPaysFen: 42_000, subsidyFen: 15_000 });

    await payResident(adult, '2026-11-15T10:30:00+08:00', 42_000);
    await payResident(assisted, '2026-12-20T09:00:00+08:00', 42_000);

    at.clock.set(Date.parse('2027-01-01T00:30:00+08:00'));
    const lapse = await w['lapse-unpaid'](batch);
    expect(lapse).toMatchObject({ items: 4, renewed: 1, subsidised: 1, lapsed: 1, unchanged: 0 });
    // What the lapsed resident's later payment will mean (engine values): W-5c on 2027-01-01, W-6 after the grace.
    expect((await suite.store.getRenewal(lapsing, 2027)).details).toEqual({
      waitingIfPaid: [
        { paidOn: '2027-01-01', waitingDays: 0, coverStarts: '2027-01-01', decidedBy: 'W-5c' },
        { paidOn: '2027-04-01', waitingDays: 90, coverStarts: '2027-07-01', decidedBy: 'W-6' },
      ],
    });
    expect(await w['lapse-unpaid'](batch)).toMatchObject({ renewed: 0, subsidised: 0, lapsed: 0, unchanged: 3 });

    const report = await w.report({ feeYear: 2027, regions: ['220100', '220200'], caseId: opened.caseId, final: true });
    expect(report.regions[0]).toEqual({
      region: '220100',
      feeYear: 2027,
      rostered: 3,
      pending: 0,
      renewed: 1,
      subsidised: 1,
      lapsed: 1,
      renewalRate: { num: 2, den: 3, percent: '66.7%' },
    });
    expect(report.regions[1]).toMatchObject({ region: '220200', rostered: 0, renewalRate: null });
    expect(await suite.store.getCase(opened.caseId)).toMatchObject({ state: 'completed', wait: null });
  });
});

describe('unemployment-fund contributions (C-7)', () => {
  it('records each benefit month once, in its month, and none after the award', async () => {
    const k = newIdentityKey('19880808');
    const caseId = uid('unemployment');
    await suite.store.openCase(
      {
        caseId,
        caseType: 'unemployment-contributions',
        region: '220200',
        subject: { kind: 'person', identityKey: k },
        state: 'opened',
        openedOn: '2026-07-01',
        wait: null,
        taskToken: null,
        data: { identityKey: k, benefitFrom: '2026-07', benefitTo: '2026-09' },
      },
      staff,
    );
    const at = depsAt(suite.store, '2026-08-15T09:00:00+08:00');
    const t = unemploymentContributionTasks(at.deps);
    const first = await t.handler({ task: 'record-month', caseId, now: '2026-08-15T09:00:00+08:00' });
    expect(first).toEqual({
      caseId,
      state: 'paying',
      recordedNow: [
        { feeMonth: '2026-07', paidOn: '2026-07-01', baseFen: 432_000, totalFen: 36_720 },
        { feeMonth: '2026-08', paidOn: '2026-08-01', baseFen: 450_000, totalFen: 38_250 },
      ],
      recordedTotal: 2,
      fundPaidFen: 74_970,
      done: false,
      nextRunAt: '2026-08-31T16:00:00.000Z',
      secondsUntilNext: 16 * 86_400 + 15 * 3600,
    });
    expect(await t['record-month']({ caseId, now: '2026-08-15T09:00:00+08:00' })).toMatchObject({
      recordedNow: [],
      recordedTotal: 2,
    });
    at.clock.set(Date.parse('2026-09-01T00:00:10+08:00'));
    expect(await t['record-month']({ caseId })).toMatchObject({
      state: 'completed',
      recordedNow: [{ feeMonth: '2026-09', totalFen: 38_250 }],
      fundPaidFen: 113_220,
      done: true,
    });
    at.clock.set(Date.parse('2026-10-01T00:00:10+08:00'));
    expect(await t['record-month']({ caseId })).toMatchObject({ recordedNow: [], recordedTotal: 3, done: true });
  });
});
