/**
 * The tax bureau's payment notification (税务缴费信息) as it arrives on EventBridge, versioned, and its
 * mapping onto the store's `taxPaymentNotification` (one per insured person). docs/events.md is the
 * contract written out for the sender; this file is the one definition.
 *
 * Why one store notification per person: the ledger, the idempotency guard and the cases all live in
 * the person's partition (docs/data-model.md), and a unit pays for many employees at once. The
 * per-person notification id is derived from the tax bureau's id and the person's identity key only
 * (never from the position in the list), so a redelivery, or the same list in another order, maps to
 * the same ids and the store's guard makes the second copy a `duplicate`.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { addDays, cstDateOf } from '#domain/calendar.js';
import { maskIdentity, parseIdentity } from '#domain/identity.js';
import type { Fen } from '#domain/money.js';
import type { TaxPaymentNotification } from './notification.js';
import {
  employeeMode,
  feeMonth,
  feeYear,
  fen,
  flexibleMode,
  PAYMENT_FUTURE_DAYS,
  regionCode,
  scheme,
  strictObject,
  timestampOrDate,
} from './common.js';

/** EventBridge `source` and `detail-type` the intake rule matches. */
export const TAX_PAYMENT_SOURCE = 'gov.chinatax.jilin';
export const TAX_PAYMENT_DETAIL_TYPE = 'Tax Payment Notification';

/**
 * The detail versions this intake reads. A new version is added here, never by changing an old one; within a
 * version every object is strict, so a field the version does not define (a misspelling, or a field of a
 * later version sent under this one) makes the notification malformed, with the field named.
 */
export const SUPPORTED_SCHEMA_VERSIONS = ['1'] as const;

/**
 * The tax bureau's notification id. At most 100 characters so that the per-person id
 * (`<id>.<16 hex>`) stays within the store's 128.
 */
const notificationIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[0-9A-Za-z._:-]+$/, 'letters, digits and . _ : - only');

const identitySchema = strictObject({
  documentType: z.enum(['resident-id', 'hmt-residence-permit', 'passport']).optional(),
  number: z.string().min(1).max(64),
  nationality: z.string().max(8).optional(),
});

const paidPeriodV1 = strictObject({
  /** `YYYY-MM` (employee fee month) or `YYYY` (resident fee year). */
  feePeriod: z.string(),
  amountFen: fen,
  /** Employee contribution base of the month, when the tax bureau knows it. */
  baseFen: fen.optional(),
  /** What was due for the period as the tax bureau assessed it; when present it decides a short payment. */
  dueFen: fen.optional(),
});

const insuredV1 = strictObject({
  identity: identitySchema,
  periods: z.array(paidPeriodV1).min(1).max(40),
});

/** Persons in one notification; a larger unit payroll comes as several notifications. */
export const MAX_INSURED_PER_NOTIFICATION = 500;

/** Why a fee period is not one of the scheme's: a fee month (employee) or a fee year (resident), in range. */
function feePeriodProblem(scheme: 'employee' | 'resident', feePeriod: string): string | undefined {
  if (scheme === 'resident' && !/^\d{4}$/.test(feePeriod)) return 'must be a fee year YYYY';
  const r = scheme === 'employee' ? feeMonth.safeParse(feePeriod) : feeYear.safeParse(Number(feePeriod));
  return r.success ? undefined : r.error.issues[0]!.message;
}

export const taxPaymentDetailV1 = strictObject({
  schemaVersion: z.literal('1'),
  notificationId: notificationIdSchema,
  /** The earlier notification this one corrects (same payer, same persons and periods). */
  corrects: notificationIdSchema.optional(),
  payer: strictObject({
    kind: z.enum(['unit', 'person', 'unemployment-fund', 'custodian', 'agent', 'government']),
    /** Unified social credit code of a unit, or the agent's reference. */
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[0-9A-Za-z._:-]+$/, 'letters, digits and . _ : - only')
      .optional(),
  }),
  scheme,
  mode: employeeMode.optional(),
  flexibleMode: flexibleMode.optional(),
  region: regionCode,
  paidAt: timestampOrDate,
  /** `retirement-lump-sum`: the 趸缴 of R-4(b) that a retirement-transfer case waits for. */
  purpose: z.enum(['contribution', 'retirement-lump-sum']).default('contribution'),
  insured: z.array(insuredV1).min(1).max(MAX_INSURED_PER_NOTIFICATION),
}).superRefine((d, ctx) => {
  if (d.scheme === 'employee' && !d.mode)
    ctx.addIssue({ code: 'custom', path: ['mode'], message: 'required for the employee scheme' });
  if (d.scheme === 'resident' && d.mode)
    ctx.addIssue({ code: 'custom', path: ['mode'], message: 'only for the employee scheme' });
  if (d.payer.kind === 'person' && d.insured.length !== 1)
    ctx.addIssue({ code: 'custom', path: ['insured'], message: 'a person pays for exactly one insured person' });
  if (d.purpose === 'retirement-lump-sum' && d.scheme !== 'employee')
    ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'a retirement lump sum is an employee payment' });
  if (d.corrects === d.notificationId)
    ctx.addIssue({ code: 'custom', path: ['corrects'], message: 'a notification cannot correct itself' });
  d.insured.forEach((p, i) => {
    const seen = new Set<string>();
    p.periods.forEach((period, j) => {
      const problem = feePeriodProblem(d.scheme, period.feePeriod);
      if (problem) ctx.addIssue({ code: 'custom', path: ['insured', i, 'periods', j, 'feePeriod'], message: problem });
      if (seen.has(period.feePeriod))
        ctx.addIssue({ code: 'custom', path: ['insured', i, 'periods', j, 'feePeriod'], message: 'appears twice' });
      seen.add(period.feePeriod);
    });
  });
});
export type TaxPaymentDetailV1 = z.output<typeof taxPaymentDetailV1>;

/** The EventBridge envelope; other envelope fields (account, region, resources) pass through unread. */
export const taxPaymentEnvelope = z.looseObject({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.literal(TAX_PAYMENT_DETAIL_TYPE),
  source: z.literal(TAX_PAYMENT_SOURCE),
  time: z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO time-stamp' }),
  detail: z.unknown(),
});

export type PaymentPurpose = TaxPaymentDetailV1['purpose'];

/**
 * One insured person's part of a notification: the store's notification and what the intake needs
 * beside it (the due amounts, the purpose, the flexible mode). `raw` is what the store keeps as
 * received for this person: a pure function of the event's detail, so a redelivery is `identical`.
 */
export interface PersonPayment {
  readonly notification: TaxPaymentNotification;
  readonly raw: string;
  /** The tax bureau's own notification id, for tracing. */
  readonly sourceNotificationId: string;
  readonly purpose: PaymentPurpose;
  readonly flexibleMode?: z.output<typeof flexibleMode>;
  /** `dueFen` of the event, by fee period, where the tax bureau sent it. */
  readonly dueFen: Readonly<Record<string, Fen>>;
}

export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

export type ParsedTaxPaymentEvent =
  | { readonly ok: true; readonly eventId: string; readonly payments: readonly PersonPayment[] }
  | { readonly ok: false; readonly reason: string; readonly issues: readonly EventIssue[] };

/** A short, stable, non-reversible-by-eye tag of an identity key: 16 hex characters of SHA-256. */
export function personTag(identityKey: string): string {
  return createHash('sha256').update(identityKey).digest('hex').slice(0, 16);
}

/**
 * The store notification id of one insured person's part. A person paying for themselves keeps the
 * tax bureau's id as it is (one payment, one person); any other payer (a unit, a fund, an agent)
 * pays for a list, and each person's part is `<id>.<personTag>`. The same rule maps `corrects`.
 */
export function personNotificationId(
  notificationId: string,
  payerKind: TaxPaymentDetailV1['payer']['kind'],
  identityKey: string,
): string {
  return payerKind === 'person' ? notificationId : `${notificationId}.${personTag(identityKey)}`;
}

const pathOf = (path: ReadonlyArray<PropertyKey>) => path.map(String).join('.');

function malformed(reason: string, issues: EventIssue[]): ParsedTaxPaymentEvent {
  return { ok: false, reason, issues };
}

/**
 * Parses one message body (the EventBridge event as JSON text) into per-person payments, or says
 * why it is malformed. Never throws. `today` (CST) makes a birth date after it an invalid number, and a
 * payment time more than a day after it a malformed notification.
 * Messages never echo an identity number: zod's issues are reduced to paths and words.
 */
export function parseTaxPaymentEvent(body: string, today?: string): ParsedTaxPaymentEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return malformed('not JSON', [{ path: '', message: 'the message body is not JSON' }]);
  }
  const envelope = taxPaymentEnvelope.safeParse(json);
  if (!envelope.success) {
    const issues = envelope.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
    return malformed(`not a tax payment notification event: ${describe(issues)}`, issues);
  }
  const detail = envelope.data.detail as { schemaVersion?: unknown } | null;
  const version = detail && typeof detail === 'object' ? detail.schemaVersion : undefined;
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(version as (typeof SUPPORTED_SCHEMA_VERSIONS)[number])) {
    const issue = {
      path: 'detail.schemaVersion',
      message:
        version === undefined
          ? `missing; this intake reads ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`
          : `unknown schemaVersion ${JSON.stringify(version)}; this intake reads ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`,
    };
    return malformed(`unsupported schema version: ${issue.message}`, [issue]);
  }
  const parsed = taxPaymentDetailV1.safeParse(envelope.data.detail);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: pathOf(['detail', ...i.path]), message: i.message }));
    return malformed(`malformed detail: ${describe(issues)}`, issues);
  }
  const d = parsed.data;
  // A payment is notified after it is made: a paidAt well after the day it is read is a wrong time, not an
  // early notice (and it would date cover from a day that has not come).
  if (today && cstDateOf(d.paidAt) > addDays(today, PAYMENT_FUTURE_DAYS)) {
    const issue = {
      path: 'detail.paidAt',
      message: `晚于今天（${today}）超过${PAYMENT_FUTURE_DAYS}天 more than ${PAYMENT_FUTURE_DAYS} day after today (${today})`,
    };
    return malformed(`malformed detail: ${describe([issue])}`, [issue]);
  }

  // E-6: every identity number must make a valid key; one bad number makes the notification malformed
  // (the payment cannot be put on anybody's ledger, and half a unit payment is worse than none).
  const keys: string[] = [];
  const issues: EventIssue[] = [];
  d.insured.forEach((p, i) => {
    const r = parseIdentity(p.identity, today);
    if (r.ok) keys.push(r.identity.key);
    else
      issues.push({
        path: `detail.insured.${i}.identity.number`,
        message: `invalid identity number: ${r.problems.map((x) => x.en).join('; ')}`,
      });
  });
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    if (seen.has(k))
      issues.push({
        path: `detail.insured.${i}.identity.number`,
        message: `the same person as insured.${seen.get(k)} (${maskIdentity(k)})`,
      });
    else seen.set(k, i);
  });
  if (issues.length) return malformed(`malformed detail: ${describe(issues)}`, issues);

  const payments = d.insured.map((p, i): PersonPayment => {
    const identityKey = keys[i]!;
    const notificationId = personNotificationId(d.notificationId, d.payer.kind, identityKey);
    const notification: TaxPaymentNotification = {
      notificationId,
      identityKey,
      scheme: d.scheme,
      ...(d.mode ? { mode: d.mode } : {}),
      region: d.region,
      payer: d.payer,
      paidAt: d.paidAt,
      periods: p.periods.map((x) => ({
        feePeriod: x.feePeriod,
        amount: x.amountFen,
        ...(x.baseFen !== undefined ? { base: x.baseFen } : {}),
      })),
      ...(d.corrects ? { corrects: personNotificationId(d.corrects, d.payer.kind, identityKey) } : {}),
    };
    const dueFen: Record<string, Fen> = {};
    for (const x of p.periods) if (x.dueFen !== undefined) dueFen[x.feePeriod] = x.dueFen;
    const extras = {
      sourceNotificationId: d.notificationId,
      schemaVersion: d.schemaVersion,
      purpose: d.purpose,
      ...(d.flexibleMode ? { flexibleMode: d.flexibleMode } : {}),
      dueFen,
    };
    return {
      notification,
      raw: JSON.stringify({ ...notification, ...extras }),
      sourceNotificationId: d.notificationId,
      purpose: d.purpose,
      ...(d.flexibleMode ? { flexibleMode: d.flexibleMode } : {}),
      dueFen,
    };
  });
  return { ok: true, eventId: envelope.data.id, payments };
}

/**
 * Reads back what `parseTaxPaymentEvent` gave the store as `raw` (a duplicate whose first copy
 * differs is followed up with the copy the ledger holds).
 */
export function personPaymentFromRaw(notification: TaxPaymentNotification, raw: string): PersonPayment {
  let extras: Partial<{
    sourceNotificationId: string;
    purpose: PaymentPurpose;
    flexibleMode: z.output<typeof flexibleMode>;
    dueFen: Record<string, Fen>;
  }> = {};
  try {
    extras = JSON.parse(raw);
  } catch {
    // A raw written by another producer: no extras.
  }
  const fm = flexibleMode.safeParse(extras.flexibleMode);
  return {
    notification,
    raw,
    sourceNotificationId: extras.sourceNotificationId ?? notification.notificationId,
    purpose: extras.purpose === 'retirement-lump-sum' ? 'retirement-lump-sum' : 'contribution',
    ...(fm.success ? { flexibleMode: fm.data } : {}),
    dueFen: extras.dueFen && typeof extras.dueFen === 'object' ? extras.dueFen : {},
  };
}

/** The CST date a payment counts from (FLX25 §10: rights are recorded the day after it). */
export const paidOnOf = (n: Pick<TaxPaymentNotification, 'paidAt'>) => cstDateOf(n.paidAt);

function describe(issues: readonly EventIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`);
  return issues.length > 5 ? `${shown.join('; ')}; and ${issues.length - 5} more` : shown.join('; ');
}
