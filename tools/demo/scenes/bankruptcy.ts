/**
 * Case 6: a bankrupt unit's deferral agreement (B-1): September–November deferred, the employees keep their
 * benefits meanwhile; the administrator pays in full and the held credits are made at once (B-2).
 */
import { addDays, times, yuan } from '../arithmetic.js';
import { BASE, DEMO_REGION, PEOPLE, UNITS } from '../cast.js';
import { type Scene, type SceneContext, step } from './context.js';

/** The months the agreement defers; the unit pays the months after them on the 15th again. */
const DEFERRED = ['2027-09', '2027-10', '2027-11'];

export function bankruptcyDeferral(ctx: SceneContext): Scene {
  const { api, out, n, ids, pay, payrollLines } = ctx;
  return {
    steps: [
      step('2027-09-20', `Case 6: an approver files ${UNITS.u2.name}’s deferral agreement (B-1)`, async () => {
        const r = await api.call(
          'POST',
          '/bankruptcy-deferrals',
          {
            unitId: UNITS.u2.id,
            region: DEMO_REGION,
            filedOn: '2027-09-10',
            taxConfirmed: true,
            agreementFiledOn: '2027-09-20',
            agreementEndsOn: '2028-03-31',
            employees: (['li', 'chen'] as const).map((w) => ({
              identityKey: PEOPLE[w].key,
              months: DEFERRED.map((feeMonth) => ({ feeMonth, baseFen: BASE[w] })),
            })),
            note: 'filed for bankruptcy on 2027-09-10; tax confirmed it cannot pay; September–November deferred',
          },
          'approver',
        );
        ids.bankruptcy = r.case.caseId;
        const d = r.decisions['bankruptcy-deferral'];
        out.say(`case ${r.case.caseId}: ${r.case.state} until ${r.case.wait?.until}`);
        out.why(d.reason, d.rules);
      }),

      step(
        '2027-12-10',
        `Case 6: ${UNITS.u2.name}’s administrator pays September–November; the agreement ends`,
        async () => {
          await pay([n.unit('u2', '2027-12-10', await payrollLines(['li', 'chen'], DEFERRED, '2027-12-10'))]);
          const r = await api.call(
            'POST',
            `/cases/${ids.bankruptcy}/agreement-end`,
            { cause: 'paid-in-full', endedOn: '2027-12-10', note: 'September–November paid in full on 2027-12-10' },
            'approver',
          );
          const d = r.decisions['bankruptcy-deferral'];
          const c = await api.getCase(ids.bankruptcy!);
          const released = c.data.settlement?.creditsReleased;
          out.say(`case ${c.caseId}: ${c.state}; held credits made: ${yuan(released?.fen)} on ${released?.on}`);
          out.why(d.reason, d.rules);
        },
      ),
    ],

    case: {
      name: '6 bankruptcy deferral settled',
      caseKey: 'bankruptcy',
      // While the agreement holds the employees keep benefits (B-1); paid in full → held credits at once (B-2).
      async check({ expect, caseOf, statusText }) {
        const c = await caseOf('bankruptcy');
        const s = c?.data.settlement ?? {};
        expect('case', 'completed', c?.state);
        expect('李卫东 on 2027-10-15, September unpaid (B-1)', 'normal, covered', await statusText('li', '2027-10-15'));
        expect('all paid', 'true', String(s.allPaid));
        // 2 employees × 3 months × 2 % of 5,000.00 (C-14 crediting standard).
        expect('credits released: 2 × 3 × 100.00', yuan(2 * 3 * times(500_000, 2)), yuan(s.creditsReleased?.fen));
        // Reading bankruptcy.creditsReleasedOn: made with the rights of the day after payment (FLX25 §10).
        expect('released on: the day after payment', addDays('2027-12-10', 1), s.creditsReleased?.on);
      },
    },
  };
}
