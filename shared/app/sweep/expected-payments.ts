/**
 * Expected employee fee months (docs/data-model.md, patterns 17–19): the to-do list the daily sweep
 * reads to find months due and unpaid. Written for the first month when an enrollment is created,
 * and for the next month whenever a month is settled (paid by intake, or taken by an arrears case
 * by the sweep), so every month of a live enrollment is watched without reading the whole ledger.
 */
import { addYearMonths, type CalendarDate, firstOfMonth, type YearMonth } from '#domain/calendar.js';
import type { ChangeContext } from '#store/model.js';
import type { ExpectedPayment, ExpectedPaymentInput } from '#store/workflow-model.js';
import type { WorkflowStore } from '#store/case-store.js';
import { NotFoundError } from '#store/errors.js';
import { decide } from '../workflows/common.js';
import { arrears } from '#rules/arrears/decision.js';

/**
 * C-6: the due date of a fee month in a region, as the engine reads it (the `arrears` decision's
 * due date of a month with nothing owed: the one definition, in rates.ts, of when a month is late).
 */
export function dueDateOf(region: string, mode: 'unit' | 'flexible', feeMonth: YearMonth): CalendarDate {
  const first = firstOfMonth(feeMonth);
  const r = decide(arrears, { region, mode, months: [{ feeMonth, principalFen: 0 }], firstUnpaidDay: first }, first);
  return r.value.months[0]!.dueDate;
}

export type ExpectedMonthFields = Omit<ExpectedPaymentInput, 'feeMonth' | 'dueDate'>;

/** Expects `feeMonth` of an enrollment, due when C-6 says. Idempotent. */
export async function expectMonth(
  store: WorkflowStore,
  fields: ExpectedMonthFields,
  feeMonth: YearMonth,
  ctx: ChangeContext,
): Promise<ExpectedPayment> {
  const dueDate = dueDateOf(fields.region, fields.mode, feeMonth);
  return (await store.expectPayment({ ...fields, feeMonth, dueDate }, ctx)).payment;
}

/** The month after `p`, with the same enrollment facts. */
export function nextMonthOf(p: ExpectedPayment): { fields: ExpectedMonthFields; feeMonth: YearMonth } {
  const {
    feeMonth,
    dueDate: _d,
    status: _s,
    caseId: _c,
    notificationId: _n,
    settledOn: _o,
    version: _v,
    updatedAt: _u,
    ...fields
  } = p;
  return { fields, feeMonth: addYearMonths(feeMonth, 1) };
}

/**
 * For intake: a notification paid `feeMonth` of an enrollment. Settles the month (out of the due
 * index) and expects the next one. Idempotent. A month never expected (an enrollment the tax bureau's
 * payment created, which staff never enrolled) is only expected onward, from `fields`: the next month,
 * when it is not yet due on the payment day (an old month paid late starts no chain of past months).
 */
export async function recordMonthPaid(
  store: WorkflowStore,
  ref: { identityKey: string; enrollmentId: string; feeMonth: YearMonth },
  notificationId: string,
  paidOn: CalendarDate,
  ctx: ChangeContext,
  fields?: ExpectedMonthFields,
): Promise<void> {
  let current: ExpectedPayment;
  try {
    current = await store.getExpectedPayment(ref);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    const feeMonth = addYearMonths(ref.feeMonth, 1);
    if (fields && dueDateOf(fields.region, fields.mode, feeMonth) >= paidOn)
      await expectMonth(store, fields, feeMonth, ctx);
    return;
  }
  const next = nextMonthOf(current);
  await expectMonth(store, next.fields, next.feeMonth, ctx);
  await store.settleExpectedPayment(ref, { status: 'paid', settledOn: paidOn, notificationId }, ctx);
}
