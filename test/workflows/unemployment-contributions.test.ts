/**
 * The unemployment-contributions state machine as synthesized, run on the local adapter with the real
 * task handler on DynamoDB Local: a benefit award 2026-07…2026-09 in Jilin City, recorded by staff on
 * 2026-07-01; each month's contribution is paid by the unemployment fund in its month (C-7):
 * 367.20 + 382.50 + 382.50 = 1,132.20, none after.
 */
import { describe, expect, it } from 'vitest';
import { unemploymentContributionTasks } from '#functions/tasks/unemployment-contributions/handler.js';
import { buildUnemploymentContributionsStateMachine } from '#infra/state-machines/unemployment-contributions.js';
import { auditLines, expectStandardDefinition, newIdentityKey, staff, uid, useWorkflowSuite } from './support.js';

const suite = useWorkflowSuite({
  entry: 'functions/tasks/unemployment-contributions/handler.ts',
  build: buildUnemploymentContributionsStateMachine,
  tasks: unemploymentContributionTasks,
  start: '2026-07-01T09:00:00+08:00',
});

describe('the synthesized definition', () => {
  it('is a Standard machine, logging ALL with X-Ray, JSONPath only, valid ASL, cdk-nag clean', () => {
    expectStandardDefinition(suite.wf);
    expect(suite.wf.definition.States.NextMonth).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.nextRunAt',
      Next: 'RecordMonth',
    });
  });
});

describe('a 3-month award, 2026-07 to 2026-09', () => {
  it('records each benefit month in its month (Wait until the 1st, 00:00 CST), then completes', async () => {
    const h = suite.harness();
    const identityKey = newIdentityKey('19880808');
    const caseId = uid('unemployment');
    await h.store.openCase(
      {
        caseId,
        caseType: 'unemployment-contributions',
        region: '220200',
        subject: { kind: 'person', identityKey },
        state: 'opened',
        openedOn: '2026-07-01',
        wait: null,
        taskToken: null,
        data: { identityKey, benefitFrom: '2026-07', benefitTo: '2026-09' },
      },
      staff,
    );
    const exec = await h.start(caseId);
    const recorded = async () => ((await h.store.getCase(caseId)).data.recorded as unknown[] | undefined)?.length ?? 0;
    const waitingFor = (months: number) =>
      h.until(async () => h.clock.pendingTimerCount() === 1 && (await recorded()) === months, `${months} month(s)`);

    const july = { feeMonth: '2026-07', paidOn: '2026-07-01', baseFen: 432_000, totalFen: 36_720 };
    const august = { feeMonth: '2026-08', paidOn: '2026-08-01', baseFen: 450_000, totalFen: 38_250 };
    const september = { feeMonth: '2026-09', paidOn: '2026-09-01', baseFen: 450_000, totalFen: 38_250 };

    await waitingFor(1);
    expect(await h.store.getCase(caseId)).toMatchObject({
      state: 'paying',
      wait: { for: 'benefit-month', until: '2026-07-31' },
      data: { recorded: [july] },
    });
    // The Wait ends at 2026-08-01 00:00 CST, not a moment before.
    await h.advanceTo('2026-07-31T23:59:59+08:00');
    expect(await recorded()).toBe(1);
    await h.advanceTo('2026-08-01T00:00:00+08:00');
    await waitingFor(2);
    expect((await h.store.getCase(caseId)).data.recorded).toEqual([july, august]);

    await h.advanceTo('2026-09-01T00:00:00+08:00');
    expect(await h.finish(exec)).toEqual({ status: 'SUCCEEDED' });
    const c = await h.store.getCase(caseId);
    expect(c).toMatchObject({ state: 'completed', wait: null, closedOn: '2026-09-01' });
    expect(c.data.recorded).toEqual([july, august, september]);
    const fundPaidFen = (c.data.recorded as Array<{ totalFen: number }>).reduce((s, m) => s + m.totalFen, 0);
    expect(fundPaidFen).toBe(113_220);
    expect((await h.sfn.describeExecution(exec.executionArn)).output).toEqual({
      caseId,
      state: 'completed',
      recordedNow: [september],
      recordedTotal: 3,
      fundPaidFen: 113_220,
      done: true,
    });

    const audit = await h.audit(caseId);
    expect(auditLines(audit, 0)).toEqual([
      '2026-07-01T01:00:00.000Z case-opened:opened',
      '2026-07-01T01:00:00.000Z case-saved:paying',
      '2026-07-31T16:00:00.000Z case-saved:paying',
      '2026-08-31T16:00:00.000Z case-saved:completed',
    ]);
    expect(audit.filter((r) => r.action !== 'case-opened:opened').map((r) => r.reason)).toEqual([
      'C-7: 2026-07 36720 fen paid by the unemployment fund',
      'C-7: 2026-08 38250 fen paid by the unemployment fund',
      'C-7: 2026-09 38250 fen paid by the unemployment fund; the award has ended, none after',
    ]);

    // None after the award: the execution has ended, October comes and nothing is recorded.
    await h.advanceTo('2026-10-01T00:00:00+08:00');
    expect(((await h.store.getCase(caseId)).data.recorded as unknown[]).length).toBe(3);

    expect(h.path(exec)).toEqual([
      'RecordMonth',
      'AwardEnded',
      'NextMonth',
      'RecordMonth',
      'AwardEnded',
      'NextMonth',
      'RecordMonth',
      'AwardEnded',
      'Done',
    ]);
    const t = h.transitions(exec);
    expect(t.total).toBe(9);
    console.log(`unemployment-contributions transitions:\n  3-month award: ${t.total} (${h.path(exec).join(' → ')})`);
  });
});
