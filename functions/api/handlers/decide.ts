/**
 * decide: see the route table (functions/api/routes.ts) and shared/app/staff. The what-if calculator
 * stores nothing and calls no AWS service, so it takes only the clock (installed.ts), not the store and
 * Step Functions of deps.ts.
 */
import { whatIf } from '#app/staff/what-if.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffClock } from '../installed.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.decide, async ({ staff, params, query, body }) =>
  ok(whatIf(staffClock(), staff, params.id, body, query.asOf)),
);
