/**
 * The authorization matrix of every route of the table, through the real handlers on DynamoDB Local:
 * no token or a bad one → 401; a role the route does not admit → 403; another region's person, case or
 * facts → 403; and nothing written by a refused request.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStaffDeps } from '#functions/api/deps.js';
import { type OperationId, ROUTES } from '#functions/api/routes.js';
import { sfnTaskCallbacks, sfnWorkflowStarter } from '#functions/lib/aws-ports.js';
import { fixedClock } from '#app/clock.js';
import { DynamoWorkflowStore } from '#store/workflow-store.js';
import type { CaseInput, ChangeContext } from '#store/model.js';
import { type LocalDynamo, startDynamoDbLocal } from '../../support/dynamodb-local.js';
import { type Call, type Claims, call, claims } from './support.js';

const sfn = mockClient(SFNClient);
let local: LocalDynamo;
let store: DynamoWorkflowStore;
const clock = fixedClock(Date.parse('2026-04-20T02:00:00Z'));

/** Everything below lives in Changchun (220100). */
const KEY = 'CN:22010219790615303X';
const ENR = 'E-220100-seed-0001';
const seed: ChangeContext = { actor: { kind: 'staff', staffId: 'seed', region: '220100' }, reason: 'seed' };

const caseOf = (caseId: string, caseType: CaseInput['caseType'], state: string, data = {}): CaseInput => ({
  caseId,
  caseType,
  region: '220100',
  subject: caseType === 'bankruptcy-deferral' ? { kind: 'unit', unitId: 'U-1' } : { kind: 'person', identityKey: KEY },
  state,
  openedOn: '2026-04-01',
  wait: null,
  taskToken: 'token-seed',
  data,
});

beforeAll(async () => {
  process.env.STATE_MACHINE_RETIREMENT_TRANSFER = 'arn:aws:states:cn-north-1:0:stateMachine:rt';
  process.env.STATE_MACHINE_BANKRUPTCY_DEFERRAL = 'arn:aws:states:cn-north-1:0:stateMachine:bd';
  local = await startDynamoDbLocal();
  store = new DynamoWorkflowStore({
    client: local.client,
    tableName: local.tableName,
    now: () => new Date(clock.now()),
  });
  const client = new SFNClient({ region: 'cn-north-1' });
  useStaffDeps({ store, workflows: sfnWorkflowStarter(client), callbacks: sfnTaskCallbacks(client), clock });
  await store.createPerson({ identityKey: KEY, region: '220100', birthDate: '1979-06-15', sex: 'male' }, seed);
  await store.createEnrollment(
    {
      enrollmentId: ENR,
      identityKey: KEY,
      scheme: 'employee',
      mode: 'flexible',
      flexibleMode: 'combined',
      region: '220100',
      enrolledOn: '2025-01-01',
      statusHistory: [
        {
          status: 'normal',
          from: '2025-01-01',
          rules: [{ id: 'E-2', cites: 'JL26 Art.4' }],
          reason: { zh: '灵活就业', en: 'flexible' },
        },
      ],
      coverPeriods: [],
    },
    seed,
  );
  await store.openCase(caseOf('RT-seed', 'retirement-transfer', 'awaiting-choice', { options: ['lump-sum'] }), seed);
  await store.openCase(caseOf('RF-seed', 'refund', 'awaiting-approval', { appliedBy: 'someone' }), seed);
  await store.openCase(
    caseOf('BD-seed', 'bankruptcy-deferral', 'in-force', {
      agreement: {
        filedOn: '2026-03-15',
        taxConfirmed: true,
        agreementFiledOn: '2026-03-28',
        agreementEndsOn: '2026-09-30',
      },
      employees: [{ identityKey: KEY, months: [{ feeMonth: '2026-03', baseFen: 500000 }] }],
    }),
    seed,
  );
});
afterAll(async () => {
  useStaffDeps(undefined);
  await local?.stop();
});

/** A request each route would accept from staff of Changchun with the right role. */
const REQUESTS: Record<OperationId, Call> = {
  enrollPerson: {
    body: {
      identity: { number: '220102199003071235' },
      region: '220100',
      scheme: 'resident',
      work: 'not-working',
      places: { hukou: '220100' },
    },
  },
  changeEnrollmentStatus: {
    params: { identityKey: KEY, enrollmentId: ENR },
    body: { status: 'suspended', from: '2026-05-01', note: 'x' },
  },
  transferEnrollment: {
    params: { identityKey: KEY, enrollmentId: ENR },
    body: { toRegion: '220100', work: 'platform-worker', places: { residence: '220100' } },
  },
  getPersonStatus: { params: { identityKey: KEY }, query: { date: '2026-04-20' } },
  openRetirementApplication: {
    body: { identityKey: KEY, record: { deemedMonths: 0, outOfProvinceMonths: 0, localCombinedMonths: 200 } },
  },
  recordRetirementChoice: { params: { caseId: 'RT-seed' }, body: { choice: 'lump-sum' } },
  fileDeferralAgreement: {
    body: {
      unitId: 'U-1',
      region: '220100',
      filedOn: '2026-03-15',
      taxConfirmed: true,
      agreementFiledOn: '2026-03-28',
      agreementEndsOn: '2026-09-30',
      employees: [{ identityKey: KEY, months: [{ feeMonth: '2026-03', baseFen: 500000 }] }],
    },
  },
  endDeferralAgreement: {
    params: { caseId: 'BD-seed' },
    body: { cause: 'withdrawn', endedOn: '2026-04-20', note: 'x' },
  },
  applyForRefund: {
    body: {
      identityKey: KEY,
      facts: {
        region: '220100',
        scheme: 'resident',
        reason: 'death',
        eventOn: '2026-04-01',
        payments: [{ feeYear: 2027, amountFen: 40000 }],
      },
    },
  },
  approveRefund: { params: { caseId: 'RF-seed' }, body: { note: 'x' } },
  resolveDuplicate: {
    params: { identityKey: KEY },
    body: {
      request: { keepId: ENR, writtenOn: '2026-04-18' },
      enrollments: [
        { enrollmentId: ENR, place: 'employment' },
        { enrollmentId: ENR, place: 'other' },
      ],
      note: 'x',
    },
  },
  registerNewborn: { body: { identity: { number: '220102202603010027' }, region: '220100' } },
  registerIdentityConversion: {
    body: { identity: { number: '220102199003071235' }, region: '220100', conversionDate: '2026-04-01' },
  },
  listCases: { query: { state: 'awaiting-choice', region: '220100' } },
  getCase: { params: { caseId: 'RT-seed' } },
  getCaseAuditTrail: { params: { caseId: 'RT-seed' }, query: { limit: '10' } },
  decide: {
    params: { id: 'waiting-period' },
    body: { region: '220100', scheme: 'resident', paidAt: '2026-11-15', feeYear: 2027 },
  },
};

/** For body-region routes, the region moved to Jilin City (the caller's own), so that the 403 comes from the person or case. */
const OPS = Object.keys(ROUTES) as OperationId[];

describe('401: no token, or a token without staff id, region or role', () => {
  const bad: Array<[string, Claims | null]> = [
    ['no claims', null],
    ['no region', { sub: 'x', 'cognito:groups': '[clerk]' }],
    ['unknown region', { sub: 'x', 'custom:region': '999999', 'cognito:groups': '[clerk]' }],
    ['no known role', { sub: 'x', 'custom:region': '220100', 'cognito:groups': '[admin]' }],
  ];
  for (const op of OPS) {
    it(`${op}`, async () => {
      for (const [, c] of bad) {
        const a = await call(op, { ...REQUESTS[op], claims: c });
        expect(a.status, `${op}`).toBe(401);
        expect(a.headers['content-type']).toBe('application/problem+json');
      }
    });
  }
});

describe('403 by role: auditors only read; only approvers approve refunds and file or end agreements', () => {
  for (const op of OPS) {
    const route = ROUTES[op];
    for (const role of ['clerk', 'approver', 'auditor'] as const) {
      const allowed = (route.roles as readonly string[]).includes(role);
      if (allowed) continue;
      it(`${op} refuses ${role}`, async () => {
        const a = await call(op, { ...REQUESTS[op], claims: claims(`${role}-1`, '220100', role) });
        expect(a.status).toBe(403);
      });
    }
  }

  it('the matrix of the table: reads for all three roles, approvals for approvers only', () => {
    const byRoles = Object.fromEntries(OPS.map((op) => [op, [...ROUTES[op].roles].sort().join(',')]));
    expect(byRoles).toEqual({
      enrollPerson: 'approver,clerk',
      changeEnrollmentStatus: 'approver,clerk',
      transferEnrollment: 'approver,clerk',
      getPersonStatus: 'approver,auditor,clerk',
      openRetirementApplication: 'approver,clerk',
      recordRetirementChoice: 'approver,clerk',
      fileDeferralAgreement: 'approver',
      endDeferralAgreement: 'approver',
      applyForRefund: 'approver,clerk',
      approveRefund: 'approver',
      resolveDuplicate: 'approver,clerk',
      registerNewborn: 'approver,clerk',
      registerIdentityConversion: 'approver,clerk',
      listCases: 'approver,auditor,clerk',
      getCase: 'approver,auditor,clerk',
      getCaseAuditTrail: 'approver,auditor,clerk',
      decide: 'approver,auditor,clerk',
    });
  });
});

describe('403 by region: staff of Jilin City (220200) on Changchun’s persons, cases and facts', () => {
  for (const op of OPS) {
    it(`${op}`, async () => {
      const role = (ROUTES[op].roles as readonly string[]).includes('clerk') ? 'clerk' : 'approver';
      const a = await call(op, { ...REQUESTS[op], claims: claims('staff-jc', '220200', role, 'approver') });
      expect(a.status).toBe(403);
      expect(a.body.type).toMatch(/forbidden/);
    });
  }

  it('nothing was written by the refused requests', async () => {
    await expect(store.getPerson('CN:220102199003071235')).rejects.toThrow(/not found/);
    await expect(store.getPerson('CN:220102202603010027')).rejects.toThrow(/not found/);
    expect((await store.getCase('RT-seed')).version).toBe(1);
    expect((await store.getCase('RF-seed')).version).toBe(1);
    expect((await store.getCase('BD-seed')).version).toBe(1);
    expect((await store.getEnrollment(KEY, ENR)).version).toBe(1);
    expect(sfn.calls()).toHaveLength(0);
  });
});
