/**
 * The event schema of tax payment notifications: versions, envelope, identity numbers, and the
 * deterministic per-person notification ids.
 */
import { describe, expect, it } from 'vitest';
import { checkCharacter } from '#domain/identity.js';
import {
  parseTaxPaymentEvent,
  personNotificationId,
  personTag,
  TAX_PAYMENT_DETAIL_TYPE,
  TAX_PAYMENT_SOURCE,
} from '#schemas/events.js';

const id = (seq: string) => {
  const first17 = `22010219790615${seq}`;
  return first17 + checkCharacter(first17);
};

const envelope = (detail: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: '0',
    id: 'e-1',
    'detail-type': TAX_PAYMENT_DETAIL_TYPE,
    source: TAX_PAYMENT_SOURCE,
    time: '2026-11-15T02:00:00Z',
    detail,
    ...extra,
  });

const resident = (over: Record<string, unknown> = {}) => ({
  schemaVersion: '1',
  notificationId: 'RS2026111500001',
  payer: { kind: 'person' },
  scheme: 'resident',
  region: '220100',
  paidAt: '2026-11-15T10:30:00+08:00',
  insured: [
    {
      identity: { number: `${id('303').slice(0, 17)}${id('303')[17]!.toLowerCase()}` },
      periods: [{ feePeriod: '2027', amountFen: 40_000 }],
    },
  ],
  ...over,
});

describe('parseTaxPaymentEvent', () => {
  it('maps a person’s own payment onto one store notification keyed by the normalised identity', () => {
    const r = parseTaxPaymentEvent(envelope(resident()), '2026-11-22');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.eventId).toBe('e-1');
    expect(r.payments).toHaveLength(1);
    expect(r.payments[0]!.notification).toEqual({
      notificationId: 'RS2026111500001',
      identityKey: `CN:${id('303')}`,
      scheme: 'resident',
      region: '220100',
      payer: { kind: 'person' },
      paidAt: '2026-11-15T10:30:00+08:00',
      periods: [{ feePeriod: '2027', amount: 40_000 }],
    });
    expect(r.payments[0]!.purpose).toBe('contribution');
  });

  it('gives a unit’s employees `<id>.<tag>` ids, the same whatever the order, and maps `corrects` alike', () => {
    const a = id('111');
    const b = id('222');
    const detail = (numbers: string[]) => ({
      schemaVersion: '1',
      notificationId: 'DW1',
      corrects: 'DW0',
      payer: { kind: 'unit', id: '91220101MA0000001X' },
      scheme: 'employee',
      mode: 'unit',
      region: '220100',
      paidAt: '2026-04-09',
      insured: numbers.map((n) => ({ identity: { number: n }, periods: [{ feePeriod: '2026-04', amountFen: 1 }] })),
    });
    const ids = (numbers: string[]) => {
      const r = parseTaxPaymentEvent(envelope(detail(numbers)));
      if (!r.ok) throw new Error(r.reason);
      return Object.fromEntries(
        r.payments.map((p) => [p.notification.identityKey, [p.notification.notificationId, p.notification.corrects]]),
      );
    };
    expect(ids([a, b])).toEqual(ids([b, a]));
    expect(ids([a, b])[`CN:${a}`]).toEqual([`DW1.${personTag(`CN:${a}`)}`, `DW0.${personTag(`CN:${a}`)}`]);
    expect(personNotificationId('DW1', 'person', `CN:${a}`)).toBe('DW1');
    expect(personTag(`CN:${a}`)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses an unknown or missing schemaVersion with the versions it reads', () => {
    expect(parseTaxPaymentEvent(envelope(resident({ schemaVersion: '2' })))).toEqual({
      ok: false,
      reason: 'unsupported schema version: unknown schemaVersion "2"; this intake reads 1',
      issues: [{ path: 'detail.schemaVersion', message: 'unknown schemaVersion "2"; this intake reads 1' }],
    });
    const { schemaVersion: _v, ...noVersion } = resident();
    const r = parseTaxPaymentEvent(envelope(noVersion));
    expect(r.ok === false && r.reason).toBe('unsupported schema version: missing; this intake reads 1');
  });

  it('names every bad field, and never echoes an identity number', () => {
    const bad = `${id('303').slice(0, 17)}0`;
    const r = parseTaxPaymentEvent(
      envelope(
        resident({
          payer: { kind: 'person' },
          insured: [
            { identity: { number: bad }, periods: [{ feePeriod: '2027-01', amountFen: -1 }] },
            { identity: { number: id('304') }, periods: [{ feePeriod: '2027', amountFen: 1 }] },
          ],
        }),
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'detail.insured.0.periods.0.amountFen',
        'detail.insured',
        'detail.insured.0.periods.0.feePeriod',
      ]),
    );
    const onlyNumber = parseTaxPaymentEvent(
      envelope(resident({ insured: [{ identity: { number: bad }, periods: [{ feePeriod: '2027', amountFen: 1 }] }] })),
    );
    expect(onlyNumber.ok === false && onlyNumber.issues).toEqual([
      {
        path: 'detail.insured.0.identity.number',
        message: expect.stringMatching(/^invalid identity number: the check character should be/),
      },
    ]);
    expect(JSON.stringify(onlyNumber)).not.toContain(bad.slice(6, 14));
  });

  it('refuses another source or detail-type, and a body that is not JSON', () => {
    expect(parseTaxPaymentEvent(envelope(resident(), { source: 'someone.else' }))).toMatchObject({
      ok: false,
      issues: [{ path: 'source' }],
    });
    expect(parseTaxPaymentEvent('{')).toMatchObject({ ok: false, reason: 'not JSON' });
  });

  it('reads a foreigner’s passport with nationality into a PP key', () => {
    const r = parseTaxPaymentEvent(
      envelope(
        resident({
          insured: [
            { identity: { number: 'E1234567', nationality: 'KOR' }, periods: [{ feePeriod: '2027', amountFen: 1 }] },
          ],
        }),
      ),
    );
    expect(r.ok && r.payments[0]!.notification.identityKey).toBe('PP:KOR:E1234567');
  });
});
