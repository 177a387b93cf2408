/**
 * Clocks for the local Step Functions adapter.
 *
 * Every wait the adapter performs (Wait states, callback and task timeouts, retry intervals, execution timeouts)
 * goes through a Clock, so tests can run a 90-day case in milliseconds on a VirtualClock and the local runtime can
 * run the same definitions on a RealClock.
 */

/** Node's setTimeout keeps delays in a signed 32-bit int: anything longer fires after 1 ms instead. */
export const MAX_TIMER_MS = 2_147_483_647;

export type TimerId = number;

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  ms?: number;
}

export function durationToMs(d: number | Duration): number {
  if (typeof d === 'number') return d;
  return (
    (d.days ?? 0) * 86_400_000 +
    (d.hours ?? 0) * 3_600_000 +
    (d.minutes ?? 0) * 60_000 +
    (d.seconds ?? 0) * 1000 +
    (d.ms ?? 0)
  );
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `cb` once `delayMs` have passed on this clock. */
  setTimer(delayMs: number, cb: () => void): TimerId;
  /** Calls `cb` once this clock reaches `epochMs` (at once if it already has). */
  setTimerAt(epochMs: number, cb: () => void): TimerId;
  clearTimer(id: TimerId): void;
}

/** Resolves after `ms` on `clock`; resolves early (without error) when `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clock.clearTimer(id);
      resolve();
    };
    const id = clock.setTimer(Math.max(0, ms), () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Wall-clock time. Long timers are chained in chunks below MAX_TIMER_MS, and each chunk re-checks Date.now(),
 * so a 90-day timer neither overflows nor drifts when the machine sleeps.
 */
export class RealClock implements Clock {
  private nextId = 1;
  private readonly handles = new Map<TimerId, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, cb: () => void): TimerId {
    return this.setTimerAt(Date.now() + Math.max(0, delayMs), cb);
  }

  setTimerAt(epochMs: number, cb: () => void): TimerId {
    const id = this.nextId++;
    const arm = () => {
      const remaining = epochMs - Date.now();
      if (remaining <= 0) {
        this.handles.delete(id);
        cb();
        return;
      }
      this.handles.set(id, setTimeout(arm, Math.min(remaining, MAX_TIMER_MS)));
    };
    // Arm through a 0-delay timer even when already due, so callbacks never run synchronously inside setTimer.
    this.handles.set(id, setTimeout(arm, Math.min(Math.max(0, epochMs - Date.now()), MAX_TIMER_MS)));
    return id;
  }

  clearTimer(id: TimerId): void {
    const h = this.handles.get(id);
    if (h) clearTimeout(h);
    this.handles.delete(id);
  }
}

interface VirtualTimer {
  id: TimerId;
  due: number;
  cb: () => void;
}

export interface VirtualClockOptions {
  /** Start time (ISO string or epoch ms). Default 2026-01-01T00:00:00Z. */
  start?: string | number;
  /**
   * How many macrotask turns to let pass before and after each timer fires, so that executions woken by a timer reach
   * their next wait (and register its timer) before the clock moves on. Default 20.
   */
  settleTurns?: number;
}

/**
 * Time that only moves when a test calls advance(). Timers due inside the advanced span fire in order, each at its own
 * due time (now() returns that time inside the callback), with the event loop drained between them.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: VirtualTimer[] = [];
  private readonly settleTurns: number;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(options: VirtualClockOptions = {}) {
    const start = options.start ?? '2026-01-01T00:00:00Z';
    this.current = typeof start === 'number' ? start : Date.parse(start);
    if (Number.isNaN(this.current)) throw new Error(`VirtualClock: invalid start ${String(start)}`);
    this.settleTurns = options.settleTurns ?? 20;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, cb: () => void): TimerId {
    return this.setTimerAt(this.current + Math.max(0, delayMs), cb);
  }

  setTimerAt(epochMs: number, cb: () => void): TimerId {
    const id = this.nextId++;
    if (epochMs <= this.current) {
      // Already due: fire on the next turn like a 0 ms timer, without waiting for advance().
      const t = { id, due: this.current, cb };
      this.timers.push(t);
      setImmediate(() => {
        if (!this.timers.includes(t)) return;
        this.timers = this.timers.filter((x) => x !== t);
        cb();
      });
      return id;
    }
    this.timers.push({ id, due: epochMs, cb });
    this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
    this.notifyWaiters();
    return id;
  }

  clearTimer(id: TimerId): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** When the next pending timer falls due (epoch ms), if any. */
  nextTimerDue(): number | undefined {
    return this.timers[0]?.due;
  }

  pendingTimerCount(): number {
    return this.timers.length;
  }

  /** Resolves once at least `count` timers are pending (e.g. an execution has reached its Wait state). */
  whenTimersPending(count = 1): Promise<void> {
    if (this.timers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Moves time forward by `by` (ms or a Duration), firing every timer that falls due on the way. */
  async advance(by: number | Duration): Promise<void> {
    const ms = durationToMs(by);
    if (!(ms >= 0)) throw new Error(`VirtualClock.advance: cannot move time backwards (${ms} ms)`);
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number | string): Promise<void> {
    const to = typeof target === 'number' ? target : Date.parse(target);
    await this.settle();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.due > to) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.due);
      next.cb();
      await this.settle();
    }
    this.current = Math.max(this.current, to);
    await this.settle();
  }

  /** Lets pending promise chains and immediate callbacks run. */
  async settle(): Promise<void> {
    for (let i = 0; i < this.settleTurns; i++) await new Promise<void>((r) => setImmediate(r));
  }

  private notifyWaiters(): void {
    const ready = this.waiters.filter((w) => this.timers.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.timers.length < w.count);
    for (const w of ready) w.resolve();
  }
}
