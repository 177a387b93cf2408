/**
 * The legal retirement age and date (R-9), under the NPC Standing Committee decision of 2024-09-13
 * (NPC24), in force from 2025-01-01. The schedule is a parameter, read as in force on the date the
 * person would retire (the later of the business date and the day the original age is reached); this
 * file only applies it:
 * delay = floor(m / step) + 1 months for a birth month m months after the group's start month,
 * capped; born earlier, the original age. An agency-given date overrides the computation.
 *
 * `legalRetirement` is shared with the retirement-transfer decision, so R-9 is recorded in both traces.
 */
import * as z from 'zod';
import { addMonths, type CalendarDate, monthOf, monthsBetween, type YearMonth } from '#domain/calendar.js';
import { baseFacts, birthDate, calendarDate, sex } from '#schemas/common.js';
import { defineDecision, type EvalContext } from '../engine.js';

export const post = z
  .enum(['cadre', 'worker'])
  .describe('women: 女干部 cadre post (original age 55) or 女工人 worker post (original age 50)');

/** The fields that identify a person's legal retirement (shared with retirement-transfer). */
export const retirementPersonFields = {
  sex,
  post: post.optional(),
  birthDate: birthDate.describe('date of birth (from the identity number)'),
  retirementDate: calendarDate
    .optional()
    .describe('R-9: the legal retirement date as the agency gives it; overrides the computation'),
};

export const retirementAgeFacts = baseFacts.extend(retirementPersonFields).superRefine((f, ctx) => {
  if (f.retirementDate && f.retirementDate <= f.birthDate)
    ctx.addIssue({ code: 'custom', path: ['retirementDate'], message: 'is not after the birth date' });
});

export type RetirementAgeFacts = z.output<typeof retirementAgeFacts>;

interface AgeGroup {
  readonly baseAgeYears: number;
  readonly startBirthMonth: YearMonth;
  readonly birthMonthsPerStep: number;
  readonly maxDelayMonths: number;
}

interface AgeSchedule {
  readonly male: AgeGroup;
  readonly femaleCadre: AgeGroup;
  readonly femaleWorker: AgeGroup;
}

export type RetirementGroup = 'male' | 'female-cadre' | 'female-worker';

export interface LegalRetirement {
  /** The schedule group, or null when the agency gave the date. */
  readonly group: RetirementGroup | null;
  readonly ageYears: number;
  readonly ageMonths: number;
  /** Months added to the original age (R-9), or null when the agency gave the date. */
  readonly delayMonths: number | null;
  readonly retirementDate: CalendarDate;
  readonly retirementMonth: YearMonth;
  readonly givenByAgency: boolean;
}

const GROUP_ZH: Record<RetirementGroup, string> = {
  male: '男职工',
  'female-cadre': '女干部',
  'female-worker': '女工人',
};
const GROUP_EN: Record<RetirementGroup, string> = {
  male: 'man',
  'female-cadre': 'woman in a cadre post',
  'female-worker': 'woman in a worker post',
};

function bySchedule(f: Pick<RetirementAgeFacts, 'birthDate'>, group: RetirementGroup, g: AgeGroup): LegalRetirement {
  const m = monthsBetween(g.startBirthMonth, monthOf(f.birthDate));
  const delay = m < 0 ? 0 : Math.min(Math.floor(m / g.birthMonthsPerStep) + 1, g.maxDelayMonths);
  const total = g.baseAgeYears * 12 + delay;
  const retirementDate = addMonths(f.birthDate, total);
  return {
    group,
    ageYears: Math.floor(total / 12),
    ageMonths: total % 12,
    delayMonths: delay,
    retirementDate,
    retirementMonth: monthOf(retirementDate),
    givenByAgency: false,
  };
}

/**
 * The day whose schedule decides (R-9): the law in force on the date the person would retire. NPC24
 * delays the retirement of persons whose original age falls from 2025-01-01, so the schedule is read
 * on the later of the business date and the day the original age is reached. Asked in 2024 about a man
 * born 1966-01, the original age falls in 2026, under NPC24: 60 years 4 months, not the original 60.
 */
function scheduleDate(f: Pick<RetirementAgeFacts, 'sex' | 'post' | 'birthDate'>, ctx: EvalContext): CalendarDate {
  const asked = ctx.businessDate;
  const now = ctx.param<AgeSchedule>('retirement.ageSchedule', asked);
  const g = f.sex === 'male' ? now.male : f.post === 'cadre' ? now.femaleCadre : now.femaleWorker;
  const originalAgeOn = addMonths(f.birthDate, g.baseAgeYears * 12);
  return originalAgeOn > asked ? originalAgeOn : asked;
}

/** R-9: the legal retirement age and date; records R-9 and sets no reason (callers do). */
export function legalRetirement(
  f: Pick<RetirementAgeFacts, 'sex' | 'post' | 'birthDate' | 'retirementDate'>,
  ctx: EvalContext,
): LegalRetirement {
  let readOn: CalendarDate | undefined;
  const schedule = () => {
    readOn ??= scheduleDate(f, ctx);
    return ctx.param<AgeSchedule>('retirement.ageSchedule', readOn);
  };
  const note = (r: LegalRetirement) =>
    `${r.group}: ${r.ageYears} y ${r.ageMonths} m (delay ${r.delayMonths} m), retires ${r.retirementDate}; schedule in force on ${readOn}`;
  return ctx.exceptions<LegalRetirement>('the legal retirement age (R-9)', [
    {
      rule: 'R-9',
      when: () => (f.retirementDate ? `the agency gives the retirement date ${f.retirementDate}` : false),
      why: 'no agency-given retirement date',
      then: () => {
        const months = monthsBetween(monthOf(f.birthDate), monthOf(f.retirementDate!));
        return {
          group: null,
          ageYears: Math.floor(months / 12),
          ageMonths: months % 12,
          delayMonths: null,
          retirementDate: f.retirementDate!,
          retirementMonth: monthOf(f.retirementDate!),
          givenByAgency: true,
        };
      },
    },
    [
      {
        rule: 'R-9',
        when: () => (f.sex === 'male' ? note(bySchedule(f, 'male', schedule().male)) : false),
        why: 'not a man',
        then: () => bySchedule(f, 'male', schedule().male),
      },
      {
        rule: 'R-9',
        when: () =>
          f.sex === 'female' && f.post === 'cadre'
            ? note(bySchedule(f, 'female-cadre', schedule().femaleCadre))
            : false,
        why: 'not a woman in a cadre post',
        then: () => bySchedule(f, 'female-cadre', schedule().femaleCadre),
      },
      {
        rule: 'R-9',
        when: () =>
          f.sex === 'female' && f.post === 'worker'
            ? note(bySchedule(f, 'female-worker', schedule().femaleWorker))
            : false,
        why: 'not a woman in a worker post (a woman’s post must be given when the agency gives no date)',
        then: () => bySchedule(f, 'female-worker', schedule().femaleWorker),
      },
    ],
  ]);
}

/** The reason line of R-9, in Chinese and English. */
export function retirementReason(r: LegalRetirement): { zh: string; en: string } {
  if (r.givenByAgency) {
    return {
      zh: `经办机构认定的法定退休日期为${r.retirementDate}`,
      en: `legal retirement date ${r.retirementDate} as given by the agency`,
    };
  }
  const g = r.group!;
  const age = `${r.ageYears}周岁${r.ageMonths ? `${r.ageMonths}个月` : ''}`;
  const ageEn = `${r.ageYears} years${r.ageMonths ? ` ${r.ageMonths} month${r.ageMonths > 1 ? 's' : ''}` : ''}`;
  return {
    zh: `${GROUP_ZH[g]}法定退休年龄${age}${r.delayMonths ? `（延迟${r.delayMonths}个月）` : '（原法定退休年龄）'}，${r.retirementDate}（${r.retirementMonth}）达到法定退休年龄`,
    en: `${GROUP_EN[g]}: legal retirement age ${ageEn}${r.delayMonths ? ` (delayed ${r.delayMonths} month${r.delayMonths > 1 ? 's' : ''})` : ' (the original age)'}, reached on ${r.retirementDate} (${r.retirementMonth})`,
  };
}

export const retirementAge = defineDecision({
  id: 'retirement-age',
  title: { zh: '法定退休年龄与退休日期', en: 'Legal retirement age and date' },
  rules: ['R-9', 'P-1'],
  input: retirementAgeFacts,
  // The pack in force on the day the question is asked (P-1); the schedule itself is the one in force
  // on the date the person would retire (the later of that day and the original age, see scheduleDate).
  businessDate: (_f, asOf) => asOf,
  evaluate(f, ctx) {
    const r = legalRetirement(f, ctx);
    const reason = retirementReason(r);
    ctx.because(reason.zh, reason.en);
    return r;
  },
  example: {
    asOf: '2026-03-10',
    facts: { region: '220100', sex: 'male', birthDate: '1965-03-15' },
  },
});
