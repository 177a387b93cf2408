/** Decisions of the contributions bundle, registered in ../registry.ts. */
import type { AnyDecision } from '../engine.js';

export const decisions: readonly AnyDecision[] = [];
