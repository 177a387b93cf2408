/**
 * Unemployment-fund contributions (C-7): one case per benefit award, opened by staff with
 * `data: { identityKey, benefitFrom, benefitTo }`. One task, run once a month by the state machine
 * (record-month → Wait until `nextRunAt` → record-month … until `done`): each benefit month that has
 * begun is recorded once, at the base and rates in force when it is paid; none after the award ends
 * (staff may shorten `benefitTo` when benefit stops early).
 */
import { type CalendarDate, lastOfMonth, monthOf } from '#domain/calendar.js';
import type { Case } from '#store/model.js';
import {
  decide,
  endOfDayCstIso,
  inputOf,
  isClosed,
  nowOf,
  retryConflicts,
  secondsUntilEndOf,
  stateInvalid,
  systemCtx,
  WorkflowError,
  type WorkflowDeps,
} from './common.js';
import { unemploymentContribution } from '#rules/contributions/unemployment.js';

const COMPONENT = 'unemployment-contributions';

interface RecordedMonth {
  readonly feeMonth: string;
  readonly paidOn: CalendarDate;
  readonly baseFen: number;
  readonly totalFen: number;
}

interface AwardData {
  readonly identityKey: string;
  readonly benefitFrom: string;
  readonly benefitTo: string;
  readonly recorded?: readonly RecordedMonth[];
}

export interface RecordMonthOutput {
  readonly caseId: string;
  readonly state: string;
  /** Months recorded by this call (empty on a retry). */
  readonly recordedNow: readonly RecordedMonth[];
  readonly recordedTotal: number;
  readonly fundPaidFen: number;
  readonly done: boolean;
  /** When to run again (first day of next month, 00:00 CST): for a Wait state's TimestampPath. */
  readonly nextRunAt?: string;
  readonly secondsUntilNext?: number;
}

function dataOf(c: Case): AwardData {
  const d = c.data as Partial<AwardData>;
  if (c.caseType !== 'unemployment-contributions' || !d.identityKey || !d.benefitFrom || !d.benefitTo)
    throw new WorkflowError('Case.DataInvalid', `case ${c.caseId} is not an unemployment award with its months`);
  return d as AwardData;
}

export async function recordBenefitMonths(
  deps: WorkflowDeps,
  input: { caseId: string; now?: string },
): Promise<RecordMonthOutput> {
  const nowMs = nowOf(deps, input.now);
  return retryConflicts(async () => {
    const c = await deps.store.getCase(input.caseId);
    const d = dataOf(c);
    const recorded = d.recorded ?? [];
    const out = (x: Case, now: readonly RecordedMonth[]): RecordMonthOutput => {
      const xd = dataOf(x);
      const all = xd.recorded ?? [];
      const done = isClosed(x);
      return {
        caseId: x.caseId,
        state: x.state,
        recordedNow: now,
        recordedTotal: all.length,
        fundPaidFen: all.reduce((s, m) => s + m.totalFen, 0),
        done,
        ...(done
          ? {}
          : {
              nextRunAt: endOfDayCstIso(lastOfMonth(monthOf(deps.clock.today()))),
              secondsUntilNext: secondsUntilEndOf(lastOfMonth(monthOf(deps.clock.today())), nowMs).timeoutSeconds,
            }),
      };
    };
    if (isClosed(c)) return out(c, []);
    if (c.state !== 'opened' && c.state !== 'paying') throw stateInvalid(c, 'record-month', ['opened', 'paying']);
    const today = deps.clock.today();
    const r = decide(
      unemploymentContribution,
      { region: c.region, caseOpenedOn: c.openedOn, benefitFrom: d.benefitFrom, benefitTo: d.benefitTo },
      today,
    );
    const have = new Set(recorded.map((m) => m.feeMonth));
    // C-7: a month is paid in its own month; those begun by today and not yet recorded.
    const due = r.value.months.filter((m) => m.feeMonth <= monthOf(today) && !have.has(m.feeMonth));
    const now = due.map((m) => ({ feeMonth: m.feeMonth, paidOn: m.paidOn, baseFen: m.baseFen, totalFen: m.totalFen }));
    const all = [...recorded, ...now];
    const done = all.length >= r.value.months.length;
    if (now.length === 0 && !done && c.state === 'paying') return out(c, []);
    const saved = await deps.store.saveCase(
      {
        ...inputOf(c),
        state: done ? 'completed' : 'paying',
        wait: done ? null : { for: 'benefit-month', until: lastOfMonth(monthOf(today)) },
        closedOn: done ? today : null,
        data: { ...c.data, recorded: all },
      },
      c.version,
      systemCtx(
        COMPONENT,
        `C-7: ${now.map((m) => `${m.feeMonth} ${m.totalFen} fen`).join(', ') || 'no month'} paid by the unemployment fund${done ? '; the award has ended, none after' : ''}`,
        r.trace,
      ),
    );
    return out(saved, now);
  });
}
