/**
 * Contribution parameters (C-1…C-14, G-1…G-3): bases, rates, resident amounts, subsidies, crediting.
 * Regional rates are agency data (C-3): the province default here is the JL26 Art.15 norm, and a
 * prefecture's own loaded rate overrides it.
 */
import { type ParamArea, type RawParamValue, defineParam } from '../types.js';
import { ratioValue } from '../values.js';

const JL = '220000';
const TL = '211200';

const v = (name: string, set: string, region: string, from: string, value: unknown, source: RawParamValue['source'], to?: string): RawParamValue => ({
  name,
  set,
  region,
  from,
  ...(to ? { to } : {}),
  value,
  source,
});

export const contributions: ParamArea = {
  definitions: [
    defineParam('contribution.unitMedicalRate', '单位职工基本医疗保险费率', 'unit medical rate of the pooling region (C-3)', ratioValue),
    defineParam('contribution.unitMaternityRate', '企业生育保险费率', 'enterprise maternity rate of the pooling region (C-3)', ratioValue),
    defineParam('contribution.employeeRate', '职工个人缴费费率', 'employee medical rate (C-3)', ratioValue),
    defineParam('contribution.flexibleBaseShare', '灵活就业缴费基数占社平工资比例', 'flexible base as a share of the average wage (C-4)', ratioValue),
    defineParam('contribution.poolingOnlyShareOfUnitMedical', '单建统筹费率占单位医疗费率比例', 'pooling-only medical rate as a share of the unit medical rate (C-5)', ratioValue),
    defineParam('contribution.baseFloorShare', '缴费基数下限', 'base floor as a share of the average wage (C-2)', ratioValue),
    defineParam('contribution.baseCeilingShare', '缴费基数上限', 'base ceiling as a share of the average wage (C-2)', ratioValue),
    defineParam('account.creditingShareOfBase', '个人账户计入标准', 'personal-account credit per month as a share of the contribution base (C-14)', ratioValue),
  ],
  values: [
    v('contribution.unitMedicalRate', 'JL26', JL, '2026-03-01', '6%', { doc: 'JL26', article: 'Art.15', reading: '“控制在6%左右”: 6 % where a region has loaded no rate of its own' }),
    v('contribution.unitMaternityRate', 'JL26', JL, '2026-03-01', '0.5%', { doc: 'JL26', article: 'Art.15', reading: '“控制在0.5%左右”: 0.5 % where a region has loaded no rate of its own' }),
    v('contribution.employeeRate', 'JL26', JL, '2026-03-01', '2%', { doc: 'JL26', article: 'Art.15' }),
    v('contribution.unitMedicalRate', 'JL-AGENCY', JL, '2020-09-21', '6%', { doc: 'AGENCY', article: 'regional unit medical rate before JL26, illustrative', illustrative: true }, '2026-02-28'),
    v('contribution.unitMaternityRate', 'JL-AGENCY', JL, '2020-09-21', '0.5%', { doc: 'AGENCY', article: 'regional maternity rate before JL26, illustrative', illustrative: true }, '2026-02-28'),
    v('contribution.employeeRate', 'JL21', JL, '2020-09-21', '2%', { doc: 'JL26', article: 'Art.15', reading: 'the 2 % employee rate predates JL26 (national norm); read back over the earlier sets' }),
    v('contribution.unitMedicalRate', 'JL-AGENCY', '220100', '2026-03-01', '6.5%', { doc: 'AGENCY', article: 'Changchun unit medical rate, illustrative', illustrative: true }),
    v('contribution.flexibleBaseShare', 'FLX25', JL, '2025-05-01', '83%', {
      doc: 'FLX25',
      article: '§3',
      reading: 'applied to the average wage in force (which itself changes only from the month after publication, C-4); the agency may give this value a later start if its old base ran on',
    }),
    v('contribution.poolingOnlyShareOfUnitMedical', 'FLX25', JL, '2025-05-01', '80%', { doc: 'FLX25', article: '§3' }),
    v('contribution.poolingOnlyShareOfUnitMedical', 'JL26', JL, '2026-03-01', '80%', { doc: 'JL26', article: 'Art.15' }),
    v('contribution.baseFloorShare', 'JL21', JL, '2020-09-21', '60%', { doc: 'TL22', article: '§5', reading: 'Jilin texts are silent; the national 60 % norm stated in TL22 §5' }),
    v('contribution.baseCeilingShare', 'JL21', JL, '2020-09-21', '300%', { doc: 'TL22', article: '§5', reading: 'Jilin texts are silent; the national 300 % norm stated in TL22 §5' }),
    v('contribution.baseFloorShare', 'TL22', TL, '2022-04-01', '60%', { doc: 'TL22', article: '§5(1)–(2)' }),
    v('contribution.baseCeilingShare', 'TL22', TL, '2022-04-01', '300%', { doc: 'TL22', article: '§5(1)–(2)' }),
    v('account.creditingShareOfBase', 'JL-AGENCY', JL, '2020-09-21', '2%', { doc: 'AGENCY', article: 'personal-account crediting standard, illustrative', illustrative: true }),
  ],
};
