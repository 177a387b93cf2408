/**
 * Cases on a real DynamoDB Local: optimistic locking, the staff API's region/state lists, the
 * deadline index, atomic multi-item commits, audit records, and 50 concurrent writers on one case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore, retryOnConflict } from '#store/dynamo-store.js';
import { AlreadyExistsError, ConflictError, NotFoundError, StoreValidationError } from '#store/errors.js';
import type { CaseInput, ChangeContext, EnrollmentInput } from '#store/model.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';

let local: LocalDynamo;
let store: DynamoCaseStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = new DynamoCaseStore({
    client: local.client,
    tableName: local.tableName,
    retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 },
  });
});
afterAll(() => local?.stop());

const staff: ChangeContext = {
  actor: { kind: 'staff', staffId: 'cc-0042', region: '220100' },
  reason: 'opened at the counter',
};
const system: ChangeContext = { actor: { kind: 'system', component: 'arrears-timer' }, reason: 'day 90 passed' };

let seq = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${seq++}`;

function arrearsCase(overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    caseId: uid('arrears'),
    caseType: 'arrears',
    region: '220100',
    subject: { kind: 'person', identityKey: 'CN:220102199003071234' },
    state: 'waiting-payment',
    openedOn: '2026-04-01',
    wait: { for: 'payment', until: '2026-06-29' },
    taskToken: null,
    ...overrides,
  };
}

describe('open, read, save with a version check', () => {
  it('opens a case at version 1 and reads it back', async () => {
    const input = arrearsCase({ data: { unpaid: 42_500, months: ['2026-03'] } });
    const opened = await store.openCase(input, staff);
    expect(opened).toMatchObject({ caseId: input.caseId, version: 1, state: 'waiting-payment', closedOn: null });
    expect(await store.getCase(input.caseId)).toEqual(opened);
  });

  it('refuses to open the same case id twice', async () => {
    const input = arrearsCase();
    await store.openCase(input, staff);
    await expect(store.openCase(input, staff)).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('NotFoundError for a case that is not there, for reading and for saving', async () => {
    await expect(store.getCase('no-such-case')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.saveCase(arrearsCase({ caseId: 'no-such-case' }), 1, staff)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('of two writers holding the same version, one wins and the other gets ConflictError', async () => {
    const opened = await store.openCase(arrearsCase(), staff);
    const [a, b] = await Promise.allSettled([
      store.saveCase({ ...opened, state: 'backfill-requested' }, opened.version, staff),
      store.saveCase({ ...opened, state: 'lapsed', wait: null }, opened.version, system),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConflictError);
    expect(lost.reason).toMatchObject({ retryable: true, expectedVersion: 1 });
    expect((await store.getCase(opened.caseId)).version).toBe(2);
  });

  it('validates a case before writing it', async () => {
    const err = await store
      .openCase({ ...arrearsCase(), state: 'Waiting Payment', openedOn: '2026-02-30' }, staff)
      .catch((e) => e);
    expect(err).toBeInstanceOf(StoreValidationError);
    expect(err.issues.map((i: { path: string }) => i.path).sort()).toEqual(['openedOn', 'state']);
  });
});

describe('cases by region and state (staff API)', () => {
  it('lists a region’s cases in a state, by type, page by page', async () => {
    const region = '220200';
    const state = uid('s'); // a state of its own so other tests do not show up
    for (let i = 0; i < 3; i++)
      await store.openCase(arrearsCase({ region, state, openedOn: `2026-04-0${i + 1}` }), staff);
    await store.openCase(arrearsCase({ region, state, caseType: 'refund', wait: null }), staff);
    await store.openCase(arrearsCase({ region: '220300', state }), staff);

    const all = await store.casesByRegionState(region, state);
    expect(all.items).toHaveLength(4);
    expect(all.items.every((c) => c.region === region && c.state === state)).toBe(true);
    const arrearsOnly = await store.casesByRegionState(region, state, { caseType: 'arrears' });
    expect(arrearsOnly.items.map((c) => c.openedOn)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);

    const first = await store.casesByRegionState(region, state, { limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.cursor).toBeDefined();
    const rest = await store.casesByRegionState(region, state, { limit: 3, cursor: first.cursor! });
    expect(rest.items).toHaveLength(1);
    expect(rest.cursor).toBeUndefined();
  });

  it('moves a case between lists when its state changes', async () => {
    const region = '220400';
    const s1 = uid('a');
    const s2 = uid('b');
    const c = await store.openCase(arrearsCase({ region, state: s1 }), staff);
    await store.saveCase({ ...c, state: s2 }, c.version, staff);
    expect((await store.casesByRegionState(region, s1)).items).toEqual([]);
    expect((await store.casesByRegionState(region, s2)).items.map((x) => x.caseId)).toEqual([c.caseId]);
  });
});

describe('the deadline index', () => {
  it('answers "what expires on D in region r" with one Query, following the wait as it moves and ends', async () => {
    const region = '220500';
    const c = await store.openCase(arrearsCase({ region, wait: { for: 'payment', until: '2026-06-29' } }), staff);
    const other = await store.openCase(
      arrearsCase({
        region,
        caseType: 'waiting-period-expiry',
        state: 'waiting',
        wait: { for: 'waiting-period-end', until: '2026-06-29' },
      }),
      staff,
    );
    await store.openCase(arrearsCase({ region: '220600', wait: { for: 'payment', until: '2026-06-29' } }), staff);

    const due = await store.casesExpiringOn(region, '2026-06-29');
    expect(due.items.map((x) => x.caseId).sort()).toEqual([c.caseId, other.caseId].sort());

    // A W-7 repair payment moves the date: the case moves with it.
    const moved = await store.saveCase(
      { ...other, wait: { for: 'waiting-period-end', until: '2026-05-30' } },
      1,
      system,
    );
    expect((await store.casesExpiringOn(region, '2026-06-29')).items.map((x) => x.caseId)).toEqual([c.caseId]);
    expect((await store.casesExpiringOn(region, '2026-05-30')).items.map((x) => x.caseId)).toEqual([other.caseId]);

    // A closed case leaves the index even if a stale wait is left on it.
    await store.saveCase({ ...moved, state: 'closed' }, moved.version, system);
    expect((await store.casesExpiringOn(region, '2026-05-30')).items).toEqual([]);
  });
});

describe("a person's cases and the audit trail", () => {
  it('lists the cases of a person and of a unit', async () => {
    const key = `CN:2201021990${String(seq++).padStart(8, '0')}`;
    const a = await store.openCase(arrearsCase({ subject: { kind: 'person', identityKey: key } }), staff);
    const b = await store.openCase(
      arrearsCase({
        caseType: 'refund',
        subject: { kind: 'person', identityKey: key },
        wait: null,
        openedOn: '2026-05-01',
      }),
      staff,
    );
    const unit = uid('unit');
    const bankruptcy = await store.openCase(
      arrearsCase({
        caseType: 'bankruptcy-deferral',
        subject: { kind: 'unit', unitId: unit },
        state: 'agreement-filed',
        wait: { for: 'court-ruling', until: '2027-01-31' },
      }),
      staff,
    );
    expect((await store.casesOf({ kind: 'person', identityKey: key })).items.map((c) => c.caseId)).toEqual([
      a.caseId,
      b.caseId,
    ]);
    expect((await store.casesOf({ kind: 'unit', unitId: unit })).items.map((c) => c.caseId)).toEqual([
      bankruptcy.caseId,
    ]);
  });

  it('records who, when, what and why for every change, staff with their region', async () => {
    const c = await store.openCase(arrearsCase(), staff);
    await store.saveCase({ ...c, state: 'lapsed', wait: null }, c.version, system);
    const trail = (await store.auditTrail({ caseId: c.caseId })).items;
    expect(trail).toMatchObject([
      {
        subject: `case:${c.caseId}`,
        action: 'case-opened:waiting-payment',
        actor: { kind: 'staff', staffId: 'cc-0042', region: '220100' },
        reason: 'opened at the counter',
        versions: { [`case:${c.caseId}`]: 1 },
      },
      {
        action: 'case-saved:lapsed',
        actor: { kind: 'system', component: 'arrears-timer' },
        reason: 'day 90 passed',
        versions: { [`case:${c.caseId}`]: 2 },
      },
    ]);
    expect(trail[0]!.at <= trail[1]!.at).toBe(true);
  });
});

describe('atomic changes of several items', () => {
  const enrollment = (key: string): EnrollmentInput => ({
    enrollmentId: 'E1',
    identityKey: key,
    scheme: 'employee',
    mode: 'unit',
    region: '220100',
    unitId: 'U-1',
    enrolledOn: '2020-01-01',
    statusHistory: [
      {
        status: 'normal',
        from: '2020-01-01',
        rules: [{ id: 'E-1', cites: 'JL26 Art.4' }],
        reason: { zh: '参保', en: 'enrolled' },
      },
    ],
    coverPeriods: [],
  });

  it('writes a case and an enrollment together, or neither', async () => {
    const key = `CN:2201021990${String(seq++).padStart(8, '0')}`;
    const e = await store.createEnrollment(enrollment(key), staff);
    const c = await store.openCase(arrearsCase({ subject: { kind: 'person', identityKey: key } }), staff);
    const suspended: EnrollmentInput = {
      ...e,
      statusHistory: [
        ...e.statusHistory,
        {
          status: 'suspended',
          from: '2026-04-01',
          rules: [{ id: 'A-1', cites: 'JL26 Art.18' }],
          reason: { zh: '欠费暂停', en: 'arrears' },
        },
      ],
    };

    // The case is stale: nothing is written, not even the enrollment.
    await store.saveCase({ ...c, data: { note: 'x' } }, c.version, staff);
    const err = await store
      .commit(
        [
          { kind: 'enrollment', enrollment: suspended, expectedVersion: e.version },
          { kind: 'case', case: { ...c, state: 'lapsed', wait: null }, expectedVersion: c.version },
        ],
        system,
      )
      .catch((x) => x);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.entity).toBe('case');
    expect((await store.getEnrollment(key, 'E1')).version).toBe(1);

    // Re-read and retry: both change.
    await retryOnConflict(async () => {
      const [ee, cc] = [await store.getEnrollment(key, 'E1'), await store.getCase(c.caseId)];
      await store.commit(
        [
          { kind: 'enrollment', enrollment: suspended, expectedVersion: ee.version },
          { kind: 'case', case: { ...cc, state: 'lapsed', wait: null }, expectedVersion: cc.version },
        ],
        system,
      );
    });
    expect(await store.getEnrollment(key, 'E1')).toMatchObject({
      version: 2,
      statusHistory: [{}, { status: 'suspended' }],
    });
    expect((await store.getCase(c.caseId)).state).toBe('lapsed');
  });

  it('checks the version of enrollments and persons too', async () => {
    const key = `CN:2201021990${String(seq++).padStart(8, '0')}`;
    const e = await store.createEnrollment(enrollment(key), staff);
    await expect(store.createEnrollment(enrollment(key), staff)).rejects.toBeInstanceOf(AlreadyExistsError);
    await store.saveEnrollment({ ...e, unitId: 'U-2' }, 1, staff);
    await expect(store.saveEnrollment({ ...e, unitId: 'U-3' }, 1, staff)).rejects.toBeInstanceOf(ConflictError);

    const p = await store.createPerson(
      { identityKey: key, region: '220100', birthDate: '1990-03-07', sex: 'male' },
      staff,
    );
    expect(p.version).toBe(1);
    const p2 = await store.updatePerson({ identityKey: key, region: '220200' }, 1, staff);
    expect(p2).toMatchObject({ version: 2, region: '220200', createdAt: p.createdAt });
    await expect(store.updatePerson({ identityKey: key, region: '220300' }, 1, staff)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(store.getPerson('CN:nobody')).rejects.toBeInstanceOf(NotFoundError);
    const trail = (await store.auditTrail({ identityKey: key })).items.map((a) => a.action);
    expect(trail).toEqual(['enrollment-created', 'enrollment-saved', 'person-created', 'person-updated']);
  });
});

describe('concurrency', () => {
  it('50 parallel writers on one case with retry-on-conflict: no update is lost', async () => {
    // Back-off wide enough for 50-way contention: losers spread out instead of colliding again at once.
    let conflicts = 0;
    const contended = new DynamoCaseStore({
      client: local.client,
      tableName: local.tableName,
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 200 },
      observer: (e) => {
        if (e.errorCode === 'ConditionalCheckFailed') conflicts++;
      },
    });
    const c = await contended.openCase(arrearsCase({ data: { reminders: [] } }), system);
    const writers = 50;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        contended.updateCase(
          c.caseId,
          (cur) => ({ ...cur, data: { ...cur.data, reminders: [...(cur.data.reminders as number[]), i] } }),
          { actor: { kind: 'system', component: `writer-${i}` }, reason: `reminder ${i}` },
          { maxAttempts: 500 },
        ),
      ),
    );
    // The writers did collide (else the test proves nothing), and every collision was retried.
    expect(conflicts).toBeGreaterThan(writers);
    const final = await store.getCase(c.caseId);
    expect(final.version).toBe(writers + 1);
    expect([...(final.data.reminders as number[])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: writers }, (_, i) => i),
    );
    // Every writer saw its own change land at a distinct version.
    expect(new Set(results.map((r) => r.version)).size).toBe(writers);

    let audit = 0;
    let cursor: string | undefined;
    do {
      const page = await store.auditTrail({ caseId: c.caseId }, cursor ? { cursor } : {});
      audit += page.items.length;
      cursor = page.cursor;
    } while (cursor);
    expect(audit).toBe(writers + 1);
  }, 120_000);
});
