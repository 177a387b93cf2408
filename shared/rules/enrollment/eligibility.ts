/**
 * Who may (or must) enroll in which scheme, in which mode, and where (E-1, E-2, E-3), with the
 * questions that come with it: what the current enrollment's status gives (E-7), how an in-province
 * transfer is made (E-8) and who may pay for a person in custody (E-9).
 *
 * The general rule is JL26 Art.4: employees of units are enrolled by the unit where it is registered
 * (E-1); flexible workers may enroll as flexible at 户籍地, 常住地 or 就业地 (E-2); anyone else
 * without other state cover may enroll in the resident scheme at 户籍地, 常住地 or 学籍地 (E-3).
 * Exceptions: a unit employee is not offered the resident scheme (E-1), nor is a person already in
 * the employee scheme (E-4, no duplicates); persons in custody may have the facility pay (E-9).
 */
import * as z from 'zod';
import { addDays, type CalendarDate } from '#domain/calendar.js';
import { isRegion, regionOf } from '#domain/regions.js';
import type { EnrollmentPlace } from '#params/areas/enrollment.js';
import { baseFacts, businessDate, employeeMode, regionCode, scheme, strictObject } from '#schemas/common.js';
import { defineDecision, type EvalContext } from '../engine.js';
import { NoApplicableRuleError } from '../errors.js';

const FLEXIBLE_WORK = [
  'individual-business-without-employees',
  'part-time',
  'migrant-worker',
  'platform-worker',
  'other-flexible',
] as const;

export const enrollmentStatus = z
  .enum(['normal', 'suspended', 'terminated'])
  .describe('参保状态: 正常 normal, 暂停 suspended, 终止 terminated (E-7)');

export const eligibilityFacts = baseFacts
  .extend({
    on: businessDate.optional().describe('the day enrollment is asked for (default: as-of)'),
    work: z
      .enum(['unit-employee', ...FLEXIBLE_WORK, 'not-working'])
      .describe(
        'unit-employee: works for a unit (E-1); individual business without employees, part-time, migrant, platform or other flexible work not enrolled by a unit (E-2); not-working',
      ),
    employer: strictObject({
      kind: z
        .enum([
          'state-organ',
          'public-institution',
          'enterprise',
          'social-organisation',
          'individual-business-with-employees',
        ])
        .describe('国家机关, 事业单位, 企业, 社会组织, 有雇工的个体工商户'),
      registeredIn: regionCode.describe('the pooling region where the unit is registered (属地)'),
    })
      .optional()
      .describe('unit employees: the unit'),
    places: strictObject({
      hukou: regionCode.optional().describe('户籍地, if in a pooling region of this system'),
      residence: regionCode.optional().describe('常住地 (habitual residence, e.g. by residence permit)'),
      employment: regionCode.optional().describe('就业地'),
      study: regionCode.optional().describe('学籍地 (students)'),
    })
      .default({})
      .describe('the person’s places; a place outside the system’s regions is left out'),
    otherStateCover: z
      .boolean()
      .default(false)
      .describe('has other medical cover set by the state or the province (e.g. 公费医疗), which excludes E-3'),
    current: strictObject({
      scheme,
      mode: employeeMode.optional(),
      region: z
        .string()
        .regex(/^\d{6}$/)
        .describe('pooling region code of the current enrollment (may be outside Jilin)'),
      status: enrollmentStatus,
    })
      .optional()
      .describe('the person’s current enrollment, if any'),
    custody: strictObject({
      coverLapsed: z.boolean().describe('cover lapsed during custody (监管期间基本医保关系中断)'),
      agent: z.enum(['facility', 'named-agent']).describe('who enrolls and pays: the facility or a person it names'),
    })
      .optional()
      .describe('held in a public-security or justice facility (E-9)'),
  })
  .superRefine((f, ctx) => {
    if (f.work === 'unit-employee' && !f.employer)
      ctx.addIssue({ code: 'custom', path: ['employer'], message: 'required for a unit employee' });
    if (f.work !== 'unit-employee' && f.employer)
      ctx.addIssue({ code: 'custom', path: ['employer'], message: 'only for a unit employee' });
    if (f.current?.scheme === 'employee' && !f.current.mode)
      ctx.addIssue({ code: 'custom', path: ['current', 'mode'], message: 'required for the employee scheme' });
  });

export type EligibilityFacts = z.output<typeof eligibilityFacts>;

export interface Route {
  readonly scheme: 'employee' | 'resident';
  readonly mode: 'unit' | 'flexible' | null;
  /** E-1: a unit must enroll its employees; the other routes are the person's choice. */
  readonly mandatory: boolean;
  /** The kinds of place the route is open at, and the pooling regions they give for this person. */
  readonly basis: readonly (EnrollmentPlace | 'unit-registration')[];
  readonly regions: readonly string[];
  /** Open in the region asked about. */
  readonly here: boolean;
  readonly maternity: boolean;
  readonly payer: 'unit-and-employee' | 'person' | 'facility' | 'named-agent';
  readonly rule: string;
}

export interface Transfer {
  readonly from: string;
  readonly to: string;
  /** 即参即停: the day the old enrollment stops and the day the new one starts. */
  readonly oldStopsOn: CalendarDate;
  readonly newStartsOn: CalendarDate;
  readonly yearsMove: true;
  readonly personalAccountMoves: boolean;
}

export interface Eligibility {
  readonly eligibleHere: boolean;
  readonly mustEnrollByUnit: boolean;
  readonly routes: readonly Route[];
  readonly current: {
    readonly status: 'normal' | 'suspended' | 'terminated';
    readonly carriesBenefits: boolean;
  } | null;
  readonly transfer: Transfer | null;
}

const PLACE_ZH: Record<EnrollmentPlace | 'unit-registration', string> = {
  hukou: '户籍地',
  residence: '常住地',
  employment: '就业地',
  study: '学籍地',
  'unit-registration': '单位登记地',
};

const PAYER_ZH: Record<Route['payer'], string> = {
  'unit-and-employee': '单位和职工共同缴费',
  person: '个人缴费',
  facility: '由监管场所代办缴费',
  'named-agent': '由指定人员代办缴费',
};

const regionZh = (code: string) => (isRegion(code) ? regionOf(code).zh : code);
const uniq = (xs: readonly string[]) => [...new Set(xs)];

function placesRoute(
  f: EligibilityFacts,
  kinds: readonly EnrollmentPlace[],
  base: Omit<Route, 'basis' | 'regions' | 'here'>,
): Route {
  const present = kinds.filter((k) => f.places[k] !== undefined);
  const regions = uniq(present.map((k) => f.places[k]!));
  return { ...base, basis: present, regions, here: regions.includes(f.region) };
}

/** E-1 / E-2: the employee-scheme route, or null for a person who does not work. */
function employeeRoute(f: EligibilityFacts, ctx: EvalContext): Route | null {
  if (f.work === 'not-working') {
    ctx.skip('E-1', 'not employed by a unit');
    ctx.skip('E-2', 'no flexible work');
    return null;
  }
  return ctx.exceptions<Route>('the employee-scheme route (JL26 Art.4 ¶1–2)', [
    [
      {
        rule: 'E-1',
        when: () => (f.employer ? `${f.employer.kind}, registered in ${f.employer.registeredIn}` : false),
        why: 'not employed by a unit',
        then: () => ({
          scheme: 'employee',
          mode: 'unit',
          mandatory: true,
          basis: ['unit-registration'],
          regions: [f.employer!.registeredIn],
          here: f.employer!.registeredIn === f.region,
          maternity: true,
          payer: 'unit-and-employee',
          rule: 'E-1',
        }),
      },
      {
        rule: 'E-2',
        when: () => ((FLEXIBLE_WORK as readonly string[]).includes(f.work) ? `${f.work}; no hukou condition` : false),
        why: 'not a flexible worker',
        then: () =>
          placesRoute(f, ctx.param<EnrollmentPlace[]>('enrollment.flexiblePlaces'), {
            scheme: 'employee',
            mode: 'flexible',
            mandatory: false,
            maternity: ctx.param<boolean>('enrollment.flexibleWithMaternity'),
            payer: 'person',
            rule: 'E-2',
          }),
      },
    ],
  ]);
}

/** E-3, with its exceptions: a unit employee (E-1) or a person in the employee scheme (E-4). */
function residentRoute(f: EligibilityFacts, ctx: EvalContext): Route | null {
  const inEmployeeScheme = f.current?.scheme === 'employee' && f.current.status === 'normal';
  try {
    return ctx.exceptions<Route | null>('the resident-scheme route (JL26 Art.4 ¶3)', [
      [
        {
          rule: 'E-1',
          when:
            f.work === 'unit-employee' ? 'a unit employee is enrolled by the unit, not in the resident scheme' : false,
          why: 'not a unit employee',
          then: () => null,
        },
        {
          rule: 'E-4',
          when: inEmployeeScheme ? 'already enrolled in the employee scheme (normal): no duplicate enrollment' : false,
          why: 'not enrolled in the employee scheme',
          then: () => null,
        },
      ],
      {
        rule: 'E-3',
        when: f.otherStateCover ? false : 'not in the employee scheme, no other state cover',
        why: 'has other state or provincial medical cover',
        then: () =>
          placesRoute(f, ctx.param<EnrollmentPlace[]>('enrollment.residentPlaces'), {
            scheme: 'resident',
            mode: null,
            mandatory: false,
            maternity: false,
            payer: 'person',
            rule: 'E-3',
          }),
      },
    ]);
  } catch (e) {
    // Other state cover: the resident scheme is simply not open (a decided "no", not an error).
    if (e instanceof NoApplicableRuleError) return null;
    throw e;
  }
}

/** E-9: a person in custody whose cover lapsed may have the facility or a named agent enroll and pay. */
function custodyPayer(f: EligibilityFacts, ctx: EvalContext, routes: Route[]): Route[] {
  if (!f.custody) return routes;
  if (!f.custody.coverLapsed) {
    ctx.skip('E-9', 'in custody, but cover has not lapsed');
    return routes;
  }
  const payer = f.custody.agent;
  const changed = routes.map((r) => (r.payer === 'person' ? { ...r, payer } : r));
  ctx.apply('E-9', `cover lapsed in custody: enrolled and paid by the ${payer}`);
  return changed;
}

/** E-8: an in-province transfer stops the old enrollment and starts the new one at once. */
function transferOf(f: EligibilityFacts, ctx: EvalContext, routes: readonly Route[]): Transfer | null {
  const cur = f.current;
  if (!cur) return null;
  if (cur.status === 'terminated') {
    ctx.skip('E-8', 'the current enrollment is terminated: nothing to transfer');
    return null;
  }
  if (cur.region === f.region) {
    ctx.skip('E-8', 'already enrolled in this region');
    return null;
  }
  const inProvince =
    isRegion(cur.region) && regionOf(cur.region).jurisdiction === 'JL' && regionOf(f.region).jurisdiction === 'JL';
  if (!inProvince) {
    ctx.skip('E-8', 'a transfer across provinces follows the national rules, not 即参即停');
    return null;
  }
  if (!routes.some((r) => r.here && r.scheme === cur.scheme)) {
    ctx.skip('E-8', `no ${cur.scheme}-scheme route in ${f.region} to transfer into`);
    return null;
  }
  const newStartsOn = ctx.businessDate;
  const stop = ctx.param<'day-before-start' | 'start-day'>('enrollment.transferStop');
  const oldStopsOn = stop === 'day-before-start' ? addDays(newStartsOn, -1) : newStartsOn;
  const personalAccountMoves = cur.scheme === 'employee';
  ctx.apply('E-8', `${cur.region} stops on ${oldStopsOn}, ${f.region} starts on ${newStartsOn}`);
  return { from: cur.region, to: f.region, oldStopsOn, newStartsOn, yearsMove: true, personalAccountMoves };
}

export const enrollmentEligibility = defineDecision({
  id: 'enrollment-eligibility',
  title: { zh: '参保范围与参保地', en: 'Who enrolls in which scheme, and where' },
  rules: ['E-1', 'E-2', 'E-3', 'E-4', 'E-7', 'E-8', 'E-9', 'P-1'],
  input: eligibilityFacts,
  businessDate: (f, asOf) => f.on ?? asOf,
  evaluate(f, ctx): Eligibility {
    const routes = custodyPayer(
      f,
      ctx,
      [employeeRoute(f, ctx), residentRoute(f, ctx)].filter((r): r is Route => r !== null),
    );

    let current: Eligibility['current'] = null;
    if (f.current) {
      const carriesBenefits = f.current.status === 'normal';
      ctx.apply('E-7', `current enrollment in ${f.current.region} is ${f.current.status}`);
      current = { status: f.current.status, carriesBenefits };
    } else {
      ctx.skip('E-7', 'no current enrollment');
    }
    const transfer = transferOf(f, ctx, routes);
    const here = routes.filter((r) => r.here);
    const eligibleHere = here.length > 0;

    const where = regionZh(f.region);
    const describe = (r: Route) => {
      const what =
        r.scheme === 'employee' ? `以${r.mode === 'unit' ? '单位' : '灵活就业人员'}身份参加职工医保` : '参加居民医保';
      const en =
        r.scheme === 'employee'
          ? `the employee scheme as ${r.mode === 'unit' ? 'a unit employee' : 'a flexible worker'}`
          : 'the resident scheme';
      const at = r.basis.length ? r.basis.map((b) => PLACE_ZH[b]).join('、') : '（无本系统统筹区内的参保地）';
      const regs = r.regions.map(regionZh).join('、') || '—';
      return {
        zh: `${r.mandatory ? '应' : '可'}在${at}（${regs}）${what}，${PAYER_ZH[r.payer]}${r.maternity && r.mode === 'flexible' ? '，同步参加生育保险' : ''}`,
        en: `${r.mandatory ? 'must be enrolled' : 'may enroll'} in ${en} at ${r.basis.join(', ') || 'no place in the system’s regions'} (${r.regions.join(', ') || '—'}), paid by ${r.payer}${r.maternity && r.mode === 'flexible' ? ', with maternity insurance' : ''}`,
      };
    };
    const lines = routes.map(describe);
    const status = current
      ? {
          zh: `；现参保状态为${{ normal: '正常', suspended: '暂停', terminated: '终止' }[current.status]}，${current.carriesBenefits ? '可享受待遇' : '不享受待遇'}`,
          en: `; the current enrollment is ${current.status} and ${current.carriesBenefits ? 'carries' : 'does not carry'} benefits`,
        }
      : { zh: '', en: '' };
    const move = transfer
      ? {
          zh: `；省内转移即参即停：${regionZh(transfer.from)}于${transfer.oldStopsOn}停保，${where}自${transfer.newStartsOn}参保，缴费年限${transfer.personalAccountMoves ? '和个人账户' : ''}随同转移`,
          en: `; in-province transfer: ${transfer.from} stops on ${transfer.oldStopsOn}, ${f.region} starts on ${transfer.newStartsOn}, years${transfer.personalAccountMoves ? ' and personal account' : ''} move with it`,
        }
      : { zh: '', en: '' };
    if (routes.length === 0) {
      ctx.because(
        `未参加职工医保但享有其他医疗保障，不属于基本医保参保范围${status.zh}`,
        `not in work and covered by other state medical cover: no basic medical insurance route${status.en}`,
      );
    } else {
      ctx.because(
        `${lines.map((l) => l.zh).join('；')}。在${where}${eligibleHere ? '可以' : '不能'}参保${status.zh}${move.zh}`,
        `${lines.map((l) => l.en).join('; ')}. ${eligibleHere ? 'May' : 'May not'} enroll in ${f.region}${status.en}${move.en}`,
      );
    }
    return { eligibleHere, mustEnrollByUnit: f.work === 'unit-employee', routes, current, transfer };
  },
  example: {
    asOf: '2026-05-10',
    facts: {
      region: '220100',
      work: 'platform-worker',
      places: { residence: '220100', employment: '220200' },
      current: { scheme: 'employee', mode: 'flexible', region: '220200', status: 'normal' },
    },
  },
});
