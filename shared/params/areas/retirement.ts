/**
 * Parameters of the retirement rules: the legal retirement age (R-9, NPC24) and the retirement
 * transfer (R-1…R-8 under JL26 / FLX25, R-10 under TL22).
 *
 * The NPC24 schedule is national law outside the seeds; it is kept here as dated data, once per
 * jurisdiction's base set (JL21, inherited by FLX25 and JL26; TL22), so that a later change of the
 * schedule is a new value, not new code.
 */
import * as z from 'zod';
import { yearMonth } from '#schemas/common.js';
import { type ParamArea, defineParam, paramValue } from '../types.js';
import { countValue, ratioValue } from '../values.js';

const JL = '220000';
const TL = '211200';

// The shared positional constructor, short because the tables below are long.
const v = paramValue;

/** One group of the R-9 schedule: base age, first birth month delayed, months per step, cap. */
const ageGroup = z.object({
  baseAgeYears: countValue.describe('the original legal retirement age in years'),
  startBirthMonth: yearMonth.describe('the first birth month whose retirement is delayed'),
  birthMonthsPerStep: z.number().int().positive().describe('birth months per extra month of delay'),
  maxDelayMonths: countValue.describe('the largest delay in months'),
});

const option = z.enum(['continue-paying', 'lump-sum', 'resident']);

/** Before NPC24 took force: the original ages, no delay (NPC24 names them as the ages it raises). */
const originalAges = {
  male: { baseAgeYears: 60, startBirthMonth: '1965-01', birthMonthsPerStep: 4, maxDelayMonths: 0 },
  femaleCadre: { baseAgeYears: 55, startBirthMonth: '1970-01', birthMonthsPerStep: 4, maxDelayMonths: 0 },
  femaleWorker: { baseAgeYears: 50, startBirthMonth: '1975-01', birthMonthsPerStep: 2, maxDelayMonths: 0 },
};

/** NPC24 Art.1 and its annex: delay = floor(m / step) + 1 months, m = months from the start birth month. */
const npc24Ages = {
  male: { baseAgeYears: 60, startBirthMonth: '1965-01', birthMonthsPerStep: 4, maxDelayMonths: 36 },
  femaleCadre: { baseAgeYears: 55, startBirthMonth: '1970-01', birthMonthsPerStep: 4, maxDelayMonths: 36 },
  femaleWorker: { baseAgeYears: 50, startBirthMonth: '1975-01', birthMonthsPerStep: 2, maxDelayMonths: 60 },
};

const beforeNpc24 = {
  doc: 'NPC24' as const,
  article: '第一条（原法定退休年龄）',
  reading:
    'before 2025-01-01 the original ages (men 60, women cadres 55, women workers 50) with no delay. The schedule is the law in force on the date the person would retire: it is read on the later of the business date and the day the original age is reached, so a question asked in 2024 about a person whose original age falls from 2025-01-01 gets the NPC24 age (a man born 1966-01: 60 years 4 months)',
};
const npc24 = {
  doc: 'NPC24' as const,
  article: '第一条、附件《国务院关于渐进式延迟法定退休年龄的办法》第二条及对照表',
  reading:
    'delay = floor(m / step) + 1 months, m = months from the start birth month to the birth month, capped (RULES.md R-9); the retirement date is the birth date plus the age in months',
};

/** The choice window is the agency's: no seed text sets it (RULES.md R-4 says what may be chosen, not by when). */
const choiceWindow = {
  doc: 'AGENCY' as const,
  article: 'retirement choice window, illustrative; the agency publishes its own',
  reading:
    'no source text sets how long a person has to choose among the R-4/R-5 options; the case states a deadline (WORKFLOWS.md), so it is an agency figure: 60 days from the evaluation, after which the application lapses and may be made again',
  illustrative: true,
};

export const retirement: ParamArea = {
  definitions: [
    defineParam(
      'retirement.ageSchedule',
      '法定退休年龄（渐进式延迟）',
      'legal retirement age by group: base age, first delayed birth month, birth months per month of delay, cap (R-9)',
      z.object({ male: ageGroup, femaleCadre: ageGroup, femaleWorker: ageGroup }),
    ),
    defineParam(
      'retirement.requiredCumulativeYears',
      '在职转退休累计缴费年限',
      'cumulative employee years needed at retirement, by sex (R-1, R-10)',
      z.object({ male: countValue, female: countValue }),
    ),
    defineParam(
      'retirement.requiredLocalYears',
      '在职转退休本地实际缴费年限',
      'actual years needed in the province (JL) or in the pooling region (TL22) (R-1, R-10)',
      countValue,
    ),
    defineParam(
      'retirement.coveredModes',
      '在职转退休规定适用的参保方式',
      'employee modes the retirement-transfer rules of the set speak of (FLX25 §5: flexible workers only)',
      z.array(z.enum(['unit', 'flexible'])).min(1),
    ),
    defineParam(
      'retirement.optionsWhenShort',
      '缴费年限不足时的选择',
      'the choices of a person short of years (R-4, R-10)',
      z.array(option).min(1),
    ),
    defineParam(
      'retirement.optionsFewLocalYears',
      '本地实际缴费不足2年灵活就业人员的选择',
      'the choices of a flexible worker with few actual in-province years (R-5)',
      z.array(option).min(1),
    ),
    defineParam(
      'retirement.continuePayingMinLocalYears',
      '可继续缴费的本地实际缴费年限',
      'actual in-province years a flexible worker needs to keep paying instead (R-5)',
      countValue,
    ),
    defineParam(
      'retirement.schemeStartMonth',
      '统筹地区职工医保制度建立时间',
      'first month of the pooling region’s employee scheme: military years before it count as cumulative, after it as actual (R-2)',
      yearMonth,
    ),
    defineParam(
      'retirement.lumpSumMethod',
      '一次性趸缴计算方法',
      'how the lump sum for missing years is priced (R-4, R-10)',
      z.enum(['flexible-monthly-contribution', 'average-wage-rate']),
    ),
    defineParam(
      'retirement.lumpSumIncludesMaternity',
      '一次性趸缴是否含生育保险费',
      'whether the lump sum for missing (or converted) years includes the maternity component of the flexible contribution (R-4, R-6)',
      z.boolean(),
    ),
    defineParam(
      'retirement.lumpSumRate',
      '一次性补缴比例',
      'TL22: the rate of the lump sum on the average-wage base, by mode (R-10)',
      z.object({ combined: ratioValue, poolingOnly: ratioValue }),
    ),
    defineParam(
      'retirement.poolingOnlyConversion',
      '单建统筹年限按差额补缴',
      'whether pooling-only years may be converted to combined years at the difference (R-6)',
      z.boolean(),
    ),
    defineParam(
      'retirement.oneOffAccountCredit',
      '补缴后一次性补计个人账户',
      'whether a lump sum is followed by one personal-account credit at the payment day’s base and standard (R-7)',
      z.boolean(),
    ),
    defineParam(
      'retirement.duesFirstDuringDeferral',
      '延期缴费协议期间先履行缴费义务',
      'whether, while an employer’s bankruptcy deferral is in force, the transfer waits for the person’s individual and unit dues (R-8)',
      z.boolean(),
    ),
    defineParam(
      'retirement.choiceWindowDays',
      '在职转退休待遇选择期限（天）',
      'days a person short of years has to choose among the R-4/R-5 options once the transfer is evaluated, before the application lapses',
      z.number().int().positive().max(365),
    ),
    defineParam(
      'retirement.appliesFromRetirementDate',
      '退休缴费年限政策适用范围',
      'TL22: the rules apply to persons reaching retirement age on or after this date (R-10)',
      z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    ),
  ],
  values: [
    // R-9, NPC24 (national; one copy per jurisdiction's base set)
    v('retirement.ageSchedule', 'JL21', JL, '2020-09-21', originalAges, beforeNpc24, '2024-12-31'),
    v('retirement.ageSchedule', 'JL21', JL, '2025-01-01', npc24Ages, npc24),
    v('retirement.ageSchedule', 'TL22', TL, '2022-04-01', originalAges, beforeNpc24, '2024-12-31'),
    v('retirement.ageSchedule', 'TL22', TL, '2025-01-01', npc24Ages, npc24),

    // R-1…R-7 under FLX25 (flexible workers only, from 2025-05-01)
    v(
      'retirement.requiredCumulativeYears',
      'FLX25',
      JL,
      '2025-05-01',
      { male: 30, female: 25 },
      { doc: 'FLX25', article: '§5 ¶1' },
    ),
    v('retirement.requiredLocalYears', 'FLX25', JL, '2025-05-01', 15, { doc: 'FLX25', article: '§5 ¶1' }),
    v('retirement.coveredModes', 'FLX25', JL, '2025-05-01', ['flexible'], {
      doc: 'FLX25',
      article: '§5',
      reading:
        'FLX25 speaks of flexible workers only; a unit employee’s transfer before 2026-03-01 follows 吉医保联〔2022〕19号, which is not among the sources',
    }),
    v('retirement.optionsWhenShort', 'FLX25', JL, '2025-05-01', ['continue-paying', 'lump-sum'], {
      doc: 'FLX25',
      article: '§5 ¶2',
      reading:
        'with 2 years (含) or more in the province: lump sum or keep paying; FLX25 offers resident insurance only below 2 years',
    }),
    v('retirement.optionsFewLocalYears', 'FLX25', JL, '2025-05-01', ['lump-sum', 'resident'], {
      doc: 'FLX25',
      article: '§5 ¶2',
    }),
    v('retirement.continuePayingMinLocalYears', 'FLX25', JL, '2025-05-01', 2, {
      doc: 'FLX25',
      article: '§5 ¶2',
      reading:
        '“累计缴费年限超过2年（含）” in the province read as actual in-province years ≥ 2, the same line JL26 Art.8 draws (“实际缴费年限不足2年”)',
    }),
    v('retirement.lumpSumMethod', 'FLX25', JL, '2025-05-01', 'flexible-monthly-contribution', {
      doc: 'FLX25',
      article: '§5 ¶2',
      reading:
        '“按照业务办理时参保地职工基本医疗保险缴费标准”: missing months × the month’s flexible contribution (base 83 % of the average wage, rates of the mode; the maternity line as retirement.lumpSumIncludesMaternity says) in force on the processing day, each component rounded once per month',
    }),
    v('retirement.lumpSumIncludesMaternity', 'FLX25', JL, '2025-05-01', false, {
      doc: 'FLX25',
      article: '§5 ¶2–3',
      reading:
        '“一次性趸缴…职工基本医疗保险费” / “补缴…差额年限的职工基本医疗保险费”: the basic medical insurance premium only, without the maternity line (FLX25 §1 names 职工基本医疗（生育）保险 as the pair; a retiree draws no maternity benefit)',
    }),
    v('retirement.poolingOnlyConversion', 'FLX25', JL, '2025-05-01', true, {
      doc: 'FLX25',
      article: '§5 ¶3',
      reading:
        'retiring in combined mode, the combined years must meet both the cumulative and the in-province count; pooling-only years, being cheaper to convert, are converted first and only the rest is paid in full',
    }),
    v('retirement.duesFirstDuringDeferral', 'FLX25', JL, '2025-05-01', false, {
      doc: 'FLX25',
      article: '§5',
      reading: 'the dues-first gate of a bankruptcy deferral is JL26 Art.27, not in force before 2026-03-01',
    }),
    v('retirement.oneOffAccountCredit', 'FLX25', JL, '2025-05-01', true, {
      doc: 'FLX25',
      article: '§5 ¶3',
      reading:
        'one credit for every month paid or converted, at the flexible base and crediting standard of the payment day',
    }),

    // R-1…R-8 under JL26 (unit and flexible, from 2026-03-01)
    v(
      'retirement.requiredCumulativeYears',
      'JL26',
      JL,
      '2026-03-01',
      { male: 30, female: 25 },
      { doc: 'JL26', article: 'Art.6' },
    ),
    v('retirement.requiredLocalYears', 'JL26', JL, '2026-03-01', 15, { doc: 'JL26', article: 'Art.6' }),
    v('retirement.coveredModes', 'JL26', JL, '2026-03-01', ['unit', 'flexible'], {
      doc: 'JL26',
      article: 'Art.6, Art.8',
    }),
    v('retirement.optionsWhenShort', 'JL26', JL, '2026-03-01', ['continue-paying', 'lump-sum', 'resident'], {
      doc: 'JL26',
      article: 'Art.8',
      reading:
        'a unit employee keeps paying only with the employer’s agreement or as a flexible worker; the base is the flexible base',
    }),
    v('retirement.optionsFewLocalYears', 'JL26', JL, '2026-03-01', ['lump-sum', 'resident'], {
      doc: 'JL26',
      article: 'Art.8',
    }),
    v('retirement.continuePayingMinLocalYears', 'JL26', JL, '2026-03-01', 2, {
      doc: 'JL26',
      article: 'Art.8',
      reading: '“实际缴费年限不足2年”: < 2 years restricts, exactly 2 does not',
    }),
    v('retirement.lumpSumMethod', 'JL26', JL, '2026-03-01', 'flexible-monthly-contribution', {
      doc: 'JL26',
      article: 'Art.8, Art.19',
      reading:
        'shortfall years × 12 months × the month’s combined (or pooling-only, when retiring so) flexible contribution at the standard in force on the processing day (Art.19 “按照业务办理时参保地职工基本医疗保险缴费标准”; Art.8 “缴费基数统一按以灵活就业身份参保执行”), each component rounded once per month; the maternity line as retirement.lumpSumIncludesMaternity says',
    }),
    v('retirement.lumpSumIncludesMaternity', 'JL26', JL, '2026-03-01', false, {
      doc: 'JL26',
      article: 'Art.8, Art.9',
      reading:
        '“一次性趸缴差额年限的职工基本医疗保险费”: the basic medical insurance premium only. JL26 Art.3 defines 职工医保 as 职工基本医疗（生育）保险, and Art.8–9 name the 基本医疗保险费 alone; a retiree draws no maternity benefit. So the missing months are priced at the medical (and, in combined mode, employee) lines without the maternity line, and R-6 converts at combined − pooling-only without maternity on both sides',
    }),
    v('retirement.poolingOnlyConversion', 'JL26', JL, '2026-03-01', true, {
      doc: 'JL26',
      article: 'Art.9',
      reading:
        'retiring in combined mode, the combined years must meet both the cumulative and the in-province count; pooling-only years, being cheaper to convert, are converted first (at combined − pooling-only per component per month) and only the rest is paid in full',
    }),
    v('retirement.oneOffAccountCredit', 'JL26', JL, '2026-03-01', true, {
      doc: 'JL26',
      article: 'Art.8–9',
      reading:
        'one credit for every month paid or converted, at the flexible base and crediting standard of the payment day',
    }),
    v('retirement.duesFirstDuringDeferral', 'JL26', JL, '2026-03-01', true, { doc: 'JL26', article: 'Art.27 ¶3' }),
    // no seed text sets how long the person has to choose; the case must say until when it waits
    // (WORKFLOWS.md), so the agency sets it. Illustrative until it publishes its own: 60 days, the span the
    // retirement-transfer workflow has waited since it was written (the staff API's case read 90 before).
    v('retirement.choiceWindowDays', 'JL-AGENCY', JL, '2020-09-21', 60, choiceWindow),
    v('retirement.schemeStartMonth', 'JL-AGENCY', JL, '2020-09-21', '2001-01', {
      doc: 'AGENCY',
      article: 'start of the regional employee medical scheme, illustrative; each prefecture loads its own',
      illustrative: true,
    }),

    // R-10, TL22 §6
    v(
      'retirement.requiredCumulativeYears',
      'TL22',
      TL,
      '2022-04-01',
      { male: 30, female: 25 },
      { doc: 'TL22', article: '§6(1)' },
    ),
    v('retirement.requiredLocalYears', 'TL22', TL, '2022-04-01', 10, {
      doc: 'TL22',
      article: '§6(1)',
      reading: '“在享受待遇的统筹地区实际缴费年限满10年”: actual years in Tieling',
    }),
    v('retirement.coveredModes', 'TL22', TL, '2022-04-01', ['unit', 'flexible'], {
      doc: 'TL22',
      article: '§6(2)',
      reading: '“用人单位职工（含灵活就业人员）”',
    }),
    v('retirement.optionsWhenShort', 'TL22', TL, '2022-04-01', ['continue-paying', 'lump-sum'], {
      doc: 'TL22',
      article: '§6(2)',
    }),
    v('retirement.schemeStartMonth', 'TL22', TL, '2022-04-01', '2001-07', {
      doc: 'TL22',
      article: '§6(1)',
      reading: '视同缴费年限 is service before 2001-07-01; military years from then on are actual years in the region',
    }),
    v('retirement.lumpSumMethod', 'TL22', TL, '2022-04-01', 'average-wage-rate', {
      doc: 'TL22',
      article: '§6(2)',
      reading:
        '“以办理补缴时上一年度我市全口径城镇单位就业人员平均工资为基数，按相应比例一次性缴足所差年限”: missing months × (the monthly average wage in force on the processing day × the lump-sum rate of the mode)',
    }),
    v(
      'retirement.lumpSumRate',
      'TL-AGENCY',
      TL,
      '2022-04-01',
      { combined: '8%', poolingOnly: '6%' },
      {
        doc: 'AGENCY',
        article:
          'Tieling lump-sum rates (“按相应比例”), illustrative; the TL22 §7(3) arrears rates are not used for retirement',
        illustrative: true,
      },
    ),
    v('retirement.poolingOnlyConversion', 'TL22', TL, '2022-04-01', false, {
      doc: 'TL22',
      article: '§6',
      reading: 'TL22 has no conversion of pooling-only years',
    }),
    v('retirement.oneOffAccountCredit', 'TL22', TL, '2022-04-01', false, {
      doc: 'TL22',
      article: '§6(2), §7(3)',
      reading: 'TL22 provides no one-off personal-account credit after a lump sum',
    }),
    v('retirement.duesFirstDuringDeferral', 'TL22', TL, '2022-04-01', false, {
      doc: 'TL22',
      article: '§6(4)',
      reading:
        'TL22 has no bankruptcy-deferral gate; a transferred retiree’s benefits do not depend on the unit’s payments',
    }),
    v('retirement.choiceWindowDays', 'TL-AGENCY', TL, '2022-04-01', 60, choiceWindow),
    v('retirement.appliesFromRetirementDate', 'TL22', TL, '2022-04-01', '2021-11-01', {
      doc: 'TL22',
      article: '§6(3)',
    }),
  ],
};
