/**
 * Who is calling the staff API. In AWS, API Gateway's Cognito JWT authorizer has verified the token and
 * passes its claims; in the local runtime, the local API adapter verifies a locally signed token and
 * passes the same claims. Either way the handler reads claims only, and refuses to act outside the
 * caller's pooling region (Security: staff act only within their region).
 *
 * Token lifetime: a staff token lives at most 12 hours (exp − iat), and an instant is checked with at most
 * 60 seconds of clock skew. In AWS the JWT authorizer has already refused a token without `exp`, expired or
 * not yet valid; the Cognito app client issues 1-hour tokens (infra/constructs/staff-api.ts), and a
 * province's own OIDC provider must issue tokens of 12 hours or less. What the claims still let us check is
 * checked here too (a lifetime over 12 hours, an expiry past or an issue time ahead beyond the skew), so a
 * provider configured for longer tokens is refused rather than trusted. The local runtime's verifier
 * (tools/local-runtime/tokens.ts) applies the same limits to the token itself.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isRegion } from '#domain/regions.js';
import { forbidden, unauthorized } from './problem.js';

/** 经办 clerk: enroll, open cases, record choices; 审核 approver: also approve refunds, file agreements; auditor: read only. */
export const ROLES = ['clerk', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The longest a staff token may live (exp − iat), in seconds. */
export const MAX_TOKEN_LIFETIME_S = 12 * 3600;
/** The clock skew allowed between the token's issuer and us, in seconds. */
export const CLOCK_SKEW_S = 60;

export interface Staff {
  readonly staffId: string;
  readonly region: string;
  readonly roles: readonly Role[];
}

/** Claims as API Gateway passes them: arrays arrive as `[a b]` strings from the JWT authorizer. */
function listClaim(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') return [];
  return v
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** A NumericDate claim: a number, or its decimal text as API Gateway passes every claim. */
function numericDate(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** The limits of a token's `exp` and `iat` at `nowS` (epoch seconds); the reason it fails them, or null. */
export function tokenTimeProblem(exp: number | undefined, iat: number | undefined, nowS: number): string | null {
  if (exp !== undefined && exp + CLOCK_SKEW_S < nowS) return '令牌已过期 the token has expired';
  if (iat !== undefined && iat - CLOCK_SKEW_S > nowS) return '令牌的签发时间在未来 the token is issued in the future';
  if (exp !== undefined && iat !== undefined && exp - iat > MAX_TOKEN_LIFETIME_S)
    return '令牌有效期超过 12 小时 the token is valid for more than 12 hours';
  if (exp !== undefined && exp - nowS > MAX_TOKEN_LIFETIME_S + CLOCK_SKEW_S)
    return '令牌有效期超过 12 小时 the token is valid for more than 12 hours';
  return null;
}

export function staffOf(event: APIGatewayProxyEventV2): Staff {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
    ?.jwt?.claims;
  if (!claims) throw unauthorized();
  const timeProblem = tokenTimeProblem(numericDate(claims.exp), numericDate(claims.iat), Date.now() / 1000);
  if (timeProblem) throw unauthorized(timeProblem);
  const staffId = typeof claims.sub === 'string' ? claims.sub : '';
  const region = typeof claims['custom:region'] === 'string' ? claims['custom:region'] : '';
  const roles = listClaim(claims['cognito:groups']).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (!staffId || !isRegion(region) || roles.length === 0)
    throw unauthorized('the token carries no staff id, pooling region or role');
  return { staffId, region, roles };
}

export function requireRegion(staff: Staff, region: string): void {
  if (staff.region !== region) throw forbidden(`staff of region ${staff.region} cannot act in region ${region}`);
}

export function requireRole(staff: Staff, ...allowed: Role[]): void {
  if (!staff.roles.some((r) => allowed.includes(r))) {
    throw forbidden(`this action needs the role ${allowed.join(' or ')}; the caller has ${staff.roles.join(', ')}`);
  }
}
