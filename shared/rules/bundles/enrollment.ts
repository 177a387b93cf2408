/** Decisions of the enrollment bundle (E-1…E-9, D-1…D-8), registered in ../registry.ts. */
import { duplicateResolution } from '../duplicates/decision.js';
import type { AnyDecision } from '../engine.js';
import { enrollmentEligibility } from '../enrollment/eligibility.js';
import { identityKey } from '../enrollment/identity-key.js';
import { registrationDeadline } from '../enrollment/registration-deadline.js';

export const decisions: readonly AnyDecision[] = [
  identityKey as unknown as AnyDecision,
  enrollmentEligibility as unknown as AnyDecision,
  registrationDeadline as unknown as AnyDecision,
  duplicateResolution as unknown as AnyDecision,
];
