/** Decisions of the contributions bundle (C-1…C-14, G-1…G-3), registered in ../registry.ts. */
import { flexibleContribution } from '../contributions/flexible.js';
import { residentContribution } from '../contributions/resident.js';
import { unemploymentContribution } from '../contributions/unemployment.js';
import { unitContribution } from '../contributions/unit.js';
import type { AnyDecision } from '../engine.js';
import { maternityBenefit } from '../maternity/decision.js';

export const decisions: readonly AnyDecision[] = [
  unitContribution as unknown as AnyDecision,
  flexibleContribution as unknown as AnyDecision,
  unemploymentContribution as unknown as AnyDecision,
  residentContribution as unknown as AnyDecision,
  maternityBenefit as unknown as AnyDecision,
];
