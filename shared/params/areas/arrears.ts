/**
 * Parameters of the arrears (A-1…A-8), bankruptcy-deferral (B-1…B-4) and refund (F-1…F-3) rules.
 *
 * Jilin values live in the JL26 set (JL26 Art.18, Art.23, Art.27) and, for the refund causes of the
 * 2021 resident notice, in JL21 (§5); Tieling's in TL22 (its backfill is priced by §7(3), with no late
 * fee and no personal-account credit). No value is loaded for Jilin arrears before
 * 2026-03-01: the 2022 interim measures (吉医保联〔2022〕19号) that governed them are not among the
 * sources, so such a question is a missing-parameter error naming what is missing, never a guess.
 */
import * as z from 'zod';
import { employeeMode } from '#schemas/common.js';
import { type ParamArea, defineParam, paramValue } from '../types.js';
import { dateValue, ratioValue } from '../values.js';

const JL = '220000';
const TL = '211200';

// The shared positional constructor, short because the tables below are long.
const v = paramValue;

/** The causes a refund application can name (F-1, F-3). */
export const refundReason = z.enum([
  'duplicate-payment',
  'transfer',
  'death',
  'unemployment-fund-overpayment',
  'retirement',
  'found-job',
  'unemployed-own-duplicate',
  'imprisonment',
  'other',
]);
export type RefundReason = z.infer<typeof refundReason>;

export const arrears: ParamArea = {
  definitions: [
    // A-4…A-6: the backfill window, in days (JL26, §0 arithmetic) or calendar months (TL22).
    defineParam(
      'arrears.backfillWindow',
      '欠费补缴待遇可追溯期限',
      'longest time after the last paid day E within which paid arrears are covered retroactively (A-4): last day E + N days or E + N months',
      z.union([
        z.object({ days: z.number().int().positive() }).strict(),
        z.object({ months: z.number().int().positive() }).strict(),
      ]),
    ),
    defineParam('arrears.lateFeeDailyRate', '滞纳金日费率', 'late fee per day of the unpaid amount (A-3)', ratioValue),
    defineParam(
      'arrears.lateFeeModes',
      '加收滞纳金的参保形式',
      'the employee modes whose arrears carry a late fee (A-3); empty: no late fee',
      z.array(employeeMode),
    ),
    defineParam(
      'arrears.backfillPricing',
      '欠费补缴金额计算方法',
      'A-3: the backfill is priced from each arrears month’s base and rates (JL26), or as a share of the average wage in force when it is paid (TL22 §7(3))',
      z.enum(['arrears-months', 'average-wage-rate']),
    ),
    defineParam(
      'arrears.backfillRate',
      '欠费补缴比例',
      'TL22 §7(3): the share of the monthly average wage paid for each month backfilled, by how the person is insured',
      z.object({ combined: ratioValue, poolingOnly: ratioValue }).strict(),
    ),
    defineParam(
      'arrears.backfillCreditsAccount',
      '补缴是否补划个人账户',
      'whether backfilled months are credited to the personal account (A-4, A-5)',
      z.boolean(),
    ),
    defineParam(
      'arrears.flexibleBackfillAfterWindow',
      '灵活就业人员超期欠费可否补缴',
      'whether a flexible worker may still backfill after the window (A-6: no in Jilin)',
      z.boolean(),
    ),
    defineParam(
      'arrears.waitingAfterWindow',
      '超期补缴后的待遇等待期',
      'which waiting-period parameter applies when arrears are paid after the window (A-5, A-6, W-6)',
      z.enum(['waiting.fixedDays', 'waiting.shortWaitDays']),
    ),
    defineParam(
      'arrears.undeclaredBaseTaxFrom',
      '未申报基数欠费由税务追缴的起始费款所属期',
      'A-7: arrears of fee months from this date, with no declared base, are pursued by tax; earlier ones are assessed by the agency',
      dateValue,
    ),
    defineParam(
      'arrears.unitEmployeesMayChooseResident',
      '单位欠缴期间职工可自愿参加居民医保',
      'A-8: employees of a unit in arrears may choose the resident scheme while it is in arrears',
      z.boolean(),
    ),
    // B-1…B-4
    defineParam(
      'bankruptcy.lateFeeFrom',
      '延期缴费协议未缴清时滞纳金起算',
      'B-4: from when a late fee runs on deferred months left unpaid at the end of the agreement',
      z.enum(['day-after-agreement-end', 'original-due-date']),
    ),
    defineParam(
      'bankruptcy.creditsReleasedOn',
      '缓缴期间暂不划拨的个人账户补划日',
      'B-2: when the held-back personal-account credits are made after full payment',
      z.enum(['payment-day', 'day-after-payment']),
    ),
    // F-1…F-3
    defineParam(
      'refund.reasons',
      '可申请退费的情形',
      'F-1: causes for which a payment may be refunded before its benefit period begins, per scheme',
      z.object({ employee: z.array(refundReason), resident: z.array(refundReason) }).strict(),
    ),
    defineParam(
      'refund.benefitPeriod',
      '待遇享受期的认定',
      'F-1: when a payment’s benefit period begins, and which day is compared with it',
      z
        .object({
          starts: z.enum(['fee-period-start', 'cover-start']),
          judgedOn: z.enum(['event-day', 'application-day']),
        })
        .strict(),
    ),
    defineParam(
      'refund.subsidisedThrough',
      '资助参保对象退费渠道',
      'F-2: through whom a subsidised person’s refund goes',
      z.enum(['ending-relationship-place', 'agency']),
    ),
    defineParam(
      'refund.foundJobFrom',
      '灵活就业人员就业后退费起始月',
      'F-3 (TL22): the first fee month refunded to a flexible worker who found a job',
      z.enum(['month-of-employment', 'month-after-employment']),
    ),
  ],
  values: [
    // ── Arrears, Jilin (JL26 Art.18) ──────────────────────────────────────────────────────────────
    v(
      'arrears.backfillWindow',
      'JL26',
      JL,
      '2026-03-01',
      { days: 90 },
      {
        doc: 'JL26',
        article: 'Art.18',
        reading:
          '“欠费在90日（含）内补齐”: with E = first unpaid day − 1, retroactive iff P − E ≤ 90, so the last day is E + 90 (RULES.md §0)',
      },
    ),
    v('arrears.lateFeeDailyRate', 'JL26', JL, '2026-03-01', '0.05%', {
      doc: 'JL26',
      article: 'Art.18',
      reading:
        '“按规定加收滞纳金”: 0.05 % a day of each month’s unpaid amount from the day after its due date to the payment day inclusive (Social Insurance Law Art.86); one rounded line per month (RULES.md A-3)',
    }),
    v('arrears.lateFeeModes', 'JL26', JL, '2026-03-01', ['unit'], {
      doc: 'JL26',
      article: 'Art.18',
      reading:
        'the late fee of Social Insurance Law Art.86 is charged to employers: unit mode only (RULES.md A-3 Reading)',
    }),
    v('arrears.backfillPricing', 'JL26', JL, '2026-03-01', 'arrears-months', {
      doc: 'JL26',
      article: 'Art.18',
      reading: '“按欠费期间的职工医保缴费基数和费率计算”: each month at its own base and rates (RULES.md A-3)',
    }),
    v('arrears.backfillCreditsAccount', 'JL26', JL, '2026-03-01', true, {
      doc: 'JL26',
      article: 'Art.18',
      reading: '“可补记职工医保相应的缴费年限、个人账户”: backfilled months are credited to years and account',
    }),
    v('arrears.flexibleBackfillAfterWindow', 'JL26', JL, '2026-03-01', false, {
      doc: 'JL26',
      article: 'Art.18',
      reading: '“以灵活就业身份参保的，欠费超过90日的，不可补缴”; paying again is a new enrollment (PRC22 §3.3)',
    }),
    v('arrears.waitingAfterWindow', 'JL26', JL, '2026-03-01', 'waiting.fixedDays', {
      doc: 'JL26',
      article: 'Art.18, Art.10 ¶4',
      reading:
        '“除按规定设置等待期的情形外”: after 90 days the arrears period is not covered, so the fixed 90-day wait of Art.10 ¶4 applies (W-6)',
    }),
    v('arrears.undeclaredBaseTaxFrom', 'JL26', JL, '2026-03-01', '2024-01-01', {
      doc: 'JL26',
      article: 'Art.18',
      reading: '“2024年1月1日以前的欠费”: compared with the first day of the fee month (费款所属期) in arrears',
    }),
    v('arrears.unitEmployeesMayChooseResident', 'JL26', JL, '2026-03-01', false, {
      doc: 'JL26',
      article: 'Art.4, Art.18',
      reading: 'the Jilin texts give employees of a unit in arrears no resident option; A-8 is TL22 only',
    }),
    // ── Arrears, Tieling (TL22 §2(2)) ─────────────────────────────────────────────────────────────
    v(
      'arrears.backfillWindow',
      'TL22',
      TL,
      '2022-04-01',
      { months: 3 },
      {
        doc: 'TL22',
        article: '§2(2)2',
        reading:
          '“中断缴费不超过3个月”: 3 calendar months counting from the first unpaid day E + 1, so the last day is (E + 1) + 3 months − 1 day (E = Feb 28: Mar 1 … May 31), as waiting.gapLimitMonths',
      },
    ),
    v('arrears.lateFeeModes', 'TL22', TL, '2022-04-01', [], {
      doc: 'TL22',
      article: '§7(3)',
      reading:
        'TL22 says nothing of a late fee: §7(3) prices the backfill of past arrears (5 % / 7 % of the average wage) and adds no surcharge, so no mode is charged and no late-fee rate is loaded for Tieling. Social Insurance Law Art.86 is not among the sources; an agency that applies it loads its modes and arrears.lateFeeDailyRate here',
    }),
    v('arrears.backfillPricing', 'TL22', TL, '2022-04-01', 'average-wage-rate', {
      doc: 'TL22',
      article: '§7(3)',
      reading:
        '“补缴基数为办理补缴时上一年度我市全口径城镇单位就业人员平均工资”: each month backfilled costs the rate of arrears.backfillRate × the monthly average wage (averageWage.monthly, TL-AGENCY) in force on the payment day, rounded half up once per month; the arrears months’ own bases are not used',
    }),
    v(
      'arrears.backfillRate',
      'TL22',
      TL,
      '2022-04-01',
      { combined: '7%', poolingOnly: '5%' },
      {
        doc: 'TL22',
        article: '§7(3)',
        reading: '“以单建统筹方式参保的人员，补缴比例为5%；以统账结合方式参保的人员，补缴比例为7%”',
      },
    ),
    v('arrears.backfillCreditsAccount', 'TL22', TL, '2022-04-01', false, {
      doc: 'TL22',
      article: '§7(3)',
      reading: '“（不补划个人账户）”: backfilled months count as years but are not credited to the personal account',
    }),
    v('arrears.flexibleBackfillAfterWindow', 'TL22', TL, '2022-04-01', true, {
      doc: 'TL22',
      article: '§2(2)2, §7(3)',
      reading:
        '§2(2)2 names “职工个人” beside units and sets a 30-day wait after a gap over 3 months, with no separate flexible rule; §7(3) allows any employee-scheme insured person to pay past arrears',
    }),
    v('arrears.waitingAfterWindow', 'TL22', TL, '2022-04-01', 'waiting.shortWaitDays', {
      doc: 'TL22',
      article: '§2(2)2',
      reading: '“中断缴费超过3个月的，从当月实缴到账之日起设30天待遇等待期”',
    }),
    v('arrears.unitEmployeesMayChooseResident', 'TL22', TL, '2022-04-01', true, {
      doc: 'TL22',
      article: '§2(2)4',
      reading: '“单位欠缴期间可允许其在职职工自愿选择参加城乡居民医保”',
    }),
    // ── Bankruptcy deferral, Jilin (JL26 Art.27) ──────────────────────────────────────────────────
    v('bankruptcy.lateFeeFrom', 'JL26', JL, '2026-03-01', 'day-after-agreement-end', {
      doc: 'JL26',
      article: 'Art.27',
      reading:
        'the agreement defers the due dates; months left unpaid when it ends become arrears (§4) from its end, and the late fee runs from the day after its last day (RULES.md B-4 Reading)',
    }),
    v('bankruptcy.creditsReleasedOn', 'JL26', JL, '2026-03-01', 'day-after-payment', {
      doc: 'JL26',
      article: 'Art.27',
      reading:
        '“待职工医保费全部缴清后，一次性补划”: made with the rights record of the day after payment (as FLX25 §10)',
    }),
    // ── Refunds ───────────────────────────────────────────────────────────────────────────────────
    v(
      'refund.reasons',
      'JL21',
      JL,
      '2020-09-21',
      { employee: [], resident: ['duplicate-payment', 'transfer', 'death'] },
      {
        doc: 'JL21',
        article: '§5',
        reading:
          '“重复缴费、参加职工医保、死亡退保或其他统筹地区居民医保”; joining the employee scheme or another region is a transfer. JL21 is a resident notice: it sets no employee refund',
      },
    ),
    v(
      'refund.reasons',
      'JL26',
      JL,
      '2026-03-01',
      {
        employee: ['duplicate-payment', 'transfer', 'death', 'unemployment-fund-overpayment'],
        resident: ['duplicate-payment', 'transfer', 'death'],
      },
      {
        doc: 'JL26',
        article: 'Art.23',
        reading:
          '“重复缴费、关系转移接续、死亡、未及时停发失业保险金导致多代缴职工医保费等原因”; the fund over-payment can only concern the employee scheme. A cause not listed (“等”) is left to the agency, not refused',
      },
    ),
    v(
      'refund.reasons',
      'TL22',
      TL,
      '2022-04-01',
      { employee: [], resident: ['duplicate-payment', 'transfer', 'death'] },
      {
        doc: 'TL22',
        article: '§7(1)–(2)',
        reading: 'residents: §7(2) as F-1; employees: only the named cases of §7(1) (F-3), decided separately',
      },
    ),
    v(
      'refund.benefitPeriod',
      'JL21',
      JL,
      '2020-09-21',
      { starts: 'cover-start', judgedOn: 'event-day' },
      {
        doc: 'JL21',
        article: '§1, §5',
        reading:
          '“在相应待遇享受期未开始前因…”: §1 sets a “待遇享受等待期” before the period of enjoyment, so a payment’s benefit period begins when cover starts, after any waiting period (the fee period’s first day when there is none, or when the facts give no cover start); the cause must arise before it begins; the application may follow',
      },
    ),
    v(
      'refund.benefitPeriod',
      'JL26',
      JL,
      '2026-03-01',
      { starts: 'cover-start', judgedOn: 'event-day' },
      {
        doc: 'JL26',
        article: 'Art.23',
        reading:
          '“在相应待遇享受期未开始前”: the benefit period begins when cover starts, after any waiting period (JL21 §1 sets the 待遇享受等待期 apart from the period of enjoyment; TL22 §7(2) refunds a death in the waiting period), so a resident who paid outside the window and dies in the 90-day wait is refunded; without a waiting period (or a cover start in the facts) it is the fee period’s first day. The cause must arise before it begins; the application may follow',
      },
    ),
    v(
      'refund.benefitPeriod',
      'TL22',
      TL,
      '2022-04-01',
      { starts: 'cover-start', judgedOn: 'event-day' },
      {
        doc: 'TL22',
        article: '§7(2)',
        reading:
          '“在待遇等待期死亡，或待遇享受期开始前死亡的，可依申请办理退费”: the period begins when cover starts, after any waiting period',
      },
    ),
    v('refund.subsidisedThrough', 'JL21', JL, '2020-09-21', 'ending-relationship-place', {
      doc: 'JL21',
      article: '§5',
      reading: '“根据其需要清退的参保关系所在地缴费渠道依申请完成退费”',
    }),
    v('refund.subsidisedThrough', 'TL22', TL, '2022-04-01', 'ending-relationship-place', {
      doc: 'TL22',
      article: '§7(2)',
      reading: '“可通过其需要终止的参保关系所在地完成申请退费”',
    }),
    v('refund.foundJobFrom', 'TL22', TL, '2022-04-01', 'month-of-employment', {
      doc: 'TL22',
      article: '§7(1)',
      reading:
        '“退回其就业后当年剩余月份以灵活就业人员身份缴纳的职工医保费”: from the month of employment, which the unit pays for (a new hire’s first month, JL26 Art.14), to December',
    }),
  ],
};
