import { describe, expect, it } from 'vitest';
import { SfnApiError } from '#tools/local-sfn/index.js';
import { DAY, virtualRuntime } from './helpers.js';

/** The arrears timer's shape: wait up to 90 days for the payment that clears the arrears. */
const arrearsTimer = {
  StartAt: 'AwaitPayment',
  States: {
    AwaitPayment: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:RegisterArrears',
        Payload: { 'caseId.$': '$.caseId', 'token.$': '$$.Task.Token' },
      },
      TimeoutSeconds: 90 * 86_400,
      ResultPath: '$.payment',
      Next: 'Backfill',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'CoverLapsed' }],
    },
    Backfill: { Type: 'Pass', Result: 'backfilled', ResultPath: '$.outcome', End: true },
    CoverLapsed: { Type: 'Pass', Result: 'no-cover', ResultPath: '$.outcome', End: true },
  },
};

function setup() {
  const rt = virtualRuntime();
  const registered: Array<{ caseId: string; token: string }> = [];
  rt.sfn.createStateMachine({
    name: 'ArrearsTimer',
    definition: arrearsTimer,
    bindings: {
      lambdas: {
        RegisterArrears: async (event) => {
          registered.push(event as { caseId: string; token: string });
          return { stored: true };
        },
      },
    },
  });
  return { ...rt, registered };
}

describe('callback tasks (.waitForTaskToken) on a virtual clock', () => {
  it('resumes with the output sent by sendTaskSuccess on day 60 of a 90-day timeout', async () => {
    const { sfn, clock, nextToken, registered } = setup();
    const exec = await sfn.startExecution({ stateMachine: 'ArrearsTimer', name: 'case-1', input: { caseId: 'C1' } });
    const token = await nextToken();
    // The bound Lambda received the real token through $$.Task.Token, as a case store would.
    expect(registered).toEqual([{ caseId: 'C1', token: token.token }]);
    expect(token.stateName).toBe('AwaitPayment');

    await clock.advance({ days: 60 });
    expect(sfn.describeExecution(exec.executionArn).status).toBe('RUNNING');
    sfn.sendTaskSuccess(token.token, { paidOn: '2026-04-30', amount: 812.5 });

    const done = await exec.done;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({
      caseId: 'C1',
      payment: { paidOn: '2026-04-30', amount: 812.5 },
      outcome: 'backfilled',
    });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(60 * DAY);
    // The 90-day timer was cancelled with the task: nothing left on the clock.
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('times out on day 90 with States.Timeout, which the Catch handles; late answers get TaskTimedOut', async () => {
    const { sfn, clock, nextToken } = setup();
    const exec = await sfn.startExecution({ stateMachine: 'ArrearsTimer', name: 'case-2', input: { caseId: 'C2' } });
    const token = await nextToken();

    await clock.advance(90 * DAY - 1);
    expect(sfn.describeExecution(exec.executionArn).status).toBe('RUNNING');
    await clock.advance(1);

    const done = await exec.done;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toMatchObject({ outcome: 'no-cover', timeout: { Error: 'States.Timeout' } });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(90 * DAY);
    expect(() => sfn.sendTaskSuccess(token.token, {})).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
  });

  it('fails the task with sendTaskFailure (error and cause reach Catch), and rejects unknown or reused tokens', async () => {
    const { sfn, nextToken } = setup();
    sfn.createStateMachine({
      name: 'WithFailure',
      definition: {
        ...arrearsTimer,
        States: {
          ...arrearsTimer.States,
          AwaitPayment: {
            ...arrearsTimer.States.AwaitPayment,
            Catch: [{ ErrorEquals: ['Payment.Refused'], ResultPath: '$.refusal', Next: 'CoverLapsed' }],
          },
        },
      },
      bindings: { lambdas: { RegisterArrears: () => null } },
    });
    const exec = await sfn.startExecution({ stateMachine: 'WithFailure', input: { caseId: 'C3' } });
    const { token } = await nextToken();
    sfn.sendTaskFailure(token, 'Payment.Refused', 'bank returned the transfer');
    const done = await exec.done;
    expect(done.output).toMatchObject({ refusal: { Error: 'Payment.Refused', Cause: 'bank returned the transfer' } });

    expect(() => sfn.sendTaskSuccess(token, {})).toThrow(SfnApiError);
    expect(() => sfn.sendTaskSuccess(token, {})).toThrow(/TaskTimedOut/);
    expect(() => sfn.sendTaskSuccess('not-a-token', {})).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
    expect(() => sfn.sendTaskFailure('LOCALSFN-00000000-0000-0000-0000-000000000000')).toThrow(
      expect.objectContaining({ code: 'TaskDoesNotExist' }),
    );
  });

  it('reads TimeoutSecondsPath from the input', async () => {
    const { sfn, clock, nextToken } = setup();
    const { TimeoutSeconds: _fixed, ...task } = arrearsTimer.States.AwaitPayment;
    sfn.createStateMachine({
      name: 'PathTimeout',
      definition: {
        ...arrearsTimer,
        States: { ...arrearsTimer.States, AwaitPayment: { ...task, TimeoutSecondsPath: '$.window.seconds' } },
      },
      bindings: { lambdas: { RegisterArrears: () => null } },
    });
    const exec = await sfn.startExecution({
      stateMachine: 'PathTimeout',
      input: { caseId: 'C4', window: { seconds: 10 * 86_400 } },
    });
    await nextToken();
    await clock.advance({ days: 9 });
    expect(exec.describe().status).toBe('RUNNING');
    await clock.advance({ days: 1 });
    const done = await exec.done;
    expect(done.output).toMatchObject({ outcome: 'no-cover' });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(10 * DAY);
  });

  it('fails with States.Runtime when TimeoutSecondsPath selects no positive integer', async () => {
    const { sfn } = setup();
    const { TimeoutSeconds: _fixed, ...task } = arrearsTimer.States.AwaitPayment;
    sfn.createStateMachine({
      name: 'BadPath',
      definition: {
        ...arrearsTimer,
        States: { ...arrearsTimer.States, AwaitPayment: { ...task, TimeoutSecondsPath: '$.t' } },
      },
      bindings: { lambdas: { RegisterArrears: () => null } },
    });
    const exec = await sfn.startExecution({ stateMachine: 'BadPath', input: { caseId: 'C5', t: 'soon' } });
    const done = await exec.done;
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Runtime');
  });
});
