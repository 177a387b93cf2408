/**
 * The JL26 waiting-period rules (W-1…W-7) written as json-rules-engine rules over the same facts, for the
 * benchmark's comparison (ours ÷ theirs). Date arithmetic is done before the engine runs, with the same
 * calendar helpers, so the comparison is of rule evaluation, not of date libraries. The engine's result is
 * checked against ours on every sample fact before anything is timed.
 */
import { Engine, type RuleProperties } from 'json-rules-engine';
import { addDays, daysBetween, firstOfYear, maxDate, periodEnd, yearOf } from '#domain/calendar.js';

export interface ResidentFacts {
  readonly paidOn: string;
  readonly feeYear: number;
  readonly newbornBirthDate?: string;
  readonly lastCoveredDay?: string;
  readonly lastCoveredFeeYear?: number;
  readonly continuousYears?: number;
  readonly repairYears?: number;
}

/** Derived facts, computed once (the engine has no calendar). */
function derive(f: ResidentFacts) {
  const inWindow = f.paidOn >= `${f.feeYear - 1}-10-01` && f.paidOn <= `${f.feeYear - 1}-12-31`;
  const previous = f.lastCoveredDay !== undefined;
  const lastYear = f.lastCoveredFeeYear ?? (f.lastCoveredDay ? yearOf(f.lastCoveredDay) : 0);
  return {
    inWindow,
    previous,
    newborn: f.newbornBirthDate !== undefined,
    ageDays: f.newbornBirthDate ? daysBetween(f.newbornBirthDate, f.paidOn) : -1,
    birthYearSame: f.newbornBirthDate ? yearOf(f.newbornBirthDate) === yearOf(f.paidOn) : false,
    renewedContinuously: previous && lastYear === f.feeYear - 1 && inWindow,
    gapDays: f.lastCoveredDay ? daysBetween(f.lastCoveredDay, f.paidOn) : 99_999,
    continuousYears: f.continuousYears ?? 0,
    breakYears: previous ? Math.max(1, f.feeYear - lastYear - 1) : 0,
    repairYears: f.repairYears ?? 0,
  };
}

const rules: RuleProperties[] = [
  {
    name: 'W-1',
    priority: 100,
    conditions: {
      all: [
        { fact: 'newborn', operator: 'equal', value: true },
        {
          any: [
            { fact: 'ageDays', operator: 'lessThanInclusive', value: 90 },
            { fact: 'birthYearSame', operator: 'equal', value: true },
          ],
        },
      ],
    },
    event: { type: 'W-1' },
  },
  {
    name: 'W-4',
    priority: 90,
    conditions: { all: [{ fact: 'renewedContinuously', operator: 'equal', value: true }] },
    event: { type: 'W-4' },
  },
  {
    name: 'W-5c',
    priority: 80,
    conditions: {
      all: [
        { fact: 'previous', operator: 'equal', value: true },
        { fact: 'continuousYears', operator: 'greaterThanInclusive', value: 2 },
        { fact: 'inWindow', operator: 'equal', value: false },
        { fact: 'gapDays', operator: 'lessThanInclusive', value: 90 },
      ],
    },
    event: { type: 'W-5c' },
  },
  {
    name: 'W-6',
    priority: 1,
    conditions: { all: [{ fact: 'paidOn', operator: 'notEqual', value: '' }] },
    event: { type: 'W-6' },
  },
];

export function createJsonRulesEngine(): Engine {
  // Stop at the first (highest-priority) rule that fires: "the first rule that applies decides".
  const engine = new Engine(rules, { allowUndefinedFacts: true });
  engine.on('success', () => engine.stop());
  return engine;
}

/** Runs the engine and turns the fired rule into a cover start, as our decision does. */
export async function coverStartByJsonRules(
  engine: Engine,
  f: ResidentFacts,
): Promise<{ rule: string; coverStarts: string }> {
  const d = derive(f);
  const { events } = await engine.run({ ...f, ...d });
  const rule = events[0]?.type ?? 'none';
  const periodStart = firstOfYear(f.feeYear);
  switch (rule) {
    case 'W-1':
      return { rule, coverStarts: d.ageDays <= 90 ? f.newbornBirthDate! : addDays(f.paidOn, 1) };
    case 'W-4':
    case 'W-5c':
      return { rule, coverStarts: periodStart };
    default: {
      const countsFrom = d.inWindow ? periodStart : maxDate(addDays(f.paidOn, 1), periodStart);
      let variable = d.previous ? 30 * Math.max(0, d.breakYears - 1 - d.repairYears) : 0;
      if (d.breakYears >= 4 && 90 + variable < 180) variable = 90;
      return { rule: 'W-6', coverStarts: periodEnd(countsFrom, 90 + variable).nextDay };
    }
  }
}
