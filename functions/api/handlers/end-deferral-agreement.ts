/** endDeferralAgreement: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { endDeferralAgreement } from '#app/staff/bankruptcy.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.endDeferralAgreement, async ({ staff, params, body }) =>
  ok(await endDeferralAgreement(staffDeps(), staff, params.caseId, body)),
);
