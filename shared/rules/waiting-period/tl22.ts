/**
 * TL22 (Tieling 2022 enrollment and contribution notice, from 2022-04-01): Tieling's own waiting periods,
 * its §2 (待遇等待期) and §3 (跨制度参保). Residents, §2(1): 1 the concentrated window, and subsidised
 * groups starting cover by group (W-3, also §3(2) when switching); 2 newborns (W-1). Employees, §2(2):
 * 1 a first enrollment, new graduates exempt (W-6); 2 gaps of up to / over 3 calendar months (W-5b / W-6);
 * 3 flexible workers by whether the prior year was paid in full (W-4 / W-6). Switching schemes, §3(1):
 * after 2+ continuous years by the 3-month gap (W-5a), after fewer (W-6). Periods count as
 * `waiting.fixedCountsFrom` says (the payment day, 实缴到账之日), gaps in calendar months from the first
 * uncovered day.
 */
import { addDays, daysBetween, maxDate } from '#domain/calendar.js';
import type { AssistanceKind } from '#params/areas/waiting.js';
import type { EvalContext } from '../engine.js';
import { InputError } from '../errors.js';
import {
  type Derived,
  type Levels,
  none,
  noWaitingStart,
  type WaitingPeriod,
  type WaitingPeriodFacts,
  waiting,
} from './common.js';
import { monthsGapLastDay, waitingCountsFrom } from './counting.js';

const ASSISTANCE_ZH: Record<AssistanceKind, string> = {
  'minimum-living': '低保对象',
  destitute: '特困人员',
  'lifted-from-poverty': '已脱贫人口',
  monitored: '监测对象',
  'near-minimum-living': '低保边缘户',
  'special-care': '重点优抚对象',
  'severe-disability': '重残人员',
};

/** TL22 §2(1)1: the first day of cover of a subsidised resident, by group (W-3). */
function tl22Assistance(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const kind = f.assistanceKind;
  if (f.scheme === 'resident' && kind) {
    const from = ctx.param<{ recognitionDay: AssistanceKind[]; paymentDay: AssistanceKind[] }>(
      'waiting.assistanceCoverFrom',
    );
    if (from.recognitionDay.includes(kind)) {
      if (!f.assistanceRecognisedOn)
        throw new InputError([
          {
            path: 'assistanceRecognisedOn',
            message: `required for ${kind} under TL22 §2(1)1: cover starts on the day the status was recognised`,
          },
        ]);
      const start = maxDate(f.assistanceRecognisedOn, d.periodStart);
      ctx.because(
        `资助参保人员（${ASSISTANCE_ZH[kind]}）不设待遇等待期，自身份认定之日${f.assistanceRecognisedOn}起享受医保待遇，${f.feeYear}年待遇自${start}起`,
        `subsidised resident (${kind}): no waiting, covered from the day the status was recognised, ${f.assistanceRecognisedOn}; cover for ${f.feeYear} from ${start}`,
      );
      return none(d, start, 'W-3');
    }
    if (from.paymentDay.includes(kind)) {
      const start = maxDate(d.paid, d.periodStart);
      ctx.because(
        `资助参保人员（${ASSISTANCE_ZH[kind]}）不设待遇等待期，自缴费之日起享受医保待遇，${f.feeYear}年待遇自${start}起`,
        `subsidised resident (${kind}): no waiting, covered from the payment day; cover for ${f.feeYear} from ${start}`,
      );
      return none(d, start, 'W-3');
    }
  }
  const start = noWaitingStart(d);
  ctx.because(
    `资助参保人员不设待遇等待期，自${start}起享受待遇`,
    `subsidised person: no waiting, covered from ${start}`,
  );
  return none(d, start, 'W-3');
}

/** TL22 §2–3: Tieling, counting from the day the money arrives. */
export function tl22(f: WaitingPeriodFacts, ctx: EvalContext, d: Derived): WaitingPeriod {
  const prev = f.previousCover;
  const fixed = () => ctx.param<number>('waiting.fixedDays');
  const short = () => ctx.param<number>('waiting.shortWaitDays');
  // “中断缴费不超过3个月”: 3 calendar months counting from the first uncovered day E + 1.
  const within3Months = () =>
    !!prev && d.paid <= monthsGapLastDay(prev.lastCoveredDay, ctx.param<number>('waiting.gapLimitMonths'));
  const fromPayment = (days: number, rule: string, zh: string, en: string, extra: Partial<WaitingPeriod> = {}) => {
    const r = waiting(d, maxDate(waitingCountsFrom(ctx, d.paid), d.periodStart), days, 0, rule, extra);
    ctx.because(
      `${zh}，自${r.countsFrom}起设${days}天待遇等待期，${r.coverStarts}起享受待遇`,
      `${en}: ${days}-day waiting from ${r.countsFrom}; covered from ${r.coverStarts}`,
    );
    return r;
  };
  const switching = !!prev && prev.scheme !== f.scheme;

  const levels: Levels = [
    {
      rule: 'W-1',
      when: () =>
        f.group === 'newborn' && f.scheme === 'resident'
          ? `newborn enrolled ${daysBetween(f.birthDate!, d.paid)} days after birth`
          : false,
      why: 'not a newborn',
      then: () => {
        const age = daysBetween(f.birthDate!, d.paid);
        if (age <= ctx.param<number>('waiting.newbornWindowDays')) {
          ctx.because(
            `新生儿出生后${age}天内参保，自出生之日起纳入报销`,
            `newborn enrolled ${age} days after birth: covered from birth on ${f.birthDate}`,
          );
          return none(d, f.birthDate!, 'W-1');
        }
        return fromPayment(fixed(), 'W-1', '新生儿未在90天内参保', 'newborn enrolled after 90 days');
      },
    },
    {
      rule: 'W-3',
      when: () =>
        f.group === 'medical-assistance'
          ? `subsidised person${f.assistanceKind ? ` (${f.assistanceKind})` : ''} (TL22 §2(1)1, §3(2))`
          : false,
      why: 'not a subsidised person',
      then: () => tl22Assistance(f, ctx, d),
    },
    {
      rule: 'W-5a',
      when: () =>
        switching && prev!.continuousYears >= ctx.param<number>('waiting.minContinuousYears')
          ? 'switch after 2+ years in the same scheme'
          : false,
      why: 'no switch after 2+ years in one scheme',
      then: () => {
        if (within3Months()) {
          const start = noWaitingStart(d);
          ctx.because(
            `连续参保2年以上切换参保关系，中断不超过3个月，缴费到账后即可享受待遇`,
            `switched schemes after 2+ years with a gap of at most 3 months: covered once paid, from ${start}`,
          );
          return none(d, start, 'W-5a');
        }
        return fromPayment(
          short(),
          'W-5a',
          '连续参保2年以上切换参保关系，中断超过3个月',
          'switched schemes after 2+ years with a gap over 3 months',
        );
      },
    },
    {
      rule: 'W-6',
      when: () => (switching ? 'switch after fewer than 2 years' : false),
      why: 'not a switch',
      then: () =>
        fromPayment(
          fixed(),
          'W-6',
          '参加同制度医保未连续2年，切换参保关系',
          'switched schemes after fewer than 2 continuous years',
        ),
    },
    {
      rule: 'W-6',
      when: () => (f.scheme === 'resident' ? 'resident (TL22 §2(1)1)' : false),
      why: 'not a resident enrollment',
      then: () => {
        if (d.inWindow) {
          ctx.because(
            `集中缴费期参保缴费不设待遇等待期，${d.periodStart}起享受待遇`,
            `paid in the concentrated window: no waiting, covered from ${d.periodStart}`,
          );
          return none(d, d.periodStart, 'W-6', { retroactive: false });
        }
        return fromPayment(fixed(), 'W-6', '非集中缴费期参保缴费', 'paid outside the concentrated window');
      },
    },
    {
      rule: 'W-6',
      when: () => (!prev ? 'first employee enrollment' : false),
      why: 'not a first employee enrollment',
      then: () => {
        if (f.group === 'new-graduate') {
          const start = noWaitingStart(d);
          ctx.because(
            `应届毕业生新入职首次参加职工医保，不设待遇等待期`,
            `new graduate in a first employee enrollment: no waiting, covered from ${start}`,
          );
          return none(d, start, 'W-6');
        }
        return fromPayment(fixed(), 'W-6', '职工医保首次参保', 'first employee enrollment');
      },
    },
    [
      {
        rule: 'W-4',
        when: () =>
          f.mode === 'flexible' && prev!.priorYearPaidInFull === true
            ? 'flexible worker, prior year paid in full (TL22 §2(2)3)'
            : false,
        why: 'not a flexible worker who paid the whole prior year',
        then: () => {
          const start = noWaitingStart(d);
          ctx.because(
            `灵活就业人员上年度足额缴费，当年实缴到账后即可享受待遇`,
            `flexible worker who paid the whole prior year: covered once paid, from ${start}`,
          );
          return none(d, start, 'W-4');
        },
      },
      {
        rule: 'W-6',
        when: () =>
          f.mode === 'flexible' && prev!.priorYearPaidInFull !== true
            ? 'flexible worker, prior year not paid in full (TL22 §2(2)3)'
            : false,
        why: 'not a flexible worker short of the prior year',
        then: () =>
          fromPayment(
            short(),
            'W-6',
            '灵活就业人员上年度未足额缴费',
            'flexible worker who did not pay the whole prior year',
          ),
      },
    ],
    {
      rule: 'W-5b',
      when: () => (within3Months() ? 'employee gap of at most 3 months' : false),
      why: 'employee gap over 3 months',
      then: () => {
        const start = addDays(prev!.lastCoveredDay, 1);
        ctx.because(
          `中断缴费不超过3个月，补缴后断缴期间可享受待遇，不设待遇等待期`,
          `employee gap of at most 3 months: backfill, no waiting, the gap covered from ${start}`,
        );
        return none(d, start, 'W-5b', { retroactive: true, backfillAllowed: true, restoredOn: addDays(d.paid, 1) });
      },
    },
    {
      rule: 'W-6',
      when: true,
      then: () =>
        fromPayment(
          short(),
          'W-6',
          '职工医保中断缴费超过3个月，断缴期间不享受待遇',
          'employee gap over 3 months, the gap not covered',
          { backfillAllowed: true },
        ),
    },
  ];
  return ctx.exceptions('the waiting period (TL22 §2–3)', levels);
}
