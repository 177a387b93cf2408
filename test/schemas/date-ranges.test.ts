/**
 * Dates within a plausible range for their meaning, else refused naming the field: 9999-12-31 and 0000-01-01
 * are typos (and a status change `from: 9999-12-31` would freeze that person's status for good), a birth
 * date after the day of the request is wrong, a payment notified long before it is made is wrong. Valid
 * dates at the edges of each range, the worked examples and the decisions' own examples still pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#app/clock.js';
import type { StaffDeps } from '#app/staff/context.js';
import { enrollBody } from '#app/staff/schemas.js';
import { cstDateOf } from '#domain/calendar.js';
import { checkCharacter } from '#domain/identity.js';
import { useStaffDeps } from '#functions/api/deps.js';
import { type OperationId, ROUTES } from '#functions/api/routes.js';
import { parseFacts } from '#rules/engine.js';
import { DECISIONS, decide, findDecision } from '#rules/registry.js';
import {
  birthDate,
  businessDate,
  calendarDate,
  feeMonth,
  feeYear,
  timestampOrDate,
  yearMonth,
} from '#schemas/common.js';
import { parseTaxPaymentEvent, TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import { badFields, call, claims } from '#test/functions/api/support.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON edited freely by the tests
type Json = Record<string, any>;

const TODAY = '2026-04-20';
const EXAMPLES = join(import.meta.dirname, '../../docs/examples');

const untouchable = new Proxy(
  {},
  {
    get: (_t, name) => () => {
      throw new Error(`${String(name)} must not be called for a bad request`);
    },
  },
);

/** Installs staff deps with the given store (default: one that throws when touched). */
function install(store: unknown = untouchable) {
  useStaffDeps({
    store,
    workflows: untouchable,
    callbacks: untouchable,
    clock: fixedClock(Date.parse(`${TODAY}T02:00:00Z`)),
  } as unknown as StaffDeps);
}
beforeAll(() => install());
afterAll(() => useStaffDeps(undefined));

const ok = (s: { safeParse(v: unknown): { success: boolean } }, v: unknown) => s.safeParse(v).success;

describe('the building blocks', () => {
  it('calendarDate: 1900-01-01 … 2100-12-31', () => {
    expect(ok(calendarDate, '1900-01-01')).toBe(true);
    expect(ok(calendarDate, '2100-12-31')).toBe(true);
    for (const bad of ['0000-01-01', '1899-12-31', '2101-01-01', '9999-12-31', '2026-02-30'])
      expect(ok(calendarDate, bad), bad).toBe(false);
  });

  it('businessDate: from the 1998 reform', () => {
    expect(ok(businessDate, '1998-01-01')).toBe(true);
    expect(ok(businessDate, '2100-12-31')).toBe(true);
    for (const bad of ['0000-01-01', '1997-12-31', '2101-01-01', '9999-12-31'])
      expect(ok(businessDate, bad), bad).toBe(false);
    expect(businessDate.safeParse('9999-12-31').error?.issues).toEqual([
      expect.objectContaining({
        message: '超出合理范围，须在1998-01-01至2100-12-31之间 out of range: 1998-01-01 to 2100-12-31',
      }),
    ]);
  });

  it('a bad date is reported once, not also as out of range', () => {
    expect(businessDate.safeParse('0000-13-01').error?.issues).toHaveLength(1);
  });

  it('birthDate: from 1900-01-01', () => {
    expect(ok(birthDate, '1900-01-01')).toBe(true);
    expect(ok(birthDate, '1899-12-31')).toBe(false);
    expect(ok(birthDate, '0000-01-01')).toBe(false);
  });

  it('fee years and fee months: 1998 … 2100', () => {
    expect(ok(feeYear, 1998)).toBe(true);
    expect(ok(feeYear, 2100)).toBe(true);
    for (const bad of [0, 1990, 1997, 2101, 9999]) expect(ok(feeYear, bad), String(bad)).toBe(false);
    expect(ok(feeMonth, '1998-01')).toBe(true);
    expect(ok(feeMonth, '2100-12')).toBe(true);
    for (const bad of ['0000-01', '1997-12', '2101-01', '9999-12']) expect(ok(feeMonth, bad), bad).toBe(false);
    // Any month (military service, a schedule's birth month) may be older than the schemes.
    expect(ok(yearMonth, '1984-09')).toBe(true);
    expect(ok(yearMonth, '9999-12')).toBe(false);
  });

  it('payment times: on a business date, as a time-stamp or a date', () => {
    expect(ok(timestampOrDate, '2026-04-10T10:00:00+08:00')).toBe(true);
    expect(ok(timestampOrDate, '2026-04-10')).toBe(true);
    for (const bad of ['9999-12-31', '0000-01-01', '9999-12-31T10:00:00Z', '0000-01-01T00:00:00Z', '1997-12-31'])
      expect(ok(timestampOrDate, bad), bad).toBe(false);
  });
});

// ── The staff API ──────────────────────────────────────────────────────────────

async function callExample(op: OperationId, edit: (body: Json) => void, query?: Record<string, string>) {
  const ex = ROUTES[op].example as { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  const body = structuredClone(ex.body) as Json;
  edit(body);
  const region = (body.region ?? body.toRegion ?? body.facts?.region ?? '220100') as string;
  return call(op, {
    claims: claims('clerk-1', region, 'clerk', 'approver'),
    ...(ex.params ? { params: ex.params } : {}),
    ...((query ?? ex.query) ? { query: query ?? ex.query } : {}),
    body,
  });
}

/** Every date field of every body (and the decide route's facts), with how to set it. */
const DATE_FIELDS: Array<[OperationId, string, (b: Json, v: string) => void]> = [
  ['enrollPerson', 'on', (b, v) => (b.on = v)],
  ['changeEnrollmentStatus', 'from', (b, v) => (b.from = v)],
  ['transferEnrollment', 'on', (b, v) => (b.on = v)],
  ['openRetirementApplication', 'birthDate', (b, v) => (b.birthDate = v)],
  ['openRetirementApplication', 'retirementDate', (b, v) => (b.retirementDate = v)],
  [
    'openRetirementApplication',
    'militaryPeriods[0].from',
    (b, v) => (b.militaryPeriods = [{ kind: 'military-service', from: v.slice(0, 7), to: '1988-08' }]),
  ],
  ['fileDeferralAgreement', 'filedOn', (b, v) => (b.filedOn = v)],
  ['fileDeferralAgreement', 'rulingOn', (b, v) => (b.rulingOn = v)],
  ['fileDeferralAgreement', 'agreementFiledOn', (b, v) => (b.agreementFiledOn = v)],
  ['fileDeferralAgreement', 'agreementEndsOn', (b, v) => (b.agreementEndsOn = v)],
  [
    'fileDeferralAgreement',
    'employees[0].months[0].feeMonth',
    (b, v) => (b.employees[0].months[0].feeMonth = v.slice(0, 7)),
  ],
  ['endDeferralAgreement', 'endedOn', (b, v) => (b.endedOn = v)],
  ['applyForRefund', 'facts.eventOn', (b, v) => (b.facts.eventOn = v)],
  ['applyForRefund', 'facts.caseOpenedOn', (b, v) => (b.facts.caseOpenedOn = v)],
  ['applyForRefund', 'facts.payments[0].feeYear', (b, v) => (b.facts.payments[0].feeYear = Number(v.slice(0, 4)))],
  ['resolveDuplicate', 'request.writtenOn', (b, v) => (b.request.writtenOn = v)],
  ['registerNewborn', 'birthDate', (b, v) => (b.birthDate = v)],
  ['registerIdentityConversion', 'conversionDate', (b, v) => (b.conversionDate = v)],
  ['decide', 'paidAt', (b, v) => (b.paidAt = v)],
  ['decide', 'feeYear', (b, v) => (b.feeYear = Number(v.slice(0, 4)))],
];

describe('staff API: a date out of range is a 400 naming the field', () => {
  for (const [op, name, set] of DATE_FIELDS) {
    for (const value of ['9999-12-31', '0000-01-01']) {
      it(`${op}: ${name} = ${value}`, async () => {
        const a = await callExample(op, (b) => set(b, value));
        expect(a.status).toBe(400);
        // A cross-field check may name a second field (an agreement filed before the filing); this one is always named.
        expect(badFields(a)).toContain(name);
      });
    }
  }

  it('a status change from 9999-12-31 is refused, so no status can be frozen by it', async () => {
    const a = await callExample('changeEnrollmentStatus', (b) => (b.from = '9999-12-31'));
    expect(badFields(a)).toEqual(['from']);
    expect(a.body['invalid-params'][0].reason).toContain('out of range');
  });

  it('a status change before the 1998 reform is refused', async () => {
    const a = await callExample('changeEnrollmentStatus', (b) => (b.from = '1997-12-31'));
    expect(badFields(a)).toEqual(['from']);
  });

  it('the status on 9999-12-31 is not asked about', async () => {
    const a = await call('getPersonStatus', {
      claims: claims('clerk-1', '220100', 'clerk'),
      params: { identityKey: 'CN:22010219790615303X' },
      query: { date: '9999-12-31' },
    });
    expect(badFields(a)).toEqual(['date']);
  });
});

describe('a birth date after the day of the request is refused naming it', () => {
  it('registerNewborn: a passport holder born tomorrow', async () => {
    const a = await call('registerNewborn', {
      claims: claims('clerk-1', '220100', 'clerk'),
      body: { identity: { number: 'E12345678', nationality: 'USA' }, region: '220100', birthDate: '2026-04-21' },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['birthDate']);
  });

  it('openRetirementApplication: a passport holder born after the processing day', async () => {
    const identityKey = 'PP:USA:E12345678';
    install({
      getPerson: async () => ({ identityKey, region: '220100', documentType: 'passport' }),
      listEnrollments: async () => [
        {
          identityKey,
          enrollmentId: 'E-220100-0001',
          scheme: 'employee',
          mode: 'unit',
          region: '220100',
          enrolledOn: '2010-01-01',
          statusHistory: [{ status: 'normal', from: '2010-01-01', rules: [], reason: { zh: '', en: '' } }],
          coverPeriods: [],
        },
      ],
    });
    try {
      const a = await call('openRetirementApplication', {
        claims: claims('clerk-1', '220100', 'clerk'),
        body: {
          identityKey,
          sex: 'male',
          birthDate: '2026-05-01',
          record: { deemedMonths: 0, outOfProvinceMonths: 0, localCombinedMonths: 192 },
        },
      });
      expect(a.status).toBe(400);
      expect(badFields(a)).toEqual(['birthDate']);
    } finally {
      install();
    }
  });

  it('what-if retirement-transfer: born after processedOn', async () => {
    const facts = { ...(findDecision('retirement-transfer')!.example.facts as Json), birthDate: '2026-04-21' };
    const a = await call('decide', {
      claims: claims('clerk-1', '220200', 'clerk'),
      params: { id: 'retirement-transfer' },
      query: { asOf: TODAY },
      body: facts,
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['birthDate']);
  });

  it('a resident ID number whose birth date is after the check is an invalid number (E-6)', () => {
    const first17 = '22010220260421001';
    const r = decide(
      'identity-key',
      { region: '220100', number: first17 + checkCharacter(first17), checkedOn: TODAY },
      TODAY,
    );
    expect(r.value).toMatchObject({ status: 'invalid', key: null });
  });
});

// ── Decision facts ─────────────────────────────────────────────────────────────

describe('decision facts: a date out of range is refused naming it', () => {
  const FIELDS: Array<[string, string, (f: Json, v: string) => void]> = [
    ['identity-key', 'checkedOn', (f, v) => (f.checkedOn = v)],
    ['enrollment-eligibility', 'on', (f, v) => (f.on = v)],
    ['registration-deadline', 'eventDate', (f, v) => (f.eventDate = v)],
    ['duplicate-resolution', 'enrollments[0].start', (f, v) => (f.enrollments[0].start = v)],
    ['unit-contribution', 'feeMonth', (f, v) => (f.feeMonth = v.slice(0, 7))],
    ['unit-contribution', 'employees[1].hiredOn', (f, v) => (f.employees[1].hiredOn = v)],
    ['flexible-contribution', 'fromMonth', (f, v) => (f.fromMonth = v.slice(0, 7))],
    ['unemployment-contribution', 'benefitFrom', (f, v) => (f.benefitFrom = v.slice(0, 7))],
    ['resident-contribution', 'person.birthDate', (f, v) => (f.person.birthDate = v)],
    ['resident-contribution', 'paidOn', (f, v) => (f.paidOn = v)],
    ['maternity-benefit', 'deliveryDate', (f, v) => (f.deliveryDate = v)],
    ['waiting-period', 'paidAt', (f, v) => (f.paidAt = v)],
    ['arrears', 'firstUnpaidDay', (f, v) => (f.firstUnpaidDay = v)],
    ['arrears', 'months[0].feeMonth', (f, v) => (f.months[0].feeMonth = v.slice(0, 7))],
    ['bankruptcy-deferral', 'filedOn', (f, v) => (f.filedOn = v)],
    ['refund', 'eventOn', (f, v) => (f.eventOn = v)],
    ['retirement-age', 'birthDate', (f, v) => (f.birthDate = v)],
    ['retirement-transfer', 'processedOn', (f, v) => (f.processedOn = v)],
    ['major-illness-limit', 'year', (f, v) => (f.year = Number(v.slice(0, 4)))],
  ];
  for (const [id, name, set] of FIELDS) {
    for (const value of ['9999-12-31', '0000-01-01']) {
      it(`${id}: ${name} = ${value}`, () => {
        const d = findDecision(id)!;
        const facts = structuredClone(d.example.facts) as Json;
        set(facts, value);
        let issues: Array<{ path: string }> = [];
        try {
          parseFacts(d, facts);
        } catch (e) {
          issues = (e as { issues: Array<{ path: string }> }).issues;
        }
        expect(issues.map((i) => i.path)).toContain(name);
      });
    }
  }

  it('every decision’s own example is valid', () => {
    for (const d of DECISIONS) expect(() => parseFacts(d, d.example.facts), d.id).not.toThrow();
  });

  it('the worked examples of docs/examples are valid waiting-period facts', () => {
    const examples = JSON.parse(readFileSync(join(EXAMPLES, 'worked-examples.json'), 'utf8')) as unknown[];
    const d = findDecision('waiting-period')!;
    for (const f of examples) expect(() => parseFacts(d, f)).not.toThrow();
  });
});

// ── The tax bureau's notification ──────────────────────────────────────────────

const idNumber = () => {
  const first17 = '22010219790615303';
  return first17 + checkCharacter(first17);
};

const detail = (over: Json = {}, period: Json = { feePeriod: '2026-04', amountFen: 50_000 }) => ({
  schemaVersion: '1',
  notificationId: 'SW2026041000001',
  payer: { kind: 'person' },
  scheme: 'employee',
  mode: 'flexible',
  region: '220100',
  paidAt: '2026-04-10T10:00:00+08:00',
  insured: [{ identity: { number: idNumber() }, periods: [period] }],
  ...over,
});

const envelope = (d: unknown) =>
  JSON.stringify({
    version: '0',
    id: 'e-1',
    'detail-type': TAX_PAYMENT_DETAIL_TYPE,
    source: TAX_PAYMENT_SOURCE,
    time: '2026-04-10T02:00:05Z',
    detail: d,
  });

const pathsOf = (r: ReturnType<typeof parseTaxPaymentEvent>) => (r.ok ? [] : r.issues.map((i) => i.path));

describe('tax payment notification: dates out of range are malformed, naming the field', () => {
  it('paidAt 9999-12-31 or 0000-01-01', () => {
    for (const paidAt of ['9999-12-31', '0000-01-01', '9999-12-31T10:00:00+08:00'])
      expect(pathsOf(parseTaxPaymentEvent(envelope(detail({ paidAt })), '2026-04-10')), paidAt).toEqual([
        'detail.paidAt',
      ]);
  });

  it('a payment time more than a day after today; a day ahead is accepted (clocks and zones)', () => {
    const late = parseTaxPaymentEvent(envelope(detail({ paidAt: '2026-04-12T09:00:00+08:00' })), '2026-04-10');
    expect(late).toMatchObject({
      ok: false,
      issues: [{ path: 'detail.paidAt', message: expect.stringContaining('after today (2026-04-10)') }],
    });
    expect(parseTaxPaymentEvent(envelope(detail({ paidAt: '2026-04-11T23:00:00+08:00' })), '2026-04-10').ok).toBe(true);
  });

  it('fee months and fee years outside 1998 … 2100', () => {
    for (const feePeriod of ['9999-12', '0000-01', '1997-12'])
      expect(
        pathsOf(parseTaxPaymentEvent(envelope(detail({}, { feePeriod, amountFen: 1 })), '2026-04-10')),
        feePeriod,
      ).toEqual(['detail.insured.0.periods.0.feePeriod']);
    const resident = { scheme: 'resident', mode: undefined };
    for (const feePeriod of ['9999', '0000'])
      expect(
        pathsOf(parseTaxPaymentEvent(envelope(detail(resident, { feePeriod, amountFen: 1 })), '2026-04-10')),
        feePeriod,
      ).toEqual(['detail.insured.0.periods.0.feePeriod']);
    expect(parseTaxPaymentEvent(envelope(detail(resident, { feePeriod: '2027', amountFen: 1 })), '2026-04-10').ok).toBe(
      true,
    );
  });
});

describe('the files of docs/examples are valid as sent', () => {
  it('enrollment.json is an enrollment body', () => {
    expect(
      enrollBody.safeParse(JSON.parse(readFileSync(join(EXAMPLES, 'enrollment.json'), 'utf8'))).error,
    ).toBeUndefined();
  });

  const notifications = readdirSync(EXAMPLES).filter((f) => f.startsWith('notification-') && f.endsWith('.json'));
  for (const f of notifications) {
    it(`${f} is a notification, read on the day it was sent`, () => {
      const text = readFileSync(join(EXAMPLES, f), 'utf8');
      const r = parseTaxPaymentEvent(text, cstDateOf((JSON.parse(text) as { time: string }).time));
      expect(r.ok ? [] : r.issues).toEqual([]);
    });
  }
});
