/**
 * One retirement choice window: the staff API that opens the application and the workflow that
 * evaluates it wait for the person's choice the same number of days — the agency parameter
 * `retirement.choiceWindowDays`, dated and illustrative with its reading (no seed text sets it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#app/clock.js';
import { openRetirementApplication } from '#app/staff/retirement.js';
import { evaluateTransfer } from '#app/workflows/retirement-transfer.js';
import { addDays } from '#domain/calendar.js';
import { parameters } from '#params/index.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';
import { recordingPorts, staff, storeOn, unitEnrollment } from './support.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = storeOn(local);
});
afterAll(() => local?.stop());

const TODAY = '2026-04-20';
/** A man born 1965-03-10: legal retirement 2025-04-10, 12 deemed and 16 local years, 2 years short. */
const RETIREE = 'CN:220102196503101230';
const RECORD = { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 };

describe('the retirement choice window', () => {
  it('is one dated agency parameter, illustrative, with its reading', () => {
    const p = parameters();
    for (const region of ['220200', '211200']) {
      const v = p.lookup<number>(p.packInForce(region, TODAY).id, 'retirement.choiceWindowDays', region, TODAY);
      expect(v.value).toBe(60);
      expect(v.source).toMatchObject({ doc: 'AGENCY', illustrative: true, reading: expect.stringMatching(/R-4/) });
    }
  });

  it('is what both the staff API and the workflow wait for the choice', async () => {
    const clock = fixedClock(Date.parse(`${TODAY}T10:00:00+08:00`));
    const ports = recordingPorts();

    // The staff API opens the application (awaiting-choice, waits for the person's choice).
    await store.createPerson({ identityKey: RETIREE, region: '220200' }, staff);
    await store.createEnrollment({ ...unitEnrollment(RETIREE, 'E1', 'U-220200-0042'), region: '220200' }, staff);
    const created = await openRetirementApplication(
      { store, workflows: ports.starter, callbacks: ports.callbacks, clock },
      { staffId: 'jc-0007', region: '220200', roles: ['clerk'] },
      { identityKey: RETIREE, record: RECORD },
    );
    expect(created.value.case).toMatchObject({ state: 'awaiting-choice', wait: { for: 'person-choice' } });
    const byStaff = created.value.case.wait!.until;

    // The workflow evaluates an application opened with the person's record (waiting-choice).
    await store.openCase(
      {
        caseId: 'retire-window-1',
        caseType: 'retirement-transfer',
        region: '220200',
        subject: { kind: 'person', identityKey: RETIREE },
        state: 'opened',
        openedOn: TODAY,
        wait: null,
        taskToken: null,
        data: { identityKey: RETIREE, facts: { sex: 'male', birthDate: '1965-03-10', mode: 'unit', record: RECORD } },
      },
      staff,
    );
    const evaluated = await evaluateTransfer({ store, clock }, { caseId: 'retire-window-1' });
    expect(evaluated.next).toBe('await-choice');
    const byWorkflow = (await store.getCase('retire-window-1')).wait!.until;

    // The same day from both writers (they read 90 and 60 days before), the parameter's.
    expect(byStaff).toBe(byWorkflow);
    const p = parameters();
    const days = p.lookup<number>(
      p.packInForce('220200', TODAY).id,
      'retirement.choiceWindowDays',
      '220200',
      TODAY,
    ).value;
    expect(byStaff).toBe(addDays(TODAY, days));
  });
});
