/**
 * "Is this person covered on date D, and why": a pure reading of the stored enrollments (their
 * status history and the cover periods the engine decided). The store fetches the enrollments in
 * one Query and calls this; nothing is decided again here.
 *
 * E-7: only normal status carries benefits. Cover on D also needs a cover period holding D: a
 * normal enrollment in its waiting period is enrolled and not covered.
 */
import type { CalendarDate } from '#domain/calendar.js';
import { ruleEntry } from '#rules/catalogue.js';
import type { CoverPeriod, Enrollment, EnrollmentStatus, RuleRef, StatusChange, StatusOnDate } from './model.js';

const E7: RuleRef = { id: 'E-7', cites: citesOf('E-7') };

function citesOf(id: string): string {
  try {
    return ruleEntry(id).cites;
  } catch {
    return '';
  }
}

function statusOn(e: Enrollment, date: CalendarDate): StatusChange | undefined {
  let found: StatusChange | undefined;
  for (const s of e.statusHistory) {
    if (s.from <= date) found = s;
    else break;
  }
  return found;
}

const holds = (p: CoverPeriod, date: CalendarDate) => p.start <= date && (p.end === null || date <= p.end);

const RANK: Record<EnrollmentStatus, number> = { normal: 0, suspended: 1, terminated: 2 };

export function statusOnDate(enrollments: readonly Enrollment[], date: CalendarDate): StatusOnDate {
  const candidates = enrollments
    .map((e) => ({ e, s: statusOn(e, date), cover: e.coverPeriods.find((p) => holds(p, date)) }))
    .filter((c): c is { e: Enrollment; s: StatusChange; cover: CoverPeriod | undefined } => c.s !== undefined)
    // Covered first, then by status (normal before suspended before terminated), then the latest enrollment.
    .sort(
      (a, b) =>
        Number(!(a.s.status === 'normal' && a.cover)) - Number(!(b.s.status === 'normal' && b.cover)) ||
        RANK[a.s.status] - RANK[b.s.status] ||
        (a.e.enrolledOn < b.e.enrolledOn ? 1 : a.e.enrolledOn > b.e.enrolledOn ? -1 : 0),
    );

  const best = candidates[0];
  if (!best) {
    return {
      date,
      enrolled: false,
      covered: false,
      rules: [],
      reason: { zh: `${date}无参保记录`, en: `not enrolled on ${date}` },
    };
  }

  const { e, s, cover } = best;
  const base = {
    date,
    enrolled: true,
    enrollmentId: e.enrollmentId,
    scheme: e.scheme,
    ...(e.mode ? { mode: e.mode } : {}),
    region: e.region,
    status: s.status,
  };

  if (s.status !== 'normal') {
    const zhStatus = s.status === 'suspended' ? '暂停' : '终止';
    return {
      ...base,
      covered: false,
      rules: [E7, ...s.rules],
      reason: {
        zh: `参保状态自${s.from}起为${zhStatus}，只有正常参保状态享受待遇：${s.reason.zh}`,
        en: `enrollment ${s.status} since ${s.from}; only normal status carries benefits: ${s.reason.en}`,
      },
    };
  }

  if (cover) {
    return {
      ...base,
      covered: true,
      coverPeriod: cover,
      rules: [E7, ...cover.rules],
      reason: cover.reason,
    };
  }

  // Normal but no cover on D: in a waiting period (a cover period starts later) or unpaid.
  const next = e.coverPeriods.filter((p) => p.start > date).sort((a, b) => (a.start < b.start ? -1 : 1))[0];
  if (next) {
    return {
      ...base,
      covered: false,
      coverPeriod: next,
      rules: [E7, ...next.rules],
      reason: {
        zh: `参保状态正常，但处于待遇等待期，${next.start}起享受待遇：${next.reason.zh}`,
        en: `enrollment normal, but in a waiting period; covered from ${next.start}: ${next.reason.en}`,
      },
    };
  }
  return {
    ...base,
    covered: false,
    rules: [E7],
    reason: {
      zh: `参保状态正常，但${date}不在任何已缴费的待遇期内`,
      en: `enrollment normal, but no paid cover period holds ${date}`,
    },
  };
}
