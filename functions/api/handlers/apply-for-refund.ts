/** applyForRefund: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { applyForRefund } from '#app/staff/refunds.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.applyForRefund, async ({ staff, body, idempotencyKey }) =>
  created(await applyForRefund(staffDeps(), staff, body, { idempotencyKey })),
);
