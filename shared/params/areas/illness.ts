/**
 * Parameters of the major-illness limit of residents (M-1…M-4, JL26 Art.12–13). JL26 takes force on
 * 2026-03-01 but sets the adjustments “自2025年起”, so the values carry the JL26 date while the first
 * limit year they adjust is itself a parameter.
 */
import * as z from 'zod';
import { type ParamArea, type RawParamValue, defineParam } from '../types.js';
import { countValue, ratioValue } from '../values.js';

const JL = '220000';

const v = (name: string, value: unknown, source: RawParamValue['source']): RawParamValue => ({
  name,
  set: 'JL26',
  region: JL,
  from: '2026-03-01',
  value,
  source,
});

const year = z.number().int().min(1990).max(2100);

export const illness: ParamArea = {
  definitions: [
    defineParam('illness.firstAdjustedYear', '大病保险限额调整起始年度', 'first limit year adjusted by M-1…M-4', year),
    defineParam(
      'illness.continuityThresholdYears',
      '连续参保年限门槛',
      'continuous years after which each further continuous year raises the limit (M-1)',
      countValue,
    ),
    defineParam(
      'illness.continuityIncreasePerYear',
      '连续参保每年提高比例',
      'increase per further continuous year (M-1)',
      ratioValue,
    ),
    defineParam(
      'illness.zeroReimbursementIncrease',
      '零报销次年提高比例',
      'increase the year after a zero-reimbursement year (M-2)',
      ratioValue,
    ),
    defineParam(
      'illness.zeroReimbursementFromYear',
      '零报销计算起始年度',
      'first year whose zero reimbursement earns an increase the next year (M-2)',
      year,
    ),
    defineParam(
      'illness.increaseCap',
      '累计提高上限',
      'cap of M-1 and M-2 together, as a share of the original limit (M-3)',
      ratioValue,
    ),
    defineParam(
      'illness.breakClearsZeroReimbursement',
      '断保清零零报销提高额度',
      'whether a break also clears the accumulated zero-reimbursement increases (M-3)',
      z.boolean(),
    ),
    defineParam('illness.reductionPerBreakYear', '每断保1年降低比例', 'reduction per year of break (M-4)', ratioValue),
    defineParam(
      'illness.reductionCap',
      '断保降低上限',
      'cap of the reduction, as a share of the original limit (M-4)',
      ratioValue,
    ),
    defineParam(
      'illness.yearsBeforeFirstCountForContinuity',
      '调整起始年度前的参保年度计入连续参保',
      'whether insured years before the first adjusted year count in the continuous run (M-1, M-4)',
      z.boolean(),
    ),
  ],
  values: [
    v('illness.firstAdjustedYear', 2025, {
      doc: 'JL26',
      article: 'Art.12, Art.13',
      reading: '“自2025年起”: limits from 2025 on are adjusted',
    }),
    v('illness.continuityThresholdYears', 4, {
      doc: 'JL26',
      article: 'Art.12',
      reading:
        '“连续参保4年以上的，自第5年起每连续参保1年提高1%”: increase = (run − 4) × 1 %, so the 5th continuous year is the first at +1 %',
    }),
    v('illness.continuityIncreasePerYear', '1%', { doc: 'JL26', article: 'Art.12' }),
    v('illness.zeroReimbursementIncrease', '1%', {
      doc: 'JL26',
      article: 'Art.12',
      reading:
        'each insured year with zero reimbursement adds 1 % from the next year on, accumulating until the increased amount is used',
    }),
    v('illness.zeroReimbursementFromYear', 2025, {
      doc: 'JL26',
      article: 'Art.12',
      reading:
        '“自2025年起…当年零报销的，次年提高”: zero-reimbursement years from 2025 count, so the first such increase is in the 2026 limit',
    }),
    v('illness.increaseCap', '20%', { doc: 'JL26', article: 'Art.12' }),
    v('illness.breakClearsZeroReimbursement', false, {
      doc: 'JL26',
      article: 'Art.12',
      reading:
        '“断保…连续参保年限重新计算” resets only the continuous count; accumulated zero-reimbursement increases are cleared only by using the increased amount (“使用提高额度后…清零”)',
    }),
    v('illness.reductionPerBreakYear', '1%', {
      doc: 'JL26',
      article: 'Art.13',
      reading: 'a year of break is a fee year not insured; a partial year counts whole (Art.12)',
    }),
    v('illness.reductionCap', '20%', {
      doc: 'JL26',
      article: 'Art.13',
      reading:
        'the reduction applies from the re-enrollment year (from the first adjusted year on) and stays with the new continuous run; M-1/M-2 increases of that run add to it (RULES.md M-4)',
    }),
    v('illness.yearsBeforeFirstCountForContinuity', true, {
      doc: 'JL26',
      article: 'Art.12',
      reading:
        'the text fixes when increases start (2025), not when continuity is counted from: insured years before 2025 count in the run (RULES.md M-4); a break followed by re-enrollment before 2025 resets the run but brings no reduction',
    }),
  ],
};
