/**
 * Calling the staff API's real handlers as API Gateway (HTTP API, payload 2.0) would: events with the JWT
 * authorizer's claims, the handler module of each route of the table, and deps on DynamoDB Local with the
 * AWS Step Functions adapters over a mocked SFN client.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handler as applyForRefund } from '#functions/api/handlers/apply-for-refund.js';
import { handler as approveRefund } from '#functions/api/handlers/approve-refund.js';
import { handler as changeEnrollmentStatus } from '#functions/api/handlers/change-enrollment-status.js';
import { handler as decide } from '#functions/api/handlers/decide.js';
import { handler as endDeferralAgreement } from '#functions/api/handlers/end-deferral-agreement.js';
import { handler as enrollPerson } from '#functions/api/handlers/enroll-person.js';
import { handler as fileDeferralAgreement } from '#functions/api/handlers/file-deferral-agreement.js';
import { handler as getCase } from '#functions/api/handlers/get-case.js';
import { handler as getCaseAuditTrail } from '#functions/api/handlers/get-case-audit-trail.js';
import { handler as getPersonStatus } from '#functions/api/handlers/get-person-status.js';
import { handler as listCases } from '#functions/api/handlers/list-cases.js';
import { handler as openRetirementApplication } from '#functions/api/handlers/open-retirement-application.js';
import { handler as recordRetirementChoice } from '#functions/api/handlers/record-retirement-choice.js';
import { handler as registerIdentityConversion } from '#functions/api/handlers/register-identity-conversion.js';
import { handler as registerNewborn } from '#functions/api/handlers/register-newborn.js';
import { handler as resolveDuplicate } from '#functions/api/handlers/resolve-duplicate.js';
import { handler as transferEnrollment } from '#functions/api/handlers/transfer-enrollment.js';
import { type OperationId, ROUTES } from '#functions/api/routes.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export const HANDLERS: Record<OperationId, Handler> = {
  enrollPerson,
  changeEnrollmentStatus,
  transferEnrollment,
  getPersonStatus,
  openRetirementApplication,
  recordRetirementChoice,
  fileDeferralAgreement,
  endDeferralAgreement,
  applyForRefund,
  approveRefund,
  resolveDuplicate,
  registerNewborn,
  registerIdentityConversion,
  listCases,
  getCase,
  getCaseAuditTrail,
  decide,
} as unknown as Record<OperationId, Handler>;

export type Claims = Record<string, string>;

/** Claims as the Cognito JWT authorizer passes them (groups as `[a b]`). */
export function claims(staffId: string, region: string, ...roles: string[]): Claims {
  return { sub: staffId, 'custom:region': region, 'cognito:groups': `[${roles.join(' ')}]` };
}

export interface Call {
  readonly claims?: Claims | null;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** Sent as is (for bad JSON). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON read by the tests
  readonly body: any;
}

function pathOf(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ''));
}

export function eventFor(op: OperationId, call: Call): APIGatewayProxyEventV2 {
  const route = ROUTES[op];
  const params = Object.fromEntries(Object.entries(call.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]));
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const path = pathOf(route.path, call.params ?? {});
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...(call.headers ?? {}) },
    ...(call.query ? { queryStringParameters: call.query } : {}),
    ...(call.params ? { pathParameters: params } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'local',
      domainPrefix: 'local',
      http: { method: route.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req',
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: '20/Apr/2026:02:00:00 +0000',
      timeEpoch: 0,
      ...(call.claims ? { authorizer: { jwt: { claims: call.claims, scopes: [] } } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2;
}

const context = {
  functionName: 'staff-api',
  awsRequestId: 'req',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

export async function call(op: OperationId, c: Call): Promise<Answer> {
  const r = (await HANDLERS[op](eventFor(op, c), context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: r.statusCode ?? 0,
    headers: (r.headers ?? {}) as Record<string, string>,
    body: r.body ? JSON.parse(r.body) : undefined,
  };
}

/** Names of the invalid params of a 400 answer. */
export const badFields = (a: Answer): string[] =>
  ((a.body?.['invalid-params'] ?? []) as Array<{ name: string }>).map((p) => p.name);
