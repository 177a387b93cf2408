/**
 * Every month of the year: the contributions paid in full on the 15th (the month is due by its last day, C-6),
 * by the two units for their employees and by the flexible workers who pay on time.
 */
import { nextMonth } from '../arithmetic.js';
import { DEMO_END_DAY, PEOPLE, type Who } from '../cast.js';
import { type Scene, type SceneContext, type Step, step } from './context.js';

/** Who pays which month on the 15th. */
const paysOnThe15th = (m: string): { u1: Who[]; u2: Who[]; flexible: Who[] } => ({
  u1: m >= '2027-11' ? ['wang', 'zhao', 'sun'] : ['wang', 'zhao'],
  u2: m >= '2027-12' ? ['li', 'chen'] : [], // September–November deferred (case 6)
  flexible: [
    ...(m >= '2027-10' ? (['feng'] as const) : []), // September paid on the 10th
    ...(m !== '2027-10' ? (['liu'] as const) : []), // October short, on the 15th (case 3a)
    ...(m === '2027-09' ? (['sun', 'he'] as const) : []),
  ],
});

export function monthlyContributions(ctx: SceneContext): Scene {
  const { out, n, pay, flexibleDue, payrollLines } = ctx;
  const steps: Step[] = [];
  for (let m = '2027-09'; m <= DEMO_END_DAY.slice(0, 7); m = nextMonth(m)) {
    const day = `${m}-15`;
    steps.push(
      step(day, `Contributions for ${m}, paid on the 15th (due by the month’s end, C-6)`, async () => {
        const who = paysOnThe15th(m);
        const details = [
          n.unit('u1', day, await payrollLines(who.u1, [m], day)),
          ...(who.u2.length ? [n.unit('u2', day, await payrollLines(who.u2, [m], day))] : []),
          ...(await Promise.all(
            who.flexible.map(async (w) => n.flexible(PEOPLE[w], day, [[m, await flexibleDue(m, day)]])),
          )),
        ];
        out.say(`paid in full: ${[...who.u1, ...who.u2, ...who.flexible].map((w) => PEOPLE[w].name).join(', ')}`);
        await pay(details, 'news');
      }),
    );
  }
  return { steps };
}
