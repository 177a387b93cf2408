/**
 * Case 7: a flexible worker hired by a unit holds two normal employee enrollments (D-1); her written request
 * is followed (D-7) and the other enrollment ends (D-6).
 */
import { PEOPLE, UNITS } from '../cast.js';
import type { Json } from '../client.js';
import { type Scene, type SceneContext, step } from './context.js';

export function duplicateEnrollment(ctx: SceneContext): Scene {
  const { api, out, n, ids, pay, flexibleDue, payrollLines, showStatus } = ctx;
  return {
    steps: [
      step('2027-10-08', '孙丽 pays October as a flexible worker', async () => {
        await pay([n.flexible(PEOPLE.sun, '2027-10-08', [['2027-10', await flexibleDue('2027-10', '2027-10-08')]])]);
      }),

      step('2027-10-25', `Case 7: ${UNITS.u1.name} hires 孙丽 and pays October for her`, async () => {
        const r = await pay([n.unit('u1', '2027-10-25', await payrollLines(['sun'], ['2027-10'], '2027-10-25'))]);
        ids.sunUnit = r[0]?.persons?.[0]?.cover?.enrollmentId;
        await showStatus('sun', '2027-10-26', 'a flexible and a unit enrollment, both normal');
      }),

      step('2027-10-28', '孙丽 asks in writing (2027-10-27) to keep the enrollment with her employer', async () => {
        const r = await api.call('POST', `/persons/${encodeURIComponent(PEOPLE.sun.key)}/duplicate-resolutions`, {
          request: { keepId: ids.sunUnit, writtenOn: '2027-10-27' },
          enrollments: [
            { enrollmentId: ids['enrollment:sun'], place: 'habitual-residence' },
            { enrollmentId: ids.sunUnit, place: 'employment' },
          ],
          note: `written request of 2027-10-27: keep the enrollment with ${UNITS.u1.name}`,
        });
        ids.duplicate = r.case.caseId;
        const d = r.decisions['duplicate-resolution'];
        out.say(
          `case ${r.case.caseId}: ${r.case.state}; ${r.enrollments.map((e: Json) => `${e.enrollmentId} (${e.mode}) ${e.status}`).join(', ')}`,
        );
        out.why(d.reason, d.rules);
      }),
    ],

    case: {
      name: '7 duplicate resolved',
      caseKey: 'duplicate',
      // Two normal employee enrollments (D-1); the written request is followed (D-7), the other ends (D-6).
      async check({ expect, caseOf, status, statusText }) {
        const c = await caseOf('duplicate');
        const action = c?.data.actions?.[ids['enrollment:sun'] ?? ''] ?? {};
        expect('case', 'resolved', c?.state);
        expect('flexible enrollment', 'terminate (D-6)', `${action.action} (${action.rule})`);
        expect(
          '孙丽 on 2027-11-15: the unit enrollment',
          `${ids.sunUnit}, normal, covered`,
          `${(await status('sun', '2027-11-15')).enrollmentId}, ${await statusText('sun', '2027-11-15')}`,
        );
      },
    },
  };
}
