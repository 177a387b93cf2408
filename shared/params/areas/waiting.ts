/** Waiting-period parameters (W-1…W-9), per policy set. */
import * as z from 'zod';
import { type ParamArea, defineParam, paramValue } from '../types.js';
import { countValue, daysValue } from '../values.js';

const JL = '220000';
const TL = '211200';

// The shared positional constructor, short because the tables below are long.
const v = paramValue;

/** Subsidised resident groups named by TL22 §2(1)1 (W-3). */
export const assistanceKind = z
  .enum([
    'minimum-living',
    'destitute',
    'lifted-from-poverty',
    'monitored',
    'near-minimum-living',
    'special-care',
    'severe-disability',
  ])
  .describe(
    '低保对象 minimum-living, 特困人员 destitute, 已脱贫人口 lifted-from-poverty, 监测对象 monitored, 低保边缘户 near-minimum-living, 重点优抚对象 special-care, 重残人员 severe-disability',
  );
export type AssistanceKind = z.infer<typeof assistanceKind>;

export const waiting: ParamArea = {
  definitions: [
    defineParam('waiting.fixedDays', '固定待遇等待期（日）', 'fixed waiting period in days (W-6)', daysValue),
    defineParam(
      'waiting.fixedCountsFrom',
      '固定等待期起算日',
      'the day a fixed waiting period counts from outside the window: the payment day or the day after',
      z.enum(['payment-day', 'day-after-payment']),
    ),
    defineParam(
      'waiting.residentOffWindowMonths',
      '集中缴费期外居民参保等待期（月）',
      'JL21: waiting period in months for residents paying outside the window',
      countValue,
    ),
    defineParam(
      'waiting.gapLimitDays',
      '中断缴费可补缴天数',
      'longest gap (P − E) that still allows backfill without waiting (W-5)',
      daysValue,
    ),
    defineParam(
      'waiting.gapLimitMonths',
      '中断缴费月数上限',
      'TL22: longest gap in calendar months without waiting',
      countValue,
    ),
    defineParam('waiting.minContinuousYears', '连续参保年限', 'continuous years needed for W-5a / W-5c', countValue),
    defineParam(
      'waiting.newbornWindowDays',
      '新生儿参保期限（日）',
      'days after birth within which a newborn enrolls with cover from birth (W-1)',
      daysValue,
    ),
    defineParam(
      'waiting.conversionWindowDays',
      '身份转换参保期限（日）',
      'days after an identity conversion within which no waiting applies (W-2)',
      daysValue,
    ),
    defineParam(
      'waiting.variableDaysPerBreakYear',
      '每多断保1年增加的变动等待期（日）',
      'variable waiting days per break year beyond the first (W-7)',
      daysValue,
    ),
    defineParam(
      'waiting.longBreakYears',
      '长期断缴年数',
      'consecutive break years from which the W-7 floor applies',
      countValue,
    ),
    defineParam(
      'waiting.longBreakFloorDays',
      '长期断缴修复后最低等待期（日）',
      'minimum fixed + variable waiting after a long break, after repair (W-7)',
      daysValue,
    ),
    defineParam(
      'waiting.assistanceCoverFrom',
      '资助参保人员待遇起始',
      'TL22 W-3: the subsidised groups covered from the day their status was recognised, and those covered from the payment day',
      z.object({ recognitionDay: z.array(assistanceKind), paymentDay: z.array(assistanceKind) }).strict(),
    ),
    defineParam(
      'waiting.shortWaitDays',
      '铁岭30天等待期',
      'TL22: waiting days after a longer gap, or for flexible workers not paid in full',
      daysValue,
    ),
  ],
  values: [
    // JL26 Art.10, Art.13, Art.24, Art.25
    v('waiting.fixedDays', 'JL26', JL, '2026-03-01', 90, { doc: 'JL26', article: 'Art.10 ¶4' }),
    v('waiting.fixedCountsFrom', 'JL26', JL, '2026-03-01', 'day-after-payment', {
      doc: 'JL26',
      article: 'Art.10 ¶4',
      reading: '“从缴费成功次日起计算”',
    }),
    v('waiting.gapLimitDays', 'JL26', JL, '2026-03-01', 90, {
      doc: 'JL26',
      article: 'Art.10 ¶1–3',
      reading: 'gap = P − E ≤ 90 (RULES.md §0)',
    }),
    v('waiting.minContinuousYears', 'JL26', JL, '2026-03-01', 2, { doc: 'JL26', article: 'Art.10 ¶1, ¶3' }),
    v('waiting.newbornWindowDays', 'JL26', JL, '2026-03-01', 90, {
      doc: 'JL26',
      article: 'Art.24',
      reading:
        '“出生后90日（含）内”: counted after the birth, so day 1 is the day after the birth and the last day is birth + 90: P − birth ≤ 90. Unlike Art.25, which counts from (自) the conversion day itself',
    }),
    v('waiting.conversionWindowDays', 'JL26', JL, '2026-03-01', 90, {
      doc: 'JL26',
      article: 'Art.25',
      reading:
        '“自身份转换之日起90日（含）内”: 90 days counting from the conversion day itself (RULES.md §0: D … D+89), so P ≤ conversion + 89 (09-01 → last day 11-29). Unlike Art.24, which counts after the birth (P − birth ≤ 90)',
    }),
    v('waiting.variableDaysPerBreakYear', 'JL26', JL, '2026-03-01', 30, {
      doc: 'JL26',
      article: 'Art.13',
      reading: '“每多断保1年” = 30 × (N − 1)',
    }),
    v('waiting.longBreakYears', 'JL26', JL, '2026-03-01', 4, { doc: 'JL26', article: 'Art.13' }),
    v('waiting.longBreakFloorDays', 'JL26', JL, '2026-03-01', 180, { doc: 'JL26', article: 'Art.13' }),
    // FLX25 §9: switching after ≥ 2 years with a gap ≤ 90 days
    v('waiting.gapLimitDays', 'FLX25', JL, '2025-05-01', 90, { doc: 'FLX25', article: '§9' }),
    v('waiting.minContinuousYears', 'FLX25', JL, '2025-05-01', 2, { doc: 'FLX25', article: '§9' }),
    // JL21 §1, §4
    v('waiting.residentOffWindowMonths', 'JL21', JL, '2020-09-21', 3, {
      doc: 'JL21',
      article: '§1',
      reading: '3 calendar months counting from the day waiting.fixedCountsFrom names (the day after payment)',
    }),
    v('waiting.fixedCountsFrom', 'JL21', JL, '2020-09-21', 'day-after-payment', {
      doc: 'JL21',
      article: '§1',
      reading:
        'JL21 does not say from which day its 3-month wait counts; the day after payment is taken, as JL26 Art.10 ¶4 later wrote it (“从缴费成功次日起计算”)',
    }),
    v('waiting.newbornWindowDays', 'JL21', JL, '2020-09-21', 90, {
      doc: 'JL21',
      article: '§4',
      reading: '“出生后90天内”: P − birth ≤ 90 (day 1 is the day after the birth)',
    }),
    // TL22 §2–3
    v('waiting.fixedDays', 'TL22', TL, '2022-04-01', 90, { doc: 'TL22', article: '§2(1)1, §2(2)1' }),
    v('waiting.fixedCountsFrom', 'TL22', TL, '2022-04-01', 'payment-day', {
      doc: 'TL22',
      article: '§2(1)1',
      reading: '“从缴费之日起” / “从实缴到账之日起”: counts from the payment day',
    }),
    v('waiting.gapLimitMonths', 'TL22', TL, '2022-04-01', 3, {
      doc: 'TL22',
      article: '§2(2)2, §3(1)',
      reading:
        '“中断缴费不超过3个月”: 3 calendar months counting from the first uncovered day E + 1, so the last payment day is (E + 1) + 3 months − 1 day (E = Feb 28: Mar 1 … May 31); where the month has no such day the months run to its end (E + 1 = Jan 31: … Apr 30), never cut short by a month’s length',
    }),
    v(
      'waiting.assistanceCoverFrom',
      'TL22',
      TL,
      '2022-04-01',
      {
        recognitionDay: ['minimum-living', 'destitute', 'lifted-from-poverty', 'monitored', 'near-minimum-living'],
        paymentDay: ['special-care', 'severe-disability'],
      },
      {
        doc: 'TL22',
        article: '§2(1)1',
        reading:
          '“低保对象、特困人员、已脱贫人口和符合条件的监测对象、低保边缘户自身份认定之日起享受相应的医保待遇；重点优抚对象、重残人员自缴费之日起享受医保待遇”: from the recognition day, or from the payment day itself, never before the fee year starts; other subsidised persons: no waiting, from the day after payment',
      },
    ),
    v('waiting.minContinuousYears', 'TL22', TL, '2022-04-01', 2, { doc: 'TL22', article: '§3(1)' }),
    v('waiting.newbornWindowDays', 'TL22', TL, '2022-04-01', 90, { doc: 'TL22', article: '§2(1)2' }),
    v('waiting.shortWaitDays', 'TL22', TL, '2022-04-01', 30, { doc: 'TL22', article: '§2(2)2–3, §3(1)' }),
  ],
};
