/**
 * Case 4: a newborn registered, enrolled and paid for within 90 days (含) of birth: no waiting, covered from
 * birth (W-1), then renewed in the window (W-4).
 */
import { addDays } from '../arithmetic.js';
import { DEMO_REGION, ENROLL_AS, PEOPLE } from '../cast.js';
import { type Scene, type SceneContext, step } from './context.js';

export function newborn(ctx: SceneContext): Scene {
  const { api, out, n, ids, enroll, pay, residentDue, showStatus } = ctx;
  return {
    steps: [
      step('2027-09-17', 'Case 4: 王小宝, born 2027-09-12, is registered and enrolled', async () => {
        const r = await api.call('POST', '/newborn-registrations', {
          identity: { number: PEOPLE.baby.number },
          region: DEMO_REGION,
          note: 'birth certificate presented by the father, 王建国',
        });
        ids.newborn = r.case.caseId;
        out.say(`case ${r.case.caseId}: ${r.case.state}, waiting for ${r.case.wait.for} until ${r.case.wait.until}`);
        out.why(r.case.data.reason, r.case.data.rules);
        await enroll('baby', ENROLL_AS.resident, 'resident');
      }),

      step('2027-09-18', '王小宝’s father pays his 2027 resident contribution', async () => {
        const due = await residentDue('baby', 2027, '2027-09-18', true);
        await pay([n.resident(PEOPLE.baby, '2027-09-18', 2027, due.personPaysFen)]);
      }),

      step('2027-12-12', 'Case 4: the newborn window ended yesterday', async () => {
        const c = await api.getCase(ids.newborn!);
        out.say(
          `case ${c.caseId}: ${c.state}${c.data.enrolledInWindow ? `, enrolled on ${c.data.enrolledInWindow.on}` : ''}`,
        );
        await showStatus('baby', '2027-09-20', 'a week old');
      }),
    ],

    case: {
      name: '4 newborn',
      caseKey: 'newborn',
      // Enrolled and paid within 90 days (含) of birth: no waiting, covered from birth (W-1, JL26 Art.24).
      async check({ expect, caseOf, covered }) {
        const c = await caseOf('newborn');
        expect('case: enrolled within the 90 days', 'completed', c?.state);
        expect('window’s last day: birth + 90', addDays('2027-09-12', 90), c?.data.windowLastDay);
        expect('王小宝 on 2027-09-20, a week old (W-1)', 'covered', await covered('baby', '2027-09-20'));
        expect('王小宝 on 2028-01-01 (renewed, W-4)', 'covered', await covered('baby', '2028-01-01'));
      },
    },
  };
}
