/** recordRetirementChoice: see the route table (functions/api/routes.ts) and shared/app/staff. */
import { recordRetirementChoice } from '#app/staff/retirement.js';
import { ok, httpHandler } from '../../lib/http.js';
import { staffDeps } from '../deps.js';
import { ROUTES } from '../routes.js';

export const handler = httpHandler(ROUTES.recordRetirementChoice, async ({ staff, params, body }) =>
  ok(await recordRetirementChoice(staffDeps(), staff, params.caseId, body)),
);
