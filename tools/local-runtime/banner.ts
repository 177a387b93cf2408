/**
 * What `npm start` prints once the system is up: where it runs, and a block to paste, in order, into a
 * second terminal — `cd` into the checkout, `export` lines for the API and one dev token per role (a clerk
 * and an approver of the first region), and `curl` commands on the files of docs/examples/ that tell a
 * short story ending in a settled arrears case. Every line of the block is shell (a command or a `#`
 * comment), so pasting it whole works too; test/docs/first-ten-minutes.test.ts runs it against a fresh
 * `npm start -- --in-memory` and fails when a command does not do what its comment says.
 *
 * The example files carry fixed dates and the clock never moves back, so the block first moves the clock to
 * the story's first morning (`{"ms": …}` worked out from the clock when the banner is printed). A clock
 * already past that day gets the command that starts a system on which the story can still be told.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, cstDateOf, daysBetween, todayCst } from '#domain/calendar.js';
import { parseIdentity } from '#domain/identity.js';
import { regionOf } from '#domain/regions.js';
import type { DevToken } from './tokens.js';

export const PASTE_BEGIN = '# ── 在第二个终端中依次粘贴 / paste into a second terminal, in order ──';
export const PASTE_END = '# ── 粘贴到此为止 / end of what to paste ──';

/** The example files the story sends, in docs/examples/. */
export const EXAMPLES = {
  enrollment: 'docs/examples/enrollment.json',
  paid: 'docs/examples/notification-person.json',
  short: 'docs/examples/notification-person-short.json',
  rest: 'docs/examples/notification-person-rest.json',
  otherPayers: ['unit', 'unemployment-fund', 'custodian', 'agent', 'government'].map(
    (kind) => `docs/examples/notification-${kind}.json`,
  ),
  roster: 'docs/examples/roster.json',
} as const;
/** The fee year of docs/examples/roster.json: its window opens on 10-01 of the year before. */
export const ROSTER_FEE_YEAR = 2028;

/** curl's own status line after each answer, so the person (and the docs test) sees the HTTP status. */
const CURL = `curl -sS -H 'content-type: application/json' -w ' [HTTP %{http_code}]\\n'`;

export interface BannerInput {
  readonly repoRoot: string;
  readonly apiUrl: string;
  /** The clock when the banner is printed (epoch ms). */
  readonly clockMs: number;
  /** The folder of the kept data, or null in memory. */
  readonly dataDir: string | null;
  /** Where every dev token is written (JSON list of {role, region, sub, token}). */
  readonly tokenFile: string;
  readonly tokens: readonly DevToken[];
  /** `arrears-timer 2, …` or `none`. */
  readonly rearmed: string;
  readonly caughtUp: number;
}

interface EventFile {
  readonly detail: {
    readonly paidAt: string;
    readonly region: string;
    readonly insured: ReadonlyArray<{
      identity: { number: string };
      periods: Array<{ feePeriod: string; amountFen: number }>;
    }>;
  };
}

/** The story as the example files tell it: its dates, amounts and the arrears case it ends in. */
export function sampleStory(repoRoot: string) {
  const read = <T>(file: string) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as T;
  const enrollment = read<{ identity: { number: string }; region: string; on: string }>(EXAMPLES.enrollment);
  const short = read<EventFile>(EXAMPLES.short).detail;
  const rest = read<EventFile>(EXAMPLES.rest).detail;
  const paid = read<EventFile>(EXAMPLES.paid).detail;
  const id = parseIdentity(enrollment.identity);
  if (!id.ok) throw new Error(`${EXAMPLES.enrollment}: not a valid identity number`);
  const shortPeriod = short.insured[0]!.periods[0]!;
  const restPeriod = rest.insured[0]!.periods[0]!;
  const startDay = cstDateOf(short.paidAt);
  const restDay = cstDateOf(rest.paidAt);
  return {
    region: enrollment.region,
    enrolledOn: enrollment.on,
    paidDay: cstDateOf(paid.paidAt),
    paidMonths: paid.insured[0]!.periods.map((p) => p.feePeriod),
    feeMonth: shortPeriod.feePeriod,
    startDay,
    /** The story's first morning: the clock is moved here before the first command. */
    startAt: Date.parse(`${startDay}T09:00:00+08:00`),
    restDay,
    daysToRest: daysBetween(startDay, restDay),
    shortFen: shortPeriod.amountFen,
    restFen: restPeriod.amountFen,
    dueFen: shortPeriod.amountFen + restPeriod.amountFen,
    identityKey: id.identity.key,
  };
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
const cstTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export function renderBanner(b: BannerInput): string {
  const s = sampleStory(b.repoRoot);
  const region = b.tokens[0]?.region ?? s.region;
  const r = regionOf(region);
  const token = (role: string) => b.tokens.find((t) => t.role === role && t.region === region)?.token ?? '';
  const auth = (v: string) => `-H "Authorization: Bearer $${v}"`;
  const today = todayCst(b.clockMs);
  const kept = b.dataDir
    ? `数据保存在 ${b.dataDir}，下次启动恢复案件与时钟 / data kept in ${b.dataDir}: the next start resumes the cases and the clock`
    : '数据在内存中，停止即丢弃 / data in memory: Ctrl-C discards it';
  const out: string[] = [
    '',
    `本地系统已启动 / The local system is up: staff API ${b.apiUrl}, clock ${cstTime(b.clockMs)} CST (follows real time, moves only forward)`,
    kept,
    `启动时恢复的案件 / open cases re-armed at start: ${b.rearmed}; 补跑的计划任务 / schedule occurrences caught up: ${b.caughtUp}`,
    '',
    PASTE_BEGIN,
    `cd '${b.repoRoot}'`,
    `export API=${b.apiUrl}`,
    `# ${r.zh}经办 / clerk of ${region} ${r.en}:`,
    `export CLERK_TOKEN=${token('clerk')}`,
    `# ${r.zh}审核 / approver of ${region} ${r.en}:`,
    `export APPROVER_TOKEN=${token('approver')}`,
    `# 全部开发令牌（每个角色、每个统筹区）/ every dev token, each role and region: ${b.tokenFile}`,
  ];
  const storyDay = s.startDay;
  if (today > storyDay) {
    out.push(
      `# 示例故事从 ${storyDay} 开始，本系统时钟（${today}）已过，时钟只进不退 / The sample story starts on ${storyDay} and this`,
      `# system's clock (${today}) is past it; the clock never moves back. To follow the story, start a throwaway system`,
      '# whose clock is before it, in place of this one (Ctrl-C here first); its banner prints the story:',
      `#   npm start -- --in-memory --clock-start ${storyDay}T08:00:00+08:00`,
      '# 时钟 / the clock:',
      `${CURL} "$API/_clock"`,
      `# 等待补缴的欠费案件 / arrears cases waiting for a payment:`,
      `${CURL} ${auth('CLERK_TOKEN')} "$API/cases?state=waiting-payment&caseType=arrears"`,
      PASTE_END,
    );
    return `${out.join('\n')}\n`;
  }
  const never = b.dataDir
    ? `，且保存在 ${b.dataDir} 中，下次启动从那里继续 / The clock never moves back, and the data dir keeps it where it is moved: the next npm start resumes there (npm start -- --in-memory for a throwaway clock).`
    : ' / The clock never moves back (this system is in memory: Ctrl-C discards it and its clock).';
  out.push(
    `# 示例：灵活就业人员${s.feeMonth}少缴，${s.daysToRest}天后补足，欠费案件结清（A-4）/ Sample story, files in docs/examples/:`,
    `# a flexible worker of ${r.en} pays ${s.feeMonth} short, pays the rest ${s.daysToRest} days later, and her arrears case is settled (A-4).`,
  );
  if (b.clockMs < s.startAt)
    out.push(
      `# 1. 时钟只进不退${never}`,
      `#    This moves it to ${storyDay} 09:00 CST, running each day's sweep on the way (a move of days takes a while):`,
      `${CURL} -X POST -d '{"ms": ${s.startAt - b.clockMs}}' "$API/_clock/advance"`,
    );
  else out.push(`# 1. 时钟已在 ${storyDay}，无需移动 / The clock is on ${storyDay} already: no move needed.`);
  out.push(
    `# 2. 经办人登记：${s.enrolledOn} 起灵活就业参保 / Enroll her (clerk): a flexible worker since ${s.enrolledOn}`,
    `${CURL} ${auth('CLERK_TOKEN')} -d @${EXAMPLES.enrollment} "$API/enrollments"`,
    `# 3. 税务缴费信息：${s.paidMonths.join('、')} 足额，${s.paidDay} 本人缴 / Tax payment notification: ${s.paidMonths.join(' and ')} paid in full on ${s.paidDay} (payer: person)`,
    `${CURL} -d @${EXAMPLES.paid} "$API/_events"`,
    `# 4. ${s.feeMonth} 只缴 ${yuan(s.shortFen)} 元（应缴 ${yuan(s.dueFen)} 元）→ 开立欠费案件，暂停待遇（A-1）/ ${s.feeMonth}: ${yuan(s.shortFen)} of ${yuan(s.dueFen)} yuan paid → an arrears case opens, benefits suspended (A-1)`,
    `${CURL} -d @${EXAMPLES.short} "$API/_events"`,
    `#    经办人查看：欠费案件等待补缴，至90日期满 / The clerk's list: the case waits for the rest until its 90-day window ends`,
    `${CURL} ${auth('CLERK_TOKEN')} "$API/cases?caseType=arrears&state=waiting-payment"`,
    '# 5. 其他缴费人：单位（含一名持护照的员工）、失业保险基金、监管场所、代缴人、政府 / The other payer kinds: a unit (one',
    '#    employee by passport), the unemployment fund, a custodian, an agent, the government',
    ...EXAMPLES.otherPayers.map((f) => `${CURL} -d @${f} "$API/_events"`),
    `# 6. ${r.zh}${ROSTER_FEE_YEAR}年度居民名册，缴费期（${ROSTER_FEE_YEAR - 1}-10-01 起）之前上传 / ${r.en}'s ${ROSTER_FEE_YEAR} resident roster, before its collection window opens on ${ROSTER_FEE_YEAR - 1}-10-01`,
    `${CURL} -X PUT -d @${EXAMPLES.roster} "$API/_rosters/${ROSTER_FEE_YEAR}/${region}"`,
    `# 7. 时钟前进 ${s.daysToRest} 天到 ${addDays(storyDay, s.daysToRest)}，只进不退 / The clock ${s.daysToRest} days on, to ${addDays(storyDay, s.daysToRest)}; it never moves back`,
    `${CURL} -X POST -d '{"days": ${s.daysToRest}}' "$API/_clock/advance"`,
    `# 8. ${s.restDay} 补缴余款 ${yuan(s.restFen)} 元（欠费90日内）/ On ${s.restDay} she pays the rest, ${yuan(s.restFen)} yuan, within 90 days`,
    `${CURL} -d @${EXAMPLES.rest} "$API/_events"`,
    `# 9. 审核人查看：欠费案件已结清，A-4，${s.feeMonth} 追溯享受待遇 / The approver's list: the arrears case settled, state`,
    `#    completed, decided by A-4, ${s.feeMonth} covered after all (GET /cases/<caseId>/audit-trail: every step and its rules)`,
    `${CURL} ${auth('APPROVER_TOKEN')} "$API/cases?caseType=arrears&state=completed"`,
    PASTE_END,
  );
  return `${out.join('\n')}\n`;
}
