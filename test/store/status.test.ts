/**
 * "Is this person covered on date D, and why": read from the store (one Query of the person's
 * enrollments, counted), answered from the stored status history (E-7) and the cover periods the
 * engine decided, with their rule ids and articles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '#store/dynamo-client.js';
import { DynamoCaseStore } from '#store/dynamo-store.js';
import type { ChangeContext, Enrollment, EnrollmentInput } from '#store/model.js';
import { statusOnDate } from '#store/status.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';
import {
  asStored,
  employeeEnrollment,
  enrolledByUnit,
  residentEnrollment,
  restoredAfterArrears,
  suspendedForArrears,
  terminated,
} from '../support/enrollments.js';

const staff: ChangeContext = { actor: { kind: 'staff', staffId: 'cc-7', region: '220100' }, reason: 'enrolled' };

/** Resident, first enrollment, paid 2026-11-15 in the window for 2027: W-6, cover from 2027-04-01. */
const resident2027 = (key: string): EnrollmentInput => residentEnrollment(key, 'R-2027');

/** Employee by unit since 2020, arrears suspend from 2026-04-01, paid 2026-05-10, restored 2026-05-11. */
const employeeInArrears = (key: string): EnrollmentInput =>
  employeeEnrollment(key, 'E-U1', {
    unitId: 'U1',
    statusHistory: [
      enrolledByUnit('2020-01-01'),
      suspendedForArrears('2026-04-01', '2026-03'),
      restoredAfterArrears('2026-05-11'),
    ],
  });

describe('statusOnDate (pure)', () => {
  const key = 'CN:220102199003071234';
  const resident = asStored(resident2027(key));
  const employee = asStored(employeeInArrears(key));

  it('covered, with the rules and reason of the cover period', () => {
    const s = statusOnDate([resident], '2027-05-01');
    expect(s).toMatchObject({ enrolled: true, covered: true, status: 'normal', scheme: 'resident', region: '220100' });
    expect(s.rules.map((r) => r.id)).toEqual(['E-7', 'P-1', 'W-6']);
    expect(s.rules.find((r) => r.id === 'W-6')!.cites).toBe('JL26 Art.10 ¶4');
    expect(s.reason.en).toContain('2027-04-01');
  });

  it('enrolled and normal but in the waiting period: not covered, says until when', () => {
    const s = statusOnDate([resident], '2027-02-01');
    expect(s).toMatchObject({ enrolled: true, covered: false, status: 'normal' });
    expect(s.coverPeriod?.start).toBe('2027-04-01');
    expect(s.reason.en).toContain('waiting period; covered from 2027-04-01');
    expect(s.rules.map((r) => r.id)).toContain('W-6');
  });

  it('the last day of a cover period is covered, the next is not', () => {
    expect(statusOnDate([resident], '2027-12-31').covered).toBe(true);
    expect(statusOnDate([resident], '2028-01-01')).toMatchObject({ covered: false, rules: [{ id: 'E-7' }] });
  });

  it('suspended for arrears: not covered (E-7), with A-1 and its reason', () => {
    const s = statusOnDate([employee], '2026-04-15');
    expect(s).toMatchObject({ covered: false, status: 'suspended', scheme: 'employee', mode: 'unit' });
    expect(s.rules.map((r) => r.id)).toEqual(['E-7', 'A-1']);
    expect(s.reason.en).toContain('suspended since 2026-04-01');
    expect(statusOnDate([employee], '2026-03-31').covered).toBe(true);
    expect(statusOnDate([employee], '2026-05-11').covered).toBe(true);
  });

  it('not enrolled before the first status, and with no enrollment at all', () => {
    expect(statusOnDate([resident], '2026-11-14')).toMatchObject({ enrolled: false, covered: false });
    expect(statusOnDate([], '2026-11-14')).toMatchObject({ enrolled: false, covered: false, rules: [] });
  });

  it('of several enrollments, the one that covers the date answers', () => {
    const ended: Enrollment = {
      ...employee,
      statusHistory: [...employee.statusHistory, terminated('2027-01-01', { zh: '转出', en: 'moved' })],
    };
    expect(statusOnDate([ended, resident], '2027-06-01')).toMatchObject({ enrollmentId: 'R-2027', covered: true });
    expect(statusOnDate([ended, resident], '2027-02-01')).toMatchObject({
      enrollmentId: 'R-2027',
      covered: false,
      status: 'normal',
    });
    expect(statusOnDate([ended, resident], '2026-06-01')).toMatchObject({ enrollmentId: 'E-U1', covered: true });
  });
});

describe('status as of a date, from DynamoDB Local', () => {
  let local: LocalDynamo;
  let store: DynamoCaseStore;
  const events: RequestEvent[] = [];
  const key = 'CN:220102198501011234';

  beforeAll(async () => {
    local = await startDynamoDbLocal();
    store = new DynamoCaseStore({ client: local.client, tableName: local.tableName, observer: (e) => events.push(e) });
    await store.createEnrollment(employeeInArrears(key), staff);
    await store.createEnrollment(resident2027(key), staff);
    // A long ledger in the same partition: the status read must not touch it.
    for (let y = 2020; y <= 2025; y++) {
      await store.intakeNotification(
        {
          notificationId: `N-${y}`,
          identityKey: key,
          scheme: 'employee',
          mode: 'unit',
          region: '220100',
          payer: { kind: 'unit', id: 'U1' },
          paidAt: `${y}-12-20`,
          periods: Array.from({ length: 12 }, (_, m) => ({
            feePeriod: `${y}-${String(m + 1).padStart(2, '0')}`,
            base: 600_000,
            rate: { num: 8, den: 100 },
            amount: 48_000,
          })),
        },
        { actor: { kind: 'system', component: 'intake' }, reason: 'tax payment notification' },
      );
    }
  });
  afterAll(() => local?.stop());

  async function countedStatus(date: string) {
    const before = events.length;
    const status = await store.statusOn(key, date);
    const requests = events.slice(before);
    return { status, requests };
  }

  it('answers in one read of the person partition, whatever the size of the ledger', async () => {
    const { status, requests } = await countedStatus('2026-04-15');
    expect(requests.map((r) => r.command)).toEqual(['QueryCommand']);
    expect(status).toMatchObject({ covered: false, status: 'suspended', enrollmentId: 'E-U1' });
    expect(status.rules.map((r) => r.id)).toEqual(['E-7', 'A-1']);
    // Two small enrollment items, not 72 ledger months: a fraction of a few capacity units.
    expect(requests[0]!.consumedCapacity[0]!.CapacityUnits).toBeLessThanOrEqual(2);
  });

  it('gives scheme, status, cover and why on other dates, one read each', async () => {
    for (const [date, covered, enrollmentId, firstRules] of [
      ['2025-06-01', true, 'E-U1', ['E-7', 'W-4']],
      ['2026-06-01', true, 'E-U1', ['E-7', 'W-4']],
      // Two enrollments cover (a duplicate, D-rules): the later one answers.
      ['2027-08-01', true, 'R-2027', ['E-7', 'P-1', 'W-6']],
    ] as const) {
      const { status, requests } = await countedStatus(date);
      expect(requests).toHaveLength(1);
      expect(status).toMatchObject({ date, covered, enrollmentId });
      expect(status.rules.map((r) => r.id)).toEqual(firstRules);
    }
  });

  it('after the employee enrollment ends, the resident cover answers (one read)', async () => {
    const e = await store.getEnrollment(key, 'E-U1');
    await store.saveEnrollment(
      {
        ...e,
        statusHistory: [...e.statusHistory, terminated('2027-01-01', { zh: '停保', en: 'stopped' })],
      },
      e.version,
      staff,
    );
    const waiting = await countedStatus('2027-03-01');
    expect(waiting.requests).toHaveLength(1);
    expect(waiting.status).toMatchObject({
      enrollmentId: 'R-2027',
      scheme: 'resident',
      covered: false,
      status: 'normal',
    });
    expect(waiting.status.reason.zh).toContain('待遇等待期');
    const covered = await countedStatus('2027-08-01');
    expect(covered.status).toMatchObject({ enrollmentId: 'R-2027', covered: true });
    expect(covered.status.coverPeriod).toMatchObject({
      start: '2027-04-01',
      end: '2027-12-31',
      notificationId: 'N-2027',
    });
  });

  it('a person the store has never seen: not enrolled, one read', async () => {
    const before = events.length;
    expect(await store.statusOn('CN:999999999999999999', '2027-01-01')).toMatchObject({ enrolled: false });
    expect(events.length - before).toBe(1);
  });
});
