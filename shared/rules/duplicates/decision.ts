/**
 * Duplicate enrollment (E-4, D-1…D-8): from a person's enrollments, find the duplicates and decide
 * which one is kept and what happens to each other one.
 *
 * - D-1: two or more normal enrollments over the same period, within or across schemes, are
 *   duplicates. Only normal status counts (E-7); D-8: a student's first-year resident cover at the
 *   place of study is not a duplicate.
 * - Which one is kept, most specific first: a written request (D-7); within a scheme, the place of
 *   employment (D-2) or of habitual residence / study (D-3); across schemes, the employee enrollment
 *   after ≥ 1 year (含) of continuous cover (D-4) or, after part-time or temporary flexible work, one
 *   that carries benefits (D-5); otherwise one by the fallback parameter (D-6). Two rules of one
 *   level that keep different enrollments are a RuleConflictError; a tie no rule breaks is a
 *   NoApplicableRuleError that asks for the person's written choice (D-7).
 * - What happens to the others: suspended after part-time or temporary flexible work (D-5), else
 *   terminated, their payments refundable under F-1 (D-6).
 */
import * as z from 'zod';
import { type CalendarDate, maxDate } from '#domain/calendar.js';
import { isRegion, regionOf } from '#domain/regions.js';
import { baseFacts, businessDate, employeeMode, scheme, strictObject, years } from '#schemas/common.js';
import { type Branch, defineDecision, type EvalContext } from '../engine.js';
import { NoApplicableRuleError } from '../errors.js';
import { enrollmentStatus } from '../enrollment/eligibility.js';

const enrollmentRecord = strictObject({
  id: z.string().min(1).describe('the enrollment’s id'),
  scheme,
  mode: employeeMode.optional().describe('employee scheme: unit or flexible'),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .describe('pooling region code of the enrollment (may be outside Jilin)'),
  status: enrollmentStatus,
  place: z
    .enum(['employment', 'habitual-residence', 'study', 'poverty-recognition', 'other'])
    .describe('what the place is to the person: 就业地, 常住地, 学籍地, 困难身份认定地, other (e.g. 户籍地 only)'),
  start: businessDate.describe('first day of cover'),
  end: businessDate.optional().describe('last day of cover; absent while open'),
  lastPaidOn: businessDate.optional().describe('the day of the latest payment'),
  continuousEmployeeYears: years.optional().describe('employee scheme: continuous years of employee cover up to now'),
  fromPartTimeOrTemporaryWork: z
    .boolean()
    .default(false)
    .describe('employee scheme, flexible: from 非全日制、临时性工作 or similar flexible work (D-5)'),
  studentFirstYear: z
    .boolean()
    .default(false)
    .describe('resident scheme: a student’s cover in the year of entering school (入学当年) (D-8)'),
  carriesBenefits: z
    .boolean()
    .default(true)
    .describe('benefits can be drawn through it now (not in a waiting period) (D-5)'),
});

export const duplicateFacts = baseFacts
  .extend({
    checkedOn: businessDate.optional().describe('the day of the check (default: as-of)'),
    enrollments: z.array(enrollmentRecord).min(1).max(50).describe('every enrollment of the person'),
    student: strictObject({
      povertyRegistered: z.boolean().default(false).describe('已脱贫人口 / 监测对象 / 建档立卡 student'),
      keepRecognitionPlace: z
        .boolean()
        .default(false)
        .describe('a poverty-registered student who chooses the place of recognition (D-3)'),
    })
      .optional()
      .describe('present when the person is a student'),
    request: strictObject({
      keepId: z.string().min(1).describe('the enrollment the person asks to keep'),
      writtenOn: businessDate.describe('the day of the written request'),
    })
      .optional()
      .describe('D-7: a written request to keep a particular enrollment'),
  })
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    f.enrollments.forEach((e, i) => {
      if (ids.has(e.id))
        ctx.addIssue({ code: 'custom', path: ['enrollments', i, 'id'], message: `duplicate id ${e.id}` });
      ids.add(e.id);
      if (e.end && e.end < e.start)
        ctx.addIssue({ code: 'custom', path: ['enrollments', i, 'end'], message: 'is before the start' });
      if (e.scheme === 'employee' && !e.mode)
        ctx.addIssue({ code: 'custom', path: ['enrollments', i, 'mode'], message: 'required for the employee scheme' });
    });
    if (f.request && !ids.has(f.request.keepId))
      ctx.addIssue({ code: 'custom', path: ['request', 'keepId'], message: 'names no enrollment of the person' });
  });

export type DuplicateFacts = z.output<typeof duplicateFacts>;
type Enrollment = DuplicateFacts['enrollments'][number];

export interface EnrollmentAction {
  readonly action: 'keep' | 'suspend' | 'terminate' | 'unchanged';
  /** D-6: a terminated enrollment's payments are refunded under F-1 (on application, before the benefit period). */
  readonly refundUnderF1: boolean;
  /** The rule that decided it (null: not part of any duplicate). */
  readonly rule: string | null;
}

export interface DuplicateGroup {
  readonly ids: readonly string[];
  readonly kind: 'within-employee' | 'within-resident' | 'across-schemes';
  /** The first day on which two of the group are in force together. */
  readonly from: CalendarDate;
  readonly keep: string;
  readonly keptBy: readonly string[];
  readonly others: 'suspend' | 'terminate';
}

export interface DuplicateResolution {
  readonly duplicates: boolean;
  readonly groups: readonly DuplicateGroup[];
  readonly actions: Readonly<Record<string, EnrollmentAction>>;
  readonly request: { readonly keepId: string; readonly writtenOn: CalendarDate; readonly followed: boolean } | null;
}

const overlaps = (a: Enrollment, b: Enrollment) =>
  a.start <= (b.end ?? '9999-12-31') && b.start <= (a.end ?? '9999-12-31');

/** Connected groups of overlapping enrollments (D-1), in order of their first start. */
function overlapGroups(xs: readonly Enrollment[]): Enrollment[][] {
  const sorted = [...xs].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1));
  const groups: Enrollment[][] = [];
  for (const e of sorted) {
    const hit = groups.filter((g) => g.some((x) => overlaps(x, e)));
    const merged = [...hit.flat(), e];
    for (const g of hit) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups.filter((g) => g.length >= 2);
}

function overlapFrom(g: readonly Enrollment[]): CalendarDate {
  let first = '9999-12-31';
  for (let i = 0; i < g.length; i++)
    for (let j = i + 1; j < g.length; j++)
      if (overlaps(g[i]!, g[j]!)) first = [first, maxDate(g[i]!.start, g[j]!.start)].sort()[0]!;
  return first;
}

/**
 * “以参保人最近一次参保缴费为主”: the one most recently paid. A tie (or no payment date on the
 * leaders) decides nothing: null.
 */
function latestPaid(xs: readonly Enrollment[]): Enrollment | null {
  if (xs.length === 1) return xs[0]!;
  const paid = xs.filter((x) => x.lastPaidOn !== undefined);
  if (paid.length === 0) return null;
  const top = paid.map((x) => x.lastPaidOn!).reduce(maxDate);
  const leaders = paid.filter((x) => x.lastPaidOn === top);
  return leaders.length === 1 ? leaders[0]! : null;
}

/** The first non-empty preference, then the latest payment among it. */
function prefer(xs: readonly Enrollment[], ...filters: Array<(e: Enrollment) => boolean>): Enrollment | null {
  for (const p of filters) {
    const hit = xs.filter(p);
    if (hit.length) return latestPaid(hit);
  }
  return latestPaid(xs);
}

/** How each rule keeps one, for the reason line. */
const KEPT_BY: Record<string, { zh: string; en: string }> = {
  'D-2': { zh: '保留就业地参保关系（D-2）', en: 'the place of employment is kept (D-2)' },
  'D-3': {
    zh: '保留学籍地或常住地、以最近一次缴费为主（D-3）',
    en: 'the place of study or residence is kept, latest payment first (D-3)',
  },
  'D-4': {
    zh: '连续参加职工医保一年以上保留职工医保（D-4）',
    en: '≥ 1 year of continuous employee cover keeps the employee enrollment (D-4)',
  },
  'D-5': { zh: '保留一个可享受待遇的参保关系（D-5）', en: 'one enrollment that carries benefits is kept (D-5)' },
  'D-6': { zh: '保留一个参保关系（D-6）', en: 'one enrollment is kept (D-6)' },
  'D-7': { zh: '按本人书面申请保留（D-7）', en: 'the written request is followed (D-7)' },
};

const schemeZh = (e: Enrollment) =>
  e.scheme === 'resident' ? '居民医保' : e.mode === 'unit' ? '职工医保（单位）' : '职工医保（灵活就业）';
const regionZh = (code: string) => (isRegion(code) ? regionOf(code).zh : code);
const label = (e: Enrollment) => ({
  zh: `${e.id}（${regionZh(e.region)}${schemeZh(e)}）`,
  en: `${e.id} (${e.region}, ${e.scheme}${e.mode ? `/${e.mode}` : ''})`,
});

function resolveGroup(
  f: DuplicateFacts,
  ctx: EvalContext,
  g: Enrollment[],
): { group: DuplicateGroup; returned: Enrollment[]; zh: string; en: string } {
  const ids = g.map((e) => e.id);
  const kind: DuplicateGroup['kind'] = g.every((e) => e.scheme === 'employee')
    ? 'within-employee'
    : g.every((e) => e.scheme === 'resident')
      ? 'within-resident'
      : 'across-schemes';
  const from = overlapFrom(g);
  ctx.apply('D-1', `${ids.join(', ')}: normal enrollments in force together from ${from} (${kind})`);
  ctx.apply('E-4', 'duplicate enrollment is not allowed: one is kept');

  const partTime = kind === 'across-schemes' && g.some((e) => e.scheme === 'employee' && e.fromPartTimeOrTemporaryWork);
  const keptBy: string[] = [];
  // Branch results are compared (a conflict is two different ids), so they are the id alone.
  const pick = (rule: string, get: () => Enrollment | null) => () => {
    keptBy.push(rule);
    return get()!.id;
  };
  const when = (e: Enrollment | null, note: string): string | false => (e ? note.replace('{id}', e.id) : false);

  const requested = f.request && ids.includes(f.request.keepId) ? g.find((e) => e.id === f.request!.keepId)! : null;
  const writtenRequest = () => (requested ? ctx.param<boolean>('duplicates.writtenRequest') : false);

  // D-2: within the employee scheme, the one enrollment at the place of employment.
  const atWork = g.filter((e) => e.place === 'employment');
  const d2 = kind === 'within-employee' && atWork.length === 1 ? atWork[0]! : null;
  // D-3: within the resident scheme; students keep the place of study (or of recognition, by choice).
  const d3 = (): Enrollment | null => {
    if (kind !== 'within-resident') return null;
    const studentPlace = f.student
      ? f.student.povertyRegistered && f.student.keepRecognitionPlace
        ? 'poverty-recognition'
        : 'study'
      : null;
    const byResidence = ctx.param<string>('duplicates.residentKeep') === 'residence-then-latest-payment';
    return prefer(
      g,
      (e) => studentPlace !== null && e.place === studentPlace,
      (e) => byResidence && e.place === 'habitual-residence',
    );
  };
  // D-4: across schemes, an employee enrollment with ≥ 1 year (含) of continuous cover.
  const d4 = (): Enrollment | null => {
    if (kind !== 'across-schemes') return null;
    const minYears = ctx.param<number>('duplicates.employeeYearsToKeep');
    const long = g.filter((e) => e.scheme === 'employee' && (e.continuousEmployeeYears ?? 0) >= minYears);
    return long.length ? prefer(long, (e) => e.place === 'employment') : null;
  };
  // D-5: across schemes after part-time or temporary flexible work, one that carries benefits.
  const d5 = (): Enrollment | null => {
    if (!partTime) return null;
    const carrying = g.filter((e) => e.carriesBenefits);
    return carrying.length ? latestPaid(carrying) : null;
  };
  // D-6: keep one by the fallback reading.
  const d6 = (): Enrollment | null => {
    const rule = ctx.param<string>('duplicates.fallbackKeep');
    return prefer(
      g,
      (e) => rule === 'employee-then-latest-payment' && kind === 'across-schemes' && e.scheme === 'employee',
    );
  };

  const levels: Array<Branch<string> | Branch<string>[]> = [
    {
      rule: 'D-7',
      when: () => (writtenRequest() ? `written request of ${f.request!.writtenOn} to keep ${requested!.id}` : false),
      why: requested ? 'written requests are not followed in this region' : 'no written request for this group',
      then: pick('D-7', () => requested),
    },
    [
      {
        rule: 'D-2',
        when: when(d2, 'within the employee scheme: {id} is at the place of employment'),
        why:
          kind === 'within-employee'
            ? `${atWork.length} enrollments at the place of employment`
            : 'not within the employee scheme',
        then: pick('D-2', () => d2),
      },
      {
        rule: 'D-3',
        when: () => when(d3(), 'within the resident scheme: {id} by place of study / residence, latest payment first'),
        why:
          kind === 'within-resident'
            ? 'no single enrollment by place and latest payment'
            : 'not within the resident scheme',
        then: pick('D-3', d3),
      },
    ],
    [
      {
        rule: 'D-4',
        when: () => when(d4(), 'across schemes: {id} has ≥ 1 year of continuous employee cover'),
        why:
          kind === 'across-schemes'
            ? 'no single employee enrollment with ≥ 1 year of continuous cover'
            : 'not across schemes',
        then: pick('D-4', d4),
      },
      {
        rule: 'D-5',
        when: () => when(d5(), 'across schemes after part-time or temporary flexible work: {id} carries benefits'),
        why: partTime ? 'no single enrollment that carries benefits' : 'not from part-time or temporary flexible work',
        then: pick('D-5', d5),
      },
    ],
    {
      rule: 'D-6',
      when: () => when(d6(), 'other duplicates: keep {id}'),
      why: 'the enrollments tie on every criterion',
      then: pick('D-6', d6),
    },
  ];

  let keep: string;
  try {
    keep = ctx.exceptions(`which of ${ids.join(', ')} is kept (D-2…D-7)`, levels);
  } catch (e) {
    if (e instanceof NoApplicableRuleError)
      throw new NoApplicableRuleError(
        e.question,
        e.considered,
        'the enrollments tie on place and latest payment; the person chooses in writing (D-7)',
      );
    throw e;
  }

  const others = ctx.exceptions<'suspend' | 'terminate'>('what happens to the other enrollments (D-5, D-6)', [
    {
      rule: 'D-5',
      when: partTime ? 'across schemes after part-time or temporary flexible work: suspend, not terminate' : false,
      why: 'not from part-time or temporary flexible work',
      then: () => 'suspend',
    },
    { rule: 'D-6', when: 'terminate the rest; payments refundable under F-1', then: () => 'terminate' },
  ]);

  // Only the enrollments that overlap the one kept give way; in a chain (A overlaps B, B overlaps C,
  // A and C apart) the others go back to be checked again without the losers.
  const kept = g.find((e) => e.id === keep)!;
  const rest = g.filter((e) => e.id !== keep && overlaps(e, kept));
  const returned = g.filter((e) => e.id !== keep && !overlaps(e, kept));
  const fate = others === 'suspend' ? { zh: '暂停', en: 'suspend' } : { zh: '终止', en: 'terminate' };
  const refund =
    others === 'terminate'
      ? { zh: '，待遇享受期开始前的缴费可申请退费', en: '; payments before the benefit period are refundable (F-1)' }
      : { zh: '', en: '' };
  const members = [kept, ...rest].sort((a, b) => g.indexOf(a) - g.indexOf(b));
  const overlapStart = overlapFrom(members);
  const back = returned.length
    ? {
        zh: `；${returned.map((e) => e.id).join('、')}与${kept.id}不重叠，另行认定`,
        en: `; ${returned.map((e) => e.id).join(', ')} ${returned.length > 1 ? 'do' : 'does'} not overlap ${kept.id} and ${returned.length > 1 ? 'are' : 'is'} checked apart`,
      }
    : { zh: '', en: '' };
  return {
    group: { ids: members.map((e) => e.id), kind, from: overlapStart, keep, keptBy, others },
    returned,
    zh: `${members.map((e) => label(e).zh).join('与')}自${overlapStart}起重复参保，${keptBy.map((r) => KEPT_BY[r]!.zh).join('、')}：保留${label(kept).zh}，${fate.zh}${rest.map((e) => e.id).join('、')}${refund.zh}${back.zh}`,
    en: `${members.map((e) => label(e).en).join(' and ')} overlap from ${overlapStart}; ${keptBy.map((r) => KEPT_BY[r]!.en).join(' and ')}: keep ${label(kept).en}, ${fate.en} ${rest.map((e) => e.id).join(', ')}${refund.en}${back.en}`,
  };
}

export const duplicateResolution = defineDecision({
  id: 'duplicate-resolution',
  title: { zh: '重复参保的认定与清理', en: 'Duplicate enrollment: which is kept' },
  rules: ['E-4', 'E-7', 'D-1', 'D-2', 'D-3', 'D-4', 'D-5', 'D-6', 'D-7', 'D-8', 'P-1'],
  input: duplicateFacts,
  businessDate: (f, asOf) => f.checkedOn ?? asOf,
  evaluate(f, ctx): DuplicateResolution {
    const actions: Record<string, EnrollmentAction> = {};
    const unchanged = (rule: string | null): EnrollmentAction => ({ action: 'unchanged', refundUnderF1: false, rule });

    // E-7: only normal status counts; a suspended or terminated enrollment is not a duplicate.
    const notNormal = f.enrollments.filter((e) => e.status !== 'normal');
    for (const e of notNormal) actions[e.id] = unchanged('E-7');
    if (notNormal.length)
      ctx.apply('E-7', `${notNormal.map((e) => `${e.id} ${e.status}`).join(', ')}: not normal, not a duplicate`);

    // D-8: a student's first-year resident cover at the place of study is not a duplicate.
    const firstYear = f.enrollments.filter(
      (e) => e.status === 'normal' && e.scheme === 'resident' && e.studentFirstYear,
    );
    const exempt: Enrollment[] = [];
    if (firstYear.length) {
      const rule = ctx.param<boolean>('duplicates.studentFirstYearExempt');
      for (const e of firstYear) {
        if (rule && e.place === 'study') exempt.push(e);
        else ctx.skip('D-8', `${e.id}: ${rule ? 'not at the place of study' : 'not exempt in this region'}`);
      }
      if (exempt.length)
        ctx.apply('D-8', `${exempt.map((e) => e.id).join(', ')}: first-year cover at the place of study`);
      for (const e of exempt) actions[e.id] = unchanged('D-8');
    }

    const candidates = f.enrollments.filter((e) => e.status === 'normal' && !exempt.includes(e));
    const groups = overlapGroups(candidates);
    const exemptNote = exempt.length
      ? {
          zh: `；${exempt.map((e) => e.id).join('、')}为学生入学当年在学籍地参保，不属于重复参保`,
          en: `; ${exempt.map((e) => e.id).join(', ')}: a student’s first-year cover at the place of study, not a duplicate`,
        }
      : { zh: '', en: '' };

    if (groups.length === 0) {
      ctx.skip('D-1', 'no two normal enrollments are in force over the same period');
      if (f.request) ctx.skip('D-7', 'no duplicates to choose among');
      for (const e of candidates) actions[e.id] = unchanged(null);
      ctx.because(
        `${exempt.length ? '除学生入学当年参保外，' : ''}未发现同一时间段内两条及以上正常参保记录，不属于重复参保${exemptNote.zh}`,
        `${exempt.length ? 'apart from first-year student cover, ' : ''}no two normal enrollments over the same period: no duplicate${exemptNote.en}`,
      );
      return {
        duplicates: false,
        groups: [],
        actions,
        request: f.request ? { keepId: f.request.keepId, writtenOn: f.request.writtenOn, followed: false } : null,
      };
    }

    // Resolve group by group; enrollments a group hands back (not overlapping the one kept) are
    // checked again with the losers gone. Each round removes at least one loser, so it ends.
    const resolved: ReturnType<typeof resolveGroup>[] = [];
    let pool = candidates;
    for (let round = overlapGroups(pool); round.length > 0; round = overlapGroups(pool)) {
      const r = resolveGroup(f, ctx, round[0]!);
      resolved.push(r);
      const losers = new Set(r.group.ids.filter((id) => id !== r.group.keep));
      pool = pool.filter((e) => !losers.has(e.id));
    }
    const inGroups = new Set(resolved.flatMap((r) => r.group.ids));
    for (const e of candidates) if (!inGroups.has(e.id)) actions[e.id] = unchanged(null);
    for (const { group } of resolved) {
      for (const id of group.ids) {
        actions[id] =
          id === group.keep
            ? { action: 'keep', refundUnderF1: false, rule: group.keptBy.join('+') }
            : group.others === 'suspend'
              ? { action: 'suspend', refundUnderF1: false, rule: 'D-5' }
              : { action: 'terminate', refundUnderF1: true, rule: 'D-6' };
      }
    }
    const followed =
      !!f.request && resolved.some((r) => r.group.keep === f.request!.keepId && r.group.keptBy.includes('D-7'));
    if (f.request && !inGroups.has(f.request.keepId))
      ctx.skip('D-7', `${f.request.keepId} is not among the duplicates`);
    ctx.because(
      `${resolved.map((r) => r.zh).join('；')}${exemptNote.zh}`,
      `${resolved.map((r) => r.en).join('; ')}${exemptNote.en}`,
    );
    return {
      duplicates: true,
      groups: resolved.map((r) => r.group),
      actions,
      request: f.request ? { keepId: f.request.keepId, writtenOn: f.request.writtenOn, followed } : null,
    };
  },
  example: {
    asOf: '2026-06-15',
    facts: {
      region: '220100',
      enrollments: [
        {
          id: 'JL-220100-E-0001',
          scheme: 'employee',
          mode: 'unit',
          region: '220100',
          status: 'normal',
          place: 'employment',
          start: '2024-03-01',
          lastPaidOn: '2026-05-31',
          continuousEmployeeYears: 2.2,
        },
        {
          id: 'JL-220200-R-0002',
          scheme: 'resident',
          region: '220200',
          status: 'normal',
          place: 'other',
          start: '2026-01-01',
          end: '2026-12-31',
          lastPaidOn: '2025-11-20',
        },
      ],
    },
  },
});
