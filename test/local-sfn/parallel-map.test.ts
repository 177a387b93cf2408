import { describe, expect, it } from 'vitest';
import { countTransitions } from '#tools/local-sfn/index.js';
import { virtualRuntime } from './helpers.js';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

describe('Parallel and inline Map', () => {
  it('runs Parallel branches (with a Wait in one) and combines their outputs in branch order', async () => {
    const { sfn, clock } = virtualRuntime();
    sfn.createStateMachine({
      name: 'Fan',
      definition: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Parameters: { 'personId.$': '$.personId' },
            ResultSelector: { 'status.$': '$[0].status', 'rate.$': '$[1]' },
            Branches: [
              {
                StartAt: 'Cool',
                States: {
                  Cool: { Type: 'Wait', Seconds: 86_400, Next: 'Status' },
                  Status: { Type: 'Task', Resource: fn('Status'), End: true },
                },
              },
              { StartAt: 'Rate', States: { Rate: { Type: 'Pass', Result: 0.08, End: true } } },
            ],
            End: true,
          },
        },
      },
      bindings: { lambdas: { Status: (e) => ({ status: `enrolled:${(e as { personId: string }).personId}` }) } },
    });
    const exec = await sfn.startExecution({ stateMachine: 'Fan', input: { personId: 'P1', other: true } });
    await clock.advance({ days: 1 });
    const done = await exec.done;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ status: 'enrolled:P1', rate: 0.08 });
    const scopes = exec
      .events()
      .filter((e) => e.type === 'StateEntered')
      .map((e) => `${e.scope}:${e.stateName}`);
    expect(scopes.sort()).toEqual([':Both', 'Both[0]:Cool', 'Both[0]:Status', 'Both[1]:Rate']);
  });

  it('fails the Parallel state with the failing branch error, caught by its Catch', async () => {
    const { sfn } = virtualRuntime();
    class EligibilityError extends Error {
      override name = 'EligibilityError';
    }
    sfn.createStateMachine({
      name: 'FanFail',
      definition: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Check', States: { Check: { Type: 'Task', Resource: fn('Check'), End: true } } },
              { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
            ],
            Catch: [{ ErrorEquals: ['EligibilityError'], ResultPath: '$.err', Next: 'Rejected' }],
            End: true,
          },
          Rejected: { Type: 'Pass', End: true },
        },
      },
      bindings: {
        lambdas: {
          Check: () => {
            throw new EligibilityError('not resident');
          },
        },
      },
    });
    const done = await (await sfn.startExecution({ stateMachine: 'FanFail', input: {} })).done;
    expect(done.status).toBe('SUCCEEDED');
    const err = (done.output as { err: { Error: string; Cause: string } }).err;
    expect(err.Error).toBe('EligibilityError');
    expect(JSON.parse(err.Cause)).toMatchObject({ errorType: 'EligibilityError', errorMessage: 'not resident' });
  });

  it('runs an inline Map with ItemsPath, ItemSelector ($$.Map.Item) and MaxConcurrency', async () => {
    const { sfn } = virtualRuntime();
    let inFlight = 0;
    let maxInFlight = 0;
    sfn.createStateMachine({
      name: 'Each',
      definition: {
        StartAt: 'EachMonth',
        States: {
          EachMonth: {
            Type: 'Map',
            ItemsPath: '$.months',
            MaxConcurrency: 2,
            ItemSelector: { 'month.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index', 'person.$': '$.person' },
            ItemProcessor: {
              StartAt: 'Fee',
              States: { Fee: { Type: 'Task', Resource: fn('Fee'), End: true } },
            },
            ResultPath: '$.fees',
            End: true,
          },
        },
      },
      bindings: {
        lambdas: {
          Fee: async (e) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((r) => setImmediate(r));
            inFlight--;
            const { month, i, person } = e as { month: string; i: number; person: string };
            return `${person}:${month}:${i}`;
          },
        },
      },
    });
    const done = await (
      await sfn.startExecution({ stateMachine: 'Each', input: { person: 'P', months: ['01', '02', '03', '04', '05'] } })
    ).done;
    expect(done.output).toEqual({
      person: 'P',
      months: ['01', '02', '03', '04', '05'],
      fees: ['P:01:0', 'P:02:1', 'P:03:2', 'P:04:3', 'P:05:4'],
    });
    expect(maxInFlight).toBe(2);
  });
});

describe('transition counting', () => {
  it('counts every state entered and every retry, state by state', async () => {
    const { sfn } = virtualRuntime();
    let calls = 0;
    sfn.createStateMachine({
      name: 'Small',
      definition: {
        StartAt: 'Check',
        States: {
          Check: {
            Type: 'Task',
            Resource: fn('Check'),
            Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 3, IntervalSeconds: 5 }],
            Next: 'Route',
          },
          Route: {
            Type: 'Choice',
            Choices: [{ Variable: '$.paid', BooleanEquals: true, Next: 'Each' }],
            Default: 'Lapse',
          },
          Each: {
            Type: 'Map',
            ItemsPath: '$.months',
            ItemProcessor: { StartAt: 'Credit', States: { Credit: { Type: 'Pass', End: true } } },
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
          Lapse: { Type: 'Fail', Error: 'Lapsed' },
        },
      },
      bindings: {
        lambdas: {
          Check: () => {
            calls++;
            if (calls < 3) throw Object.assign(new Error('try later'), { name: 'Busy' });
            return { paid: true, months: [1, 2, 3] };
          },
        },
      },
    });
    const exec = await sfn.startExecution({ stateMachine: 'Small' });
    expect((await exec.done).status).toBe('SUCCEEDED');
    // Check (1 + 2 retries), Route, Each, Credit ×3 (one per iteration), Done.
    expect(sfn.countTransitions(exec.executionArn)).toEqual({
      total: 9,
      stateEntries: 7,
      retries: 2,
      mapRunChildren: 0,
      expressStateEntries: 0,
      byState: { Check: 3, Route: 1, Each: 1, Credit: 3, Done: 1 },
    });
    expect(countTransitions(exec.events()).total).toBe(9);
  });

  it('waits retry intervals on the clock when asked to', async () => {
    const { sfn, clock } = virtualRuntime({ retryIntervals: 'clock' });
    let calls = 0;
    sfn.createStateMachine({
      name: 'Backoff',
      definition: {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: fn('Flaky'),
            Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 3600, BackoffRate: 2, MaxAttempts: 2 }],
            End: true,
          },
        },
      },
      bindings: {
        lambdas: {
          Flaky: () => {
            calls++;
            if (calls < 3) throw new Error('flaky');
            return 'ok';
          },
        },
      },
    });
    const exec = await sfn.startExecution({ stateMachine: 'Backoff' });
    await clock.advance({ hours: 1 });
    expect(calls).toBe(2);
    await clock.advance({ hours: 2 });
    const done = await exec.done;
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: 'ok' });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(3 * 3_600_000);
  });
});
