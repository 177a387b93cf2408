/**
 * Case 3a: a flexible worker pays only part of October and the rest on day 60 after the last day
 * paid, within the 90 days: restored the next day, the gap covered.
 */
import { addDays, FLEXIBLE_MONTH, yuan } from '../arithmetic.js';
import { PEOPLE } from '../cast.js';
import { appliedRules } from '../client.js';
import { type Scene, type SceneContext, step } from './context.js';

export function arrearsPaidOnDay60(ctx: SceneContext): Scene {
  const { api, out, n, ids, pay, showStatus } = ctx;
  return {
    steps: [
      step('2027-10-15', 'Case 3a: 刘洋 pays only 300.00 of October', async () => {
        const r = await pay([n.flexible(PEOPLE.liu, '2027-10-15', [['2027-10', 30_000]])]);
        ids.arrears60 = r[0]?.persons?.[0]?.arrears?.[0]?.caseId;
        const c = await api.getCase(ids.arrears60!);
        out.say(`case ${c.caseId}: ${c.state}, suspended from ${c.data.opened?.suspendedFrom} (A-1)`);
      }),

      step('2027-11-01', 'October is past its due date', async () => {
        await showStatus('liu', '2027-11-01', 'October short');
      }),

      step('2027-11-29', 'Case 3a: 刘洋 pays the rest of October, 60 days after the last day paid', async () => {
        const c = await api.getCase(ids.arrears60!);
        const principal = c.data.months[0].principalFen as number;
        const r = await api.decide(
          'arrears',
          {
            mode: 'flexible',
            flexibleMode: 'combined',
            months: [{ feeMonth: '2027-10', principalFen: principal }],
            firstUnpaidDay: '2027-10-01',
            paidAt: '2027-11-29',
          },
          '2027-11-29',
        );
        out.say(`what paying today costs (what-if): ${yuan(r.value.amountDueFen)}`);
        out.why(r.trace.reason, appliedRules(r.trace));
        await pay([n.flexible(PEOPLE.liu, '2027-11-29', [['2027-10', r.value.amountDueFen]])]);
        const after = await api.getCase(ids.arrears60!);
        const o = after.data.outcome;
        out.say(
          `case ${after.caseId}: ${after.state}; ${o?.decidedBy}: restored ${o?.restoredOn}, covered from ${o?.coverStarts}`,
        );
      }),
    ],

    case: {
      name: '3a arrears paid on day 60',
      caseKey: 'arrears60',
      // Paid within 90 days (含) of the last paid day 2027-09-30: the arrears period covered.
      async check({ expect, caseOf, statusText }) {
        const c = await caseOf('arrears60');
        const o = c?.data.outcome ?? {};
        expect('case', 'completed', c?.state);
        expect('decided by', 'A-4', o.decidedBy);
        expect('paid on: day 60 after 2027-09-30 (gap = P − E)', addDays('2027-09-30', 60), o.paidOn);
        // 560.26 due (FLEXIBLE_MONTH), 300.00 paid; A-3's late fee is read for unit mode only.
        expect(
          'amount paid: principal 560.26 − 300.00, no late fee',
          yuan(FLEXIBLE_MONTH - 30_000),
          yuan(o.amountDueFen),
        );
        expect('restored on: the next day (A-2)', addDays('2027-11-29', 1), o.restoredOn);
        expect('covered from: the first unpaid day (A-4)', '2027-10-01', o.coverStarts);
        expect('刘洋 on 2027-11-15', 'normal, covered', await statusText('liu', '2027-11-15'));
      },
    },
  };
}
