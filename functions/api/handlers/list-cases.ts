/** listCases: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { listCases } from '#app/staff/cases.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.listCases, async ({ staff, query }) =>
  ok(await listCases(staffDeps(), staff, query)),
);
