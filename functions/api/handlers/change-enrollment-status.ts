/** changeEnrollmentStatus: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { changeEnrollmentStatus } from '#app/staff/enrollment.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.changeEnrollmentStatus, async ({ staff, params, body }) =>
  ok({
    enrollment: await changeEnrollmentStatus(staffDeps(), staff, params.identityKey, params.enrollmentId, body),
  }),
);
