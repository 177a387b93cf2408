/**
 * Case 1: enrollments of each kind — a unit's new hire (E-1), a flexible worker (E-2), a resident (E-3) —
 * each first enrolled and so waiting 90 days from the day after the first payment (W-6).
 */
import { addDays } from '../arithmetic.js';
import { DEMO_START_DAY, ENROLL_AS, employer, PEOPLE, UNITS } from '../cast.js';
import { type Scene, type SceneContext, step } from './context.js';

export function enrollments(ctx: SceneContext): Scene {
  const { n, enroll, pay, flexibleDue, residentDue } = ctx;
  return {
    steps: [
      step(DEMO_START_DAY, 'Case 1: enrollments of each kind', async () => {
        await enroll(
          'zhao',
          { ...ENROLL_AS.employee, employer: employer('u1') },
          `hired by ${UNITS.u1.name} today (unit mode)`,
        );
        await enroll(
          'feng',
          { ...ENROLL_AS.flexible, work: 'part-time' },
          'flexible worker (combined: with a personal account)',
        );
        await enroll('wu', ENROLL_AS.resident, 'resident');
      }),

      step('2027-09-02', '吴小梅 pays her 2027 resident contribution, outside the window', async () => {
        const due = await residentDue('wu', 2027, '2027-09-02', true);
        await pay([n.resident(PEOPLE.wu, '2027-09-02', 2027, due.personPaysFen)]);
      }),

      step('2027-09-10', '冯晓燕 pays her first month', async () => {
        const due = await flexibleDue('2027-09', '2027-09-10');
        await pay([n.flexible(PEOPLE.feng, '2027-09-10', [['2027-09', due]])]);
      }),
    ],

    case: {
      name: '1 enrollments of each kind',
      caseKey: null,
      // First enrollments: 90 days counting from the day after the first payment (W-6, JL26 Art.10 ¶4).
      async check({ expect, covered, status }) {
        // 赵磊: the unit paid September on 2027-09-15 → counts from 09-16 → covered from 09-16 + 90 = 12-15.
        const zhao = addDays('2027-09-16', 90);
        expect(
          `赵磊 (E-1) on ${addDays(zhao, -1)}, the wait’s last day`,
          'not covered',
          await covered('zhao', addDays(zhao, -1)),
        );
        expect(`赵磊 (E-1) on ${zhao}`, 'covered', await covered('zhao', zhao));
        // 冯晓燕: paid 2027-09-10 → counts from 09-11 → covered from 12-10.
        const feng = addDays('2027-09-11', 90);
        expect(
          `冯晓燕 (E-2) on ${addDays(feng, -1)}, the wait’s last day`,
          'not covered',
          await covered('feng', addDays(feng, -1)),
        );
        expect(`冯晓燕 (E-2) on ${feng}`, 'covered', await covered('feng', feng));
        // 吴小梅: a resident outside the window, paid 2027-09-02 → counts from 09-03 → 12-02; 2028 renewed (W-4).
        const wu = addDays('2027-09-03', 90);
        expect(`吴小梅 (E-3) on ${addDays(wu, -1)}`, 'not covered', await covered('wu', addDays(wu, -1)));
        expect(`吴小梅 (E-3) covered from`, wu, (await status('wu', wu)).coverPeriod?.start);
        expect('吴小梅 on 2028-01-01 (renewed in the window, W-4)', 'covered', await covered('wu', '2028-01-01'));
      },
    },
  };
}
