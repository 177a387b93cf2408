/** decide: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { whatIf } from '../../../shared/app/staff/what-if.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.decide, async ({ staff, params, query, body }) =>
  ok(whatIf(staffDeps(), staff, params.id, body, query.asOf)),
);
