/**
 * Unknown fields are refused, never dropped: every staff API body, every decision's facts (the what-if route
 * and the `decide` CLI) and the tax bureau's notification name a field they do not declare, at its own path,
 * so a misspelt field is a 400 (or a dead letter) instead of a case decided without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#app/clock.js';
import { createPaymentIntake } from '#app/intake/index.js';
import type { IntakeDeps } from '#app/intake/types.js';
import type { StaffDeps } from '#app/staff/context.js';
import { checkCharacter } from '#domain/identity.js';
import { useStaffDeps } from '#functions/api/deps.js';
import { type OperationId, ROUTES } from '#functions/api/routes.js';
import { parseFacts } from '#rules/engine.js';
import { InputError } from '#rules/errors.js';
import { DECISIONS } from '#rules/registry.js';
import { parseTaxPaymentEvent, TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import { badFields, call, claims } from '#test/functions/api/support.js';
import { runCli } from '#tools/cli/decide.js';

/** Throws when touched: a refused request must stop before any domain code reads or writes. */
const untouchable = new Proxy(
  {},
  {
    get: (_t, name) => () => {
      throw new Error(`${String(name)} must not be called for a bad request`);
    },
  },
);

beforeAll(() => {
  useStaffDeps({
    store: untouchable,
    workflows: untouchable,
    callbacks: untouchable,
    clock: fixedClock(Date.parse('2026-04-20T02:00:00Z')),
  } as unknown as StaffDeps);
});
afterAll(() => useStaffDeps(undefined));

/** The tests reach into example JSON to misspell a field anywhere in it. */
// biome-ignore lint/suspicious/noExplicitAny: JSON edited freely by the tests
type Json = Record<string, any>;

const CLERK = claims('clerk-1', '220100', 'clerk', 'approver');
const clone = <T>(v: T): T => structuredClone(v);

/** Each route's example, with the body changed by `edit`. */
async function callExample(op: OperationId, edit: (body: Record<string, unknown>) => void) {
  const ex = ROUTES[op].example as { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  const body = clone(ex.body) as Record<string, unknown>;
  edit(body);
  // The staff member's region is the example's, so that nothing but the field can be refused.
  const region = (body.region ?? body.toRegion ?? (body.facts as { region?: string } | undefined)?.region) as
    | string
    | undefined;
  return call(op, {
    claims: region ? claims('clerk-1', region, 'clerk', 'approver') : CLERK,
    ...(ex.params ? { params: ex.params } : {}),
    ...(ex.query ? { query: ex.query } : {}),
    body,
  });
}

const ROUTES_WITH_BODY = (Object.keys(ROUTES) as OperationId[]).filter(
  (op) => (ROUTES[op].request as { body?: unknown }).body,
);

describe('staff API: a field a body does not declare is a 400 naming it', () => {
  it('covers every route with a body', () => {
    expect(ROUTES_WITH_BODY).toHaveLength(13);
  });

  for (const op of ROUTES_WITH_BODY) {
    it(`${op}: the example is valid as it is`, () => {
      const schema = (ROUTES[op].request as { body: { safeParse(v: unknown): { success: boolean } } }).body;
      expect(schema.safeParse(ROUTES[op].example.body).success).toBe(true);
    });

    it(`${op}: enrolment (a misspelling) is refused by name`, async () => {
      const a = await callExample(op, (b) => {
        b.enrolment = '2026-05-01';
      });
      expect(a.status).toBe(400);
      expect(badFields(a)).toEqual(['enrolment']);
      expect(a.body['invalid-params'][0].reason).toContain('未知字段 unknown field');
    });
  }

  /** Fields inside nested objects and list items, named with their full path. */
  const NESTED: Array<[OperationId, (b: Json) => void, string]> = [
    ['enrollPerson', (b) => (b.identity.idNumber = 'x'), 'identity.idNumber'],
    ['enrollPerson', (b) => (b.places.home = '220100'), 'places.home'],
    ['enrollPerson', (b) => (b.custody = { coverLapsed: true, agent: 'facility', since: 'x' }), 'custody.since'],
    ['transferEnrollment', (b) => (b.places.hukuo = '220100'), 'places.hukuo'],
    ['openRetirementApplication', (b) => (b.record.months = 12), 'record.months'],
    [
      'openRetirementApplication',
      (b) => (b.militaryPeriods = [{ kind: 'military-service', from: '1984-09', to: '1988-08', unit: 'x' }]),
      'militaryPeriods[0].unit',
    ],
    ['fileDeferralAgreement', (b) => (b.employees[0].name = 'x'), 'employees[0].name'],
    ['fileDeferralAgreement', (b) => (b.employees[0].months[0].amountFen = 1), 'employees[0].months[0].amountFen'],
    ['applyForRefund', (b) => (b.facts.eventDate = '2026-11-20'), 'facts.eventDate'],
    ['applyForRefund', (b) => (b.facts.payments[0].feeMonthh = '2026-11'), 'facts.payments[0].feeMonthh'],
    ['resolveDuplicate', (b) => (b.request.keep = true), 'request.keep'],
    ['resolveDuplicate', (b) => (b.enrollments[1].since = '2020-01-01'), 'enrollments[1].since'],
    ['resolveDuplicate', (b) => (b.student = { povertyRegistered: true, poor: true }), 'student.poor'],
    ['registerNewborn', (b) => (b.identity.type = 'passport'), 'identity.type'],
    ['registerIdentityConversion', (b) => (b.identity.kind = 'veteran'), 'identity.kind'],
    [
      'decide',
      (b) => (b.previousCover = { scheme: 'resident', lastCoveredDay: '2026-12-31', continuousYears: 4, x: 1 }),
      'previousCover.x',
    ],
  ];
  for (const [op, edit, name] of NESTED) {
    it(`${op}: ${name}`, async () => {
      const a = await callExample(op, edit);
      expect(a.status).toBe(400);
      expect(badFields(a)).toEqual([name]);
    });
  }

  it('names every unknown field at once, with the other bad fields', async () => {
    const a = await callExample('changeEnrollmentStatus', (b) => {
      b.form = '2026-05-01';
      b.reason = 'x';
      b.status = 'gone';
    });
    expect(badFields(a).sort()).toEqual(['form', 'reason', 'status']);
  });
});

describe('decision facts: a field a decision does not declare is refused by name', () => {
  /** A nested field per decision that has nested objects. */
  const NESTED: Record<string, [(f: Json) => void, string]> = {
    'enrollment-eligibility': [(f) => (f.current.since = '2020-01-01'), 'current.since'],
    'duplicate-resolution': [(f) => (f.enrollments[0].unit = 'x'), 'enrollments[0].unit'],
    'unit-contribution': [(f) => (f.employees[1].wageFen = 1), 'employees[1].wageFen'],
    'resident-contribution': [(f) => (f.person.birthday = '1980-04-12'), 'person.birthday'],
    'maternity-benefit': [(f) => (f.deliveryCosts.otherFen = 1), 'deliveryCosts.otherFen'],
    arrears: [(f) => (f.months[0].lateFeeFen = 1), 'months[0].lateFeeFen'],
    'bankruptcy-deferral': [(f) => (f.months[1].dueFen = 1), 'months[1].dueFen'],
    refund: [(f) => (f.payments[0].paidOn = '2026-11-20'), 'payments[0].paidOn'],
    'retirement-transfer': [(f) => (f.record.militaryMonths = 1), 'record.militaryMonths'],
    'major-illness-limit': [(f) => (f.history[0].reimbursedFen = 1), 'history[0].reimbursedFen'],
    'waiting-period': [
      (f) => (f.previousCover = { scheme: 'resident', lastCoveredDay: '2026-12-31', continuousYears: 4, years: 4 }),
      'previousCover.years',
    ],
  };

  for (const d of DECISIONS) {
    it(`${d.id}: at the top level, through the engine and the CLI`, () => {
      const facts = { ...clone(d.example.facts as Record<string, unknown>), regoin: '220100' };
      expect(() => parseFacts(d, facts)).toThrow(InputError);
      try {
        parseFacts(d, facts);
      } catch (e) {
        expect((e as InputError).issues).toEqual([{ path: 'regoin', message: '未知字段 unknown field' }]);
      }
      const cli = runCli([d.id, '--as-of', d.example.asOf], JSON.stringify([d.example.facts, facts]));
      expect(cli.code).toBe(2);
      // The error is JSON on stderr (on stdout before the CLI parted the two).
      const out = (cli as { stderr?: string }).stderr || cli.stdout;
      expect(JSON.parse(out).issues.map((i: { path: string }) => i.path)).toEqual(['[1].regoin']);
    });

    const nested = NESTED[d.id];
    if (nested) {
      it(`${d.id}: ${nested[1]}`, () => {
        const facts = clone(d.example.facts as Json);
        nested[0](facts);
        expect(() => parseFacts(d, facts)).toThrow(
          expect.objectContaining({ issues: [expect.objectContaining({ path: nested[1] })] }),
        );
      });
    }
  }

  it('the what-if route names it too', async () => {
    const a = await call('decide', {
      claims: CLERK,
      params: { id: 'refund' },
      query: { asOf: '2026-12-10' },
      body: { ...(DECISIONS.find((d) => d.id === 'refund')!.example.facts as Json), evntOn: '2026-11-20' },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['evntOn']);
  });
});

// ── The tax bureau's notification ──────────────────────────────────────────────

const idNumber = (seq: string) => {
  const first17 = `22010219790615${seq}`;
  return first17 + checkCharacter(first17);
};

const detail = () => ({
  schemaVersion: '1',
  notificationId: 'SW2026041000001',
  payer: { kind: 'unit', id: '91220101MA0000000X' },
  scheme: 'employee',
  mode: 'unit',
  region: '220100',
  paidAt: '2026-04-10T10:00:00+08:00',
  insured: [
    { identity: { number: idNumber('303') }, periods: [{ feePeriod: '2026-04', amountFen: 50_000, baseFen: 500_000 }] },
    { identity: { number: idNumber('311') }, periods: [{ feePeriod: '2026-04', amountFen: 50_000 }] },
  ],
});

const envelope = (d: unknown) =>
  JSON.stringify({
    version: '0',
    id: 'e-1',
    'detail-type': TAX_PAYMENT_DETAIL_TYPE,
    source: TAX_PAYMENT_SOURCE,
    account: '123456789012',
    time: '2026-04-10T02:00:05Z',
    region: 'cn-north-1',
    resources: [],
    detail: d,
  });

describe('tax payment notification: an unknown field of a known version is malformed, with the field named', () => {
  it('the valid notification, with EventBridge’s own envelope fields, is read', () => {
    const r = parseTaxPaymentEvent(envelope(detail()), '2026-04-10');
    expect(r.ok).toBe(true);
  });

  const CASES: Array<[string, (d: Json) => void]> = [
    ['detail.paidOn', (d) => (d.paidOn = '2026-04-10')],
    ['detail.payer.name', (d) => (d.payer.name = 'x')],
    ['detail.insured.0.idNumber', (d) => (d.insured[0].idNumber = idNumber('303'))],
    ['detail.insured.1.identity.name', (d) => (d.insured[1].identity.name = 'x')],
    ['detail.insured.0.periods.0.rateFen', (d) => (d.insured[0].periods[0].rateFen = 1)],
  ];
  for (const [path, edit] of CASES) {
    it(path, () => {
      const d = detail();
      edit(d);
      const r = parseTaxPaymentEvent(envelope(d), '2026-04-10');
      expect(r).toEqual({
        ok: false,
        reason: `malformed detail: ${path}: 未知字段 unknown field`,
        issues: [{ path, message: '未知字段 unknown field' }],
      });
    });
  }

  it('goes to the malformed-notification queue with the field named, and nothing is stored', async () => {
    const sent: Array<{ body: string; reason: string; attributes?: Record<string, string> }> = [];
    const intake = createPaymentIntake({
      store: untouchable,
      callbacks: untouchable,
      workflows: untouchable,
      deadLetters: {
        send: async (body: string, reason: string, attributes?: Record<string, string>) => {
          sent.push({ body, reason, ...(attributes ? { attributes } : {}) });
        },
      },
      clock: fixedClock(Date.parse('2026-04-10T02:00:05Z')),
    } as unknown as IntakeDeps);
    const d = detail();
    (d.insured[0] as Record<string, unknown>).idNumber = idNumber('303');
    const body = envelope(d);
    const outcome = await intake.handleMessage(body, { messageId: 'm-1' });
    expect(outcome).toMatchObject({ kind: 'malformed' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toBe(body);
    expect(sent[0]!.reason).toBe('malformed detail: detail.insured.0.idNumber: 未知字段 unknown field');
    expect(JSON.parse(sent[0]!.attributes!.issues!)).toEqual([
      { path: 'detail.insured.0.idNumber', message: '未知字段 unknown field' },
    ]);
    // The reason names the field, never the identity number it carried.
    expect(sent[0]!.reason).not.toContain(idNumber('303'));
  });
});
