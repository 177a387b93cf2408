/** getCaseAuditTrail: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { getCaseAuditTrail } from '#app/staff/cases.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.getCaseAuditTrail, async ({ staff, params, query }) =>
  ok(await getCaseAuditTrail(staffDeps(), staff, params.caseId, query)),
);
