/**
 * Dev tokens of the local runtime: HS256 JWTs signed with a secret made at start (never written down), one
 * per role and region, verified on each request and turned into the claims API Gateway's JWT authorizer
 * passes (`sub`, `custom:region`, `cognito:groups`, and `exp`, `iat` as text).
 *
 * The limits of a staff token (functions/lib/auth.ts): `exp` required, a lifetime (exp − iat) of at most
 * 12 hours, 60 seconds of clock skew. The dev tokens are issued for 12 hours, on real time (not the
 * runtime's movable clock): a runtime kept running longer needs a restart for fresh ones.
 */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { CLOCK_SKEW_S, MAX_TOKEN_LIFETIME_S, type Role, tokenTimeProblem } from '#functions/lib/auth.js';

export const DEV_ROLES: readonly Role[] = ['clerk', 'approver', 'auditor'];
const ISSUER = 'jl-mi-local-runtime';
const AUDIENCE = 'jl-mi-staff-console';

export interface DevToken {
  readonly role: Role;
  readonly region: string;
  readonly sub: string;
  readonly token: string;
}

export interface TokenAuthority {
  issue(role: Role, region: string, sub?: string): Promise<string>;
  /** The claims as API Gateway's JWT authorizer passes them, or null when the token is missing or bad. */
  verify(authorization: string | undefined): Promise<Record<string, string> | null>;
}

export function createTokenAuthority(secret: Uint8Array = randomBytes(32)): TokenAuthority {
  return {
    async issue(role, region, sub = `dev-${role}-${region}`) {
      return new SignJWT({ 'custom:region': region, 'cognito:groups': [role] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${MAX_TOKEN_LIFETIME_S}s`)
        .sign(secret);
    },
    async verify(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) return null;
      try {
        const { payload } = await jwtVerify(m[1]!, secret, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          // A token without an expiry would be good for ever.
          requiredClaims: ['exp'],
          clockTolerance: CLOCK_SKEW_S,
        });
        if (typeof payload.exp !== 'number') return null;
        if (payload.iat !== undefined && typeof payload.iat !== 'number') return null;
        if (tokenTimeProblem(payload.exp, payload.iat, Date.now() / 1000)) return null;
        const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [];
        return {
          sub: String(payload.sub ?? ''),
          'custom:region': String(payload['custom:region'] ?? ''),
          // API Gateway passes a list claim as "[a b]".
          'cognito:groups': `[${groups.join(' ')}]`,
          // And every claim as text: the handlers check the lifetime again from these.
          exp: String(payload.exp),
          ...(payload.iat !== undefined ? { iat: String(payload.iat) } : {}),
        };
      } catch {
        return null;
      }
    },
  };
}

export async function devTokens(authority: TokenAuthority, regions: readonly string[]): Promise<DevToken[]> {
  const out: DevToken[] = [];
  for (const region of regions)
    for (const role of DEV_ROLES) {
      const sub = `dev-${role}-${region}`;
      out.push({ role, region, sub, token: await authority.issue(role, region, sub) });
    }
  return out;
}
