import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIBRARY_TASK_TIMEOUT_SECONDS } from '#tools/local-sfn/compile.js';
import { HANDLER_SEGMENT_MS, LocalStepFunctions, MAX_TIMER_MS, RealClock } from '#tools/local-sfn/index.js';
import { DAY, virtualRuntime } from './helpers.js';

const waitMachine = (wait: Record<string, unknown>) => ({
  StartAt: 'Hold',
  States: {
    Hold: { Type: 'Wait', ...wait, Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  },
});

describe('Wait states on a virtual clock', () => {
  it('waits 30 days (Seconds) and not a millisecond less', async () => {
    const { sfn, clock } = virtualRuntime();
    sfn.createStateMachine({ name: 'W', definition: waitMachine({ Seconds: 30 * 86_400 }) });
    const exec = await sfn.startExecution({ stateMachine: 'W', input: { x: 1 } });
    await clock.whenTimersPending(1);
    await clock.advance(30 * DAY - 1);
    expect(exec.describe().status).toBe('RUNNING');
    await clock.advance(1);
    const done = await exec.done;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ x: 1 });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(30 * DAY);
  });

  it('takes SecondsPath, Timestamp and TimestampPath relative to the clock', async () => {
    const { sfn, clock } = virtualRuntime();
    sfn.createStateMachine({ name: 'SP', definition: waitMachine({ SecondsPath: '$.s' }) });
    sfn.createStateMachine({ name: 'TS', definition: waitMachine({ Timestamp: '2026-03-11T00:00:00Z' }) });
    sfn.createStateMachine({ name: 'TP', definition: waitMachine({ TimestampPath: '$.until' }) });
    const a = await sfn.startExecution({ stateMachine: 'SP', input: { s: 2 * 86_400 } });
    const b = await sfn.startExecution({ stateMachine: 'TS' });
    const c = await sfn.startExecution({ stateMachine: 'TP', input: { until: '2026-03-21T12:00:00+08:00' } });
    const past = await sfn.startExecution({ stateMachine: 'TP', input: { until: '2020-01-01T00:00:00Z' } });
    expect((await past.done).stopDate!.getTime()).toBe(clock.now()); // a past timestamp does not wait

    await clock.advance({ days: 30 });
    const ends = await Promise.all([a.done, b.done, c.done]);
    expect(ends.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(ends.map((d) => d.stopDate!.toISOString())).toEqual([
      '2026-03-03T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
      '2026-03-21T04:00:00.000Z',
    ]);
  });

  it('fails with States.Runtime on a bad SecondsPath value', async () => {
    const { sfn } = virtualRuntime();
    sfn.createStateMachine({ name: 'Bad', definition: waitMachine({ SecondsPath: '$.s' }) });
    const done = await (await sfn.startExecution({ stateMachine: 'Bad', input: { s: -5 } })).done;
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('enforces the machine-level TimeoutSeconds on the clock', async () => {
    const { sfn, clock } = virtualRuntime();
    sfn.createStateMachine({
      name: 'T',
      definition: { ...waitMachine({ Seconds: 40 * 86_400 }), TimeoutSeconds: 35 * 86_400 },
    });
    const exec = await sfn.startExecution({ stateMachine: 'T' });
    await clock.advance({ days: 36 });
    const done = await exec.done;
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(35 * DAY);
    expect(clock.pendingTimerCount()).toBe(0);
  });
});

describe('long waits on the real clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a 30-day Wait with no setTimeout above the 24.8-day limit and no spurious timeout', async () => {
    const sfn = new LocalStepFunctions({ clock: new RealClock() });
    sfn.createStateMachine({ name: 'Warm', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } });
    await (await sfn.startExecution({ stateMachine: 'Warm' })).done; // one-time library probe uses a real 1 ms timer

    sfn.createStateMachine({ name: 'Long', definition: waitMachine({ Seconds: 30 * 86_400 }) });
    vi.useFakeTimers({ now: Date.parse('2026-03-01T00:00:00Z') });
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout);

    const exec = await sfn.startExecution({ stateMachine: 'Long' });
    await vi.advanceTimersByTimeAsync(30 * DAY - 1000);
    expect(exec.describe().status).toBe('RUNNING');
    await vi.advanceTimersByTimeAsync(2000);
    const done = await exec.done;
    spy.mockRestore();

    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBeGreaterThanOrEqual(30 * DAY);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    // The handler yielded to the library in segments and outlived the library's own Task timer.
    expect(delays.filter((d) => d === HANDLER_SEGMENT_MS).length).toBeGreaterThanOrEqual(4);
    expect(delays).toContain(LIBRARY_TASK_TIMEOUT_SECONDS * 1000);
    expect(30 * DAY).toBeGreaterThan(LIBRARY_TASK_TIMEOUT_SECONDS * 1000);
    // The wait outlived several library Task timers and handler segments, yet shows as one clean state visit.
    expect(sfn.getExecutionHistory(exec.executionArn).map((e) => `${e.type}:${e.stateName ?? ''}`)).toEqual([
      'ExecutionStarted:',
      'StateEntered:Hold',
      'StateExited:Hold',
      'StateEntered:Done',
      'StateExited:Done',
      'ExecutionSucceeded:',
    ]);
  });
});
