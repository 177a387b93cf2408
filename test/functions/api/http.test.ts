/**
 * The middleware of every route (functions/lib/http.ts): bad path, query or body → 400 problem+json naming
 * each bad field before any domain code runs (the store and Step Functions here throw if touched); bad JSON;
 * the Idempotency-Key header's shape; identity before parsing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStaffDeps } from '#functions/api/deps.js';
import { type OperationId, ROUTES } from '#functions/api/routes.js';
import { fixedClock } from '#app/clock.js';
import type { StaffDeps } from '#app/staff/context.js';
import { badFields, type Call, call, claims } from './support.js';

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

const CLERK = claims('clerk-1', '220100', 'clerk', 'approver');

/** One bad request per route and the fields its 400 must name. */
const BAD: Record<OperationId, [Call, string[]]> = {
  enrollPerson: [
    { body: { identity: {}, region: '999999', scheme: 'employee', work: 'not-working', places: { hukou: 'x' } } },
    ['identity.number', 'region', 'places.hukou'],
  ],
  changeEnrollmentStatus: [
    { params: { identityKey: 'not-a-key', enrollmentId: 'E 1' }, body: { status: 'gone', from: '2026-02-30' } },
    ['identityKey', 'enrollmentId', 'status', 'from', 'note'],
  ],
  transferEnrollment: [
    {
      params: { identityKey: 'CN:220102199003071235', enrollmentId: 'E-1' },
      body: { toRegion: '220100', work: 'unit-employee' },
    },
    ['employer'],
  ],
  getPersonStatus: [{ params: { identityKey: 'CN:220102199003071235' }, query: { date: '2026-13-01' } }, ['date']],
  openRetirementApplication: [
    { body: { identityKey: 'bad key', record: { deemedMonths: -1, outOfProvinceMonths: 0 } } },
    ['identityKey', 'record.deemedMonths', 'record.localCombinedMonths'],
  ],
  recordRetirementChoice: [{ params: { caseId: 'RT-1' }, body: { choice: 'lottery' } }, ['choice']],
  fileDeferralAgreement: [
    {
      body: {
        unitId: 'U-1',
        region: '220100',
        filedOn: '2026-03-15',
        taxConfirmed: 'yes',
        agreementFiledOn: '2026-03-10',
        agreementEndsOn: '2026-09-30',
        employees: [],
      },
    },
    ['taxConfirmed', 'employees'],
  ],
  endDeferralAgreement: [
    { params: { caseId: 'BD-1' }, body: { cause: 'bored', endedOn: 'soon' } },
    ['cause', 'endedOn', 'note'],
  ],
  applyForRefund: [
    {
      body: {
        identityKey: 'CN:220102199003071235',
        facts: { region: '220100', scheme: 'resident', payments: [{ amountFen: -5 }] },
      },
    },
    ['facts.reason', 'facts.eventOn', 'facts.payments[0].amountFen'],
  ],
  approveRefund: [{ params: { caseId: 'RF-1' }, body: {} }, ['note']],
  resolveDuplicate: [
    {
      params: { identityKey: 'CN:220102199003071235' },
      body: { request: { keepId: 'E-1' }, enrollments: [{ enrollmentId: 'E-1', place: 'moon' }] },
    },
    ['request.writtenOn', 'enrollments', 'enrollments[0].place', 'note'],
  ],
  registerNewborn: [
    { body: { identity: { number: 12 }, region: '220100', birthDate: '2026-02-30' } },
    ['identity.number', 'birthDate'],
  ],
  registerIdentityConversion: [
    { body: { identity: { number: '220102199003071235' }, region: '220100', kind: 'alien' } },
    ['conversionDate', 'kind'],
  ],
  listCases: [{ query: { state: 'Awaiting Choice', limit: '500', caseType: 'x' } }, ['state', 'caseType', 'limit']],
  getCase: [{ params: { caseId: 'has space' } }, ['caseId']],
  getCaseAuditTrail: [
    { params: { caseId: 'RT-1' }, query: { limit: '0', cursor: 'x'.repeat(3000) } },
    ['limit', 'cursor'],
  ],
  decide: [
    { params: { id: 'waiting-period' }, query: { asOf: 'yesterday' }, body: { scheme: 'resident' } },
    ['asOf', 'region'],
  ],
};

describe('400 problem+json naming each bad field, nothing called', () => {
  for (const op of Object.keys(ROUTES) as OperationId[]) {
    it(op, async () => {
      const [req, fields] = BAD[op];
      const a = await call(op, { ...req, claims: CLERK });
      expect(a.status).toBe(400);
      expect(a.headers['content-type']).toBe('application/problem+json');
      expect(a.body).toMatchObject({ title: 'Invalid input', status: 400 });
      expect(badFields(a).sort()).toEqual([...fields].sort());
      for (const p of a.body['invalid-params']) expect(p.reason).toBeTruthy();
    });
  }
});

describe('the body, the header and the order of checks', () => {
  it('a body that is not JSON is a 400 naming (body)', async () => {
    const a = await call('enrollPerson', { claims: CLERK, rawBody: '{"identity":' });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['(body)']);
  });

  it('a missing body is a 400', async () => {
    const a = await call('approveRefund', { claims: CLERK, params: { caseId: 'RF-1' } });
    expect(a.status).toBe(400);
  });

  it('an Idempotency-Key of the wrong shape is a 400 naming it', async () => {
    const a = await call('registerNewborn', {
      claims: CLERK,
      headers: { 'idempotency-key': 'short' },
      body: { identity: { number: '220102202603010027' }, region: '220100' },
    });
    expect(a.status).toBe(400);
    expect(badFields(a)).toEqual(['Idempotency-Key']);
  });

  it('identity first: an anonymous bad request is a 401, not a 400', async () => {
    const a = await call('enrollPerson', { claims: null, rawBody: 'not json' });
    expect(a.status).toBe(401);
  });

  it('roles before parsing: an auditor’s bad request to a write route is a 403', async () => {
    const a = await call('enrollPerson', { claims: claims('a-1', '220100', 'auditor'), body: {} });
    expect(a.status).toBe(403);
  });

  it('an identity key in the path arrives URL-encoded and is decoded', async () => {
    // The date is bad, so the request stops at parsing; the key itself must have been accepted.
    const a = await call('getPersonStatus', {
      claims: CLERK,
      params: { identityKey: 'CN:220102199003071235' },
      query: { date: 'x' },
    });
    expect(badFields(a)).toEqual(['date']);
  });
});
