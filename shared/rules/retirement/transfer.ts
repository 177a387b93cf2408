/**
 * Retirement transfer (在职转退休): is the person eligible now, how many months are missing, what may
 * the person choose, what does a lump sum cost and what is credited to the personal account after it.
 *
 * - JL26 (from 2026-03-01): R-1…R-8 for unit and flexible employees (Art.6–9, 19, 27).
 * - FLX25 (2025-05-01…2026-02-28): the same rules for flexible workers only (§5); a unit employee of
 *   that time follows the 2022 interim measures, which are not among the sources: an error, not a guess.
 * - TL22 (Tieling): R-10, 30/25 cumulative with 10 actual years in the region, the lump sum on the
 *   average wage, for persons reaching retirement age from 2021-11-01.
 *
 * Counts are months (staff records count 缴费月数); years are months ÷ 12. R-9 comes from age.ts.
 */
import * as z from 'zod';
import { monthsBetween, type YearMonth } from '#domain/calendar.js';
import { applyRatio, type Fen, formatRatio, formatYuan, type Ratio } from '#domain/money.js';
import { baseFacts, businessDate, employeeMode, fen, flexibleMode, strictObject, yearMonth } from '#schemas/common.js';
import { averageWage, flexibleBase, flexibleComponents, type LineItem, monthlyLines } from '../contributions/rates.js';
import { type Branch, defineDecision, type EvalContext } from '../engine.js';
import { NoApplicableRuleError } from '../errors.js';
import { type LegalRetirement, legalRetirement, retirementPersonFields } from './age.js';

const months = z.number().int().min(0).max(960);

export const retirementTransferFacts = baseFacts
  .extend({
    processedOn: businessDate.describe(
      'the day the agency processes the application: picks the policy set and the lump-sum standard (JL26 Art.19)',
    ),
    ...retirementPersonFields,
    mode: employeeMode.describe('how the person is insured as an employee now: 单位 unit or 灵活就业 flexible'),
    retireIn: flexibleMode
      .default('combined')
      .describe(
        'the mode the person retires in: combined (with a personal account; always for unit employees) or pooling-only',
      ),
    record: strictObject({
      deemedMonths: months.describe('R-2: 视同缴费 service months before the region’s employee scheme began (工龄)'),
      outOfProvinceMonths: months.describe('R-2: employee months paid outside Jilin (TL22: outside Tieling)'),
      localCombinedMonths: months.describe(
        'actual months paid in the province (TL22: in Tieling) by a unit or in combined mode',
      ),
      localPoolingOnlyMonths: months.default(0).describe('actual months paid in the province in pooling-only mode'),
    }).describe('the contribution record, in months, without military years'),
    militaryPeriods: z
      .array(
        strictObject({
          kind: z
            .enum(['military-service', 'military-spouse'])
            .describe('R-2: 军龄 military service, or 随军未就业配偶 years as an unemployed military spouse'),
          from: yearMonth.describe('first month'),
          to: yearMonth.describe('last month, inclusive'),
        }),
      )
      .default([])
      .describe('R-2: counted as cumulative before the region’s scheme began, as in-province actual after'),
    bankruptcyDeferral: strictObject({
      agreementInForce: z.boolean().describe('the employer’s bankruptcy deferral agreement (§6) is in force'),
      individualDueFen: fen.describe('the person’s own unpaid dues'),
      unitDueFen: fen.describe('the unit’s unpaid dues for this person'),
    })
      .optional()
      .describe('R-8: the employer’s bankruptcy deferral, if any'),
    lumpSumPaidOn: businessDate
      .optional()
      .describe('R-7: the day the lump sum is (to be) paid; default the processing day'),
  })
  .superRefine((f, ctx) => {
    if (f.mode === 'unit' && f.retireIn === 'pooling-only')
      ctx.addIssue({ code: 'custom', path: ['retireIn'], message: 'a unit employee retires in combined mode' });
    f.militaryPeriods.forEach((p, i) => {
      if (p.to < p.from)
        ctx.addIssue({ code: 'custom', path: ['militaryPeriods', i, 'to'], message: 'is before from' });
    });
    // The processing day is the agency's today: a birth after it is a wrong date, never a person to retire.
    if (f.birthDate > f.processedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['birthDate'],
        message: `晚于受理日（${f.processedOn}） is after the processing day (${f.processedOn})`,
      });
    if (f.lumpSumPaidOn && f.lumpSumPaidOn < f.processedOn)
      ctx.addIssue({ code: 'custom', path: ['lumpSumPaidOn'], message: 'is before the processing day' });
  });

export type RetirementTransferFacts = z.output<typeof retirementTransferFacts>;

export type TransferOption = 'transfer' | 'continue-paying' | 'lump-sum' | 'resident';

export interface LumpSumLine {
  /** `missing-months`: months paid in full; `conversion`: pooling-only months converted at the difference (R-6). */
  readonly part: 'missing-months' | 'conversion';
  readonly component: string;
  readonly rate: string;
  readonly monthlyFen: Fen;
  readonly months: number;
  readonly amountFen: Fen;
}

export interface LumpSum {
  /** The day whose standard prices it (the processing day, JL26 Art.19 / TL22 §6(2)). */
  readonly standardOn: string;
  readonly baseFen: Fen;
  /**
   * One month of the lump sum in the retiring mode: the basic medical premium (JL26 Art.8 “职工基本医疗保险费”),
   * so without the maternity line unless `retirement.lumpSumIncludesMaternity`. Keeping on paying as a
   * flexible worker costs the full flexible month (C-5), maternity included.
   */
  readonly monthlyFen: Fen;
  readonly lines: readonly LumpSumLine[];
  readonly totalFen: Fen;
}

export interface RetirementTransfer {
  readonly retirementDate: string;
  readonly retirementAge: { readonly years: number; readonly months: number };
  readonly reachedRetirementAge: boolean;
  readonly requiredCumulativeMonths: number;
  readonly requiredLocalMonths: number;
  /** R-2: all cumulative months (pooling-only included). */
  readonly cumulativeMonths: number;
  /** R-2: actual months in the province (TL22: region), pooling-only and military after the scheme included. */
  readonly localActualMonths: number;
  /** R-3: months missing, to be paid in full. */
  readonly shortfallMonths: number;
  readonly shortfallYears: number;
  /** R-6: pooling-only months to convert at the difference. */
  readonly conversionMonths: number;
  /** Age reached, nothing missing and no R-8 gate: the transfer can be done now. */
  readonly eligibleNow: boolean;
  readonly blockedBy: 'R-8' | null;
  /** R-8: individual + unit dues to pay before the transfer. */
  readonly duesFirstFen: Fen;
  readonly options: readonly TransferOption[];
  readonly lumpSum: LumpSum | null;
  /** R-7: the one-off personal-account credit after the lump sum. */
  readonly accountCreditFen: Fen;
  readonly accountCreditMonths: number;
  readonly decidedBy: string;
}

const ym = (m: number) => ({
  zh: `${Math.floor(m / 12)}年${m % 12 ? `${m % 12}个月` : ''}`,
  en: `${Math.floor(m / 12)} year${Math.floor(m / 12) === 1 ? '' : 's'}${m % 12 ? ` ${m % 12} month${m % 12 === 1 ? '' : 's'}` : ''}`,
});

const OPTION_ZH: Record<TransferOption, string> = {
  transfer: '办理在职转退休',
  'continue-paying': '继续缴费至规定年限',
  'lump-sum': '一次性趸缴差额年限',
  resident: '参加居民医保',
};

interface Counts {
  readonly combinedCumulative: number;
  readonly combinedLocal: number;
  readonly poolingOnly: number;
  readonly cumulative: number;
  readonly local: number;
  readonly militaryBefore: number;
  readonly militaryAfter: number;
}

/** R-2: what counts, in months. Military months before the scheme began are cumulative, after it actual. */
function count(f: RetirementTransferFacts, ctx: EvalContext): Counts {
  const start = ctx.param<YearMonth>('retirement.schemeStartMonth');
  let militaryBefore = 0;
  let militaryAfter = 0;
  for (const p of f.militaryPeriods) {
    const total = monthsBetween(p.from, p.to) + 1;
    const before = Math.min(total, Math.max(0, monthsBetween(p.from, start)));
    militaryBefore += before;
    militaryAfter += total - before;
  }
  const r = f.record;
  const combinedLocal = r.localCombinedMonths + militaryAfter;
  const combinedCumulative = r.deemedMonths + r.outOfProvinceMonths + militaryBefore + combinedLocal;
  const poolingOnly = r.localPoolingOnlyMonths;
  return {
    combinedCumulative,
    combinedLocal,
    poolingOnly,
    cumulative: combinedCumulative + poolingOnly,
    local: combinedLocal + poolingOnly,
    militaryBefore,
    militaryAfter,
  };
}

function priceLumpSum(
  f: RetirementTransferFacts,
  ctx: EvalContext,
  missing: number,
  conversion: number,
): { lumpSum: LumpSum; creditBase: (on: string) => Fen } {
  const on = f.processedOn;
  const method = ctx.param<'flexible-monthly-contribution' | 'average-wage-rate'>('retirement.lumpSumMethod', on);
  let baseFen: Fen;
  let full: { lines: LineItem[]; totalFen: Fen };
  let poolingOnly: { lines: LineItem[]; totalFen: Fen } | undefined;
  let creditBase: (d: string) => Fen;
  if (method === 'flexible-monthly-contribution') {
    // JL26 Art.8, Art.19: the flexible base and rates of the retiring mode, in force on the processing day.
    // “职工基本医疗保险费”: without the maternity line unless the pack reads it in (both sides of R-6 alike).
    const withMaternity = ctx.param<boolean>('retirement.lumpSumIncludesMaternity', on);
    const components = (mode: 'combined' | 'pooling-only') =>
      flexibleComponents(ctx, mode, on).filter((c) => withMaternity || c.component !== 'maternity');
    baseFen = flexibleBase(ctx, on);
    full = monthlyLines(baseFen, components(f.retireIn));
    if (conversion > 0) poolingOnly = monthlyLines(baseFen, components('pooling-only'));
    creditBase = (d) => flexibleBase(ctx, d);
  } else {
    // TL22 §6(2): the prior-year average wage in force on the processing day, at the mode's rate.
    baseFen = averageWage(ctx, on).monthlyFen;
    const rates = ctx.param<{ combined: Ratio; poolingOnly: Ratio }>('retirement.lumpSumRate', on);
    const rate = f.retireIn === 'combined' ? rates.combined : rates.poolingOnly;
    full = monthlyLines(baseFen, [{ component: 'medical', rate }]);
    creditBase = (d) => averageWage(ctx, d).monthlyFen;
  }
  const lines: LumpSumLine[] = [];
  if (missing > 0) {
    for (const l of full.lines) {
      lines.push({
        part: 'missing-months',
        component: l.component,
        rate: formatRatio(l.rate),
        monthlyFen: l.amountFen,
        months: missing,
        amountFen: l.amountFen * missing,
      });
    }
  }
  if (conversion > 0 && poolingOnly) {
    // R-6: per component, the combined month less the pooling-only month (each already rounded once).
    for (const c of full.lines) {
      const p = poolingOnly.lines.find((x) => x.component === c.component);
      const monthlyFen = c.amountFen - (p?.amountFen ?? 0);
      if (monthlyFen === 0) continue;
      lines.push({
        part: 'conversion',
        component: c.component,
        rate: `${formatRatio(c.rate)} − ${p ? formatRatio(p.rate) : '0%'}`,
        monthlyFen,
        months: conversion,
        amountFen: monthlyFen * conversion,
      });
    }
  }
  return {
    lumpSum: {
      standardOn: on,
      baseFen,
      monthlyFen: full.totalFen,
      lines,
      totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
    },
    creditBase,
  };
}

export const retirementTransfer = defineDecision({
  id: 'retirement-transfer',
  title: { zh: '职工医保在职转退休', en: 'Retirement transfer of the employee scheme' },
  rules: ['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6', 'R-7', 'R-8', 'R-9', 'R-10', 'P-1', 'P-2'],
  input: retirementTransferFacts,
  businessDate: (f) => f.processedOn,
  evaluate(f, ctx): RetirementTransfer {
    const tl = ctx.pack.jurisdiction === 'TL';
    const legal: LegalRetirement = legalRetirement(f, ctx);
    const reached = f.processedOn >= legal.retirementDate;

    const modes = ctx.param<Array<'unit' | 'flexible'>>('retirement.coveredModes');
    if (!modes.includes(f.mode)) {
      throw new NoApplicableRuleError(
        `the retirement transfer of a ${f.mode} employee under ${ctx.pack.id}`,
        [tl ? 'R-10' : 'R-1'],
        `${ctx.pack.id} speaks only of ${modes.join(', ')} employees; before 2026-03-01 a unit employee’s transfer follows 吉医保联〔2022〕19号, which is not among the sources`,
      );
    }
    if (tl) {
      const from = ctx.param<string>('retirement.appliesFromRetirementDate');
      if (legal.retirementDate < from) {
        throw new NoApplicableRuleError(
          'the retirement transfer under TL22',
          ['R-10'],
          `TL22 §6(3) covers persons reaching retirement age from ${from}; this person reached it on ${legal.retirementDate}, under earlier Tieling rules that are not among the sources`,
        );
      }
    }

    const c = count(f, ctx);
    const req = ctx.param<{ male: number; female: number }>('retirement.requiredCumulativeYears');
    const requiredCumulative = (f.sex === 'male' ? req.male : req.female) * 12;
    const requiredLocal = ctx.param<number>('retirement.requiredLocalYears') * 12;
    const countNote = `cumulative ${c.cumulative} months (military ${c.militaryBefore} before the scheme), actual local ${c.local} months (military ${c.militaryAfter} after the scheme, pooling-only ${c.poolingOnly})`;
    if (tl)
      ctx.skip('R-2', 'TL22 §6(1) defines what counts (视同缴费年限 before 2001-07-01, actual years in the region)');
    else ctx.apply('R-2', countNote);

    // R-3 (Reading): one paid month raises both counts, so the larger gap is the shortfall.
    const shortfall = Math.max(0, requiredCumulative - c.cumulative, requiredLocal - c.local);
    let conversion = 0;
    const mayConvert =
      f.retireIn === 'combined' && c.poolingOnly > 0 && ctx.param<boolean>('retirement.poolingOnlyConversion');
    if (mayConvert) {
      // R-6: retiring in combined mode, the combined months must meet both counts; pooling-only months
      // are converted first (they cost only the difference), the rest is the R-3 shortfall.
      const need = Math.max(0, requiredCumulative - c.combinedCumulative, requiredLocal - c.combinedLocal);
      conversion = Math.min(c.poolingOnly, need);
    }
    const short = shortfall + conversion > 0;
    if (!tl) {
      if (shortfall > 0)
        ctx.apply(
          'R-3',
          `max(${requiredCumulative} − ${c.cumulative}, ${requiredLocal} − ${c.local}) = ${shortfall} months`,
        );
      else ctx.skip('R-3', 'no months missing');
    }

    const rule1 = tl ? 'R-10' : 'R-1';
    const levels: Array<Branch<{ options: TransferOption[]; decidedBy: string }>> = [
      {
        rule: rule1,
        when: () => (!reached ? `the legal retirement date ${legal.retirementDate} is after ${f.processedOn}` : false),
        why: `legal retirement age reached on ${legal.retirementDate}`,
        then: () => ({ options: [], decidedBy: rule1 }),
      },
      {
        rule: rule1,
        when: () =>
          !short
            ? `${c.cumulative} ≥ ${requiredCumulative} cumulative and ${c.local} ≥ ${requiredLocal} local months`
            : false,
        why: 'short of years',
        then: () => ({ options: ['transfer'], decidedBy: rule1 }),
      },
    ];
    if (tl) {
      levels.push({
        rule: 'R-10',
        when: `short by ${shortfall} months`,
        then: () => ({
          options: ctx.param<TransferOption[]>('retirement.optionsWhenShort'),
          decidedBy: 'R-10',
        }),
      });
    } else {
      const minLocal = () => ctx.param<number>('retirement.continuePayingMinLocalYears') * 12;
      levels.push(
        {
          rule: 'R-5',
          when: () =>
            f.mode === 'flexible' && c.local < minLocal()
              ? `flexible worker with ${c.local} < ${minLocal()} actual in-province months`
              : false,
          why: 'not a flexible worker with fewer than 2 actual in-province years',
          then: () => ({ options: ctx.param<TransferOption[]>('retirement.optionsFewLocalYears'), decidedBy: 'R-5' }),
        },
        {
          rule: 'R-4',
          when: `short by ${shortfall + conversion} months`,
          then: () => ({ options: ctx.param<TransferOption[]>('retirement.optionsWhenShort'), decidedBy: 'R-4' }),
        },
      );
    }
    const route = ctx.exceptions('the retirement transfer (JL26 Art.6–9, TL22 §6)', levels);

    if (conversion > 0) ctx.apply('R-6', `${conversion} pooling-only months converted at the difference`);
    else if (!tl) ctx.skip('R-6', c.poolingOnly > 0 ? 'no conversion needed or allowed' : 'no pooling-only months');

    // Lump sum and the R-7 credit, when a lump sum is among the choices.
    let lumpSum: LumpSum | null = null;
    let accountCreditFen = 0;
    let accountCreditMonths = 0;
    if (route.options.includes('lump-sum')) {
      const priced = priceLumpSum(f, ctx, shortfall, conversion);
      lumpSum = priced.lumpSum;
      if (f.retireIn === 'combined' && ctx.param<boolean>('retirement.oneOffAccountCredit')) {
        const payDay = f.lumpSumPaidOn ?? f.processedOn;
        const perMonth = applyRatio(
          priced.creditBase(payDay),
          ctx.param<Ratio>('account.creditingShareOfBase', payDay),
        );
        accountCreditMonths = shortfall + conversion;
        accountCreditFen = perMonth * accountCreditMonths;
        ctx.apply('R-7', `${accountCreditMonths} months × ${formatYuan(perMonth)} yuan at the standard of ${payDay}`);
      } else {
        ctx.skip(
          'R-7',
          f.retireIn === 'combined'
            ? `${ctx.pack.id} credits no account after a lump sum`
            : 'pooling-only: no personal account',
        );
      }
    }

    // R-8: a gate, not a route: while the deferral is in force, dues first.
    const duesFirstFen = f.bankruptcyDeferral
      ? f.bankruptcyDeferral.individualDueFen + f.bankruptcyDeferral.unitDueFen
      : 0;
    let blocked = false;
    if (f.bankruptcyDeferral?.agreementInForce) {
      if (!ctx.param<boolean>('retirement.duesFirstDuringDeferral'))
        ctx.skip('R-8', `no such gate under ${ctx.pack.id}`);
      else if (duesFirstFen === 0) ctx.skip('R-8', 'the person’s individual and unit dues are paid');
      else {
        blocked = true;
        ctx.apply('R-8', `deferral in force: ${formatYuan(duesFirstFen)} yuan of dues first (B-3)`);
      }
    } else if (!tl) ctx.skip('R-8', 'no bankruptcy deferral in force');

    const eligibleNow = reached && !short && !blocked;
    const cum = ym(c.cumulative);
    const loc = ym(c.local);
    const reqCum = ym(requiredCumulative);
    const reqLoc = ym(requiredLocal);
    const where = tl ? { zh: '本统筹地区', en: 'in Tieling' } : { zh: '省内', en: 'in the province' };
    const head = {
      zh: `法定退休日期${legal.retirementDate}；累计缴费${cum.zh}（规定${reqCum.zh}），${where.zh}实际缴费${loc.zh}（规定${reqLoc.zh}）`,
      en: `legal retirement date ${legal.retirementDate}; cumulative ${cum.en} (required ${reqCum.en}), actual ${where.en} ${loc.en} (required ${reqLoc.en})`,
    };
    const gate = blocked
      ? {
          zh: `；破产延期缴费协议期间，须先缴清本人个人及单位欠费${formatYuan(duesFirstFen)}元方可办理`,
          en: `; while the bankruptcy deferral is in force, ${formatYuan(duesFirstFen)} yuan of the person’s individual and unit dues must be paid first`,
        }
      : { zh: '', en: '' };
    if (!reached) {
      ctx.because(
        `${head.zh}；尚未达到法定退休年龄，暂不能办理在职转退休`,
        `${head.en}; the legal retirement age is not yet reached, no transfer yet`,
      );
    } else if (!short) {
      ctx.because(
        `${head.zh}；年限已满足，可办理在职转退休，不再缴费${gate.zh}`,
        `${head.en}; the years are met: the transfer can be made and contributions stop${gate.en}`,
      );
    } else {
      const miss = ym(shortfall);
      const conv = conversion
        ? {
            zh: `，另有单建统筹${ym(conversion).zh}按差额补缴`,
            en: `, plus ${ym(conversion).en} of pooling-only contributions converted at the difference`,
          }
        : { zh: '', en: '' };
      const ls = lumpSum
        ? {
            zh: `；一次性趸缴按${lumpSum.standardOn}标准（基数${formatYuan(lumpSum.baseFen)}元）共${formatYuan(lumpSum.totalFen)}元${accountCreditFen ? `，补缴后一次性补计个人账户${formatYuan(accountCreditFen)}元` : ''}`,
            en: `; the lump sum at the standard of ${lumpSum.standardOn} (base ${formatYuan(lumpSum.baseFen)} yuan) is ${formatYuan(lumpSum.totalFen)} yuan${accountCreditFen ? `, then ${formatYuan(accountCreditFen)} yuan credited once to the personal account` : ''}`,
          }
        : { zh: '', en: '' };
      ctx.because(
        `${head.zh}；差额${miss.zh}${conv.zh}；可选择：${route.options.map((o) => OPTION_ZH[o]).join('、')}${ls.zh}${gate.zh}`,
        `${head.en}; short by ${miss.en}${conv.en}; choices: ${route.options.join(', ')}${ls.en}${gate.en}`,
      );
    }

    return {
      retirementDate: legal.retirementDate,
      retirementAge: { years: legal.ageYears, months: legal.ageMonths },
      reachedRetirementAge: reached,
      requiredCumulativeMonths: requiredCumulative,
      requiredLocalMonths: requiredLocal,
      cumulativeMonths: c.cumulative,
      localActualMonths: c.local,
      shortfallMonths: shortfall,
      shortfallYears: shortfall / 12,
      conversionMonths: conversion,
      eligibleNow,
      blockedBy: blocked ? 'R-8' : null,
      duesFirstFen: blocked ? duesFirstFen : 0,
      options: route.options,
      lumpSum,
      accountCreditFen,
      accountCreditMonths,
      decidedBy: route.decidedBy,
    };
  },
  // P-2: eligible beats not; fewer months to pay beats more; a cheaper lump sum beats a dearer one.
  moreFavourable: (a, b) => {
    if (a.eligibleNow !== b.eligibleNow) return a.eligibleNow;
    const am = a.shortfallMonths + a.conversionMonths;
    const bm = b.shortfallMonths + b.conversionMonths;
    if (am !== bm) return am < bm;
    return (a.lumpSum?.totalFen ?? 0) < (b.lumpSum?.totalFen ?? 0);
  },
  example: {
    asOf: '2026-04-20',
    facts: {
      region: '220200',
      processedOn: '2026-04-20',
      sex: 'male',
      birthDate: '1965-03-10',
      mode: 'unit',
      record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 },
    },
  },
});
