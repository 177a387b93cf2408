/**
 * A notification id is bound to its first content. Delivered again with the same content it is a duplicate
 * and changes nothing; delivered with other content — another person, other amounts or periods — it is a
 * conflict: nothing is written for either person, the message goes to the dead-letter port with the reason,
 * and no arrears case opens for the first person with the second person's enrollment (whose timer would fail
 * with Case.NotFound and leave the case `opened` for good).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCasesOf } from '#app/workflows/common.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';
import {
  eventBody,
  flexiblePayment,
  idNumber,
  staff,
  storeOn,
  system,
  unitEnrollment,
  unitPayroll,
} from './support.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = storeOn(local);
});
afterAll(() => local?.stop());

/** The flexible combined due of a 2026 month in 220100 (C-4, C-5), as the tax bureau assesses it. */
const FLEXIBLE_DUE = 53_784;

/** What a person's partition says: the ledger, the cases, the enrollments, the audit trail's length. */
async function snapshot(identityKey: string) {
  const [ledger, cases, enrollments, trail] = await Promise.all([
    store.ledger(identityKey, 'employee'),
    allCasesOf(store, { kind: 'person', identityKey }),
    store.listEnrollments(identityKey),
    store.auditTrail({ identityKey }, { limit: 1000 }),
  ]);
  return { ledger, cases, enrollments, audit: trail.items.length };
}

describe('a notification id delivered again', () => {
  it('with the same content (a new EventBridge envelope, too): a duplicate, nothing changes', async () => {
    const a = idNumber();
    const sys = system(store, '2026-04-10T10:00:00+08:00');
    const detail = flexiblePayment({
      number: a,
      paidAt: '2026-04-10T10:00:00+08:00',
      periods: [{ feePeriod: '2026-04', amountFen: FLEXIBLE_DUE, dueFen: FLEXIBLE_DUE }],
    });
    expect(await sys.intake.handleMessage(eventBody(detail))).toMatchObject({
      kind: 'processed',
      persons: [{ intake: 'stored' }],
    });
    const before = await snapshot(`CN:${a}`);
    expect(await sys.intake.handleMessage(eventBody(detail))).toMatchObject({
      kind: 'processed',
      persons: [{ intake: 'duplicate' }],
    });
    expect(await snapshot(`CN:${a}`)).toEqual(before);
    expect(sys.recorded.deadLetters).toEqual([]);
  });

  it('for another person with other content: a conflict, nothing written for either person', async () => {
    const a = idNumber();
    const b = idNumber();
    const sys = system(store, '2026-04-15T10:00:00+08:00');
    // B is enrolled (she paid March under her own notification).
    await sys.intake.handleMessage(
      eventBody(
        flexiblePayment({
          number: b,
          paidAt: '2026-03-10T10:00:00+08:00',
          periods: [{ feePeriod: '2026-03', amountFen: FLEXIBLE_DUE, dueFen: FLEXIBLE_DUE }],
        }),
      ),
    );
    // A pays April in full under SW-REUSED.
    await sys.intake.handleMessage(
      eventBody(
        flexiblePayment({
          notificationId: 'SW-REUSED-0001',
          number: a,
          paidAt: '2026-04-10T10:00:00+08:00',
          periods: [{ feePeriod: '2026-04', amountFen: FLEXIBLE_DUE, dueFen: FLEXIBLE_DUE }],
        }),
      ),
    );
    const [aBefore, bBefore] = [await snapshot(`CN:${a}`), await snapshot(`CN:${b}`)];
    const startsBefore = sys.recorded.starts.length;

    // The same id again, for B, with a short payment for April.
    const body = eventBody(
      flexiblePayment({
        notificationId: 'SW-REUSED-0001',
        number: b,
        paidAt: '2026-04-12T10:00:00+08:00',
        periods: [{ feePeriod: '2026-04', amountFen: 20_000, dueFen: FLEXIBLE_DUE }],
      }),
    );
    const outcome = await sys.intake.handleMessage(body, { messageId: 'm-reused' });
    expect(outcome).toMatchObject({ kind: 'conflict', notificationId: 'SW-REUSED-0001' });
    if (outcome.kind !== 'conflict') return;
    expect(outcome.reason).toMatch(
      /^通知编号已用于不同内容 notification id SW-REUSED-0001 was received before with other content/,
    );

    // Dead-lettered with the reason, as a malformed notification is.
    expect(sys.recorded.deadLetters).toHaveLength(1);
    expect(sys.recorded.deadLetters[0]).toMatchObject({
      body,
      reason: outcome.reason,
      attributes: { kind: 'conflict', notificationId: 'SW-REUSED-0001', sourceMessageId: 'm-reused' },
    });
    // Nothing written for A (who paid in full: no arrears case) nor for B; no timer started.
    expect(await snapshot(`CN:${a}`)).toEqual(aBefore);
    expect(await snapshot(`CN:${b}`)).toEqual(bBefore);
    expect(aBefore.cases.filter((c) => c.caseType === 'arrears')).toEqual([]);
    expect(sys.recorded.starts.length).toBe(startsBefore);

    // Delivered again, the conflicting copy is a conflict again; the first copy is still a duplicate.
    expect((await sys.intake.handleMessage(body)).kind).toBe('conflict');
  });

  it('in a unit payroll with another person added: a conflict for the whole notification', async () => {
    const a = idNumber();
    const c = idNumber();
    for (const n of [a, c]) await store.createEnrollment(unitEnrollment(`CN:${n}`, 'E1'), staff);
    const sys = system(store, '2026-10-10T10:00:00+08:00');
    const month = { feePeriod: '2026-09', amountFen: 54_000, baseFen: 600_000, dueFen: 54_000 };
    const first = unitPayroll({
      notificationId: 'DW-REUSED-0001',
      paidAt: '2026-10-10T10:00:00+08:00',
      insured: [{ number: a, periods: [month] }],
    });
    expect((await sys.intake.handleMessage(eventBody(first))).kind).toBe('processed');
    const cBefore = await snapshot(`CN:${c}`);

    // Per-person ids are `<id>.<personTag>`: only the notification's own guard sees the id reused for C.
    const second = unitPayroll({
      notificationId: 'DW-REUSED-0001',
      paidAt: '2026-10-10T10:00:00+08:00',
      insured: [
        { number: a, periods: [month] },
        { number: c, periods: [{ ...month, amountFen: 10_000 }] },
      ],
    });
    expect((await sys.intake.handleMessage(eventBody(second))).kind).toBe('conflict');
    expect(await snapshot(`CN:${c}`)).toEqual(cBefore);
    // A payroll of both, then the same list in another order: the same content, duplicates.
    const october = { ...month, feePeriod: '2026-10' };
    const both = (order: readonly string[]) =>
      eventBody(
        unitPayroll({
          notificationId: 'DW-ORDER-0001',
          paidAt: '2026-10-10T10:00:00+08:00',
          insured: order.map((number) => ({ number, periods: [october] })),
        }),
      );
    expect(await sys.intake.handleMessage(both([a, c]))).toMatchObject({ kind: 'processed' });
    expect(await sys.intake.handleMessage(both([c, a]))).toMatchObject({
      kind: 'processed',
      persons: [{ intake: 'duplicate' }, { intake: 'duplicate' }],
    });
  });
});
