/**
 * The rule catalogue: every rule id of ../shared/spec/RULES.md with its source articles.
 * Decisions cite rules by id only; the citation text (document number + article) comes from here,
 * so a trace always names the article the rule was read from. test/rules/catalogue.test.ts checks
 * this table against RULES.md itself.
 */
import type { SourceKey } from '#domain/sources.js';

export { type SourceDocument, type SourceKey, SOURCES } from '#domain/sources.js';

export interface RuleEntry {
  readonly id: string;
  /** The source column of RULES.md, verbatim. */
  readonly cites: string;
  readonly sources: readonly SourceKey[];
  readonly en: string;
  readonly zh: string;
}

const r = (id: string, cites: string, sources: SourceKey[], en: string, zh: string): RuleEntry => ({
  id,
  cites,
  sources,
  en,
  zh,
});

export const RULES: readonly RuleEntry[] = [
  r('E-1', 'JL26 Art.4', ['JL26'], 'units enroll employees by unit where registered', '单位按属地为职工参加职工医保'),
  r(
    'E-2',
    'JL26 Art.4, FLX25 §1',
    ['JL26', 'FLX25'],
    'flexible workers may enroll as flexible, no hukou restriction',
    '灵活就业人员可在户籍地、常住地、就业地参加职工医保',
  ),
  r('E-3', 'JL26 Art.4', ['JL26'], 'others may enroll in the resident scheme', '未参加职工医保者可参加居民医保'),
  r('E-4', 'JL26 Art.4', ['JL26'], 'no duplicate enrollment', '原则上不允许重复参保'),
  r(
    'E-5',
    'JL26 Art.5',
    ['JL26'],
    'units register employees and report changes within 30 days',
    '用人单位自用工之日起30日（含）内办理参保登记',
  ),
  r(
    'E-6',
    'PRC22 §3.1, JL26 Art.29',
    ['PRC22', 'JL26'],
    'identity key: ID number, residence permit or passport',
    '参保唯一识别码',
  ),
  r(
    'E-7',
    'PRC22 §3.1',
    ['PRC22'],
    'status normal, suspended or terminated; only normal carries benefits',
    '参保状态：正常、暂停、终止',
  ),
  r(
    'E-8',
    'JL26 Art.11, PRC22 §3.5',
    ['JL26', 'PRC22'],
    'in-province transfer stops here and starts there at once',
    '省内即参即停',
  ),
  r(
    'E-9',
    'JL26 Art.28',
    ['JL26'],
    'persons in custody may be enrolled by the facility',
    '被监管人员可委托代办参保缴费',
  ),
  r(
    'C-1',
    'JL26 Art.14',
    ['JL26'],
    'unit employee base: prior-year monthly average wage',
    '单位职工以上年度本人月平均工资为缴费基数',
  ),
  r('C-2', 'TL22 §5', ['TL22'], 'base floor 60 % and ceiling 300 % of the average wage', '缴费基数下限60%、上限300%'),
  r('C-3', 'JL26 Art.15–16', ['JL26'], 'unit rates per region; employee rate 2 %', '单位费率由统筹区确定，个人费率2%'),
  r(
    'C-4',
    'FLX25 §3, JL26 Art.14',
    ['FLX25', 'JL26'],
    'flexible base: 83 % of the average wage',
    '灵活就业人员缴费基数为社平工资的83%',
  ),
  r(
    'C-5',
    'FLX25 §3, JL26 Art.15',
    ['FLX25', 'JL26'],
    'flexible rates for combined and pooling-only modes',
    '灵活就业人员统账结合、单建统筹费率',
  ),
  r(
    'C-6',
    'JL26 Art.17, Art.36',
    ['JL26'],
    'employee contributions are monthly, paid in the month',
    '职工医保按月缴费，当月缴纳当月费用',
  ),
  r(
    'C-7',
    'JL26 Art.26',
    ['JL26'],
    'unemployment fund pays benefit recipients’ contributions',
    '失业保险基金为领金人员代缴职工医保费',
  ),
  r(
    'C-8',
    'JL26 Art.20',
    ['JL26'],
    'resident contributions per calendar year, paid in the window',
    '居民医保按自然年度参保缴费',
  ),
  r('C-9', 'JL21 §2', ['JL21'], 'resident amounts per fee year and category', '居民医保个人缴费标准'),
  r(
    'C-10',
    'JL21 §2, JL26 Art.21',
    ['JL21', 'JL26'],
    'medical-assistance subsidies, pay first and subsidise after',
    '医疗救助资助参保，先缴后补',
  ),
  r('C-11', 'JL21 §3, PRC22 §2.4', ['JL21', 'PRC22'], 'students enroll where they study', '学生在学籍地参保'),
  r(
    'C-12',
    'JL26 Art.22',
    ['JL26'],
    'personal account may pay own and close relatives’ contributions',
    '个人账户可支付本人及近亲属参保缴费',
  ),
  r(
    'C-13',
    'FLX25 §6',
    ['FLX25'],
    'social-insurance subsidy up to 2/3 of the contribution',
    '社会保险补贴不超过实际缴费的2/3',
  ),
  r('C-14', 'FLX25 §2', ['FLX25'], 'personal-account crediting standard', '个人账户计入标准'),
  r('W-1', 'JL26 Art.24, JL21 §4', ['JL26', 'JL21'], 'newborn', '新生儿'),
  r('W-2', 'JL26 Art.25', ['JL26'], 'identity conversion within 90 days', '身份转换人员90日内参保'),
  r(
    'W-3',
    'PRC22 §3.4, TL22 §2–3',
    ['PRC22', 'TL22'],
    'medical-assistance recipients: no waiting',
    '医疗救助对象不设待遇等待期',
  ),
  r('W-4', 'JL26 Art.10, Art.20', ['JL26'], 'continuous renewal: no waiting', '连续参保不设等待期'),
  r(
    'W-5a',
    'JL26 Art.10 ¶1, FLX25 §9',
    ['JL26', 'FLX25'],
    'switching schemes after ≥ 2 years with a gap ≤ 90 days',
    '连续参保2年以上切换制度且中断90日内',
  ),
  r('W-5b', 'JL26 Art.10 ¶2', ['JL26'], 'employee scheme with a gap ≤ 90 days', '职工医保中断缴费90日内'),
  r(
    'W-5c',
    'JL26 Art.10 ¶3',
    ['JL26'],
    'resident after ≥ 2 years paying within 90 days of the break',
    '居民医保连续参保2年以上中断90日内缴费',
  ),
  r('W-6', 'JL26 Art.10 ¶4', ['JL26'], '90-day fixed waiting period', '90日固定待遇等待期'),
  r('W-7', 'JL26 Art.13', ['JL26'], 'variable waiting period after a break, and its repair', '变动待遇等待期及修复'),
  r('W-8', 'JL26 Art.13', ['JL26'], 'a waiting period survives a scheme switch', '待遇等待期不随参保关系切换而取消'),
  r(
    'W-9',
    'JL26 Art.18',
    ['JL26'],
    'employee cover restored the day after arrears are cleared',
    '补齐欠费次日起恢复待遇',
  ),
  r('A-1', 'JL26 Art.18', ['JL26'], 'arrears suspend benefits from the first unpaid day', '欠费之日起暂停待遇'),
  r('A-2', 'JL26 Art.18', ['JL26'], 'payment restores benefits from the next day', '补齐欠费次日起恢复待遇'),
  r(
    'A-3',
    'JL26 Art.18',
    ['JL26'],
    'backfill at the arrears months’ base and rates, plus late fee',
    '按欠费期间基数费率补缴并加收滞纳金',
  ),
  r('A-4', 'JL26 Art.18', ['JL26'], 'paid within 90 days: arrears period covered', '欠费90日（含）内补齐的待遇可追溯'),
  r(
    'A-5',
    'JL26 Art.18',
    ['JL26'],
    'unit mode after 90 days: years and account only, no cover',
    '单位参保超过90日补齐，不追溯待遇',
  ),
  r(
    'A-6',
    'JL26 Art.18, PRC22 §3.3',
    ['JL26', 'PRC22'],
    'flexible mode after 90 days: no backfill',
    '灵活就业欠费超过90日不可补缴',
  ),
  r(
    'A-7',
    'JL26 Art.18',
    ['JL26'],
    'undeclared base: agency assessment before 2024, tax after',
    '未申报基数的欠费核定与追缴',
  ),
  r(
    'A-8',
    'TL22',
    ['TL22'],
    'employees of a unit in arrears may choose resident insurance',
    '单位欠缴期间职工可自愿参加居民医保',
  ),
  r(
    'R-1',
    'JL26 Art.6, FLX25 §5',
    ['JL26', 'FLX25'],
    'retirement transfer: 30/25 cumulative and 15 in-province years',
    '在职转退休条件',
  ),
  r('R-2', 'JL26 Art.7', ['JL26'], 'what counts as cumulative and actual years', '视同缴费年限与实际缴费年限'),
  r('R-3', 'JL26 Art.6, Art.8', ['JL26'], 'shortfall in years', '差额年限'),
  r('R-4', 'JL26 Art.8, Art.19', ['JL26'], 'options when short', '不足年限时的选择'),
  r(
    'R-5',
    'JL26 Art.8, FLX25 §5',
    ['JL26', 'FLX25'],
    'flexible worker with < 2 in-province years: lump sum or resident',
    '灵活就业实际缴费不足2年的选择',
  ),
  r(
    'R-6',
    'JL26 Art.9, FLX25 §5',
    ['JL26', 'FLX25'],
    'converting pooling-only years: pay the difference',
    '单建统筹年限按差额补缴',
  ),
  r('R-7', 'JL26 Art.8–9', ['JL26'], 'one personal-account credit after a lump sum', '补缴后一次性补计个人账户'),
  r('R-8', 'JL26 Art.27', ['JL26'], 'bankruptcy deferral: dues first', '延期缴费协议期间先履行缴费义务'),
  r('R-9', 'national rule, outside the seeds', ['NPC24'], 'legal retirement age', '法定退休年龄'),
  r('R-10', 'TL22 §6', ['TL22'], 'Tieling retirement years and lump sum', '铁岭退休缴费年限'),
  r(
    'B-1',
    'JL26 Art.27',
    ['JL26'],
    'deferral agreement: benefits kept, account credits held',
    '延期缴费协议期间正常享受待遇，个人账户暂不划拨',
  ),
  r('B-2', 'JL26 Art.27', ['JL26'], 'all paid: held credits made at once', '缴清后一次性补划'),
  r(
    'B-3',
    'JL26 Art.27',
    ['JL26'],
    'transfer, move or termination needs dues paid first',
    '协议期间办理业务需先履行缴费义务',
  ),
  r('B-4', 'JL26 Art.27', ['JL26'], 'unpaid at the end: arrears', '破产清偿欠费本金及滞纳金'),
  r(
    'M-1',
    'JL26 Art.12',
    ['JL26'],
    'continuity increase of the major-illness limit',
    '连续参保提高大病保险最高支付限额',
  ),
  r('M-2', 'JL26 Art.12', ['JL26'], 'zero-reimbursement increase', '零报销提高限额'),
  r('M-3', 'JL26 Art.12', ['JL26'], 'increases capped at 20 %; resets', '累计提高不超过20%'),
  r('M-4', 'JL26 Art.13', ['JL26'], 'reduction after a break', '断保降低限额'),
  r('F-1', 'JL26 Art.23, JL21 §5', ['JL26', 'JL21'], 'refund before the benefit period', '待遇享受期开始前退费'),
  r('F-2', 'JL21 §5', ['JL21'], 'subsidised refunds through the ended relationship’s place', '资助对象退费渠道'),
  r('F-3', 'TL22 §7', ['TL22'], 'Tieling refund cases', '铁岭退费情形'),
  r('D-1', 'TL22 §4, PRC22 §2.3', ['TL22', 'PRC22'], 'what a duplicate is', '重复参保的认定'),
  r(
    'D-2',
    'PRC22, TL22',
    ['PRC22', 'TL22'],
    'employee duplicates: keep the place of employment',
    '职工医保重复保留就业地',
  ),
  r(
    'D-3',
    'PRC22, TL22, JL21 §6',
    ['PRC22', 'TL22', 'JL21'],
    'resident duplicates: keep habitual residence / place of study',
    '居民医保重复保留常住地、学籍地',
  ),
  r(
    'D-4',
    'TL22, JL21 §6',
    ['TL22', 'JL21'],
    'across schemes with ≥ 1 year employee cover: keep employee',
    '跨制度重复且连续职工医保一年以上保留职工医保',
  ),
  r(
    'D-5',
    'TL22, JL21 §6',
    ['TL22', 'JL21'],
    'part-time flexible duplicates: suspend the other',
    '灵活就业跨制度重复暂停重复关系',
  ),
  r('D-6', 'JL21 §6', ['JL21'], 'other duplicates: terminate the rest', '其余终止重复参保关系'),
  r('D-7', 'TL22 §4.5', ['TL22'], 'a written request to keep another', '本人申请保留'),
  r('D-8', 'TL22 §8', ['TL22'], 'student first-year cover is not a duplicate', '大中专学生入学当年不属于重复参保'),
  r('G-1', 'FLX25 §8', ['FLX25'], 'delivery costs 100 %, no deductible', '住院分娩不设起付标准，报销100%'),
  r('G-2', 'FLX25 §8', ['FLX25'], 'maternity allowance = base ÷ 30 × 98', '生育津贴按98天核定'),
  r('G-3', 'FLX25 §8', ['FLX25'], '12 months of contributions for the allowance', '连续缴费满12个月'),
  r(
    'P-1',
    'JL26 Art.36, FLX25 end',
    ['JL26', 'FLX25'],
    'the rule set in force on the business date and region',
    '按业务日期和统筹区适用政策',
  ),
  r(
    'P-2',
    'JL26 Art.31, FLX25 end',
    ['JL26', 'FLX25'],
    'open cases: old set unless the new one is more favourable',
    '未办结业务从旧兼从优',
  ),
  r('P-3', '—', [], 'agency parameters are dated data; missing is an error', '经办参数为带日期的数据'),
];

const BY_ID = new Map(RULES.map((e) => [e.id, e]));

export type RuleId = string;

export function ruleEntry(id: RuleId): RuleEntry {
  const e = BY_ID.get(id);
  if (!e) throw new RangeError(`unknown rule id ${id}`);
  return e;
}

export function isRuleId(id: string): boolean {
  return BY_ID.has(id);
}
