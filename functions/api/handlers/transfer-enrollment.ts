/** transferEnrollment: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { transferEnrollment } from '#app/staff/enrollment.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.transferEnrollment, async ({ staff, params, body, idempotencyKey }) =>
  created(
    await transferEnrollment(staffDeps(), staff, params.identityKey, params.enrollmentId, body, { idempotencyKey }),
  ),
);
