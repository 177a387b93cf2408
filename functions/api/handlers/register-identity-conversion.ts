/** registerIdentityConversion: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { registerIdentityConversion } from '#app/staff/windows.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.registerIdentityConversion, async ({ staff, body, idempotencyKey }) =>
  created(await registerIdentityConversion(staffDeps(), staff, body, { idempotencyKey })),
);
