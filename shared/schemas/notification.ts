/**
 * A tax payment notification as the case store accepts it (one per insured person), and the identifiers it
 * carries. The event mapping (events.ts) builds it and the store guards it, so it lives here, below both.
 */
import * as z from 'zod';
import { employeeMode, fen, regionCode, scheme, timestampOrDate, yearMonth } from './common.js';

/**
 * A normalised identity key (E-6), e.g. `CN:220102199003071234`: exactly the three forms shared/domain/identity.ts
 * writes, `CN:<ID number>`, `HMT:<residence permit>` and `PP:<ISO alpha-3>:<passport number>`.
 */
export const identityKey = z
  .string()
  .min(3)
  .max(64)
  .regex(
    /^(?:CN:\d{17}[\dX]|HMT:8[123]0000\d{11}[\dX]|PP:[A-Z]{3}:[A-Z0-9]{5,20})$/,
    'must be a normalised identity key such as CN:<ID number>',
  );

export const recordId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[0-9A-Za-z._:-]+$/, 'letters, digits and . _ : - only');

export const ratioSchema = z.object({ num: z.number().int().nonnegative(), den: z.number().int().positive() });

export const payerSchema = z.object({
  kind: z.enum(['unit', 'person', 'unemployment-fund', 'custodian', 'agent', 'government']),
  id: recordId.optional(),
});
export type Payer = z.infer<typeof payerSchema>;

/** One fee period paid by a notification: an employee fee month `YYYY-MM` or a resident fee year `YYYY`. */
export const paidPeriod = z.object({
  feePeriod: z.string(),
  /** Employee contribution base for the month, in fen. */
  base: fen.optional(),
  rate: ratioSchema.optional(),
  amount: fen,
});

/**
 * A tax payment notification as the store accepts it. The raw event is kept verbatim beside it.
 * Fee periods are limited so that the whole intake stays one TransactWriteItems (100 items).
 */
export const MAX_PERIODS_PER_NOTIFICATION = 40;

export const taxPaymentNotification = z
  .object({
    notificationId: recordId,
    identityKey,
    scheme,
    mode: employeeMode.optional(),
    region: regionCode,
    payer: payerSchema,
    paidAt: timestampOrDate,
    periods: z.array(paidPeriod).min(1).max(MAX_PERIODS_PER_NOTIFICATION),
    /** The id of an earlier notification this one corrects (same person, same fee periods). */
    corrects: recordId.optional(),
  })
  .superRefine((n, ctx) => {
    const seen = new Set<string>();
    n.periods.forEach((p, i) => {
      const ok = n.scheme === 'employee' ? yearMonth.safeParse(p.feePeriod).success : /^\d{4}$/.test(p.feePeriod);
      if (!ok)
        ctx.addIssue({
          code: 'custom',
          path: ['periods', i, 'feePeriod'],
          message: n.scheme === 'employee' ? 'must be a fee month YYYY-MM' : 'must be a fee year YYYY',
        });
      if (seen.has(p.feePeriod))
        ctx.addIssue({ code: 'custom', path: ['periods', i, 'feePeriod'], message: 'appears twice' });
      seen.add(p.feePeriod);
    });
    if (n.corrects === n.notificationId)
      ctx.addIssue({ code: 'custom', path: ['corrects'], message: 'a notification cannot correct itself' });
  });
export type TaxPaymentNotification = z.infer<typeof taxPaymentNotification>;
