/**
 * Case 3b: a flexible worker pays only part of October and never the rest; more than 90 days in arrears, he
 * cannot backfill and the enrollment ends.
 */
import { addDays, FLEXIBLE_MONTH, yuan } from '../arithmetic.js';
import { PEOPLE } from '../cast.js';
import { type Scene, type SceneContext, step } from './context.js';

export function arrearsNeverPaid(ctx: SceneContext): Scene {
  const { api, out, n, ids, pay, showStatus } = ctx;
  return {
    steps: [
      step('2027-10-12', 'Case 3b: 何志强 pays only 200.00 of October', async () => {
        const r = await pay([n.flexible(PEOPLE.he, '2027-10-12', [['2027-10', 20_000]])]);
        ids.arrearsNever = r[0]?.persons?.[0]?.arrears?.[0]?.caseId;
      }),

      step('2027-12-30', 'Case 3b: 何志强’s 90 days have passed', async () => {
        const c = await api.getCase(ids.arrearsNever!);
        out.say(`case ${c.caseId}: ${c.state} (${c.data.outcome?.decidedBy})`);
        await showStatus('he', '2027-12-30', 'the day after the window');
      }),
    ],

    case: {
      name: '3b arrears never paid',
      caseKey: 'arrearsNever',
      // A flexible worker more than 90 days in arrears cannot backfill: the enrollment ends.
      async check({ expect, caseOf, statusText }) {
        const c = await caseOf('arrearsNever');
        expect('case', 'lapsed', c?.state);
        expect('decided by', 'A-6', c?.data.outcome?.decidedBy);
        expect(
          'window’s last day: 90 days (含) after 2027-09-30',
          addDays('2027-09-30', 90),
          c?.data.opened?.windowLastDay,
        );
        expect(
          // November fell due (11-30) unpaid inside the window: it joins the run of unpaid months.
          'principal left unpaid: October 560.26 − 200.00, November 560.26',
          yuan(2 * FLEXIBLE_MONTH - 20_000),
          yuan(c?.data.outcome?.principalFen),
        );
        expect(
          '何志强 on the day after the window',
          'terminated, not covered',
          await statusText('he', addDays('2027-12-29', 1)),
        );
      },
    },
  };
}
