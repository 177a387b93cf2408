/**
 * Who is calling the staff API. In AWS, API Gateway's Cognito JWT authorizer has verified the token and
 * passes its claims; in the local runtime, the local API adapter verifies a locally signed token and
 * passes the same claims. Either way the handler reads claims only, and refuses to act outside the
 * caller's pooling region (Security: staff act only within their region).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isRegion } from '#domain/regions.js';
import { forbidden, unauthorized } from './problem.js';

/** 经办 clerk: enroll, open cases, record choices; 审核 approver: also approve refunds, file agreements; auditor: read only. */
export const ROLES = ['clerk', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

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

export function staffOf(event: APIGatewayProxyEventV2): Staff {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
    ?.jwt?.claims;
  if (!claims) throw unauthorized();
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
