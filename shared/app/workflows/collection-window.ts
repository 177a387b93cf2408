/**
 * The concentrated collection window (C-8…C-11, W-4, W-6, W-7): one execution per region and fee
 * year, started on the window's opening day. Tasks (docs/tasks.md):
 *
 *   open-window → Distributed Map over the roster file, ItemBatcher → create-renewals (per batch)
 *   → Wait until `closesAt` → Distributed Map over the roster again → lapse-unpaid (per batch)
 *   → report (renewal rates per region, from the counters: one Query per region)
 *
 * Renewal records and counters live in the store (workflow-store.ts); a batch retried by the Map
 * creates or settles nothing twice and counts each resident once.
 */
import * as z from 'zod';
import { addDays, type CalendarDate, lastOfYear } from '#domain/calendar.js';
import { maskIdentity } from '#domain/identity.js';
import { REGIONS } from '#domain/regions.js';
import { parameters } from '#params/index.js';
import type { Trace } from '#rules/engine.js';
import { DecisionError } from '#rules/errors.js';
import { calendarDate, regionCode } from '#schemas/common.js';
import { AlreadyExistsError, NotFoundError } from '#store/errors.js';
import { type Case, identityKey } from '#store/model.js';
import type { RenewalCounts, RenewalInput, RenewalSettlement } from '#store/workflow-model.js';
import { decide, endOfDayCstIso, inputOf, nowOf, retryConflicts, systemCtx, type WorkflowDeps } from './common.js';
import { waitingPeriod } from '#rules/waiting-period/decision.js';
import { residentContribution } from '#rules/contributions/resident.js';

const COMPONENT = 'collection-window';

export const windowCaseId = (region: string, feeYear: number) => `collection-window-${region}-${feeYear}`;

/** The window of a fee year in a region (parameter `resident.collectionWindow`, P-3), in the year before. */
export function windowOf(region: string, feeYear: number): { opensOn: CalendarDate; closesOn: CalendarDate } {
  const store = parameters();
  const on = lastOfYear(feeYear - 1);
  const pack = store.packInForce(region, on);
  const w = store.lookup<{ opens: string; closes: string }>(pack.id, 'resident.collectionWindow', region, on).value;
  return { opensOn: `${feeYear - 1}-${w.opens}`, closesOn: `${feeYear - 1}-${w.closes}` };
}

// ── open-window ────────────────────────────────────────────────────────────────

export interface WindowOpenedOutput {
  readonly caseId: string;
  readonly region: string;
  readonly feeYear: number;
  readonly opensOn: CalendarDate;
  readonly closesOn: CalendarDate;
  /** End of the closing day (24:00 CST): the Wait state's TimestampPath before the lapse step. */
  readonly closesAt: string;
}

export async function openWindow(
  deps: WorkflowDeps,
  input: { region: string; feeYear: number },
): Promise<WindowOpenedOutput> {
  const { opensOn, closesOn } = windowOf(input.region, input.feeYear);
  const caseId = windowCaseId(input.region, input.feeYear);
  try {
    await deps.store.openCase(
      {
        caseId,
        caseType: 'collection-window',
        region: input.region,
        subject: { kind: 'region', region: input.region },
        state: 'open',
        openedOn: deps.clock.today(),
        wait: { for: 'window-close', until: closesOn },
        taskToken: null,
        data: { feeYear: input.feeYear, opensOn, closesOn },
      },
      systemCtx(COMPONENT, `C-8: the ${input.feeYear} collection window runs ${opensOn} to ${closesOn}`),
    );
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
  return {
    caseId,
    region: input.region,
    feeYear: input.feeYear,
    opensOn,
    closesOn,
    closesAt: endOfDayCstIso(closesOn),
  };
}

// ── The roster items ───────────────────────────────────────────────────────────

/** One resident of the roster file (JSON Lines or CSV turned into objects by the Map's ItemReader). */
export const rosterItem = z.object({
  identityKey,
  region: regionCode,
  birthDate: calendarDate,
  student: z.boolean().default(false),
  studyRegion: z.string().optional(),
  /** C-10: medical-assistance status (特困, 孤儿, 低保, 建档立卡) and when it was recognised. */
  assistance: z
    .object({
      category: z.enum(['extreme-poverty', 'orphan', 'minimum-living', 'registered-poor']),
      recognisedOn: calendarDate,
      lostOn: calendarDate.optional(),
    })
    .optional(),
  /** The last fee year covered (W-4/W-7), and how many continuous years up to it (W-5c). */
  lastCoveredFeeYear: z.number().int().nullable().default(null),
  continuousYears: z.number().min(0).max(80).default(0),
});
export type RosterItem = z.output<typeof rosterItem>;

export const batchInput = z.object({
  /** The Map's ItemBatcher puts the items here… */
  Items: z.array(z.unknown()).min(1).max(1000),
  /** …and the fixed fields (BatchInput) here. */
  BatchInput: z.object({ region: regionCode, feeYear: z.number().int().min(1990).max(2100) }),
});

export interface BatchOutput {
  readonly region: string;
  readonly feeYear: number;
  readonly items: number;
  readonly created?: number;
  readonly existing?: number;
  readonly renewed?: number;
  readonly subsidised?: number;
  readonly lapsed?: number;
  readonly unchanged?: number;
  /** Items that could not be handled, with why (identity masked): they do not fail the batch. */
  readonly rejected: ReadonlyArray<{ readonly index: number; readonly who: string; readonly error: string }>;
}

function parseItems(items: readonly unknown[], region: string) {
  const ok: Array<{ index: number; item: RosterItem }> = [];
  const rejected: Array<{ index: number; who: string; error: string }> = [];
  items.forEach((raw, index) => {
    const r = rosterItem.safeParse(raw);
    const who =
      typeof (raw as { identityKey?: unknown })?.identityKey === 'string'
        ? maskIdentity((raw as { identityKey: string }).identityKey)
        : '?';
    if (!r.success)
      rejected.push({ index, who, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    else if (r.data.region !== region)
      rejected.push({ index, who, error: `region ${r.data.region} is not this window's ${region}` });
    else ok.push({ index, item: r.data });
  });
  return { ok, rejected };
}

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

// ── create-renewals (C-8…C-11) ──────────────────────────────────────────────────

/** Prices each resident's renewal (C-9/C-10/C-11) and records it as pending; the region's counters add it once. */
export async function createRenewals(deps: WorkflowDeps, input: z.output<typeof batchInput>): Promise<BatchOutput> {
  const { region, feeYear } = input.BatchInput;
  const { opensOn, closesOn } = windowOf(region, feeYear);
  const { ok, rejected } = parseItems(input.Items, region);
  const renewals: RenewalInput[] = [];
  for (const { index, item } of ok) {
    try {
      const r = decide(
        residentContribution,
        {
          region,
          feeYear,
          paidOn: opensOn,
          person: {
            birthDate: item.birthDate,
            student: item.student,
            ...(item.studyRegion ? { studyRegion: item.studyRegion } : {}),
          },
          ...(item.assistance ? { assistance: item.assistance } : {}),
        },
        opensOn,
      );
      renewals.push({
        identityKey: item.identityKey,
        region,
        feeYear,
        category: r.value.category,
        personPaysFen: r.value.personPaysFen,
        subsidyFen: r.value.subsidyFen,
        lastCoveredFeeYear: item.lastCoveredFeeYear,
        continuousYears: item.continuousYears,
        windowClosesOn: closesOn,
      });
    } catch (e) {
      if (!(e instanceof DecisionError)) throw e;
      rejected.push({ index, who: maskIdentity(item.identityKey), error: errorText(e) });
    }
  }
  const { created, existing } = await deps.store.createRenewals(
    renewals,
    systemCtx(COMPONENT, `C-8: rostered for the ${feeYear} window (${opensOn} to ${closesOn})`),
  );
  return { region, feeYear, items: input.Items.length, created, existing, rejected };
}

// ── lapse-unpaid (at the close: W-4, W-6, W-7) ───────────────────────────────────

interface WaitingIfPaid {
  readonly paidOn: CalendarDate;
  readonly waitingDays: number;
  readonly coverStarts: CalendarDate;
  readonly decidedBy: string;
}

/**
 * What a lapsed resident's waiting period will be (engine values): paying on the first day after
 * the window, and — when W-5c could spare it — paying the day after its 90-day grace.
 */
function waitingAfterLapse(
  region: string,
  feeYear: number,
  item: { lastCoveredFeeYear: number | null; continuousYears: number },
  closesOn: CalendarDate,
) {
  const scenarios: CalendarDate[] = [addDays(closesOn, 1)];
  const lastCoveredDay = item.lastCoveredFeeYear ? lastOfYear(item.lastCoveredFeeYear) : null;
  if (lastCoveredDay) scenarios.push(addDays(lastCoveredDay, 91));
  const out: WaitingIfPaid[] = [];
  let trace: Trace | undefined;
  for (const paidOn of [...new Set(scenarios)].sort()) {
    const r = decide(
      waitingPeriod,
      {
        region,
        scheme: 'resident',
        paidAt: paidOn,
        feeYear,
        ...(lastCoveredDay
          ? {
              previousCover: {
                scheme: 'resident',
                lastCoveredDay,
                continuousYears: item.continuousYears,
                lastCoveredFeeYear: item.lastCoveredFeeYear,
              },
            }
          : {}),
      },
      paidOn,
    );
    trace ??= r.trace;
    out.push({
      paidOn,
      waitingDays: r.value.waitingDays,
      coverStarts: r.value.coverStarts,
      decidedBy: r.value.decidedBy,
    });
  }
  return { scenarios: out, trace };
}

/**
 * At the close: a resident whose fee year is in the ledger, paid in the window, is renewed (W-4), or
 * subsidised when a subsidy follows (C-10); one who has not paid lapses on Dec 31, with the waiting
 * periods a later payment will carry recorded from the engine (W-5c, W-6, W-7).
 */
export async function lapseUnpaid(deps: WorkflowDeps, input: z.output<typeof batchInput>): Promise<BatchOutput> {
  const { region, feeYear } = input.BatchInput;
  const { closesOn } = windowOf(region, feeYear);
  const { ok, rejected } = parseItems(input.Items, region);
  const settlements: RenewalSettlement[] = [];
  let alreadySettled = 0;
  for (const { index, item } of ok) {
    try {
      const renewal = await deps.store.getRenewal(item.identityKey, feeYear);
      if (renewal.status !== 'pending') {
        alreadySettled++;
        continue;
      }
      const entry = (
        await deps.store.ledger(item.identityKey, 'resident', { from: String(feeYear), to: String(feeYear) })
      )[0];
      if (entry && entry.paidOn <= closesOn && entry.amount >= renewal.personPaysFen) {
        const subsidised = renewal.subsidyFen > 0;
        settlements.push({
          identityKey: item.identityKey,
          status: subsidised ? 'subsidised' : 'renewed',
          settledOn: entry.paidOn,
          details: { notificationId: entry.notificationId, paidFen: entry.amount, subsidyFen: renewal.subsidyFen },
          reason: subsidised
            ? `C-10/W-4: paid ${entry.amount} fen on ${entry.paidOn} in the window; a ${renewal.subsidyFen} fen subsidy follows`
            : `W-4: paid ${entry.amount} fen on ${entry.paidOn} in the window; cover continues in ${feeYear}`,
        });
        continue;
      }
      const w = waitingAfterLapse(region, feeYear, renewal, closesOn);
      settlements.push({
        identityKey: item.identityKey,
        status: 'lapsed',
        settledOn: closesOn,
        details: { waitingIfPaid: w.scenarios },
        reason: `C-8: not paid in the ${feeYear} window (closed ${closesOn}); cover lapses after ${lastOfYear(feeYear - 1)}; later payment: ${w.scenarios.map((s) => `${s.paidOn} → ${s.waitingDays} days (${s.decidedBy})`).join('; ')}`,
        ...(w.trace ? { trace: w.trace } : {}),
      });
    } catch (e) {
      // Not rostered, or the rules cannot decide for this one: reported, the batch goes on.
      if (!(e instanceof DecisionError) && !(e instanceof NotFoundError)) throw e;
      rejected.push({ index, who: maskIdentity(item.identityKey), error: errorText(e) });
    }
  }
  const { changed, unchanged } = await deps.store.settleRenewals(region, feeYear, settlements, {
    kind: 'system',
    component: COMPONENT,
  });
  // What this call moved (a retried batch finds them settled and moves none; the counters count each once).
  const count = (s: string) => (changed === settlements.length ? settlements.filter((x) => x.status === s).length : 0);
  return {
    region,
    feeYear,
    items: input.Items.length,
    renewed: count('renewed'),
    subsidised: count('subsidised'),
    lapsed: count('lapsed'),
    unchanged: unchanged + alreadySettled,
    rejected,
  };
}

// ── report ─────────────────────────────────────────────────────────────────────

export interface RegionRenewal extends RenewalCounts {
  /** (renewed + subsidised) / rostered, exact; `percent` to one decimal for people. */
  readonly renewalRate: { readonly num: number; readonly den: number; readonly percent: string } | null;
}

export interface ReportOutput {
  readonly feeYear: number;
  readonly regions: readonly RegionRenewal[];
  readonly total: RegionRenewal;
  /** The window case the report was stored on, when given. */
  readonly caseId?: string;
}

function rated(c: RenewalCounts): RegionRenewal {
  const num = c.renewed + c.subsidised;
  return {
    ...c,
    renewalRate:
      c.rostered === 0 ? null : { num, den: c.rostered, percent: `${((1000 * num) / c.rostered / 10).toFixed(1)}%` },
  };
}

/**
 * Renewal rates per region from the counters (one Query per region, no Scan); `final` stores the
 * report on the window case and closes it.
 */
export async function renewalReport(
  deps: WorkflowDeps,
  input: { feeYear: number; regions?: readonly string[]; caseId?: string; final?: boolean; now?: string },
): Promise<ReportOutput> {
  nowOf(deps, input.now);
  const regions = input.regions ?? REGIONS.map((r) => r.code);
  const counts = await Promise.all(regions.map((r) => deps.store.renewalCounts(r, input.feeYear)));
  const sum = (k: keyof Omit<RenewalCounts, 'region' | 'feeYear'>) => counts.reduce((s, c) => s + c[k], 0);
  const report: ReportOutput = {
    feeYear: input.feeYear,
    regions: counts.map(rated),
    total: rated({
      region: regions.length === 1 ? regions[0]! : 'all',
      feeYear: input.feeYear,
      rostered: sum('rostered'),
      pending: sum('pending'),
      renewed: sum('renewed'),
      subsidised: sum('subsidised'),
      lapsed: sum('lapsed'),
    }),
    ...(input.caseId ? { caseId: input.caseId } : {}),
  };
  if (input.caseId) {
    const today = deps.clock.today();
    await retryConflicts(() =>
      deps.store.updateCase(
        input.caseId!,
        (c: Case) =>
          c.state === 'completed'
            ? null
            : {
                ...inputOf(c),
                ...(input.final ? { state: 'completed', wait: null, taskToken: null, closedOn: today } : {}),
                data: { ...c.data, report: { on: today, regions: report.regions } },
              },
        systemCtx(
          COMPONENT,
          `C-8: renewal report for ${input.feeYear}: ${report.total.renewalRate?.percent ?? 'no roster'}`,
        ),
      ),
    );
  }
  return report;
}
