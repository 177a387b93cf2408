/** Decisions of the retirement bundle (R-1…R-10, M-1…M-4), registered in ../registry.ts. */
import type { AnyDecision } from '../engine.js';
import { majorIllnessLimit } from '../major-illness/decision.js';
import { retirementAge } from '../retirement/age.js';
import { retirementTransfer } from '../retirement/transfer.js';

export const decisions: readonly AnyDecision[] = [
  retirementAge as unknown as AnyDecision,
  retirementTransfer as unknown as AnyDecision,
  majorIllnessLimit as unknown as AnyDecision,
];
