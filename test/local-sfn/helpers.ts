import {
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  type TaskTokenInfo,
  VirtualClock,
} from '#tools/local-sfn/index.js';

export const DAY = 86_400_000;

/** A runtime on a virtual clock, plus a queue of issued task tokens the test can await. */
export function virtualRuntime(options: Omit<LocalStepFunctionsOptions, 'clock' | 'onTaskToken'> = {}) {
  const clock = new VirtualClock({ start: '2026-03-01T00:00:00Z' });
  const issued: TaskTokenInfo[] = [];
  const waiting: Array<(t: TaskTokenInfo) => void> = [];
  const sfn = new LocalStepFunctions({
    ...options,
    clock,
    onTaskToken: (t) => {
      const w = waiting.shift();
      if (w) w(t);
      else issued.push(t);
    },
  });
  const nextToken = (): Promise<TaskTokenInfo> => {
    const t = issued.shift();
    return t ? Promise.resolve(t) : new Promise((r) => waiting.push(r));
  };
  return { clock, sfn, nextToken };
}
