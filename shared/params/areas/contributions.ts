/**
 * Contribution parameters (C-1…C-14, G-1…G-3): bases, rates, resident amounts, subsidies, crediting.
 * Regional rates are agency data (C-3): the province default here is the JL26 Art.15 norm, and a
 * prefecture's own loaded rate overrides it.
 */
import * as z from 'zod';
import { calendarDate } from '#schemas/common.js';
import { type ParamArea, type RawParamValue, defineParam, paramValue } from '../types.js';
import { countValue, daysValue, ratioValue, yuanValue } from '../values.js';

const JL = '220000';
const TL = '211200';

/** C-9: the yearly personal amount by category, and the birth cut-off of the under-18 category. */
const residentAmount = z.object({
  adult: yuanValue,
  studentOrMinor: yuanValue,
  /** Born after this day (24:00) counts as under 18 for the fee year (JL21 §2 “2002年12月31日24时后出生”). */
  minorsBornAfter: calendarDate,
});

/** C-10: per medical-assistance category, `full` (the whole personal amount) or a fixed yuan amount. */
const assistanceShare = z.union([z.literal('full'), yuanValue]);
const assistanceSubsidy = z.object({
  'extreme-poverty': assistanceShare,
  orphan: assistanceShare,
  'minimum-living': assistanceShare,
  'registered-poor': assistanceShare,
});

/** C-12: 近亲属 as the Civil Code Art.1045 lists them, plus the account holder. */
export const accountRelations = ['self', 'spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild'] as const;

// The shared positional constructor, short because the tables below are long.
const v = paramValue;

/**
 * FLX25 closing paragraph: “其中缴费基数、费率以及涉及的生育保险待遇，自2025年全省上年度全口径城镇单位就业人员
 * 月平均工资公布次月调整缴费标准时一并调整执行”. The notice is in force from 2025-05-01, but its base
 * share, rates and maternity benefits start only with the month after the 2025 publication of the
 * average wage. That publication date is the agency's (agency-sample.ts: 2025-07-15, illustrative), so
 * this start is illustrative too: an agency loading its own publication date moves these values with it.
 * Fee months and deliveries before it fall under the older standard, which is not among the sources.
 */
const FLX25_STANDARD_FROM = '2025-08-01';
const FLX25_STANDARD_READING =
  'from the month after the 2025 publication of the average wage (FLX25 closing paragraph “公布次月调整缴费标准时一并调整执行”): with the agency’s illustrative publication of 2025-07-15 that is 2025-08-01; the date follows the agency’s publication date, so it is illustrative. Before it the older standard, not among the sources, applies';
const flx25Standard = (article: string): RawParamValue['source'] => ({
  doc: 'FLX25',
  article: `${article}; closing paragraph`,
  reading: FLX25_STANDARD_READING,
  illustrative: true,
});

export const contributions: ParamArea = {
  definitions: [
    defineParam(
      'contribution.unitMedicalRate',
      '单位职工基本医疗保险费率',
      'unit medical rate of the pooling region (C-3)',
      ratioValue,
    ),
    defineParam(
      'contribution.unitMaternityRate',
      '企业生育保险费率',
      'enterprise maternity rate of the pooling region (C-3)',
      ratioValue,
    ),
    defineParam('contribution.employeeRate', '职工个人缴费费率', 'employee medical rate (C-3)', ratioValue),
    defineParam(
      'contribution.flexibleBaseShare',
      '灵活就业缴费基数占社平工资比例',
      'flexible base as a share of the average wage (C-4)',
      ratioValue,
    ),
    defineParam(
      'contribution.poolingOnlyShareOfUnitMedical',
      '单建统筹费率占单位医疗费率比例',
      'pooling-only medical rate as a share of the unit medical rate (C-5)',
      ratioValue,
    ),
    defineParam(
      'contribution.baseFloorShare',
      '缴费基数下限',
      'base floor as a share of the average wage (C-2)',
      ratioValue,
    ),
    defineParam(
      'contribution.baseCeilingShare',
      '缴费基数上限',
      'base ceiling as a share of the average wage (C-2)',
      ratioValue,
    ),
    defineParam(
      'contribution.unitBaseWageOn',
      '单位职工缴费基数上下限的社平工资时点',
      'which average wage sets the floor and ceiling of a unit employee’s fee month (C-1, C-2): the one in force in the fee month, or the one in force on January 1 of the fee year',
      z.enum(['fee-month', 'fee-year-start']),
    ),
    defineParam(
      'account.creditingShareOfBase',
      '个人账户计入标准',
      'personal-account credit per month as a share of the contribution base (C-14)',
      ratioValue,
    ),
    defineParam(
      'contribution.unemployedBaseShare',
      '领金人员缴费基数占社平工资比例',
      'base of unemployment-benefit recipients as a share of the average wage in force when paid (C-7)',
      ratioValue,
    ),
    defineParam(
      'resident.personalAmount',
      '居民医保年度个人缴费标准',
      'resident personal amount of a fee year by category (C-9), valid over that fee year',
      residentAmount,
    ),
    defineParam(
      'resident.assistanceSubsidy',
      '医疗救助资助参保标准',
      'medical-assistance subsidy of a fee year per category (C-10), valid over that fee year',
      assistanceSubsidy,
    ),
    defineParam(
      'resident.returnSameYearFree',
      '同一年度回原参保地参保免缴',
      'returning to the same place in the same fee year costs nothing more (C-8)',
      z.boolean(),
    ),
    defineParam(
      'account.payableRelations',
      '个人账户可支付的近亲属范围',
      'whose contributions a personal account may pay (C-12)',
      z.array(z.enum(accountRelations)).min(1),
    ),
    defineParam(
      'subsidy.socialInsuranceMaxShare',
      '社会保险补贴上限比例',
      'social-insurance subsidy ceiling as a share of the actual contribution (C-13)',
      ratioValue,
    ),
    defineParam(
      'subsidy.socialInsuranceShare',
      '社会保险补贴比例（地方）',
      'local social-insurance subsidy share of the actual contribution (C-13)',
      ratioValue,
    ),
    defineParam(
      'subsidy.graduateWindowMonths',
      '离校未就业高校毕业生补贴期限（月）',
      'months after leaving school in which a graduate is subsidised (C-13)',
      countValue,
    ),
    defineParam(
      'maternity.deliveryReimbursementShare',
      '住院分娩医疗费用报销比例',
      'share of in-rules delivery costs reimbursed (G-1)',
      ratioValue,
    ),
    defineParam(
      'maternity.deliveryDeductible',
      '住院分娩起付标准',
      'deductible on in-rules delivery costs (G-1)',
      yuanValue,
    ),
    defineParam('maternity.allowanceDays', '生育津贴核定天数', 'days of maternity allowance (G-2)', daysValue),
    defineParam(
      'maternity.allowanceDayDivisor',
      '生育津贴日计发基数除数',
      'the contribution base is divided by this to give a day (G-2)',
      countValue,
    ),
    defineParam(
      'maternity.minContinuousMonths',
      '生育津贴连续缴费月数',
      'continuous in-province employee months needed for the allowance (G-3)',
      countValue,
    ),
    defineParam(
      'maternity.retroactiveWhenShort',
      '未满12个月回溯支付',
      'a continuously insured person short of the months is paid once they are reached (G-3)',
      z.boolean(),
    ),
  ],
  values: [
    v('contribution.unitMedicalRate', 'JL26', JL, '2026-03-01', '6%', {
      doc: 'JL26',
      article: 'Art.15',
      reading: '“控制在6%左右”: 6 % where a region has loaded no rate of its own',
    }),
    v('contribution.unitMaternityRate', 'JL26', JL, '2026-03-01', '0.5%', {
      doc: 'JL26',
      article: 'Art.15',
      reading: '“控制在0.5%左右”: 0.5 % where a region has loaded no rate of its own',
    }),
    v('contribution.employeeRate', 'JL26', JL, '2026-03-01', '2%', { doc: 'JL26', article: 'Art.15' }),
    v(
      'contribution.unitMedicalRate',
      'JL-AGENCY',
      JL,
      '2020-09-21',
      '6%',
      // Open-ended: a region's rate is agency data whichever pack is in force (P-2 may decide an open
      // case under FLX25 after 2026-03-01); JL26's own ≈6 % default sits nearer in the JL26 chain.
      { doc: 'AGENCY', article: 'regional unit medical rate, illustrative', illustrative: true },
    ),
    v('contribution.unitMaternityRate', 'JL-AGENCY', JL, '2020-09-21', '0.5%', {
      doc: 'AGENCY',
      article: 'regional maternity rate, illustrative',
      illustrative: true,
    }),
    v('contribution.employeeRate', 'JL21', JL, '2020-09-21', '2%', {
      doc: 'JL26',
      article: 'Art.15',
      reading: 'the 2 % employee rate predates JL26 (national norm); read back over the earlier sets',
    }),
    v('contribution.unitMedicalRate', 'JL-AGENCY', '220100', '2026-03-01', '6.5%', {
      doc: 'AGENCY',
      article: 'Changchun unit medical rate, illustrative',
      illustrative: true,
    }),
    // FLX25's bases, rates and maternity benefits (C-4, C-5, G-1…G-3) start with the standard of the month
    // after the 2025 publication of the average wage, not with the notice (see FLX25_STANDARD_FROM).
    v('contribution.flexibleBaseShare', 'FLX25', JL, FLX25_STANDARD_FROM, '83%', {
      ...flx25Standard('§3'),
      reading: `${FLX25_STANDARD_READING}. Applied to the average wage in force (which itself changes only from the month after publication, C-4)`,
    }),
    v('contribution.poolingOnlyShareOfUnitMedical', 'FLX25', JL, FLX25_STANDARD_FROM, '80%', flx25Standard('§3')),
    v('contribution.poolingOnlyShareOfUnitMedical', 'JL26', JL, '2026-03-01', '80%', {
      doc: 'JL26',
      article: 'Art.15',
    }),
    v('contribution.baseFloorShare', 'JL21', JL, '2020-09-21', '60%', {
      doc: 'TL22',
      article: '§5',
      reading: 'Jilin texts are silent; the national 60 % norm stated in TL22 §5',
    }),
    v('contribution.baseCeilingShare', 'JL21', JL, '2020-09-21', '300%', {
      doc: 'TL22',
      article: '§5',
      reading: 'Jilin texts are silent; the national 300 % norm stated in TL22 §5',
    }),
    v('contribution.baseFloorShare', 'TL22', TL, '2022-04-01', '60%', { doc: 'TL22', article: '§5(1)–(2)' }),
    v('contribution.baseCeilingShare', 'TL22', TL, '2022-04-01', '300%', { doc: 'TL22', article: '§5(1)–(2)' }),
    // C-1/C-2: the average wage behind a unit employee's floor and ceiling.
    v('contribution.unitBaseWageOn', 'JL21', JL, '2020-09-21', 'fee-month', {
      doc: 'TL22',
      article: '§5',
      reading:
        'before JL26 the Jilin texts among the sources set no yearly cycle for a unit’s base (吉医保联〔2022〕19号 is not among them): the floor and ceiling follow the average wage in force in the fee month',
    }),
    v('contribution.unitBaseWageOn', 'JL26', JL, '2026-03-01', 'fee-year-start', {
      doc: 'JL26',
      article: 'Art.14 ¶2',
      reading:
        '“单位缴费基数与职工个人缴费基数执行周期为当年费款所属期1月至当年费款所属期的12月”: a unit employee’s base holds for the whole fee year, so its floor and ceiling come from the average wage in force on January 1 of the fee year (a publication in July does not move them until the next January); the flexible base, by contrast, changes from the month after publication (Art.14 ¶2, C-4)',
    }),
    v('contribution.unitBaseWageOn', 'TL22', TL, '2022-04-01', 'fee-month', {
      doc: 'TL22',
      article: '§5(1)–(2)',
      reading:
        '“我市上一年度全口径城镇单位就业人员月平均工资” with no yearly cycle stated: the average wage in force in the fee month',
    }),
    v('account.creditingShareOfBase', 'JL-AGENCY', JL, '2020-09-21', '2%', {
      doc: 'AGENCY',
      article: 'personal-account crediting standard, illustrative',
      illustrative: true,
    }),

    // C-7: JL26 Art.26. Earlier sets are silent on the recipients' base (not in the seeds).
    v('contribution.unemployedBaseShare', 'JL26', JL, '2026-03-01', '60%', {
      doc: 'JL26',
      article: 'Art.26',
      reading: '“缴费时执行的社平工资60%”: the average wage in force on the day the fund pays the month',
    }),

    // C-9: one value per fee year, valid from Jan 1 to Dec 31 of that year; a year with none is an error.
    v(
      'resident.personalAmount',
      'JL21',
      JL,
      '2021-01-01',
      { adult: '320.00', studentOrMinor: '200.00', minorsBornAfter: '2002-12-31' },
      {
        doc: 'JL21',
        article: '§2(1)',
        reading:
          '“大中小学生及18周岁以下人员（2002年12月31日24时后出生）”: students of any age, and anyone born on or after 2003-01-01',
      },
      '2021-12-31',
    ),
    v(
      'resident.personalAmount',
      'JL-AGENCY',
      JL,
      '2026-01-01',
      { adult: '400.00', studentOrMinor: '300.00', minorsBornAfter: '2007-12-31' },
      { doc: 'AGENCY', article: '2026 resident personal amount, illustrative', illustrative: true },
      '2026-12-31',
    ),
    v(
      'resident.personalAmount',
      'JL-AGENCY',
      JL,
      '2027-01-01',
      { adult: '420.00', studentOrMinor: '320.00', minorsBornAfter: '2008-12-31' },
      { doc: 'AGENCY', article: '2027 resident personal amount, illustrative', illustrative: true },
      '2027-12-31',
    ),
    v(
      'resident.personalAmount',
      'JL-AGENCY',
      JL,
      '2028-01-01',
      { adult: '440.00', studentOrMinor: '340.00', minorsBornAfter: '2009-12-31' },
      { doc: 'AGENCY', article: '2028 resident personal amount, illustrative', illustrative: true },
      '2028-12-31',
    ),

    // C-10: JL21 §2(2) for 2021; later years are the agency's yearly figures.
    v(
      'resident.assistanceSubsidy',
      'JL21',
      JL,
      '2021-01-01',
      { 'extreme-poverty': 'full', orphan: 'full', 'minimum-living': '130.00', 'registered-poor': '130.00' },
      { doc: 'JL21', article: '§2(2)', reading: 'orphans include persons protected as orphans (参照孤儿保障的对象)' },
      '2021-12-31',
    ),
    v(
      'resident.assistanceSubsidy',
      'JL-AGENCY',
      JL,
      '2026-01-01',
      { 'extreme-poverty': 'full', orphan: 'full', 'minimum-living': '150.00', 'registered-poor': '150.00' },
      { doc: 'AGENCY', article: '2026 medical-assistance subsidy standard, illustrative', illustrative: true },
      '2026-12-31',
    ),
    v(
      'resident.assistanceSubsidy',
      'JL-AGENCY',
      JL,
      '2027-01-01',
      { 'extreme-poverty': 'full', orphan: 'full', 'minimum-living': '150.00', 'registered-poor': '150.00' },
      { doc: 'AGENCY', article: '2027 medical-assistance subsidy standard, illustrative', illustrative: true },
      '2027-12-31',
    ),
    v(
      'resident.assistanceSubsidy',
      'JL-AGENCY',
      JL,
      '2028-01-01',
      { 'extreme-poverty': 'full', orphan: 'full', 'minimum-living': '160.00', 'registered-poor': '160.00' },
      { doc: 'AGENCY', article: '2028 medical-assistance subsidy standard, illustrative', illustrative: true },
      '2028-12-31',
    ),

    // C-8: JL26 Art.20 ¶2 is new; JL21 has no such waiver.
    v('resident.returnSameYearFree', 'JL21', JL, '2020-09-21', false, {
      doc: 'JL21',
      article: '§1',
      reading: 'JL21 has no waiver for returning in the same year; before JL26 a return is priced as any enrollment',
    }),
    v('resident.returnSameYearFree', 'JL26', JL, '2026-03-01', true, { doc: 'JL26', article: 'Art.20 ¶2' }),

    // C-12: JL26 Art.22 “本人及其已参保的近亲属”.
    v('account.payableRelations', 'JL26', JL, '2026-03-01', [...accountRelations], {
      doc: 'JL26',
      article: 'Art.22',
      reading:
        '近亲属 read as the Civil Code Art.1045 list: spouse, parents, children, siblings, grandparents, grandchildren',
    }),

    // C-13: FLX25 §6 sets the ceiling; the share itself is fixed locally by HR and finance.
    v('subsidy.socialInsuranceMaxShare', 'FLX25', JL, '2025-05-01', '2/3', { doc: 'FLX25', article: '§6' }),
    v('subsidy.graduateWindowMonths', 'FLX25', JL, '2025-05-01', 24, {
      doc: 'FLX25',
      article: '§6',
      reading: '“离校2年内”: a fee month starting before the second anniversary of leaving school',
    }),
    v('subsidy.socialInsuranceShare', 'JL-AGENCY', JL, '2025-05-01', '1/2', {
      doc: 'AGENCY',
      article: 'local social-insurance subsidy share, illustrative',
      illustrative: true,
    }),
    v('subsidy.socialInsuranceShare', 'JL-AGENCY', '220100', '2025-05-01', '2/3', {
      doc: 'AGENCY',
      article: 'Changchun social-insurance subsidy share, illustrative',
      illustrative: true,
    }),

    // G-1…G-3: FLX25 §8 (flexible workers and unemployment-benefit recipients), “涉及的生育保险待遇”: from
    // the same month as the FLX25 base and rates (FLX25_STANDARD_FROM).
    v('maternity.deliveryReimbursementShare', 'FLX25', JL, FLX25_STANDARD_FROM, '100%', flx25Standard('§8')),
    v('maternity.deliveryDeductible', 'FLX25', JL, FLX25_STANDARD_FROM, '0', {
      ...flx25Standard('§8'),
      reading: `“不设起付标准”: a deductible of 0. ${FLX25_STANDARD_READING}`,
    }),
    v('maternity.allowanceDays', 'FLX25', JL, FLX25_STANDARD_FROM, 98, flx25Standard('§8')),
    v('maternity.allowanceDayDivisor', 'FLX25', JL, FLX25_STANDARD_FROM, 30, {
      ...flx25Standard('§8'),
      reading: `“以缴费基数为生育津贴计发基数，按98天核定”: base ÷ 30 × 98, rounded once (RULES.md G-2). ${FLX25_STANDARD_READING}`,
    }),
    v('maternity.minContinuousMonths', 'FLX25', JL, FLX25_STANDARD_FROM, 12, flx25Standard('§8')),
    v('maternity.retroactiveWhenShort', 'FLX25', JL, FLX25_STANDARD_FROM, true, {
      ...flx25Standard('§8'),
      reading: `“统筹地区可根据实际…进行回溯支付” taken as the province default (RULES.md G-3); a region may load false. ${FLX25_STANDARD_READING}`,
    }),
  ],
};
