/**
 * What every scene shares: the HTTP client (with the dev tokens and the clock), the printer, the notification
 * numbering, the ids the story learns from the answers, and the small steps scenes are made of. A scene is a
 * function of this context that returns its dated steps and, for a case, the checks of its end state.
 */
import { type Day, yuan } from '../arithmetic.js';
import { ASSISTANCE, BASE, DEMO_REGION, PEOPLE, type Who } from '../cast.js';
import { appliedRules, type Client, type CoverPeriod, type Json, type StatusOnDate } from '../client.js';
import { type Notifications, personTag } from '../notifications.js';
import type { Printer } from '../printer.js';

/** Something the story does on a day, at 9:00 CST (the clock is moved there first). */
export interface Step {
  readonly day: Day;
  readonly title: string;
  readonly run: () => Promise<void>;
}

export const step = (day: Day, title: string, run: () => Promise<void>): Step => ({ day, title, run });

/** The end-of-year checks of one case: each compares a value worked out from the rules with the system's. */
export interface CheckTools {
  expect(what: string, expected: unknown, actual: unknown): void;
  status(who: Who, date: Day): Promise<StatusOnDate>;
  covered(who: Who, date: Day): Promise<'covered' | 'not covered'>;
  /** `<status or "not enrolled">, <covered or not covered>`. */
  statusText(who: Who, date: Day): Promise<string>;
  /** The case whose id the story learnt under `key`, or null when it never learnt one. */
  caseOf(key: string): Promise<Json>;
}

/** A case of the story, as the report names it, with the checks of its end state. */
export interface StoryCase {
  /** Starts with the case number: `3a arrears paid on day 60`. */
  readonly name: string;
  /** Where its case id is kept in `ids` (null: the case opens no case, e.g. plain enrollments). */
  readonly caseKey: string | null;
  readonly check: (t: CheckTools) => Promise<void>;
}

export interface Scene {
  readonly steps: readonly Step[];
  /** Absent for scenes that only set the stage (the prologue, the monthly payments). */
  readonly case?: StoryCase;
}

export interface SceneContext {
  readonly api: Client;
  readonly out: Printer;
  readonly n: Notifications;
  /** What the story learns from the answers: case ids, enrollment ids. */
  readonly ids: Record<string, string>;
  /** Sends notifications through the intake and prints what it did for each person. */
  pay(details: readonly Record<string, Json>[], what?: 'all' | 'news'): Promise<Json[]>;
  /** Enrolls through the staff API; the enrollment id is kept as `enrollment:<who>`. */
  enroll(who: Who, body: Record<string, unknown>, label: string, quiet?: boolean): Promise<void>;
  showStatus(who: Who, date: Day, label: string): Promise<void>;
  /** A flexible worker's month, combined mode (C-4, C-5), as the engine prices it. */
  flexibleDue(feeMonth: string, asOf: Day, show?: boolean): Promise<number>;
  /** One unit payroll line per employee, each month at what the unit owes for it (C-1…C-3). */
  payrollLines(
    who: readonly Who[],
    months: readonly string[],
    asOf: Day,
  ): Promise<Array<{ who: Who; months: readonly string[]; amountFen: number }>>;
  /** A resident's amount for a fee year (C-9, C-10, C-11), as the engine prices it. */
  residentDue(
    who: Who,
    feeYear: number,
    asOf: Day,
    show?: boolean,
  ): Promise<{ personPaysFen: number; subsidyFen: number; category: string }>;
}

export function sceneContext(api: Client, out: Printer, n: Notifications): SceneContext {
  const ids: Record<string, string> = {};

  /** Prints what intake did for each person of the notifications: cover, cases resumed or opened. */
  const showIntake = (
    outcomes: readonly Json[],
    details: readonly Record<string, Json>[],
    what: 'all' | 'news' = 'all',
  ) => {
    const nameOf = new Map<string, string>();
    for (const d of details)
      for (const i of d.insured as Array<{ identity: { number: string } }>) {
        const p = Object.values(PEOPLE).find((x) => x.number === i.identity.number)!;
        nameOf.set(d.payer.kind === 'person' ? d.notificationId : `${d.notificationId}.${personTag(p.key)}`, p.name);
      }
    for (const o of outcomes) {
      if (o.kind !== 'processed') {
        out.say(`a notification was refused as malformed: ${o.reason}`);
        continue;
      }
      for (const p of o.persons) {
        const name = nameOf.get(p.notificationId) ?? p.notificationId;
        if (p.cover?.outcome === 'recorded') {
          const c = p.cover.coverPeriod as CoverPeriod;
          out.say(`${name}: cover period recorded from ${c.start}${c.end ? ` to ${c.end}` : ' (open-ended)'}`);
          out.why(c.reason, c.rules);
          if (p.cover.enrollmentCreated)
            out.note(`enrollment ${p.cover.enrollmentId} created from the payment, for staff to confirm`);
        } else if (p.cover?.outcome === 'continues' && what === 'all') {
          out.say(`${name}: cover continues (the start decided, ${p.cover.coverStarts}, lies in cover already held)`);
        }
        for (const r of p.resumed ?? []) out.say(`${name}: case ${r.caseId} resumed by the payment (${r.callback})`);
        for (const a of p.arrears ?? [])
          out.say(
            `${name}: ${a.feeMonth} short by ${yuan(a.dueFen - a.paidFen)} (${yuan(a.paidFen)} of ${yuan(a.dueFen)}) → arrears case ${a.caseId}, its window ends ${a.windowLastDay}`,
          );
      }
    }
  };

  const cache = new Map<string, number>();
  /** What a unit owes for one employee's month (C-1…C-3). */
  const unitDue = async (who: Who, feeMonth: string, asOf: Day) => {
    const key = `unit/${who}/${feeMonth}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const r = await api.decide(
      'unit-contribution',
      { feeMonth, employees: [{ employeeId: who, priorYearMonthlyWageFen: BASE[who] }] },
      asOf,
    );
    cache.set(key, r.value.totalFen);
    return r.value.totalFen as number;
  };

  return {
    api,
    out,
    n,
    ids,

    async pay(details, what = 'all') {
      const outcomes = await api.events(details);
      showIntake(outcomes, details, what);
      return outcomes;
    },

    async enroll(who, body, label, quiet = false) {
      const p = PEOPLE[who];
      const r = await api.call('POST', '/enrollments', {
        identity: { number: p.number },
        region: DEMO_REGION,
        ...body,
      });
      ids[`enrollment:${who}`] = r.enrollment.enrollmentId;
      out.say(`${p.name}: ${label}; enrollment ${r.enrollment.enrollmentId}, normal from ${r.enrollment.enrolledOn}`);
      if (!quiet) out.why(r.reason, r.rules);
    },

    async showStatus(who, date, label) {
      const s = (await api.status(PEOPLE[who], date)).status;
      const what = s.enrolled ? `${s.scheme}${s.mode ? `/${s.mode}` : ''}, ${s.status}` : 'not enrolled';
      out.say(`${PEOPLE[who].name} on ${date} (${label}): ${what}, ${s.covered ? 'covered' : 'not covered'}`);
      out.why(s.reason, s.rules);
    },

    async flexibleDue(feeMonth, asOf, show = false) {
      const known = cache.get(`flexible/${feeMonth}`);
      if (known !== undefined && !show) return known;
      const r = await api.decide('flexible-contribution', { mode: 'combined', fromMonth: feeMonth }, asOf);
      cache.set(`flexible/${feeMonth}`, r.value.totalFen);
      if (show) out.why(r.trace.reason, appliedRules(r.trace));
      return r.value.totalFen as number;
    },

    payrollLines: (who, months, asOf) =>
      Promise.all(who.map(async (w) => ({ who: w, months, amountFen: await unitDue(w, months[0]!, asOf) }))),

    async residentDue(who, feeYear, asOf, show = false) {
      const p = PEOPLE[who];
      const r = await api.decide(
        'resident-contribution',
        {
          feeYear,
          paidOn: asOf,
          person: { birthDate: p.birth, ...(who === 'lisy' ? { student: true, studyRegion: DEMO_REGION } : {}) },
          ...(ASSISTANCE[who] ? { assistance: ASSISTANCE[who] } : {}),
        },
        asOf,
      );
      const v = r.value as { personPaysFen: number; subsidyFen: number; category: string };
      if (show) {
        out.say(
          `${p.name} pays ${yuan(v.personPaysFen)} for ${feeYear} (${v.category})${v.subsidyFen ? `, then receives a ${yuan(v.subsidyFen)} subsidy` : ''}`,
        );
        out.why(r.trace.reason, appliedRules(r.trace));
      }
      return v;
    },
  };
}
