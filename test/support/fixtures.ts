/**
 * Test fixtures the task tests (test/functions/tasks) and the workflow tests (test/workflows) share: the
 * staff context, fresh persons and ids, and the cases the scenarios start from with what is paid on them:
 * the arrears case as the daily sweep opens it, a unit's bankruptcy deferral, a retirement transfer
 * application. The enrollments themselves are in ./enrollments.ts.
 */
import type { CaseStore } from '#store/case-store.js';
import type { CaseInput, ChangeContext } from '#store/model.js';
import { employeeEnrollment, flexibleEnrollment } from './enrollments.js';

export { employeeEnrollment } from './enrollments.js';

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

/**
 * Opens a case as the sweep or the staff API writes it first: state `opened`, no wait and no task token yet,
 * under a fresh id starting with `prefix`. Returns the id.
 */
export async function openFreshCase(
  store: CaseStore,
  prefix: string,
  c: Pick<CaseInput, 'caseType' | 'region' | 'subject' | 'openedOn' | 'data'>,
): Promise<string> {
  const caseId = uid(prefix);
  await store.openCase({ caseId, state: 'opened', wait: null, taskToken: null, ...c }, staff);
  return caseId;
}

/**
 * A person in Changchun, months paid to 2026-08, September (base 6000.00 yuan) unpaid: the arrears case
 * as the daily sweep opens it on 2026-10-01 (first unpaid day 2026-09-01).
 */
export async function openUnpaidSeptember(store: CaseStore, mode: 'unit' | 'flexible' = 'unit') {
  const identityKey = newIdentityKey();
  const enrollmentId = uid('enr');
  await store.createEnrollment(
    (mode === 'flexible' ? flexibleEnrollment : employeeEnrollment)(identityKey, enrollmentId),
    staff,
  );
  const caseId = await openFreshCase(store, 'arrears-2026-09', {
    caseType: 'arrears',
    region: '220100',
    subject: { kind: 'person', identityKey },
    openedOn: '2026-10-01',
    data: {
      identityKey,
      enrollmentId,
      mode,
      ...(mode === 'flexible' ? { flexibleMode: 'combined' } : { unitId: 'U-220100-0001' }),
      months: [{ feeMonth: '2026-09', baseFen: 600_000, paidFen: 0 }],
      firstUnpaidDay: '2026-09-01',
    },
  });
  return { identityKey, enrollmentId, caseId };
}

/** One fee month of an employee's contributions into the ledger as a tax payment notification; its new id. */
async function payEmployeeMonth(
  store: CaseStore,
  payment: {
    identityKey: string;
    mode: 'unit' | 'flexible';
    region: string;
    payer: { kind: 'unit'; id: string } | { kind: 'person' };
    paidAt: string;
    feePeriod: string;
    base: number;
    amount: number;
  },
  ctx: ChangeContext,
): Promise<string> {
  const { identityKey, mode, region, payer, paidAt, feePeriod, base, amount } = payment;
  const notificationId = uid('N');
  await store.intakeNotification(
    {
      notificationId,
      identityKey,
      scheme: 'employee',
      mode,
      region,
      payer,
      paidAt,
      periods: [{ feePeriod, base, amount }],
    },
    ctx,
  );
  return notificationId;
}

/**
 * A tax payment notification for fee month 2026-09 (base 6,000.00) into the ledger, as intake records it
 * before it resumes the arrears case of `openUnpaidSeptember`.
 */
export const paySeptember = (
  store: CaseStore,
  identityKey: string,
  paidAt: string,
  amount: number,
  mode: 'unit' | 'flexible' = 'unit',
): Promise<string> =>
  payEmployeeMonth(
    store,
    {
      identityKey,
      mode,
      region: '220100',
      payer: mode === 'unit' ? { kind: 'unit', id: 'U-220100-0001' } : { kind: 'person' },
      paidAt,
      feePeriod: '2026-09',
      base: 600_000,
      amount,
    },
    { actor: { kind: 'system', component: 'intake' }, reason: 'tax payment notification' },
  );

/** What each employee of a unit under a bankruptcy deferral owes: 2026-09 and 2026-10 on a 5,000.00 base. */
export const DEFERRED_MONTHS = [
  { feeMonth: '2026-09', baseFen: 500_000, paidFen: 0 },
  { feeMonth: '2026-10', baseFen: 500_000, paidFen: 0 },
];

/**
 * A unit in Jilin City that filed for bankruptcy on 2026-09-15 and its deferral agreement on 2026-09-28, to end
 * on 2026-12-31 (B-1): its employees enrolled (enrollment E1 each, owing DEFERRED_MONTHS), and the deferral case
 * as the staff API opens it, on `openedOn` (default the agreement's day).
 */
export async function openBankruptcyDeferral(
  store: CaseStore,
  employees: readonly string[],
  opts: { unitId?: string; openedOn?: string; taxConfirmed?: boolean } = {},
): Promise<{ caseId: string; unitId: string }> {
  const unitId = opts.unitId ?? uid('U');
  for (const k of employees)
    await store.createEnrollment(employeeEnrollment(k, 'E1', { region: '220200', unitId }), staff);
  const caseId = await openFreshCase(store, 'bankruptcy', {
    caseType: 'bankruptcy-deferral',
    region: '220200',
    subject: { kind: 'unit', unitId },
    openedOn: opts.openedOn ?? '2026-09-28',
    data: {
      unitId,
      filedOn: '2026-09-15',
      taxConfirmed: opts.taxConfirmed ?? true,
      agreementFiledOn: '2026-09-28',
      agreementEndsOn: '2026-12-31',
      employees: employees.map((identityKey) => ({ identityKey, enrollmentId: 'E1', months: DEFERRED_MONTHS })),
    },
  });
  return { caseId, unitId };
}

/** The unit's payment for one employee under the deferral and one fee month (425.00) into the ledger. */
export const payDeferredMonth = (
  store: CaseStore,
  identityKey: string,
  unitId: string,
  feeMonth: string,
  paidAt: string,
): Promise<string> =>
  payEmployeeMonth(
    store,
    {
      identityKey,
      mode: 'unit',
      region: '220200',
      payer: { kind: 'unit', id: unitId },
      paidAt,
      feePeriod: feeMonth,
      base: 500_000,
      amount: 42_500,
    },
    staff,
  );

/**
 * The man born 1965-03-10 of docs/decisions.md (retirement age 60 years 1 month), unit mode in Jilin City,
 * applies for the retirement transfer on `openedOn` (default 2026-04-20): 12 deemed years (144 months) and 16
 * local combined years (192 months) unless told, so 2 years short; 168 deemed months make 30 years.
 */
export async function openRetirementApplication(
  store: CaseStore,
  opts: {
    identityKey?: string;
    unitId?: string;
    openedOn?: string;
    deemedMonths?: number;
    localCombinedMonths?: number;
  } = {},
): Promise<{ caseId: string; identityKey: string }> {
  const identityKey = opts.identityKey ?? newIdentityKey('19650310');
  const caseId = await openFreshCase(store, 'retire', {
    caseType: 'retirement-transfer',
    region: '220200',
    subject: { kind: 'person', identityKey },
    openedOn: opts.openedOn ?? '2026-04-20',
    data: {
      identityKey,
      ...(opts.unitId ? { unitId: opts.unitId } : {}),
      facts: {
        sex: 'male',
        birthDate: '1965-03-10',
        mode: 'unit',
        record: {
          deemedMonths: opts.deemedMonths ?? 144,
          outOfProvinceMonths: 0,
          localCombinedMonths: opts.localCombinedMonths ?? 192,
        },
      },
    },
  });
  return { caseId, identityKey };
}
