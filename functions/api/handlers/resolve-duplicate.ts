/** resolveDuplicate: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { resolveDuplicate } from '#app/staff/duplicates.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.resolveDuplicate, async ({ staff, params, body, idempotencyKey }) =>
  created(await resolveDuplicate(staffDeps(), staff, params.identityKey, body, { idempotencyKey })),
);
