/**
 * Case 5: a retirement application two years short of the 30 years, settled by a lump sum at the
 * processing day's standard (R-4(b)), the personal account credited once.
 */
import { times, yuan } from '../arithmetic.js';
import { PEOPLE } from '../cast.js';
import { type Scene, type SceneContext, step } from './context.js';

export function retirementTransfer(ctx: SceneContext): Scene {
  const { api, out, n, ids, pay } = ctx;
  return {
    steps: [
      step('2027-09-06', 'Case 5: 周德明 applies to transfer to retiree status', async () => {
        const r = await api.call('POST', '/retirement-applications', {
          identityKey: PEOPLE.zhou.key,
          record: { deemedMonths: 120, outOfProvinceMonths: 0, localCombinedMonths: 216 },
          note: 'application at the counter: 10 years of service before the scheme, 18 years paid in Changchun',
        });
        ids.retirement = r.case.caseId;
        const age = r.decisions['retirement-age'];
        const d = r.decisions['retirement-transfer'];
        out.say(`case ${r.case.caseId}: ${r.case.state}; options: ${d.value.options.join(', ')}`);
        out.why(age.reason, age.rules);
        out.why(d.reason, d.rules);
      }),

      step('2027-09-08', '周德明 chooses to pay the shortfall in one lump sum (R-4(b))', async () => {
        await api.call('POST', `/cases/${ids.retirement}/retirement-choice`, {
          choice: 'lump-sum',
          note: 'the person chose the lump sum in writing',
        });
        const c = await api.getCase(ids.retirement!);
        out.say(`case ${c.caseId}: ${c.state}, waiting for the ${c.wait?.for} until ${c.wait?.until}`);
      }),

      step('2027-09-20', '周德明 pays the lump sum', async () => {
        const c = await api.getCase(ids.retirement!);
        await pay([
          n.flexible(PEOPLE.zhou, '2027-09-20', [['2027-09', c.data.lumpSumFen]], { purpose: 'retirement-lump-sum' }),
        ]);
        const after = await api.getCase(ids.retirement!);
        const credit = after.data.accountCredit;
        out.say(
          `case ${after.caseId}: ${after.state}; transferred on ${after.data.transferredOn}; personal account credited ${yuan(credit?.fen)} once (R-7)`,
        );
      }),
    ],

    case: {
      name: '5 retirement with a lump sum',
      caseKey: 'retirement',
      // 28 of 30 years → 24 months short → lump sum at the processing day's standard (R-4(b)):
      // the flexible base 6,225.00 × (6.5 % medical + 2 %) = 529.13 a month; then 2 % credited once.
      async check({ expect, caseOf }) {
        const c = await caseOf('retirement');
        const d = c?.data.decisions?.['retirement-transfer']?.value ?? {};
        expect('case', 'completed', c?.state);
        expect('shortfall', '24 months', `${d.shortfallMonths} months`);
        expect('lump sum: 24 × 529.13', yuan(24 * (times(622_500, 6.5) + times(622_500, 2))), yuan(c?.data.lumpSumFen));
        expect('choice', 'lump-sum', c?.data.choice?.choice ?? c?.data.choice);
        expect('transferred on: the payment day', '2027-09-20', c?.data.transferredOn);
        expect('account credited once: 24 × 124.50', yuan(24 * times(622_500, 2)), yuan(c?.data.accountCredit?.fen));
      },
    },
  };
}
