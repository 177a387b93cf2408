/**
 * A resident's contribution for one fee year (C-8…C-12): the yearly amount by category, the
 * exceptions that make it nothing (a return to the same place in the same year, C-8; a newborn born
 * in the window, JL21 §4), the medical-assistance subsidy (C-10, pay first and subsidise after), the
 * place-of-study check for students (C-11) and whether a personal account may pay (C-12).
 */
import * as z from 'zod';
import { firstOfYear, lastOfYear, yearOf } from '#domain/calendar.js';
import { type Fen, formatYuan } from '#domain/money.js';
import { isRegion } from '#domain/regions.js';
import { accountRelations } from '#params/areas/contributions.js';
import { baseFacts, birthDate, businessDate, feeYear, strictObject } from '#schemas/common.js';
import { defineDecision, type EvalContext } from '../engine.js';
import type { Finding } from './rates.js';

const divisionCode = z.string().regex(/^\d{6}$/, 'a 6-digit division code');
const assistanceCategory = z
  .enum(['extreme-poverty', 'orphan', 'minimum-living', 'registered-poor'])
  .describe(
    'C-10: 特困供养 extreme poverty, 孤儿 orphan (incl. protected as orphans), 低保 minimum living, 建档立卡 registered poor',
  );

export const residentContributionFacts = baseFacts
  .extend({
    feeYear: feeYear.describe('the fee year (calendar year of cover) paid for'),
    paidOn: businessDate.optional().describe('payment date (default: the as-of date); picks the policy set'),
    person: strictObject({
      birthDate,
      student: z.boolean().default(false).describe('大中小学生, full-time student of any level'),
      studyRegion: divisionCode.optional().describe('C-11: the pooling region of the place of study (学籍地)'),
      povertyRecognisedIn: divisionCode
        .optional()
        .describe(
          'C-11: where a student’s 建档立卡 poverty status was recognised (a code outside 22xxxx is out of province)',
        ),
    }),
    returningSameYear: z
      .boolean()
      .default(false)
      .describe('C-8: the person already paid for this fee year here, left, and is coming back in the same year'),
    assistance: strictObject({
      category: assistanceCategory,
      recognisedOn: businessDate.describe('when the status was recognised'),
      lostOn: businessDate.optional().describe('when the status was lost, if it was'),
      subsidyReceived: z.boolean().default(false).describe('the subsidy for this fee year was already paid out'),
    })
      .optional()
      .describe('C-10: a medical-assistance recipient'),
    payer: strictObject({
      method: z.enum(['cash', 'personal-account']),
      relation: z
        .enum([...accountRelations, 'other'])
        .default('self')
        .describe('C-12: the account holder’s relation to the person enrolled'),
    })
      .optional()
      .describe('who pays, and how'),
  })
  .superRefine((f, ctx) => {
    if (f.person.student && !f.person.studyRegion)
      ctx.addIssue({ code: 'custom', path: ['person', 'studyRegion'], message: 'required for a student (C-11)' });
    if (f.person.birthDate > lastOfYear(f.feeYear))
      ctx.addIssue({ code: 'custom', path: ['person', 'birthDate'], message: 'is after the fee year' });
    if (f.assistance?.lostOn && f.assistance.lostOn < f.assistance.recognisedOn)
      ctx.addIssue({ code: 'custom', path: ['assistance', 'lostOn'], message: 'is before recognisedOn' });
  });

export type ResidentContributionFacts = z.output<typeof residentContributionFacts>;

interface PersonalAmount {
  readonly adult: Fen;
  readonly studentOrMinor: Fen;
  readonly minorsBornAfter: string;
}
type AssistanceSubsidy = Record<z.infer<typeof assistanceCategory>, 'full' | Fen>;

export interface ResidentContribution {
  readonly feeYear: number;
  /** C-9 category; null when an exception made the year free without pricing it. */
  readonly category: 'adult' | 'student-or-minor' | null;
  /** The year's amount for the category (C-9); null when an exception made it nothing without reading it. */
  readonly standardFen: Fen | null;
  /** What this enrollment costs: the standard amount, or 0 under C-8 / JL21 §4. */
  readonly dueFen: Fen;
  /** “Pay first”: the person pays the whole due amount (C-10). */
  readonly personPaysFen: Fen;
  /** “Subsidise after”: the medical-assistance subsidy that follows (C-10). */
  readonly subsidyFen: Fen;
  readonly subsidyTiming: 'after-payment' | 'on-application' | null;
  /** Subsidy received for a status lost before Jan 1, to repay before benefits (C-10). */
  readonly repayBeforeBenefitsFen: Fen;
  readonly netFen: Fen;
  /** C-12: whether the personal account named may pay; null when no account pays. */
  readonly accountMayPay: boolean | null;
  readonly findings: readonly Finding[];
  readonly decidedBy: 'C-8' | 'W-1' | 'C-9';
}

interface Due {
  readonly dueFen: Fen;
  readonly standardFen: Fen | null;
  readonly decidedBy: ResidentContribution['decidedBy'];
}

const inWindowOf = (ctx: EvalContext, windowYear: number, day: string, on: string): boolean => {
  // The window for fee year Y runs in Y − 1 (JL21 §1); `windowYear` is that Y − 1.
  const w = ctx.param<{ opens: string; closes: string }>('resident.collectionWindow', on);
  return day >= `${windowYear}-${w.opens}` && day <= `${windowYear}-${w.closes}`;
};

interface Subsidy {
  readonly subsidyFen: Fen;
  readonly timing: ResidentContribution['subsidyTiming'];
  readonly repayFen: Fen;
  readonly zh: string;
  readonly en: string;
}

function subsidy(f: ResidentContributionFacts, ctx: EvalContext, standardFen: Fen): Subsidy {
  const a = f.assistance!;
  const jan1 = firstOfYear(f.feeYear);
  const table = ctx.param<AssistanceSubsidy>('resident.assistanceSubsidy', jan1);
  const entitled = table[a.category] === 'full' ? standardFen : Math.min(table[a.category] as Fen, standardFen);
  return ctx.exceptions<Subsidy>(`the medical-assistance subsidy for ${f.feeYear} (JL21 §2, JL26 Art.21)`, [
    {
      rule: 'C-10',
      when: () => (a.lostOn !== undefined && a.lostOn < jan1 ? `status lost on ${a.lostOn}, before ${jan1}` : false),
      why: 'status not lost before Jan 1 of the fee year',
      then: () => {
        const repayFen = a.subsidyReceived ? entitled : 0;
        return {
          subsidyFen: 0,
          timing: null,
          repayFen,
          zh: repayFen
            ? `；${jan1}前已不符合资助条件，须全额补缴已享有的补贴${formatYuan(repayFen)}元后方可享受待遇`
            : `；${jan1}前已不符合资助条件，不予补贴`,
          en: repayFen
            ? `; the status was lost before ${jan1}, so the ${formatYuan(repayFen)} subsidy received is repaid before benefits`
            : `; the status was lost before ${jan1}: no subsidy`,
        };
      },
    },
    {
      rule: 'C-10',
      when: () =>
        a.recognisedOn > lastOfYear(f.feeYear) ? `status recognised on ${a.recognisedOn}, after ${f.feeYear}` : false,
      why: 'status recognised by the end of the fee year',
      then: () => ({
        subsidyFen: 0,
        timing: null,
        repayFen: 0,
        zh: `；资助身份认定晚于${f.feeYear}年度，不予补贴`,
        en: `; status recognised after ${f.feeYear}: no subsidy`,
      }),
    },
    {
      rule: 'C-10',
      when: () => (a.recognisedOn >= jan1 ? `status recognised on ${a.recognisedOn}, during ${f.feeYear}` : false),
      why: 'status held before the fee year began',
      then: () => ({
        subsidyFen: entitled,
        timing: 'on-application' as const,
        repayFen: 0,
        zh: `；${a.recognisedOn}新认定为资助对象，已全额缴费，可依申请享有补贴${formatYuan(entitled)}元`,
        en: `; newly recognised on ${a.recognisedOn} after paying in full: a ${formatYuan(entitled)} subsidy on application`,
      }),
    },
    {
      rule: 'C-10',
      when: `${a.category} status held on ${jan1}`,
      then: () => ({
        subsidyFen: entitled,
        timing: 'after-payment' as const,
        repayFen: 0,
        zh: `；按“先缴后补”，个人先全额缴纳，再获医疗救助资助${formatYuan(entitled)}元`,
        en: `; pay first, subsidise after: the person pays in full and then receives a ${formatYuan(entitled)} medical-assistance subsidy`,
      }),
    },
  ]);
}

/** C-11: students enroll and pay where they study; a poverty-registered student where recognised. */
function placeOfStudy(f: ResidentContributionFacts, ctx: EvalContext, paid: string): Finding[] {
  const p = f.person;
  if (!p.student) {
    ctx.skip('C-11', 'not a student');
    return [];
  }
  const findings: Finding[] = [];
  const recognisedInProvince = p.povertyRecognisedIn?.startsWith('22') === true;
  const expected = recognisedInProvince ? p.povertyRecognisedIn! : p.studyRegion!;
  const expectedIsPool = isRegion(expected);
  if (expected !== f.region) {
    findings.push(
      recognisedInProvince
        ? {
            rule: 'C-11',
            zh: `建档立卡学生须在身份认定地${expected}参保，而非${f.region}`,
            en: `a student recognised as poor in ${expected} enrolls there, not in ${f.region}`,
          }
        : {
            rule: 'C-11',
            zh: `学生应在学籍地${expected}参保，而非${f.region}`,
            en: `a student enrolls at the place of study ${expected}${expectedIsPool ? '' : ' (outside the province)'}, not in ${f.region}`,
          },
    );
  }
  if (!inWindowOf(ctx, f.feeYear - 1, paid, paid)) {
    findings.push({
      rule: 'C-11',
      zh: `学生个人缴费纳入集中缴费期，${paid}不在${f.feeYear}年度集中缴费期内`,
      en: `students pay in the concentrated window; ${paid} is outside the window for ${f.feeYear}`,
    });
  }
  ctx.apply('C-11', findings.length ? findings.map((x) => x.en).join('; ') : `enrolled at ${expected} in the window`);
  return findings;
}

/** C-12: a personal account may pay the holder's own and close relatives' contributions. */
function accountPayment(
  f: ResidentContributionFacts,
  ctx: EvalContext,
): { mayPay: boolean | null; findings: Finding[] } {
  if (f.payer?.method !== 'personal-account') {
    ctx.skip('C-12', 'no personal account pays');
    return { mayPay: null, findings: [] };
  }
  const allowed = ctx.param<readonly string[]>('account.payableRelations');
  const rel = f.payer.relation;
  const mayPay = allowed.includes(rel);
  ctx.apply(
    'C-12',
    mayPay ? `the account holder’s ${rel}: may pay` : 'not the holder or a close relative: may not pay',
  );
  return {
    mayPay,
    findings: mayPay
      ? []
      : [
          {
            rule: 'C-12',
            zh: '个人账户只能支付本人及其近亲属的参保缴费',
            en: 'a personal account pays only for the holder and close relatives',
          },
        ],
  };
}

export const residentContribution = defineDecision({
  id: 'resident-contribution',
  title: {
    zh: '居民医保年度个人缴费与资助',
    en: 'Resident contribution and medical-assistance subsidy for a fee year',
  },
  rules: ['C-8', 'C-9', 'C-10', 'C-11', 'C-12', 'W-1', 'P-1', 'P-2'],
  input: residentContributionFacts,
  businessDate: (f, asOf) => f.paidOn ?? asOf,
  evaluate(f, ctx): ResidentContribution {
    const paid = ctx.businessDate;
    const jan1 = firstOfYear(f.feeYear);
    let amounts: PersonalAmount | undefined;
    const amount = () => (amounts ??= ctx.param<PersonalAmount>('resident.personalAmount', jan1));
    // The category needs the year's cut-off only when the person is not a student.
    const category = (): 'adult' | 'student-or-minor' =>
      f.person.student || f.person.birthDate > amount().minorsBornAfter ? 'student-or-minor' : 'adult';
    const standard = () => (category() === 'adult' ? amount().adult : amount().studentOrMinor);
    const born = f.person.birthDate;

    const due = ctx.exceptions<Due>(`the personal amount for ${f.feeYear}`, [
      {
        rule: 'C-8',
        when: () =>
          f.returningSameYear && ctx.param<boolean>('resident.returnSameYearFree')
            ? `returning within ${f.feeYear}`
            : false,
        why: f.returningSameYear ? 'no same-year waiver in this policy set' : 'not a return in the same year',
        then: () => ({ dueFen: 0, standardFen: null, decidedBy: 'C-8' }),
      },
      {
        rule: 'W-1',
        when: () =>
          yearOf(born) === f.feeYear && inWindowOf(ctx, yearOf(born), born, paid)
            ? `born on ${born}, inside the window`
            : false,
        why: 'not a newborn born inside the window enrolling for the birth year',
        then: () => ({ dueFen: 0, standardFen: null, decidedBy: 'W-1' }),
      },
      {
        rule: 'C-9',
        when: () => `${category()} in ${f.feeYear}: ${formatYuan(standard())}`,
        then: () => ({ dueFen: standard(), standardFen: standard(), decidedBy: 'C-9' }),
      },
    ]);
    if (due.decidedBy === 'C-9') ctx.apply('C-8', `resident contribution per calendar year: ${f.feeYear}`);
    // Under C-8 / JL21 §4 nothing is priced, so the year's category table is not read.
    const cat = due.decidedBy === 'C-9' ? category() : null;

    let sub: Subsidy = { subsidyFen: 0, timing: null, repayFen: 0, zh: '', en: '' };
    if (f.assistance && due.dueFen > 0) sub = subsidy(f, ctx, due.dueFen);
    else
      ctx.skip('C-10', f.assistance ? 'nothing is due, so nothing to subsidise' : 'not a medical-assistance recipient');

    const study = placeOfStudy(f, ctx, paid);
    const account = accountPayment(f, ctx);
    const findings = [...study, ...account.findings];

    const catZh = cat === 'adult' ? '成年人' : '学生及18周岁以下人员';
    const catEn = cat === 'adult' ? 'an adult' : 'a student or a person under 18';
    const head =
      due.decidedBy === 'C-8'
        ? {
            zh: `同一统筹年度内再次回到原参保地参保，${f.feeYear}年度无需另行缴费`,
            en: `returning to the same place within ${f.feeYear}: nothing more to pay`,
          }
        : due.decidedBy === 'W-1'
          ? {
              zh: `新生儿于集中缴费期内${born}出生，参保登记后无需缴纳${f.feeYear}年度个人医保费，直接预缴次年`,
              en: `newborn born on ${born}, inside the window: nothing to pay for ${f.feeYear}; the next year is paid in advance`,
            }
          : {
              zh: `${f.feeYear}年度居民医保${catZh}个人缴费标准${formatYuan(due.dueFen)}元`,
              en: `${f.feeYear} resident personal amount for ${catEn}: ${formatYuan(due.dueFen)} yuan`,
            };
    const tail = findings.length
      ? {
          zh: `；提示：${findings.map((x) => x.zh).join('；')}`,
          en: `; findings: ${findings.map((x) => x.en).join('; ')}`,
        }
      : { zh: '', en: '' };
    ctx.because(`${head.zh}${sub.zh}${tail.zh}`, `${head.en}${sub.en}${tail.en}`);

    return {
      feeYear: f.feeYear,
      category: cat,
      standardFen: due.standardFen,
      dueFen: due.dueFen,
      personPaysFen: due.dueFen,
      subsidyFen: sub.subsidyFen,
      subsidyTiming: sub.timing,
      repayBeforeBenefitsFen: sub.repayFen,
      netFen: due.dueFen - sub.subsidyFen,
      accountMayPay: account.mayPay,
      findings,
      decidedBy: due.decidedBy,
    };
  },
  moreFavourable: (a, b) => a.netFen + a.repayBeforeBenefitsFen < b.netFen + b.repayBeforeBenefitsFen,
  example: {
    asOf: '2026-11-15',
    facts: {
      region: '220100',
      feeYear: 2027,
      paidOn: '2026-11-15',
      person: { birthDate: '1980-04-12' },
      assistance: { category: 'minimum-living', recognisedOn: '2024-03-01' },
    },
  },
});
