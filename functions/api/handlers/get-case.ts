/** getCase: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { getCase } from '#app/staff/cases.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.getCase, async ({ staff, params }) =>
  ok(await getCase(staffDeps(), staff, params.caseId)),
);
