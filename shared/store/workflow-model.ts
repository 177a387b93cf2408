/**
 * Entities the workflows add to the case store: the expected employee fee month (what the daily sweep
 * reads to find months due and unpaid) and the resident renewal of the collection window, with its
 * per-region counters. Money is integer fen, dates CST `YYYY-MM-DD` (docs/data-model.md).
 */
import * as z from 'zod';
import { calendarDate, employeeMode, fen, flexibleMode, regionCode, yearMonth } from '#schemas/common.js';
import type { Trace } from '#rules/engine.js';
import { identityKey } from './model.js';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[0-9A-Za-z._:-]+$/, 'letters, digits and . _ : - only');

// ── Expected employee fee months ─────────────────────────────────────────────

/**
 * One employee fee month an enrollment is expected to pay by its due date (C-6). Written when an
 * enrollment is created and, for the next month, when a month is settled; while `expected` it sits in
 * the due index under its due date, so "which months fall due on D and are not paid" is a Query.
 */
export const expectedPaymentInput = z.object({
  identityKey,
  enrollmentId: id,
  region: regionCode,
  mode: employeeMode,
  flexibleMode: flexibleMode.optional(),
  unitId: id.optional(),
  feeMonth: yearMonth,
  /** C-6: the last day the month may be paid without being in arrears. */
  dueDate: calendarDate,
  /** The month's contribution base, when known (A-3 prices arrears from it). */
  baseFen: fen.optional(),
  /** What the month costs, when known; less paid is a short payment. */
  dueFen: fen.optional(),
});
export type ExpectedPaymentInput = z.input<typeof expectedPaymentInput>;

/**
 * `expected`: in the due index. The others are settled and out of it: `paid` (ledger holds it),
 * `arrears` (an arrears case took it, `caseId`), `deferred` (B-1 bankruptcy deferral of the unit),
 * `not-due` (the enrollment ended before the month), `lapsed` (A-6: backfill closed, nothing more expected).
 */
export const expectedPaymentStatus = z.enum(['expected', 'paid', 'arrears', 'deferred', 'not-due', 'lapsed']);
export type ExpectedPaymentStatus = z.infer<typeof expectedPaymentStatus>;

export interface ExpectedPayment extends z.output<typeof expectedPaymentInput> {
  readonly status: ExpectedPaymentStatus;
  readonly caseId?: string;
  readonly notificationId?: string;
  readonly settledOn?: string;
  readonly version: number;
  readonly updatedAt: string;
}

export interface ExpectedPaymentRef {
  readonly identityKey: string;
  readonly enrollmentId: string;
  readonly feeMonth: string;
}

export interface ExpectedPaymentSettlement {
  readonly status: Exclude<ExpectedPaymentStatus, 'expected'>;
  readonly settledOn: string;
  readonly caseId?: string;
  readonly notificationId?: string;
}

// ── Resident renewals of the collection window ───────────────────────────────

export const renewalInput = z.object({
  identityKey,
  region: regionCode,
  feeYear: z.number().int().min(1990).max(2100),
  /** C-9 category priced, null when the year is free. */
  category: z.string().max(32).nullable(),
  /** C-9/C-10: what the person pays in the window, and the subsidy that follows ("pay first, subsidise after"). */
  personPaysFen: fen,
  subsidyFen: fen,
  /** Facts the lapse step needs for next year's waiting period (W-4…W-7). */
  lastCoveredFeeYear: z.number().int().min(1990).max(2100).nullable(),
  continuousYears: z.number().nonnegative().max(80),
  /** The window's last day (C-8): paid by then is a renewal. */
  windowClosesOn: calendarDate,
});
export type RenewalInput = z.input<typeof renewalInput>;

/** pending → renewed (paid in the window) | subsidised (paid, subsidy follows) | lapsed (unpaid at the close). */
export const renewalStatus = z.enum(['pending', 'renewed', 'subsidised', 'lapsed']);
export type RenewalStatus = z.infer<typeof renewalStatus>;

export interface Renewal extends z.output<typeof renewalInput> {
  readonly status: RenewalStatus;
  readonly settledOn?: string;
  /** What settled it: the notification, and for a lapse the waiting periods it will carry (engine values). */
  readonly details?: Record<string, unknown>;
  readonly version: number;
  readonly updatedAt: string;
}

export interface RenewalSettlement {
  readonly identityKey: string;
  readonly status: Exclude<RenewalStatus, 'pending'>;
  readonly settledOn: string;
  readonly details?: Record<string, unknown>;
  /** The audit context of this one change (the lapse carries its waiting-period trace). */
  readonly reason: string;
  readonly trace?: Trace;
}

export interface RenewalCounts {
  readonly region: string;
  readonly feeYear: number;
  readonly rostered: number;
  readonly pending: number;
  readonly renewed: number;
  readonly subsidised: number;
  readonly lapsed: number;
}
