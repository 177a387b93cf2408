/** getPersonStatus: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { personStatus } from '#app/staff/status.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.getPersonStatus, async ({ staff, params, query }) =>
  ok(await personStatus(staffDeps(), staff, params.identityKey, query.date)),
);
