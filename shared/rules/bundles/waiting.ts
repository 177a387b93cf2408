/** Decisions of the waiting-period bundle (W-1…W-9), registered in ../registry.ts. */
import type { AnyDecision } from '../engine.js';
import { waitingPeriod } from '../waiting-period/decision.js';

export const decisions: readonly AnyDecision[] = [waitingPeriod as unknown as AnyDecision];
