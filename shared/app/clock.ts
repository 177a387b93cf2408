import { todayCst } from '#domain/calendar.js';
import type { Clock } from './ports.js';

export const systemClock: Clock = { now: () => Date.now(), today: () => todayCst() };

/** A clock fixed at (or moved to) a given instant, for tests and the local runtime. */
export function fixedClock(startMs: number): Clock & { set(ms: number): void; advanceDays(days: number): void } {
  let t = startMs;
  return {
    now: () => t,
    today: () => todayCst(t),
    set: (ms) => {
      t = ms;
    },
    advanceDays: (days) => {
      t += days * 86_400_000;
    },
  };
}
