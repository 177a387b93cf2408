/**
 * The local runtime (tools/local-runtime) in-process, in memory, on free ports: the staff API with dev tokens
 * over HTTP, a tax payment notification through /_events starting the real arrears timer, and the clock
 * moved past the A-4 window so the timer's wait fires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '#tools/local-runtime/main.js';
import { type LocalRuntime, startLocalRuntime } from '#tools/local-runtime/runtime.js';
import { arrearsCaseId } from '#app/intake/index.js';
import { newIdentityKey } from '../workflows/support.js';
import { devToken, flexiblePayment, httpClient } from './support.js';

let rt: LocalRuntime;
const lines: string[] = [];

beforeAll(async () => {
  rt = await startLocalRuntime({
    inMemory: true,
    apiPort: 0,
    clockStart: '2026-04-10T02:30:00Z',
    followRealTime: false,
    log: (l) => void lines.push(l),
  });
}, 180_000);

afterAll(async () => {
  await rt?.stop();
}, 60_000);

const token = (role: string, region = '220100') => devToken(rt, role, region);
const call = httpClient(() => rt);

describe('the local runtime', () => {
  const key = newIdentityKey('19850301');
  const number = key.slice(3);

  it('has dev tokens for every role in 220100 and 220200', () => {
    for (const region of ['220100', '220200'])
      for (const role of ['clerk', 'approver', 'auditor']) expect(token(role, region)).toMatch(/^ey/);
  });

  it('refuses a request without a valid token (401 problem+json)', async () => {
    const none = await call('GET', `/persons/${encodeURIComponent(key)}/status`);
    expect(none.status).toBe(401);
    expect(none.type).toContain('application/problem+json');
    const forged = await call('GET', '/cases', undefined, `${token('clerk').slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
  });

  it('enrolls a person and reads the status through the real handlers', async () => {
    const enrolled = await call(
      'POST',
      '/enrollments',
      {
        identity: { number },
        region: '220100',
        scheme: 'employee',
        mode: 'flexible',
        work: 'platform-worker',
        places: { residence: '220100' },
      },
      token('clerk'),
    );
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    expect(enrolled.body.person.identityKey).toBe(key);

    const status = await call(
      'GET',
      `/persons/${encodeURIComponent(key)}/status?date=2026-04-10`,
      undefined,
      token('auditor'),
    );
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    expect(status.body.enrollment.region).toBe('220100');

    // Staff of another region: the domain service refuses (403).
    const other = await call(
      'GET',
      `/persons/${encodeURIComponent(key)}/status?date=2026-04-10`,
      undefined,
      token('clerk', '220200'),
    );
    expect(other.status).toBe(403);
  });

  it('takes a short payment, starts the arrears timer, and the timer moves when the clock does', async () => {
    const posted = await call(
      'POST',
      '/_events',
      flexiblePayment({
        notificationId: 'SW2026041000501',
        number,
        feeMonth: '2026-04',
        amountFen: 30_000,
        paidAt: '2026-04-10T10:00:00+08:00',
      }),
    );
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body.kind).toBe('processed');

    // The case of the enrollment's month (the one staff enrolled above): the sweep would open the same.
    const [enrollment] = (await rt.store.listEnrollments(key)).filter((e) => e.scheme === 'employee');
    const caseId = arrearsCaseId({ identityKey: key, enrollmentId: enrollment!.enrollmentId, feeMonth: '2026-04' });
    const execution = () => rt.sfn.listExecutions('arrears-timer').find((e) => e.name === caseId);
    await until(() => execution() !== undefined && rt.clock.pendingTimerCount() > 0, 'the timer waiting');
    expect(execution()!.status).toBe('RUNNING');
    const before = await call('GET', `/cases/${caseId}`, undefined, token('auditor'));
    expect(before.status, JSON.stringify(before.body)).toBe(200);

    // Past the A-4 window (2026-06-29): the wait's timeout fires on the moved clock.
    const moved = await call('POST', '/_clock/advance', { days: 100 });
    expect(moved.status).toBe(200);
    expect(moved.body.today).toBe('2026-07-19');
    await until(() => execution()!.status !== 'RUNNING' || rt.clock.pendingTimerCount() > 0, 'the timer moved');
    const after = await call('GET', `/cases/${caseId}`, undefined, token('auditor'));
    expect(after.status).toBe(200);
    expect(after.body.case.state).not.toBe(before.body.case.state);
    expect(after.body.case.state, JSON.stringify(after.body.case)).toBeTruthy();
    expect(lines.some((l) => l.includes('clock advanced'))).toBe(true);
    expect(lines.some((l) => l.includes('arrears-timer'))).toBe(true);
  }, 60_000);

  it('dead-letters a malformed notification (422, with the reason)', async () => {
    const r = await call('POST', '/_events', { detail: { schemaVersion: '2' } });
    expect(r.status).toBe(422);
    expect(r.body.kind).toBe('malformed');
    expect(lines.some((l) => l.includes('dead-lettered'))).toBe(true);
  });

  it('refuses a bad clock move', async () => {
    expect((await call('POST', '/_clock/advance', { days: -1 })).status).toBe(400);
  });
});

describe('npm start flags', () => {
  it('reads --in-memory, --port and --clock-start', () => {
    expect(parseCli(['--in-memory', '--port', '0', '--clock-start', '2026-10-01T00:00:00+08:00'])).toMatchObject({
      inMemory: true,
      port: 0,
      clockStart: '2026-10-01T00:00:00+08:00',
    });
    expect(() => parseCli(['--clock-start', 'soon'])).toThrow(/clock-start/);
  });
});

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
