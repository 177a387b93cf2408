/** approveRefund: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { approveRefund } from '#app/staff/refunds.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.approveRefund, async ({ staff, params, body }) =>
  ok(await approveRefund(staffDeps(), staff, params.caseId, body)),
);
