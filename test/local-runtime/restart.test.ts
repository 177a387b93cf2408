/**
 * End to end through HTTP on the local runtime, with a restart in the middle (nothing lost across a restart): one arrears case
 * (a flexible worker's short payment for 2026-04, never made up: A-6 lapse after day 90) and one
 * retirement application (two years short, the lump sum chosen, then paid after the restart: R-7 credit).
 * The runtime keeps its data in a temporary folder; the second start re-arms both open cases from the
 * store, runs the daily sweep missed while stopped, and the clock is moved past day 90.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '#tools/local-runtime/runtime.js';
import { arrearsCaseId } from '#app/intake/index.js';
import { enrollmentIdFromPayment } from '#app/intake/ids.js';
import { newIdentityKey } from '../support/fixtures.js';
import { devToken, flexiblePayment, httpClient } from './support.js';

const dataDir = mkdtempSync(join(tmpdir(), 'jl-local-restart-'));
const lines: string[] = [];
let rt: LocalRuntime | undefined;

const start = (clockStart: string) =>
  startLocalRuntime({ dataDir, apiPort: 0, clockStart, followRealTime: false, log: (l) => void lines.push(l) });

beforeAll(async () => {
  rt = await start('2026-04-10T10:00:00+08:00');
}, 180_000);

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const token = (role: string, region: string) => devToken(rt!, role, region);
const call = httpClient(() => rt!);

const getCase = async (caseId: string, region: string) => {
  const r = await call('GET', `/cases/${caseId}`, undefined, token('auditor', region));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.case;
};

describe('arrears and a retirement application through HTTP, the system restarted in the middle', () => {
  const worker = newIdentityKey('19850301');
  const retiree = 'CN:220102196503101230'; // a man born 1965-03-10: legal retirement 2025-04-10
  // The payment creates the enrollment (tax-<hash of its notification id>); the case is that enrollment's month.
  const arrears = arrearsCaseId({
    identityKey: worker,
    enrollmentId: enrollmentIdFromPayment('SW2026041000777'),
    feeMonth: '2026-04',
  });
  let retirement = '';
  let lumpSumFen = 0;

  it('before the restart: a short payment opens the arrears case and its timer waits for day 90 (A-1, A-4)', async () => {
    const posted = await call(
      'POST',
      '/_events',
      flexiblePayment({
        notificationId: 'SW2026041000777',
        number: worker.slice(3),
        feeMonth: '2026-04',
        amountFen: 30_000,
        paidAt: '2026-04-10T10:00:00+08:00',
      }),
    );
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const c = await getCase(arrears, '220100');
    expect(c).toMatchObject({ caseType: 'arrears', state: 'waiting-payment', waitingForCallback: true });
    expect(c.wait.for).toBe('payment');
  });

  it('before the restart: the retirement application waits for the choice; the lump sum is chosen (R-4)', async () => {
    const enrolled = await call(
      'POST',
      '/enrollments',
      {
        identity: { number: retiree.slice(3) },
        region: '220200',
        on: '2026-03-02',
        scheme: 'employee',
        mode: 'unit',
        work: 'unit-employee',
        employer: { unitId: 'U-220200-0042', kind: 'enterprise', registeredIn: '220200' },
      },
      token('clerk', '220200'),
    );
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    const opened = await call(
      'POST',
      '/retirement-applications',
      { identityKey: retiree, record: { deemedMonths: 144, outOfProvinceMonths: 0, localCombinedMonths: 192 } },
      token('clerk', '220200'),
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    retirement = opened.body.case.caseId;
    expect((await getCase(retirement, '220200')).waitingForCallback).toBe(true);

    const chosen = await call(
      'POST',
      `/cases/${retirement}/retirement-choice`,
      { choice: 'lump-sum' },
      token('clerk', '220200'),
    );
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    const c = await getCase(retirement, '220200');
    expect(c).toMatchObject({ state: 'waiting-lump-sum', waitingForCallback: true });
    expect(c.data.choice).toMatchObject({
      choice: 'lump-sum',
      recordedBy: 'dev-clerk-220200',
      recordedOn: '2026-04-10',
    });
    expect(c.wait).toEqual({ for: 'lump-sum-payment', until: '2026-05-10' });
    lumpSumFen = c.data.lumpSumFen;
    expect(lumpSumFen).toBe(1_147_392); // 11,473.92: two years short (R-4(b))
  });

  it('restarts: both open cases are re-armed from the store, the sweep missed while stopped runs', async () => {
    const clock = (await call('POST', '/_clock/advance', { days: 5 })).body;
    expect(clock.today).toBe('2026-04-15');
    const stoppedAt = rt!.clock.now();
    await rt!.stop();
    // One day passes while the system is down.
    rt = await start(new Date(stoppedAt + 86_400_000).toISOString());
    expect(rt.rearmed.rearmed).toMatchObject({ 'arrears-timer': 1, 'retirement-transfer': 1 });
    expect(rt.rearmed.failures).toEqual([]);
    expect(rt.caughtUp).toBe(1); // the daily sweep of 2026-04-16
    expect(lines).toContain(`re-armed arrears-timer ${arrears} (waiting-payment, waits for payment until 2026-06-29)`);
    expect((await getCase(arrears, '220100')).waitingForCallback).toBe(true);
    expect(await getCase(retirement, '220200')).toMatchObject({ state: 'waiting-lump-sum', waitingForCallback: true });
  }, 180_000);

  it('after the restart: the lump sum paid on 2026-05-06 completes the transfer and credits the account once (R-7)', async () => {
    await call('POST', '/_clock/advance', { days: 20 });
    const paid = await call('POST', '/_events', {
      detail: {
        schemaVersion: '1',
        notificationId: 'DW2026050600088',
        payer: { kind: 'person' },
        scheme: 'employee',
        mode: 'unit',
        region: '220200',
        purpose: 'retirement-lump-sum',
        paidAt: '2026-05-06T09:30:00+08:00',
        insured: [
          { identity: { number: retiree.slice(3) }, periods: [{ feePeriod: '2026-05', amountFen: lumpSumFen }] },
        ],
      },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const c = await getCase(retirement, '220200');
    expect(c).toMatchObject({ state: 'completed', closedOn: '2026-05-06', data: { transferredOn: '2026-05-06' } });
    expect(c.data.accountCredit).toMatchObject({ fen: 286_848, creditedOn: '2026-05-06' });
  }, 120_000);

  it('the clock moved past day 90: the arrears lapse on 2026-06-30 (A-6), each day swept on its day', async () => {
    const moved = await call('POST', '/_clock/advance', { days: 60 });
    expect(moved.body.today).toBe('2026-07-05');
    const c = await getCase(arrears, '220100');
    expect(c).toMatchObject({ state: 'lapsed', closedOn: '2026-06-30', waitingForCallback: false });
    expect(c.data.outcome).toMatchObject({ decidedBy: 'A-6', paid: false, arrearsPeriodCovered: false });
    const sweeps = lines.filter((l) => l.startsWith('schedule daily sweep') && l.endsWith(': done'));
    expect(sweeps.length).toBeGreaterThanOrEqual(80);
  }, 240_000);

  it('the audit trail says who did what and why, before and after the restart', async () => {
    // Through the staff API, as an auditor of the case's region reads it (oldest first).
    const trail = async (caseId: string, region: string) => {
      const r = await call('GET', `/cases/${caseId}/audit-trail?limit=100`, undefined, token('auditor', region));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items as Array<{ at: string; action: string; actor: Record<string, string>; reason: string }>;
    };
    const a = await trail(arrears, '220100');
    // Records of one instant have no order among themselves: look them up, not by position.
    expect(a.find((r) => r.action === 'case-opened:opened')).toMatchObject({
      actor: { kind: 'system', component: 'tax-payment-intake' },
    });
    expect(a.some((r) => r.action === 'case-saved:waiting-payment' && r.reason.startsWith('A-1'))).toBe(true);
    const lapse = a.find((x) => x.action === 'case-saved:lapsed' && x.reason.startsWith('A-6'))!;
    expect(lapse.at).toBe('2026-06-29T16:00:00.000Z'); // 2026-06-30 00:00 CST, the day after day 90
    expect(lapse.reason).toMatch(/^A-6/);

    const r = await trail(retirement, '220200');
    expect(r.map((x) => x.action)).toContain('case-saved:completed');
    // The staff member's record of the choice: its action is choice-recorded, or waiting-lump-sum when the
    // execution's RecordChoice task wrote first (the two run side by side once the token is answered).
    const staff = r.find((x) => x.actor.kind === 'staff' && x.action.startsWith('case-saved:'))!;
    expect(staff.actor).toMatchObject({ kind: 'staff', staffId: 'dev-clerk-220200', region: '220200' });
    expect(staff.reason).toContain('lump-sum');
    // The credit task's record (intake's record of the payment may also carry the state completed when the
    // task wrote first: both run once the token is answered).
    const credit = r.find((x) => x.action === 'case-saved:completed' && x.reason.startsWith('R-7'))!;
    // Processed when the notification came (the clock stands at 10:00 CST).
    expect(credit).toMatchObject({ action: 'case-saved:completed', at: '2026-05-06T02:00:00.000Z' });
    expect(credit.reason).toMatch(/^R-7/);
    // Staff of another region may not read it (403).
    const other = await call('GET', `/cases/${retirement}/audit-trail`, undefined, token('auditor', '220100'));
    expect(other.status).toBe(403);
  });
});
