/**
 * Test fixtures the task tests (test/functions/tasks) and the workflow tests (test/workflows) share: the
 * staff context, fresh persons and ids, a standing employee enrollment, and the arrears case as the daily
 * sweep opens it.
 */
import type { CaseStore } from '#store/case-store.js';
import type { CaseInput, ChangeContext, EnrollmentInput } from '#store/model.js';

export const staff: ChangeContext = {
  actor: { kind: 'staff', staffId: 'cc-0042', region: '220100' },
  reason: 'test set-up at the counter',
};

let seq = 0;
/** A fresh valid Chinese ID number (GB 11643 checksum) for each scenario, so tests never share a person. */
export function newIdentityKey(birth = '19800412'): string {
  const body = `220102${birth}${String(100 + (seq++ % 900)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return `CN:${body}${'10X98765432'[sum % 11]}`;
}

export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
}

const E1 = { id: 'E-1', cites: 'JL26 Art.4' };

/** A unit employee of Changchun since 2020, every month paid on time (W-4). */
export function employeeEnrollment(
  identityKey: string,
  enrollmentId: string,
  overrides: Partial<EnrollmentInput> = {},
): EnrollmentInput {
  return {
    enrollmentId,
    identityKey,
    scheme: 'employee',
    mode: 'unit',
    region: '220100',
    unitId: 'U-220100-0001',
    enrolledOn: '2020-01-01',
    statusHistory: [
      { status: 'normal', from: '2020-01-01', rules: [E1], reason: { zh: '单位参保', en: 'enrolled by the unit' } },
    ],
    coverPeriods: [
      {
        start: '2020-01-01',
        end: null,
        rules: [{ id: 'W-4', cites: 'JL26 Art.10, Art.20' }],
        reason: { zh: '按月足额缴费', en: 'months paid on time' },
      },
    ],
    ...overrides,
  };
}

/**
 * A person in Changchun, months paid to 2026-08, September (base 6000.00 yuan) unpaid: the arrears case
 * as the daily sweep opens it on 2026-10-01 (first unpaid day 2026-09-01).
 */
export async function openUnpaidSeptember(store: CaseStore, mode: 'unit' | 'flexible' = 'unit') {
  const identityKey = newIdentityKey();
  const enrollmentId = uid('enr');
  await store.createEnrollment(
    employeeEnrollment(
      identityKey,
      enrollmentId,
      mode === 'flexible' ? { mode, flexibleMode: 'combined', unitId: undefined } : {},
    ),
    staff,
  );
  const caseId = uid('arrears-2026-09');
  const c: CaseInput = {
    caseId,
    caseType: 'arrears',
    region: '220100',
    subject: { kind: 'person', identityKey },
    state: 'opened',
    openedOn: '2026-10-01',
    wait: null,
    taskToken: null,
    data: {
      identityKey,
      enrollmentId,
      mode,
      ...(mode === 'flexible' ? { flexibleMode: 'combined' } : { unitId: 'U-220100-0001' }),
      months: [{ feeMonth: '2026-09', baseFen: 600_000, paidFen: 0 }],
      firstUnpaidDay: '2026-09-01',
    },
  };
  await store.openCase(c, staff);
  return { identityKey, enrollmentId, caseId };
}
