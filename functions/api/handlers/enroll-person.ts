/** enrollPerson: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { enrollPerson } from '#app/staff/enrollment.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.enrollPerson, async ({ staff, body, idempotencyKey }) =>
  created(await enrollPerson(staffDeps(), staff, body, { idempotencyKey })),
);
