/**
 * Prologue: what the agency already holds on the first day — the employees and flexible workers enrolled since
 * January (E-1, E-2), and the tax bureau's notifications of January–August 2027 and of the 2027 window.
 */
import { nextMonth } from '../arithmetic.js';
import { DEMO_START_DAY, employer, ENROLL_AS, PEOPLE, UNITS } from '../cast.js';
import type { Json } from '../client.js';
import { type Scene, type SceneContext, step } from './context.js';

export function prologue(ctx: SceneContext): Scene {
  const { api, out, n, enroll, flexibleDue, payrollLines, residentDue, showStatus } = ctx;
  const { employee, flexible } = ENROLL_AS;
  return {
    steps: [
      step(DEMO_START_DAY, 'Prologue: what the agency already holds', async () => {
        out.say('Staff enter the employees and flexible workers enrolled since January (E-1, E-2):');
        const u1 = employer('u1');
        const u2 = employer('u2');
        await enroll('wang', { ...employee, on: '2027-01-01', employer: u1 }, `employee of ${UNITS.u1.name}`, true);
        await enroll('li', { ...employee, on: '2027-01-01', employer: u2 }, `employee of ${UNITS.u2.name}`, true);
        await enroll('chen', { ...employee, on: '2027-01-01', employer: u2 }, `employee of ${UNITS.u2.name}`, true);
        await enroll('liu', { ...flexible, on: '2027-01-01', work: 'platform-worker' }, 'flexible worker', true);
        await enroll('sun', { ...flexible, on: '2027-01-01', work: 'platform-worker' }, 'flexible worker', true);

        out.say(
          'The tax bureau’s notifications so far: January–August 2027 paid on the 15th of each month; last year’s',
        );
        out.note('residents paid their 2027 contributions in the 2027 window (2026-11-16). A flexible worker’s month:');
        await flexibleDue('2027-01', '2027-01-15', true);
        const history: Record<string, Json>[] = [];
        for (let m = '2027-01'; m <= '2027-08'; m = nextMonth(m)) {
          const day = `${m}-15`;
          history.push(n.unit('u1', day, await payrollLines(['wang'], [m], day)));
          history.push(n.unit('u2', day, await payrollLines(['li', 'chen'], [m], day)));
          for (const w of ['liu', 'sun', 'he', 'zhou'] as const)
            history.push(n.flexible(PEOPLE[w], day, [[m, await flexibleDue(m, day)]]));
        }
        for (const w of ['zhang', 'lisy', 'zhaoch', 'qian', 'zhouym'] as const)
          history.push(
            n.resident(PEOPLE[w], '2026-11-16', 2027, (await residentDue(w, 2027, '2026-11-16')).personPaysFen),
          );
        history.sort((a, b) => String(a.paidAt).localeCompare(String(b.paidAt)));
        const outcomes = await api.events(history);
        const created = outcomes.flatMap((o) => o.persons ?? []).filter((p: Json) => p.cover?.enrollmentCreated).length;
        out.note(
          `${history.length} notifications; ${created} enrollments created from them (何志强 and 周德明 as flexible workers, five residents)`,
        );
        await showStatus('wang', DEMO_START_DAY, 'first paid 2027-01-15');
        await showStatus('zhang', DEMO_START_DAY, 'first paid in the 2027 window');
      }),
    ],
  };
}
