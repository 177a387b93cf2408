/** openRetirementApplication: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { openRetirementApplication } from '#app/staff/retirement.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.openRetirementApplication, async ({ staff, body, idempotencyKey }) =>
  created(await openRetirementApplication(staffDeps(), staff, body, { idempotencyKey })),
);
