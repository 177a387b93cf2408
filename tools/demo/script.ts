/**
 * The story `npm run demo` tells: a year of Changchun (220100), 2027-09-01 to 2028-08-31, driven through the
 * public interfaces only — the staff API with dev tokens, tax payment notifications through `POST /_events`,
 * the roster upload (`PUT /_rosters/<fee year>/<region>`) and the clock (`/_clock`). Nothing here imports the
 * store, the handlers or the runtime: it is an HTTP client (fetch) against a base URL, so it drives a running
 * system (`npm start`) exactly as it drives the one main.ts starts for itself.
 *
 * The story is data (cast.ts: the people and units) and scenes (scenes/: one module a case, each its dated
 * steps and the checks of its end state). Each step prints what the system answered and why: the rule ids it
 * applied (with their articles) and its reasons in Chinese and English. The expected end states are worked out
 * from RULES.md by hand (arithmetic.ts), never read back from the system, and checked at the end (report.ts).
 *
 * The cases:
 *   1. enrollments of each kind: a unit's new hire (E-1), a flexible worker (E-2), a resident (E-3), each
 *      first enrolled and so waiting 90 days from the day after the first payment (W-6);
 *   2. the 2028 collection window (C-8…C-11, W-4): six residents rostered, three renew, two are subsidised
 *      ("pay first, subsidise after"), one lapses;
 *   3. arrears: paid on day 60, within 90 days; never paid by a flexible worker;
 *   4. a newborn registered and enrolled within 90 days of birth (W-1);
 *   5. a retirement application short of two years, settled by a lump sum;
 *   6. a bankrupt unit's deferral agreement, paid in full (B-1, B-2);
 *   7. a duplicate enrollment resolved on the person's written request (D-1, D-6, D-7).
 */
import { type Day, morningOf } from './arithmetic.js';
import { DEMO_END_DAY, DEMO_START, DEMO_START_DAY } from './cast.js';
import { Client, type DemoToken } from './client.js';
import { Notifications } from './notifications.js';
import { Printer } from './printer.js';
import { type DemoReport, endOfYearChecks, summarise } from './report.js';
import { arrearsNeverPaid } from './scenes/arrears-never-paid.js';
import { arrearsPaidOnDay60 } from './scenes/arrears-paid.js';
import { bankruptcyDeferral } from './scenes/bankruptcy.js';
import { collectionWindow } from './scenes/collection-window.js';
import { type Scene, type SceneContext, type StoryCase, sceneContext } from './scenes/context.js';
import { monthlyContributions } from './scenes/contributions.js';
import { duplicateEnrollment } from './scenes/duplicate.js';
import { enrollments } from './scenes/enrollments.js';
import { newborn } from './scenes/newborn.js';
import { prologue } from './scenes/prologue.js';
import { retirementTransfer } from './scenes/retirement.js';

export { addDays } from './arithmetic.js';
export { DEMO_END_DAY, DEMO_REGION, DEMO_START, DEMO_START_DAY, PEOPLE, UNITS } from './cast.js';
export { DemoHttpError, type DemoToken } from './client.js';
export type { Check, DemoCase, DemoReport } from './report.js';

export interface DemoOptions {
  readonly baseUrl: string;
  readonly tokens: readonly DemoToken[];
  /** Where the story is printed (default: console.log). */
  readonly print?: (line: string) => void;
}

/** A system's clock, and whether the story can still start on it (it never moves backwards). */
export async function clockAllowsDemo(baseUrl: string): Promise<{ ok: boolean; now: string; today: Day }> {
  const c = await new Client(baseUrl, []).clock();
  return { ok: Date.parse(c.now) <= Date.parse(DEMO_START), ...c };
}

/**
 * The scenes in the order they are told. Their steps run by day; on a day two scenes share, in this order:
 * the prologue before the new enrollments (09-01); the deferral filed before the roster is uploaded and the
 * lump sum paid (09-20); the month's payments before 刘洋's short one (10-15); the bankrupt unit's payment
 * before the window payments (12-10).
 */
const SCENES: ReadonlyArray<(ctx: SceneContext) => Scene> = [
  prologue,
  enrollments,
  monthlyContributions,
  bankruptcyDeferral,
  collectionWindow,
  retirementTransfer,
  arrearsPaidOnDay60,
  arrearsNeverPaid,
  newborn,
  duplicateEnrollment,
];

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const api = new Client(options.baseUrl, options.tokens);
  const out = new Printer(options.print ?? ((l) => console.log(l)));
  const ctx = sceneContext(api, out, new Notifications());
  const scenes = SCENES.map((scene) => scene(ctx));
  // Stable: steps of one day keep the order of SCENES.
  const steps = scenes.flatMap((s) => s.steps).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  // The report lists the cases by number (their names start with it).
  const cases = scenes
    .flatMap((s): StoryCase[] => (s.case ? [s.case] : []))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const clock = await api.clock();
  if (Date.parse(clock.now) > Date.parse(DEMO_START))
    throw new Error(`the clock (${clock.now}) is past the demo's start (${DEMO_START}); start a fresh system`);
  if (Date.parse(clock.now) < Date.parse(DEMO_START)) {
    out.out(`Moving the clock from ${clock.today} to ${DEMO_START_DAY} (each day on the way runs its daily sweep)…`);
    await api.advanceTo(Date.parse(DEMO_START));
  }
  for (const s of steps) {
    await api.advanceTo(morningOf(s.day));
    out.scene(s.day, s.title);
    await s.run();
  }
  await api.advanceTo(morningOf(DEMO_END_DAY));
  out.scene(DEMO_END_DAY, 'The end of the year: every case against the rules');
  const checks = await endOfYearChecks(ctx, cases);
  return summarise(out, cases, checks, ctx.ids, Date.now() - started);
}
