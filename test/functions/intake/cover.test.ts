/**
 * The facts intake gives the waiting-period decision (shared/app/intake/cover.ts), decided by the real
 * engine: a flexible worker's first payment (fee month 2027-09, paid 2027-09-15) waits 90 days (W-6: cover
 * from 2027-12-15); the months paid meanwhile carry that wait (W-8) — including December, paid on
 * 2027-12-15 for a month that began while the wait still ran — instead of covering from the 1st (W-4).
 */
import { describe, expect, it } from 'vitest';
import { waitingPeriodFacts } from '#app/intake/cover.js';
import { decide } from '#app/workflows/common.js';
import { waitingPeriod } from '#rules/waiting-period/decision.js';
import { parseTaxPaymentEvent } from '#schemas/events.js';
import type { Enrollment, LedgerEntry } from '#store/model.js';
import { newIdentityKey } from '../../support/fixtures.js';

const key = newIdentityKey('19900101');

function payment(feeMonth: string, paidOn: string) {
  const parsed = parseTaxPaymentEvent(
    JSON.stringify({
      version: '0',
      id: `e-${feeMonth}`,
      'detail-type': 'Tax Payment Notification',
      source: 'gov.chinatax.jilin',
      account: '000000000000',
      time: `${paidOn}T02:00:00Z`,
      region: 'cn-north-1',
      resources: [],
      detail: {
        schemaVersion: '1',
        notificationId: `SW-${feeMonth}`,
        payer: { kind: 'person' },
        scheme: 'employee',
        mode: 'flexible',
        flexibleMode: 'combined',
        region: '220100',
        paidAt: `${paidOn}T10:00:00+08:00`,
        insured: [{ identity: { number: key.slice(3) }, periods: [{ feePeriod: feeMonth, amountFen: 56_026 }] }],
      },
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.payments[0]!;
}

const ledgerEntry = (feePeriod: string, paidOn: string): LedgerEntry =>
  ({
    identityKey: key,
    scheme: 'employee',
    feePeriod,
    region: '220100',
    amount: 56_026,
    paidOn,
    notificationId: `SW-${feePeriod}`,
    payments: [{ notificationId: `SW-${feePeriod}`, amount: 56_026 }],
  }) as unknown as LedgerEntry;

/** The enrollment after the first payment: W-6 cover from 2027-12-15, not yet begun. */
const enrollment = {
  enrollmentId: 'E-1',
  scheme: 'employee',
  mode: 'flexible',
  coverPeriods: [
    { start: '2027-12-15', end: null, rules: [{ id: 'W-6', cites: 'FLX25 §10' }], notificationId: 'SW-2027-09' },
  ],
} as unknown as Enrollment;

const ledger = [
  ledgerEntry('2027-09', '2027-09-15'),
  ledgerEntry('2027-10', '2027-10-15'),
  ledgerEntry('2027-11', '2027-11-15'),
];

describe('waiting-period facts of a payment made during a W-6 wait (W-8)', () => {
  it.each([
    ['2027-11', '2027-11-15'],
    ['2027-12', '2027-12-15'], // the month began while the wait still ran: the wait carries
    ['2027-12', '2027-12-10'],
  ])('fee month %s paid %s: the wait to 2027-12-15 carries (W-8)', (feeMonth, paidOn) => {
    const facts = waitingPeriodFacts(
      payment(feeMonth, paidOn),
      [enrollment],
      ledger.filter((e) => e.feePeriod < feeMonth),
    );
    expect(facts.carriedWaitingUntil).toBe('2027-12-15');
    const r = decide(waitingPeriod, facts, paidOn);
    expect(r.value.coverStarts).toBe('2027-12-15');
    expect(r.trace.rules.map((x) => x.id)).toContain('W-8');
  });

  it('fee month 2028-01 paid 2028-01-15, after the wait ended: cover continues from the 1st (W-4)', () => {
    const facts = waitingPeriodFacts(
      payment('2028-01', '2028-01-15'),
      [enrollment],
      [...ledger, ledgerEntry('2027-12', '2027-12-15')],
    );
    expect(facts).not.toHaveProperty('carriedWaitingUntil');
    const r = decide(waitingPeriod, facts, '2028-01-15');
    expect(r.value.coverStarts).toBe('2028-01-01');
    expect(r.trace.rules.map((x) => x.id)).toContain('W-4');
  });
});
