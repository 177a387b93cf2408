/**
 * Case 2: the 2028 collection window of Changchun (C-8…C-11, W-4). The roster is uploaded before the window
 * opens; of its six residents three renew, two are subsidised ("pay first, subsidise after", C-10) and one
 * lapses; the window's case reports it when the window closes.
 */
import type { Day } from '../arithmetic.js';
import { ASSISTANCE, DEMO_REGION, PEOPLE, UNITS, type Who } from '../cast.js';
import { appliedRules } from '../client.js';
import { type Scene, type SceneContext, step } from './context.js';

const WINDOW_CASE = `collection-window-${DEMO_REGION}-2028`;

export function collectionWindow(ctx: SceneContext): Scene {
  const { api, out, n, ids, pay, residentDue, showStatus } = ctx;
  /** Residents pay for 2028 in the window, each what the engine prices for the day (printed when `show`). */
  const windowPayments = (day: Day, title: string, who: readonly Who[], show = false) =>
    step(day, title, async () => {
      const due: number[] = [];
      for (const w of who) due.push((await residentDue(w, 2028, day, show)).personPaysFen);
      await pay(who.map((w, i) => n.resident(PEOPLE[w], day, 2028, due[i]!)));
    });
  return {
    steps: [
      step('2027-09-20', 'The agency uploads Changchun’s 2028 roster before the window opens', async () => {
        const roster = (['zhang', 'lisy', 'zhaoch', 'qian', 'zhouym', 'wu'] as const).map((w) => ({
          identityKey: PEOPLE[w].key,
          region: DEMO_REGION,
          birthDate: PEOPLE[w].birth,
          ...(w === 'lisy' ? { student: true, studyRegion: DEMO_REGION } : {}),
          ...(ASSISTANCE[w] ? { assistance: ASSISTANCE[w] } : {}),
          lastCoveredFeeYear: 2027,
          continuousYears: 1,
        }));
        const r = await api.call('PUT', `/_rosters/2028/${DEMO_REGION}`, roster);
        out.say(
          `${r.items} residents in ${r.key}: 张桂兰, 李思雨 (a pupil), 赵春花 (低保), 钱福贵 (特困), 周玉梅, 吴小梅`,
        );
      }),

      step('2027-10-01', 'Case 2: the 2028 collection window opens (the scheduled start)', async () => {
        const c = await api.getCase(WINDOW_CASE);
        out.say(
          `case ${c.caseId}: ${c.state}, ${c.data.opensOn} to ${c.data.closesOn}; the roster is priced (C-9, C-10):`,
        );
        for (const w of ['zhang', 'lisy', 'zhaoch', 'qian'] as const) await residentDue(w, 2028, '2027-10-01', true);
        await showStatus('li', '2027-10-01', `${UNITS.u2.name} did not pay September: deferred, not in arrears`);
      }),

      windowPayments('2027-11-15', 'Window payments: 张桂兰 and 李思雨 renew for 2028', ['zhang', 'lisy']),
      windowPayments(
        '2027-12-10',
        'Window payments: 赵春花 (低保) and 钱福贵 (特困) pay first, the subsidy follows',
        ['zhaoch', 'qian'],
        true,
      ),
      windowPayments('2027-12-16', 'Window payments: 吴小梅 and 王小宝 pay for 2028', ['wu', 'baby']),

      step('2028-01-02', 'Case 2: the window closed at the end of 2027-12-31', async () => {
        const c = await api.getCase(WINDOW_CASE);
        const r = c.data.report?.regions?.[0];
        out.say(
          `case ${c.caseId}: ${c.state}; rostered ${r?.rostered}: renewed ${r?.renewed}, subsidised ${r?.subsidised}, lapsed ${r?.lapsed}; renewal rate ${r?.renewalRate?.percent}`,
        );
        await showStatus('zhouym', '2028-01-01', 'did not pay in the window');
        const w = await api.decide(
          'waiting-period',
          {
            scheme: 'resident',
            feeYear: 2028,
            paidAt: '2028-01-10',
            previousCover: {
              scheme: 'resident',
              lastCoveredDay: '2027-12-31',
              continuousYears: 1,
              lastCoveredFeeYear: 2027,
            },
          },
          '2028-01-02',
        );
        out.say(`what-if: 周玉梅 pays on 2028-01-10 → ${w.value.decidedBy}: covered from ${w.value.coverStarts}`);
        out.why(w.trace.reason, appliedRules(w.trace));
      }),
    ],

    case: {
      name: '2 collection window 2028',
      caseKey: 'window',
      // Six rostered; three pay (renewed), two pay first and are subsidised (C-10), one lapses.
      async check({ expect, covered }) {
        const c = await api.getCase(WINDOW_CASE);
        ids.window = c.caseId;
        const r = c.data.report?.regions?.[0] ?? {};
        expect('case', 'completed', c.state);
        expect(
          'rostered / renewed / subsidised / lapsed',
          '6 / 3 / 2 / 1',
          `${r.rostered} / ${r.renewed} / ${r.subsidised} / ${r.lapsed}`,
        );
        expect('renewal rate (5 of 6)', '83.3%', r.renewalRate?.percent);
        for (const w of ['zhang', 'lisy', 'zhaoch', 'qian'] as const)
          expect(`${PEOPLE[w].name} on 2028-01-01 (W-4)`, 'covered', await covered(w, '2028-01-01'));
        expect('周玉梅 on 2028-01-01 (lapsed)', 'not covered', await covered('zhouym', '2028-01-01'));
      },
    },
  };
}
