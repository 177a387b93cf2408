/** registerNewborn: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { registerNewborn } from '#app/staff/windows.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.registerNewborn, async ({ staff, body, idempotencyKey }) =>
  created(await registerNewborn(staffDeps(), staff, body, { idempotencyKey })),
);
