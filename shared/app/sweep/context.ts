/**
 * Who the daily sweep is in the audit trail: every change one of its jobs (cover start, window close,
 * due months) writes carries the same system actor, so the trail reads as one sweep whichever file
 * made the change.
 */
import type { Trace } from '#rules/engine.js';
import type { ChangeContext } from '#store/model.js';
import { systemCtx } from '../workflows/common.js';

const COMPONENT = 'daily-sweep';

/** The audit context of a sweep change: its reason (citing the rule) and, where the engine decided, the trace. */
export const sweepCtx = (reason: string, trace?: Trace): ChangeContext => systemCtx(COMPONENT, reason, trace);
