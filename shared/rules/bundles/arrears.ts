/** Decisions of the arrears bundle (A-1…A-8, B-1…B-4, F-1…F-3), registered in ../registry.ts. */
import { arrears } from '../arrears/decision.js';
import { bankruptcyDeferral } from '../bankruptcy/decision.js';
import type { AnyDecision } from '../engine.js';
import { refund } from '../refunds/decision.js';

export const decisions: readonly AnyDecision[] = [
  arrears as unknown as AnyDecision,
  bankruptcyDeferral as unknown as AnyDecision,
  refund as unknown as AnyDecision,
];
