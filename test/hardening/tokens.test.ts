/**
 * Staff token lifetimes: `exp` required, at most 12 hours between `iat` and `exp`, 60 seconds of clock
 * skew. In the local runtime's verifier (tools/local-runtime/tokens.ts), through the real HTTP of its API
 * adapter, and in the handlers' own check of the claims (functions/lib/auth.ts), which stands behind API
 * Gateway's JWT authorizer in AWS. Before, a correctly signed token without `exp` was accepted.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStaffDeps } from '#functions/api/deps.js';
import { fixedClock } from '#app/clock.js';
import type { StaffDeps } from '#app/staff/context.js';
import { createRequestListener } from '#tools/local-runtime/http-api.js';
import { createTokenAuthority } from '#tools/local-runtime/tokens.js';
import { REPO_ROOT } from '#tools/local-runtime/runtime.js';
import { call, claims } from '../functions/api/support.js';

const secret = randomBytes(32);
const authority = createTokenAuthority(secret);
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the authority's own key, with exactly the time claims given. */
function signed(times: { iat?: number; exp?: number; nbf?: number }): Promise<string> {
  const jwt = new SignJWT({ 'custom:region': '220100', 'cognito:groups': ['auditor'], ...times })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('dev-auditor-220100')
    .setIssuer('jl-mi-local-runtime')
    .setAudience('jl-mi-staff-console');
  return jwt.sign(secret);
}

const HOUR = 3600;

describe('the local runtime’s verifier', () => {
  it('accepts its own tokens, which live 12 hours, and passes exp and iat on as API Gateway does', async () => {
    const c = await authority.verify(`Bearer ${await authority.issue('clerk', '220100')}`);
    expect(c).toMatchObject({ sub: 'dev-clerk-220100', 'custom:region': '220100', 'cognito:groups': '[clerk]' });
    expect(Number(c!.exp) - Number(c!.iat)).toBe(12 * HOUR);
  });

  it('refuses a correctly signed token without exp', async () => {
    expect(await authority.verify(`Bearer ${await signed({ iat: now() })}`)).toBeNull();
    expect(await authority.verify(`Bearer ${await signed({})}`)).toBeNull();
  });

  it('refuses a lifetime over 12 hours, with iat or without', async () => {
    expect(await authority.verify(`Bearer ${await signed({ iat: now(), exp: now() + 12 * HOUR + 1 })}`)).toBeNull();
    expect(
      await authority.verify(`Bearer ${await signed({ iat: now() - HOUR, exp: now() + 30 * 24 * HOUR })}`),
    ).toBeNull();
    expect(await authority.verify(`Bearer ${await signed({ exp: now() + 13 * HOUR })}`)).toBeNull();
    expect(await authority.verify(`Bearer ${await signed({ iat: now(), exp: now() + 12 * HOUR })}`)).not.toBeNull();
  });

  it('allows 60 seconds of clock skew, no more', async () => {
    // Expired 30 s ago: within the skew.
    expect(await authority.verify(`Bearer ${await signed({ iat: now() - HOUR, exp: now() - 30 })}`)).not.toBeNull();
    expect(await authority.verify(`Bearer ${await signed({ iat: now() - HOUR, exp: now() - 120 })}`)).toBeNull();
    // Issued (or valid from) 2 minutes ahead of our clock.
    expect(await authority.verify(`Bearer ${await signed({ iat: now() + 120, exp: now() + HOUR })}`)).toBeNull();
    expect(
      await authority.verify(`Bearer ${await signed({ iat: now(), nbf: now() + 120, exp: now() + HOUR })}`),
    ).toBeNull();
    expect(await authority.verify(`Bearer ${await signed({ iat: now() + 30, exp: now() + HOUR })}`)).not.toBeNull();
  });
});

describe('through the local API adapter’s HTTP', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(
      createRequestListener({ repoRoot: REPO_ROOT, tokens: authority, log: () => {}, internal: {} }),
    );
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('answers 401 problem+json to a signed token without exp', async () => {
    const res = await fetch(`${url}/cases?state=opened`, {
      headers: { authorization: `Bearer ${await signed({ iat: now() })}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the handlers’ check of the claims (behind the JWT authorizer in AWS)', () => {
  const untouchable = new Proxy(
    {},
    {
      get: (_t, name) => () => {
        throw new Error(`${String(name)} must not be called`);
      },
    },
  );
  beforeAll(() =>
    useStaffDeps({
      store: untouchable,
      workflows: untouchable,
      callbacks: untouchable,
      clock: fixedClock(Date.now()),
    } as unknown as StaffDeps),
  );
  afterAll(() => useStaffDeps(undefined));

  // API Gateway passes every claim as text.
  const withTimes = (iat: number, exp: number) => ({
    ...claims('auditor-1', '220100', 'auditor'),
    iat: String(iat),
    exp: String(exp),
  });
  const listCases = (c: Record<string, string>) =>
    call('listCases', { claims: c, query: { state: 'opened', cursor: 'not-one-of-ours' } });

  it('refuses a token whose claims say it lives more than 12 hours, or has expired', async () => {
    for (const c of [withTimes(now(), now() + 24 * HOUR), withTimes(now() - 2 * HOUR, now() - HOUR)]) {
      const a = await listCases(c);
      expect(a.status).toBe(401);
      expect(a.body.detail).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('lets a 1-hour token through to the request checks (here the cursor’s: 400)', async () => {
    expect((await listCases(withTimes(now(), now() + HOUR))).status).toBe(400);
  });
});
