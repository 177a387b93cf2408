/** fileDeferralAgreement: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { fileDeferralAgreement } from '#app/staff/bankruptcy.js';
import { created, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.fileDeferralAgreement, async ({ staff, body, idempotencyKey }) =>
  created(await fileDeferralAgreement(staffDeps(), staff, body, { idempotencyKey })),
);
