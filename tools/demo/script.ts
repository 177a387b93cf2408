/**
 * The story `npm run demo` tells (issue 6): a year of Changchun (220100), 2027-09-01 to 2028-08-31, driven
 * through the public interfaces only — the staff API with dev tokens, tax payment notifications through
 * `POST /_events`, the roster upload (`PUT /_rosters/<fee year>/<region>`) and the clock (`/_clock`). Nothing
 * here imports the store, the handlers or the runtime: it is an HTTP client (fetch) against a base URL, so it
 * drives a running system (`npm start`) exactly as it drives the one demo.ts starts for itself.
 *
 * The story is data (the people, the units, the scenes by date) and small steps. Each step prints what the
 * system answered and why: the rule ids it applied (with their articles) and its reasons in Chinese and
 * English. The expected end states are worked out here from RULES.md by hand — §0 day arithmetic: a period of
 * N days counting from D covers D … D+N−1 and what it holds back starts on D+N; a gap is P − E — never read
 * back from the system, and checked at the end.
 *
 * The cases:
 *   1. enrollments of each kind: a unit's new hire (E-1), a flexible worker (E-2), a resident (E-3), each
 *      first enrolled and so waiting 90 days from the day after the first payment (W-6);
 *   2. the 2028 collection window (C-8…C-11, W-4): six residents rostered, three renew, two are subsidised
 *      ("pay first, subsidise after"), one lapses;
 *   3. arrears (A-1, A-3): paid on day 60, within 90 days (A-4); never paid by a flexible worker (A-6);
 *   4. a newborn registered and enrolled within 90 days of birth (W-1);
 *   5. a retirement application short of two years, settled by a lump sum (R-1, R-3, R-4, R-7);
 *   6. a bankrupt unit's deferral agreement, paid in full (B-1, B-2);
 *   7. a duplicate enrollment resolved on the person's written request (D-1, D-6, D-7).
 */
import { createHash } from 'node:crypto';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, read field by field and checked at the end.
type Json = any;
type Day = string;

// ── Dates and money: our own arithmetic (the expectations must not come from the system's helpers) ────────

const DAY_MS = 86_400_000;
const utcOf = (d: Day) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
/** `d` plus `n` calendar days. */
export const addDays = (d: Day, n: number): Day => new Date(utcOf(d) + n * DAY_MS).toISOString().slice(0, 10);
/** 9:00 CST of a day, as an instant: the story's working hour. */
const morningOf = (d: Day) => Date.parse(`${d}T09:00:00+08:00`);
const nextMonth = (m: string) => {
  const [y, mo] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
/** A product of an amount and a rate, rounded half up to the fen (README, Money). */
const times = (fen: number, percent: number) => Math.floor((fen * percent) / 100 + 0.5);
const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '—' : `${(fen / 100).toFixed(2)} yuan`;

export const DEMO_REGION = '220100';
export const DEMO_START_DAY: Day = '2027-09-01';
/** The clock is moved here before the first scene (a fresh system's clock is earlier). */
export const DEMO_START = `${DEMO_START_DAY}T09:00:00+08:00`;
export const DEMO_END_DAY: Day = '2028-08-31';
const WINDOW_CASE = `collection-window-${DEMO_REGION}-2028`;

// ── The people and units of the story ─────────────────────────────────────────────────────────────────────

/** A valid GB 11643 ID number: division code, birth date, sequence (odd: male), check character. */
function idNumber(division: string, birth: Day, seq: number): string {
  const body = `${division}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return `${body}${'10X98765432'[sum % 11]}`;
}

interface Person {
  readonly name: string;
  readonly number: string;
  readonly key: string;
  readonly birth: Day;
}

function person(name: string, division: string, birth: Day, seq: number): Person {
  const number = idNumber(division, birth, seq);
  return { name, number, key: `CN:${number}`, birth };
}

export const PEOPLE = {
  // 长春北方机电有限公司 (U1): pays every month.
  wang: person('王建国', '220102', '1982-03-14', 11), // employee since January
  zhao: person('赵磊', '220104', '1998-07-02', 21), // hired 2027-09-01 (case 1, E-1)
  // 长春红星机械厂 (U2): files for bankruptcy in September (case 6).
  li: person('李卫东', '220105', '1975-11-20', 31),
  chen: person('陈秀英', '220105', '1979-04-08', 42),
  // Flexible workers (灵活就业).
  feng: person('冯晓燕', '220104', '1995-02-14', 82), // enrolls 2027-09-01 (case 1, E-2)
  liu: person('刘洋', '220106', '1990-05-17', 51), // October short, the rest on day 60 (case 3a)
  he: person('何志强', '220102', '1988-08-08', 71), // October short, never the rest (case 3b)
  sun: person('孙丽', '220103', '1992-12-01', 62), // flexible, then hired by U1 (case 7)
  zhou: person('周德明', '220102', '1966-06-10', 91), // past retirement age, two years short (case 5)
  // Residents (城乡居民).
  wu: person('吴小梅', '220103', '1985-06-06', 182), // enrolls 2027-09-01 (case 1, E-3)
  zhang: person('张桂兰', '220102', '1958-10-03', 102),
  lisy: person('李思雨', '220103', '2011-04-21', 122), // a pupil
  zhaoch: person('赵春花', '220105', '1965-01-30', 142), // 低保 minimum-living assistance
  qian: person('钱福贵', '220106', '1950-07-07', 151), // 特困 extreme-poverty assistance
  zhouym: person('周玉梅', '220104', '1970-09-09', 162), // does not renew
  baby: person('王小宝', '220102', '2027-09-12', 191), // born 2027-09-12 (case 4)
} as const;
type Who = keyof typeof PEOPLE;

export const UNITS = {
  u1: { id: '91220101MA17A0001X', name: '长春北方机电有限公司' },
  u2: { id: '91220105MA17B0002Y', name: '长春红星机械厂' },
} as const;
type Unit = keyof typeof UNITS;

/** Monthly contribution bases (fen) the units declare (C-1): the prior-year wage, or a new hire's first wage. */
const BASE: Partial<Record<Who, number>> = { wang: 600_000, zhao: 550_000, sun: 500_000, li: 500_000, chen: 500_000 };

const ASSISTANCE: Partial<Record<Who, { category: string; recognisedOn: Day }>> = {
  zhaoch: { category: 'minimum-living', recognisedOn: '2025-06-01' },
  qian: { category: 'extreme-poverty', recognisedOn: '2024-03-01' },
};

/** Who pays which month on the 15th (the month is due by its last day, C-6). */
const paysOnThe15th = (m: string): { u1: Who[]; u2: Who[]; flexible: Who[] } => ({
  u1: m >= '2027-11' ? ['wang', 'zhao', 'sun'] : ['wang', 'zhao'],
  u2: m >= '2027-12' ? ['li', 'chen'] : [], // September–November deferred (case 6)
  flexible: [
    ...(m >= '2027-10' ? (['feng'] as const) : []), // September paid on the 10th
    ...(m !== '2027-10' ? (['liu'] as const) : []), // October short, on the 15th (case 3a)
    ...(m === '2027-09' ? (['sun', 'he'] as const) : []),
  ],
});

// ── HTTP ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface DemoToken {
  readonly role: string;
  readonly region: string;
  readonly token: string;
}

export class DemoHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 800)}`);
  }
}

class Client {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: readonly DemoToken[],
  ) {}

  async call(method: string, path: string, body?: unknown, role = 'clerk'): Promise<Json> {
    const token = path.startsWith('/_')
      ? undefined
      : this.tokens.find((t) => t.role === role && t.region === DEMO_REGION)?.token;
    if (!path.startsWith('/_') && !token) throw new Error(`no dev token for a ${role} of ${DEMO_REGION}`);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text for the error
    }
    if (res.status !== 200 && res.status !== 201) throw new DemoHttpError(method, path, res.status, parsed);
    return parsed;
  }

  clock(): Promise<{ now: string; today: Day }> {
    return this.call('GET', '/_clock');
  }

  /** Moves the clock forward to `ms` (each day on the way runs its sweep and timers); never backwards. */
  async advanceTo(ms: number): Promise<void> {
    const now = Date.parse((await this.clock()).now);
    if (ms > now) await this.call('POST', '/_clock/advance', { ms: ms - now });
  }

  /** What-if: a decision of the engine on the facts given (nothing is stored). */
  decide(id: string, facts: Record<string, unknown>, asOf: Day): Promise<{ value: Json; trace: Trace }> {
    return this.call('POST', `/decisions/${id}?asOf=${asOf}`, { region: DEMO_REGION, ...facts });
  }

  async getCase(caseId: string): Promise<Json> {
    return (await this.call('GET', `/cases/${encodeURIComponent(caseId)}`, undefined, 'auditor')).case;
  }

  status(p: Person, date: Day): Promise<{ status: StatusOnDate }> {
    return this.call('GET', `/persons/${encodeURIComponent(p.key)}/status?date=${date}`, undefined, 'auditor');
  }

  /** Tax payment notifications (the `detail` of each event) through the intake; one outcome per event. */
  events(details: readonly Record<string, unknown>[]): Promise<Json[]> {
    return this.call(
      'POST',
      '/_events',
      details.map((detail) => ({ detail })),
    );
  }
}

interface RuleRef {
  readonly id: string;
  readonly cites: string;
}
interface Reason {
  readonly zh: string;
  readonly en: string;
}
interface Trace {
  readonly rules: ReadonlyArray<RuleRef & { readonly outcome: string }>;
  readonly reason: Reason;
}
interface CoverPeriod {
  readonly start: Day;
  readonly end: Day | null;
  readonly rules: readonly RuleRef[];
  readonly reason: Reason;
}
interface StatusOnDate {
  readonly enrolled: boolean;
  readonly status?: string;
  readonly covered: boolean;
  readonly scheme?: string;
  readonly mode?: string;
  readonly enrollmentId?: string;
  readonly coverPeriod?: CoverPeriod;
  readonly rules: readonly RuleRef[];
  readonly reason: Reason;
}

const appliedRules = (t: Trace) => t.rules.filter((r) => r.outcome === 'applied');

// ── Printing ─────────────────────────────────────────────────────────────────────────────────────────────

class Printer {
  constructor(readonly out: (line: string) => void) {}
  scene(day: Day, title: string) {
    this.out('');
    this.out(`── ${day} ── ${title}`);
  }
  say(text: string) {
    this.out(`  • ${text}`);
  }
  note(text: string) {
    this.out(`      ${text}`);
  }
  /** The system's reason in Chinese and English, and the rules it applied with their articles. */
  why(reason: Reason | undefined, rules: readonly RuleRef[] = []) {
    if (reason) {
      this.out(`      zh ${reason.zh}`);
      this.out(`      en ${reason.en}`);
    }
    const seen = new Map(rules.map((r) => [r.id, r.cites]));
    if (seen.size)
      this.out(`      rules ${[...seen].map(([id, cites]) => (cites ? `${id} (${cites})` : id)).join('; ')}`);
  }
}

// ── Notifications (docs/events.md) ───────────────────────────────────────────────────────────────────────

/** The per-person notification id of a payment by someone else (docs/events.md, Mapping). */
const personTag = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

class Notifications {
  private seq = 0;

  private id(prefix: string, paidOn: Day) {
    return `${prefix}${paidOn.replaceAll('-', '')}${String(++this.seq).padStart(5, '0')}`;
  }

  flexible(p: Person, paidOn: Day, months: ReadonlyArray<readonly [string, number]>, extra: object = {}) {
    return {
      schemaVersion: '1',
      notificationId: this.id('SW', paidOn),
      payer: { kind: 'person' },
      scheme: 'employee',
      mode: 'flexible',
      flexibleMode: 'combined',
      region: DEMO_REGION,
      paidAt: `${paidOn}T09:00:00+08:00`,
      insured: [
        { identity: { number: p.number }, periods: months.map(([feePeriod, amountFen]) => ({ feePeriod, amountFen })) },
      ],
      ...extra,
    };
  }

  unit(unit: Unit, paidOn: Day, lines: ReadonlyArray<{ who: Who; months: readonly string[]; amountFen: number }>) {
    return {
      schemaVersion: '1',
      notificationId: this.id('DW', paidOn),
      payer: { kind: 'unit', id: UNITS[unit].id },
      scheme: 'employee',
      mode: 'unit',
      region: DEMO_REGION,
      paidAt: `${paidOn}T09:00:00+08:00`,
      insured: lines.map((l) => ({
        identity: { number: PEOPLE[l.who].number },
        periods: l.months.map((feePeriod) => ({
          feePeriod,
          amountFen: l.amountFen,
          baseFen: BASE[l.who],
          dueFen: l.amountFen,
        })),
      })),
    };
  }

  resident(p: Person, paidOn: Day, feeYear: number, amountFen: number) {
    return {
      schemaVersion: '1',
      notificationId: this.id('JM', paidOn),
      payer: { kind: 'person' },
      scheme: 'resident',
      region: DEMO_REGION,
      paidAt: `${paidOn}T09:00:00+08:00`,
      insured: [{ identity: { number: p.number }, periods: [{ feePeriod: String(feeYear), amountFen }] }],
    };
  }
}

// ── Checks ───────────────────────────────────────────────────────────────────────────────────────────────

export interface Check {
  readonly caseName: string;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export interface DemoCase {
  readonly name: string;
  readonly caseId: string | null;
  readonly state: string | null;
  readonly ok: boolean;
}

export interface DemoReport {
  /** Every check as the rules expect. */
  readonly ok: boolean;
  readonly cases: readonly DemoCase[];
  readonly checks: readonly Check[];
  readonly mismatches: readonly Check[];
  readonly simulated: { readonly from: Day; readonly to: Day };
  readonly elapsedMs: number;
}

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

// ── The story ────────────────────────────────────────────────────────────────────────────────────────────

interface Scene {
  readonly day: Day;
  readonly title: string;
  readonly run: () => Promise<void>;
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const api = new Client(options.baseUrl, options.tokens);
  const out = new Printer(options.print ?? ((l) => console.log(l)));
  const n = new Notifications();
  /** What the story learns from the answers: case ids, enrollment ids. */
  const ids: Record<string, string> = {};

  // ── small steps ──

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

  const pay = async (details: readonly Record<string, Json>[], what: 'all' | 'news' = 'all') => {
    const outcomes = await api.events(details);
    showIntake(outcomes, details, what);
    return outcomes;
  };

  const enroll = async (who: Who, body: Record<string, unknown>, label: string, quiet = false) => {
    const p = PEOPLE[who];
    const r = await api.call('POST', '/enrollments', { identity: { number: p.number }, region: DEMO_REGION, ...body });
    ids[`enrollment:${who}`] = r.enrollment.enrollmentId;
    out.say(`${p.name}: ${label}; enrollment ${r.enrollment.enrollmentId}, normal from ${r.enrollment.enrolledOn}`);
    if (!quiet) out.why(r.reason, r.rules);
  };

  const showStatus = async (who: Who, date: Day, label: string) => {
    const s = (await api.status(PEOPLE[who], date)).status;
    const what = s.enrolled ? `${s.scheme}${s.mode ? `/${s.mode}` : ''}, ${s.status}` : 'not enrolled';
    out.say(`${PEOPLE[who].name} on ${date} (${label}): ${what}, ${s.covered ? 'covered' : 'not covered'}`);
    out.why(s.reason, s.rules);
  };

  const cache = new Map<string, number>();
  /** A flexible worker's month, combined mode (C-4, C-5), as the engine prices it. */
  const flexibleDue = async (feeMonth: string, asOf: Day, show = false) => {
    const known = cache.get(`flexible/${feeMonth}`);
    if (known !== undefined && !show) return known;
    const r = await api.decide('flexible-contribution', { mode: 'combined', fromMonth: feeMonth }, asOf);
    cache.set(`flexible/${feeMonth}`, r.value.totalFen);
    if (show) out.why(r.trace.reason, appliedRules(r.trace));
    return r.value.totalFen as number;
  };
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
  const payrollLines = (who: readonly Who[], months: readonly string[], asOf: Day) =>
    Promise.all(who.map(async (w) => ({ who: w, months, amountFen: await unitDue(w, months[0]!, asOf) })));
  /** A resident's amount for a fee year (C-9, C-10, C-11), as the engine prices it. */
  const residentDue = async (who: Who, feeYear: number, asOf: Day, show = false) => {
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
  };

  // ── the scenes ──

  const scenes: Scene[] = [];
  const at = (day: Day, title: string, run: () => Promise<void>) => scenes.push({ day, title, run });
  const u1 = { unitId: UNITS.u1.id, kind: 'enterprise', registeredIn: DEMO_REGION };
  const u2 = { unitId: UNITS.u2.id, kind: 'enterprise', registeredIn: DEMO_REGION };
  const employee = { scheme: 'employee', mode: 'unit', work: 'unit-employee', places: { employment: DEMO_REGION } };
  const flexible = {
    scheme: 'employee',
    mode: 'flexible',
    flexibleMode: 'combined',
    places: { residence: DEMO_REGION },
  };

  at(DEMO_START_DAY, 'Prologue: what the agency already holds', async () => {
    out.say('Staff enter the employees and flexible workers enrolled since January (E-1, E-2):');
    await enroll('wang', { ...employee, on: '2027-01-01', employer: u1 }, `employee of ${UNITS.u1.name}`, true);
    await enroll('li', { ...employee, on: '2027-01-01', employer: u2 }, `employee of ${UNITS.u2.name}`, true);
    await enroll('chen', { ...employee, on: '2027-01-01', employer: u2 }, `employee of ${UNITS.u2.name}`, true);
    await enroll('liu', { ...flexible, on: '2027-01-01', work: 'platform-worker' }, 'flexible worker', true);
    await enroll('sun', { ...flexible, on: '2027-01-01', work: 'platform-worker' }, 'flexible worker', true);

    out.say('The tax bureau’s notifications so far: January–August 2027 paid on the 15th of each month; last year’s');
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
      history.push(n.resident(PEOPLE[w], '2026-11-16', 2027, (await residentDue(w, 2027, '2026-11-16')).personPaysFen));
    history.sort((a, b) => String(a.paidAt).localeCompare(String(b.paidAt)));
    const outcomes = await api.events(history);
    const created = outcomes.flatMap((o) => o.persons ?? []).filter((p: Json) => p.cover?.enrollmentCreated).length;
    out.note(
      `${history.length} notifications; ${created} enrollments created from them (何志强 and 周德明 as flexible workers, five residents)`,
    );
    await showStatus('wang', DEMO_START_DAY, 'first paid 2027-01-15');
    await showStatus('zhang', DEMO_START_DAY, 'first paid in the 2027 window');
  });

  // 1. Enrollments of each kind
  at(DEMO_START_DAY, 'Case 1: enrollments of each kind', async () => {
    await enroll('zhao', { ...employee, employer: u1 }, `hired by ${UNITS.u1.name} today (unit mode)`);
    await enroll('feng', { ...flexible, work: 'part-time' }, 'flexible worker (combined: with a personal account)');
    await enroll('wu', { scheme: 'resident', work: 'not-working', places: { hukou: DEMO_REGION } }, 'resident');
  });

  at('2027-09-02', '吴小梅 pays her 2027 resident contribution, outside the window', async () => {
    const due = await residentDue('wu', 2027, '2027-09-02', true);
    await pay([n.resident(PEOPLE.wu, '2027-09-02', 2027, due.personPaysFen)]);
  });

  // 5. Retirement with a lump sum
  at('2027-09-06', 'Case 5: 周德明 applies to transfer to retiree status', async () => {
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
  });

  at('2027-09-08', '周德明 chooses to pay the shortfall in one lump sum (R-4(b))', async () => {
    await api.call('POST', `/cases/${ids.retirement}/retirement-choice`, {
      choice: 'lump-sum',
      note: 'the person chose the lump sum in writing',
    });
    const c = await api.getCase(ids.retirement!);
    out.say(`case ${c.caseId}: ${c.state}, waiting for the ${c.wait?.for} until ${c.wait?.until}`);
  });

  at('2027-09-10', '冯晓燕 pays her first month', async () => {
    const due = await flexibleDue('2027-09', '2027-09-10');
    await pay([n.flexible(PEOPLE.feng, '2027-09-10', [['2027-09', due]])]);
  });

  // Every month: the contributions paid on the 15th.
  for (let m = '2027-09'; m <= DEMO_END_DAY.slice(0, 7); m = nextMonth(m)) {
    const day = `${m}-15`;
    at(day, `Contributions for ${m}, paid on the 15th (due by the month’s end, C-6)`, async () => {
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
    });
  }

  // 4. A newborn
  at('2027-09-17', 'Case 4: 王小宝, born 2027-09-12, is registered and enrolled', async () => {
    const r = await api.call('POST', '/newborn-registrations', {
      identity: { number: PEOPLE.baby.number },
      region: DEMO_REGION,
      note: 'birth certificate presented by the father, 王建国',
    });
    ids.newborn = r.case.caseId;
    out.say(`case ${r.case.caseId}: ${r.case.state}, waiting for ${r.case.wait.for} until ${r.case.wait.until}`);
    out.why(r.case.data.reason, r.case.data.rules);
    await enroll('baby', { scheme: 'resident', work: 'not-working', places: { hukou: DEMO_REGION } }, 'resident');
  });

  at('2027-09-18', '王小宝’s father pays his 2027 resident contribution', async () => {
    const due = await residentDue('baby', 2027, '2027-09-18', true);
    await pay([n.resident(PEOPLE.baby, '2027-09-18', 2027, due.personPaysFen)]);
  });

  // 6. Bankruptcy deferral
  const deferred = ['2027-09', '2027-10', '2027-11'];
  at('2027-09-20', `Case 6: an approver files ${UNITS.u2.name}’s deferral agreement (B-1)`, async () => {
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
          months: deferred.map((feeMonth) => ({ feeMonth, baseFen: BASE[w] })),
        })),
        note: 'filed for bankruptcy on 2027-09-10; tax confirmed it cannot pay; September–November deferred',
      },
      'approver',
    );
    ids.bankruptcy = r.case.caseId;
    const d = r.decisions['bankruptcy-deferral'];
    out.say(`case ${r.case.caseId}: ${r.case.state} until ${r.case.wait?.until}`);
    out.why(d.reason, d.rules);
  });

  at('2027-09-20', 'The agency uploads Changchun’s 2028 roster before the window opens', async () => {
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
    out.say(`${r.items} residents in ${r.key}: 张桂兰, 李思雨 (a pupil), 赵春花 (低保), 钱福贵 (特困), 周玉梅, 吴小梅`);
  });

  at('2027-09-20', '周德明 pays the lump sum', async () => {
    const c = await api.getCase(ids.retirement!);
    await pay([
      n.flexible(PEOPLE.zhou, '2027-09-20', [['2027-09', c.data.lumpSumFen]], { purpose: 'retirement-lump-sum' }),
    ]);
    const after = await api.getCase(ids.retirement!);
    const credit = after.data.accountCredit;
    out.say(
      `case ${after.caseId}: ${after.state}; transferred on ${after.data.transferredOn}; personal account credited ${yuan(credit?.fen)} once (R-7)`,
    );
  });

  // 2. The collection window
  at('2027-10-01', 'Case 2: the 2028 collection window opens (the scheduled start)', async () => {
    const c = await api.getCase(WINDOW_CASE);
    out.say(`case ${c.caseId}: ${c.state}, ${c.data.opensOn} to ${c.data.closesOn}; the roster is priced (C-9, C-10):`);
    for (const w of ['zhang', 'lisy', 'zhaoch', 'qian'] as const) await residentDue(w, 2028, '2027-10-01', true);
    await showStatus('li', '2027-10-01', `${UNITS.u2.name} did not pay September: deferred, not in arrears`);
  });

  at('2027-10-08', '孙丽 pays October as a flexible worker', async () => {
    await pay([n.flexible(PEOPLE.sun, '2027-10-08', [['2027-10', await flexibleDue('2027-10', '2027-10-08')]])]);
  });

  // 3. Arrears
  at('2027-10-12', 'Case 3b: 何志强 pays only 200.00 of October', async () => {
    const r = await pay([n.flexible(PEOPLE.he, '2027-10-12', [['2027-10', 20_000]])]);
    ids.arrearsNever = r[0]?.persons?.[0]?.arrears?.[0]?.caseId;
  });

  at('2027-10-15', 'Case 3a: 刘洋 pays only 300.00 of October', async () => {
    const r = await pay([n.flexible(PEOPLE.liu, '2027-10-15', [['2027-10', 30_000]])]);
    ids.arrears60 = r[0]?.persons?.[0]?.arrears?.[0]?.caseId;
    const c = await api.getCase(ids.arrears60!);
    out.say(`case ${c.caseId}: ${c.state}, suspended from ${c.data.opened?.suspendedFrom} (A-1)`);
  });

  // 7. A duplicate
  at('2027-10-25', `Case 7: ${UNITS.u1.name} hires 孙丽 and pays October for her`, async () => {
    const r = await pay([n.unit('u1', '2027-10-25', await payrollLines(['sun'], ['2027-10'], '2027-10-25'))]);
    ids.sunUnit = r[0]?.persons?.[0]?.cover?.enrollmentId;
    await showStatus('sun', '2027-10-26', 'a flexible and a unit enrollment, both normal');
  });

  at('2027-10-28', '孙丽 asks in writing (2027-10-27) to keep the enrollment with her employer', async () => {
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
  });

  at('2027-11-01', 'October is past its due date', async () => {
    await showStatus('liu', '2027-11-01', 'October short');
  });

  at('2027-11-15', 'Window payments: 张桂兰 and 李思雨 renew for 2028', async () => {
    const a = await residentDue('zhang', 2028, '2027-11-15');
    const b = await residentDue('lisy', 2028, '2027-11-15');
    await pay([
      n.resident(PEOPLE.zhang, '2027-11-15', 2028, a.personPaysFen),
      n.resident(PEOPLE.lisy, '2027-11-15', 2028, b.personPaysFen),
    ]);
  });

  at('2027-11-29', 'Case 3a: 刘洋 pays the rest of October, 60 days after the last day paid', async () => {
    const c = await api.getCase(ids.arrears60!);
    const principal = c.data.months[0].principalFen as number;
    const r = await api.decide(
      'arrears',
      {
        mode: 'flexible',
        flexibleMode: 'combined',
        months: [{ feeMonth: '2027-10', principalFen: principal }],
        firstUnpaidDay: '2027-10-01',
        paidAt: '2027-11-29',
      },
      '2027-11-29',
    );
    out.say(`what paying today costs (what-if): ${yuan(r.value.amountDueFen)}`);
    out.why(r.trace.reason, appliedRules(r.trace));
    await pay([n.flexible(PEOPLE.liu, '2027-11-29', [['2027-10', r.value.amountDueFen]])]);
    const after = await api.getCase(ids.arrears60!);
    const o = after.data.outcome;
    out.say(
      `case ${after.caseId}: ${after.state}; ${o?.decidedBy}: restored ${o?.restoredOn}, covered from ${o?.coverStarts}`,
    );
  });

  at('2027-12-10', `Case 6: ${UNITS.u2.name}’s administrator pays September–November; the agreement ends`, async () => {
    await pay([n.unit('u2', '2027-12-10', await payrollLines(['li', 'chen'], deferred, '2027-12-10'))]);
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
  });

  at('2027-12-10', 'Window payments: 赵春花 (低保) and 钱福贵 (特困) pay first, the subsidy follows', async () => {
    const a = await residentDue('zhaoch', 2028, '2027-12-10', true);
    const b = await residentDue('qian', 2028, '2027-12-10', true);
    await pay([
      n.resident(PEOPLE.zhaoch, '2027-12-10', 2028, a.personPaysFen),
      n.resident(PEOPLE.qian, '2027-12-10', 2028, b.personPaysFen),
    ]);
  });

  at('2027-12-12', 'Case 4: the newborn window ended yesterday', async () => {
    const c = await api.getCase(ids.newborn!);
    out.say(
      `case ${c.caseId}: ${c.state}${c.data.enrolledInWindow ? `, enrolled on ${c.data.enrolledInWindow.on}` : ''}`,
    );
    await showStatus('baby', '2027-09-20', 'a week old');
  });

  at('2027-12-16', 'Window payments: 吴小梅 and 王小宝 pay for 2028', async () => {
    const a = await residentDue('wu', 2028, '2027-12-16');
    const b = await residentDue('baby', 2028, '2027-12-16');
    await pay([
      n.resident(PEOPLE.wu, '2027-12-16', 2028, a.personPaysFen),
      n.resident(PEOPLE.baby, '2027-12-16', 2028, b.personPaysFen),
    ]);
  });

  at('2027-12-30', 'Case 3b: 何志强’s 90 days have passed', async () => {
    const c = await api.getCase(ids.arrearsNever!);
    out.say(`case ${c.caseId}: ${c.state} (${c.data.outcome?.decidedBy})`);
    await showStatus('he', '2027-12-30', 'the day after the window');
  });

  at('2028-01-02', 'Case 2: the window closed at the end of 2027-12-31', async () => {
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
  });

  // Stable: scenes of one day run in the order written.
  scenes.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  // ── run ──

  const clock = await api.clock();
  if (Date.parse(clock.now) > Date.parse(DEMO_START))
    throw new Error(`the clock (${clock.now}) is past the demo's start (${DEMO_START}); start a fresh system`);
  if (Date.parse(clock.now) < Date.parse(DEMO_START)) {
    out.out(`Moving the clock from ${clock.today} to ${DEMO_START_DAY} (each day on the way runs its daily sweep)…`);
    await api.advanceTo(Date.parse(DEMO_START));
  }
  for (const s of scenes) {
    await api.advanceTo(morningOf(s.day));
    out.scene(s.day, s.title);
    await s.run();
  }
  await api.advanceTo(morningOf(DEMO_END_DAY));
  out.scene(DEMO_END_DAY, 'The end of the year: every case against the rules');
  const checks = await finalChecks(api, ids);
  return summarise(out, checks, ids, Date.now() - started);
}

// ── The expected end states ──────────────────────────────────────────────────────────────────────────────

/**
 * A flexible worker's month in 2027 (C-4, C-5): the base is 83 % of the 7,500.00 average wage, 6,225.00;
 * each line rounded once: medical 6.5 % 404.63 + maternity 0.5 % 31.13 + employee 2 % 124.50 = 560.26.
 */
const FLEXIBLE_MONTH = times(622_500, 6.5) + times(622_500, 0.5) + times(622_500, 2);

const CASES = [
  { name: '1 enrollments of each kind', key: null },
  { name: '2 collection window 2028', key: 'window' },
  { name: '3a arrears paid on day 60', key: 'arrears60' },
  { name: '3b arrears never paid', key: 'arrearsNever' },
  { name: '4 newborn', key: 'newborn' },
  { name: '5 retirement with a lump sum', key: 'retirement' },
  { name: '6 bankruptcy deferral settled', key: 'bankruptcy' },
  { name: '7 duplicate resolved', key: 'duplicate' },
] as const;

async function finalChecks(api: Client, ids: Record<string, string>): Promise<Check[]> {
  const checks: Check[] = [];
  const expect = (caseIndex: number, what: string, expected: unknown, actual: unknown) => {
    const e = typeof expected === 'string' ? expected : JSON.stringify(expected);
    const a = typeof actual === 'string' ? actual : JSON.stringify(actual ?? null);
    checks.push({
      caseName: CASES[caseIndex]!.name,
      what,
      expected: e,
      actual: a,
      ok: e === a,
    });
  };
  const status = async (who: Who, date: Day) => (await api.status(PEOPLE[who], date)).status;
  const covered = async (who: Who, date: Day) => ((await status(who, date)).covered ? 'covered' : 'not covered');
  const statusText = async (who: Who, date: Day) => {
    const s = await status(who, date);
    return `${s.status ?? 'not enrolled'}, ${s.covered ? 'covered' : 'not covered'}`;
  };
  const getCase = async (key: string) => (ids[key] ? api.getCase(ids[key]) : null);

  // 1. First enrollments: 90 days counting from the day after the first payment (W-6, JL26 Art.10 ¶4).
  {
    // 赵磊: the unit paid September on 2027-09-15 → counts from 09-16 → covered from 09-16 + 90 = 12-15.
    const zhao = addDays('2027-09-16', 90);
    expect(
      0,
      `赵磊 (E-1) on ${addDays(zhao, -1)}, the wait’s last day`,
      'not covered',
      await covered('zhao', addDays(zhao, -1)),
    );
    expect(0, `赵磊 (E-1) on ${zhao}`, 'covered', await covered('zhao', zhao));
    // 冯晓燕: paid 2027-09-10 → counts from 09-11 → covered from 12-10.
    const feng = addDays('2027-09-11', 90);
    expect(
      0,
      `冯晓燕 (E-2) on ${addDays(feng, -1)}, the wait’s last day`,
      'not covered',
      await covered('feng', addDays(feng, -1)),
    );
    expect(0, `冯晓燕 (E-2) on ${feng}`, 'covered', await covered('feng', feng));
    // 吴小梅: a resident outside the window, paid 2027-09-02 → counts from 09-03 → 12-02; 2028 renewed (W-4).
    const wu = addDays('2027-09-03', 90);
    expect(0, `吴小梅 (E-3) on ${addDays(wu, -1)}`, 'not covered', await covered('wu', addDays(wu, -1)));
    expect(0, `吴小梅 (E-3) covered from`, wu, (await status('wu', wu)).coverPeriod?.start);
    expect(0, '吴小梅 on 2028-01-01 (renewed in the window, W-4)', 'covered', await covered('wu', '2028-01-01'));
  }

  // 2. The window: six rostered; three pay (renewed), two pay first and are subsidised (C-10), one lapses.
  {
    const c = await api.getCase(WINDOW_CASE);
    ids.window = c.caseId;
    const r = c.data.report?.regions?.[0] ?? {};
    expect(1, 'case', 'completed', c.state);
    expect(
      1,
      'rostered / renewed / subsidised / lapsed',
      '6 / 3 / 2 / 1',
      `${r.rostered} / ${r.renewed} / ${r.subsidised} / ${r.lapsed}`,
    );
    expect(1, 'renewal rate (5 of 6)', '83.3%', r.renewalRate?.percent);
    for (const w of ['zhang', 'lisy', 'zhaoch', 'qian'] as const)
      expect(1, `${PEOPLE[w].name} on 2028-01-01 (W-4)`, 'covered', await covered(w, '2028-01-01'));
    expect(1, '周玉梅 on 2028-01-01 (lapsed)', 'not covered', await covered('zhouym', '2028-01-01'));
  }

  // 3a. Paid within 90 days (含) of the last paid day 2027-09-30 (A-4): the arrears period covered.
  {
    const c = await getCase('arrears60');
    const o = c?.data.outcome ?? {};
    expect(2, 'case', 'completed', c?.state);
    expect(2, 'decided by', 'A-4', o.decidedBy);
    expect(2, 'paid on: day 60 after 2027-09-30 (gap = P − E)', addDays('2027-09-30', 60), o.paidOn);
    // 560.26 due (FLEXIBLE_MONTH), 300.00 paid; A-3's late fee is read for unit mode only.
    expect(
      2,
      'amount paid: principal 560.26 − 300.00, no late fee',
      yuan(FLEXIBLE_MONTH - 30_000),
      yuan(o.amountDueFen),
    );
    expect(2, 'restored on: the next day (A-2)', addDays('2027-11-29', 1), o.restoredOn);
    expect(2, 'covered from: the first unpaid day (A-4)', '2027-10-01', o.coverStarts);
    expect(2, '刘洋 on 2027-11-15', 'normal, covered', await statusText('liu', '2027-11-15'));
  }

  // 3b. A flexible worker more than 90 days in arrears cannot backfill (A-6): the enrollment ends.
  {
    const c = await getCase('arrearsNever');
    expect(3, 'case', 'lapsed', c?.state);
    expect(3, 'decided by', 'A-6', c?.data.outcome?.decidedBy);
    expect(
      3,
      'window’s last day: 90 days (含) after 2027-09-30',
      addDays('2027-09-30', 90),
      c?.data.opened?.windowLastDay,
    );
    expect(
      3,
      // November fell due (11-30) unpaid inside the window: it joins the run of unpaid months (A-1).
      'principal left unpaid: October 560.26 − 200.00, November 560.26',
      yuan(2 * FLEXIBLE_MONTH - 20_000),
      yuan(c?.data.outcome?.principalFen),
    );
    expect(
      3,
      '何志强 on the day after the window',
      'terminated, not covered',
      await statusText('he', addDays('2027-12-29', 1)),
    );
  }

  // 4. Enrolled and paid within 90 days (含) of birth: no waiting, covered from birth (W-1, JL26 Art.24).
  {
    const c = await getCase('newborn');
    expect(4, 'case: enrolled within the 90 days', 'completed', c?.state);
    expect(4, 'window’s last day: birth + 90', addDays('2027-09-12', 90), c?.data.windowLastDay);
    expect(4, '王小宝 on 2027-09-20, a week old (W-1)', 'covered', await covered('baby', '2027-09-20'));
    expect(4, '王小宝 on 2028-01-01 (renewed, W-4)', 'covered', await covered('baby', '2028-01-01'));
  }

  // 5. 28 of 30 years (R-1) → 24 months short (R-3) → lump sum at the processing day's standard (R-4(b)):
  //    the flexible base 6,225.00 × (6.5 % medical + 2 %) = 529.13 a month; then 2 % credited once (R-7).
  {
    const c = await getCase('retirement');
    const d = c?.data.decisions?.['retirement-transfer']?.value ?? {};
    expect(5, 'case', 'completed', c?.state);
    expect(5, 'shortfall', '24 months', `${d.shortfallMonths} months`);
    expect(5, 'lump sum: 24 × 529.13', yuan(24 * (times(622_500, 6.5) + times(622_500, 2))), yuan(c?.data.lumpSumFen));
    expect(5, 'choice', 'lump-sum', c?.data.choice?.choice ?? c?.data.choice);
    expect(5, 'transferred on: the payment day', '2027-09-20', c?.data.transferredOn);
    expect(5, 'account credited once: 24 × 124.50', yuan(24 * times(622_500, 2)), yuan(c?.data.accountCredit?.fen));
  }

  // 6. While the agreement holds the employees keep benefits (B-1); paid in full → held credits at once (B-2).
  {
    const c = await getCase('bankruptcy');
    const s = c?.data.settlement ?? {};
    expect(6, 'case', 'completed', c?.state);
    expect(6, '李卫东 on 2027-10-15, September unpaid (B-1)', 'normal, covered', await statusText('li', '2027-10-15'));
    expect(6, 'all paid', 'true', String(s.allPaid));
    // 2 employees × 3 months × 2 % of 5,000.00 (C-14 crediting standard).
    expect(6, 'credits released: 2 × 3 × 100.00', yuan(2 * 3 * times(500_000, 2)), yuan(s.creditsReleased?.fen));
    // Reading bankruptcy.creditsReleasedOn: made with the rights of the day after payment (FLX25 §10).
    expect(6, 'released on: the day after payment', addDays('2027-12-10', 1), s.creditsReleased?.on);
  }

  // 7. Two normal employee enrollments (D-1); the written request is followed (D-7), the other ends (D-6).
  {
    const c = await getCase('duplicate');
    const action = c?.data.actions?.[ids['enrollment:sun'] ?? ''] ?? {};
    expect(7, 'case', 'resolved', c?.state);
    expect(7, 'flexible enrollment', 'terminate (D-6)', `${action.action} (${action.rule})`);
    expect(
      7,
      '孙丽 on 2027-11-15: the unit enrollment',
      `${ids.sunUnit}, normal, covered`,
      `${(await status('sun', '2027-11-15')).enrollmentId}, ${await statusText('sun', '2027-11-15')}`,
    );
  }
  return checks;
}

/** Columns a string takes in a terminal: CJK characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff);
    w += wide || (c >= 0xff00 && c <= 0xff60) ? 2 : 1;
  }
  return w;
}

function summarise(out: Printer, checks: Check[], ids: Record<string, string>, ms: number): DemoReport {
  const mismatches = checks.filter((c) => !c.ok);
  const verdict = (c: Check) => (c.ok ? 'ok' : 'MISMATCH');

  const cases: DemoCase[] = CASES.map(({ name, key }) => {
    const mine = checks.filter((c) => c.caseName === name);
    const state = mine.find((c) => c.what === 'case' || c.what.startsWith('case:'))?.actual ?? null;
    return {
      name,
      caseId: key ? (ids[key] ?? null) : null,
      state,
      ok: mine.every((c) => c.ok),
    };
  });

  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]!))));
    for (const r of rows)
      out.out(`  ${r.map((x, i) => x + ' '.repeat(widths[i]! - displayWidth(x))).join('  ')}`.trimEnd());
  };
  out.out('');
  out.out('Cases');
  table([
    ['case', 'id', 'state', 'result'],
    ...cases.map((c) => [c.name, c.caseId ?? '—', c.state ?? '—', c.ok ? 'as expected' : 'NOT as expected']),
  ]);
  out.out('');
  out.out('Checks');
  table([
    ['case', 'check', 'expected', 'actual', ''],
    ...checks.map((c) => [c.caseName, c.what, c.expected, c.actual, verdict(c)]),
  ]);
  out.out('');
  const passed = checks.filter((c) => c.ok).length;
  out.out(
    `${passed} of ${checks.length} checks as the rules expect; ${mismatches.length} mismatch(es) (${Math.round(ms / 1000)} s).`,
  );
  for (const m of mismatches) out.out(`  MISMATCH ${m.caseName}: ${m.what}: expected ${m.expected}, got ${m.actual}`);
  return {
    ok: mismatches.length === 0,
    cases,
    checks,
    mismatches,
    simulated: { from: DEMO_START_DAY, to: DEMO_END_DAY },
    elapsedMs: ms,
  };
}
