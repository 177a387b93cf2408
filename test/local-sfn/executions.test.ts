import { describe, expect, it } from 'vitest';
import { SfnApiError } from '#tools/local-sfn/index.js';
import { virtualRuntime } from './helpers.js';

const holdMachine = {
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 86_400, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
};

describe('executions', () => {
  it('treats the name as identity: same input returns the running execution, other input is ExecutionAlreadyExists', async () => {
    const { sfn, clock } = virtualRuntime();
    sfn.createStateMachine({ name: 'Case', definition: holdMachine });
    const first = await sfn.startExecution({
      stateMachine: 'Case',
      name: 'arrears-P1-2026-02',
      input: { a: 1, b: [2] },
    });
    const again = await sfn.startExecution({
      stateMachine: 'Case',
      name: 'arrears-P1-2026-02',
      input: { b: [2], a: 1 },
    });
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(sfn.listExecutions('Case')).toHaveLength(1);

    await expect(
      sfn.startExecution({ stateMachine: 'Case', name: 'arrears-P1-2026-02', input: { a: 2 } }),
    ).rejects.toMatchObject({
      code: 'ExecutionAlreadyExists',
    });

    await clock.advance({ days: 1 });
    expect((await first.done).status).toBe('SUCCEEDED');
    // As on AWS, a closed execution's name is not reusable, even with the same input.
    await expect(
      sfn.startExecution({ stateMachine: 'Case', name: 'arrears-P1-2026-02', input: { a: 1, b: [2] } }),
    ).rejects.toThrow(SfnApiError);
  });

  it('describes executions through their life and stops them', async () => {
    const { sfn, clock } = virtualRuntime();
    sfn.createStateMachine({ name: 'Case', definition: holdMachine });
    const exec = await sfn.startExecution({ stateMachine: 'Case', name: 'to-stop', input: { p: 1 } });
    expect(sfn.describeExecution(exec.executionArn)).toMatchObject({
      status: 'RUNNING',
      name: 'to-stop',
      input: { p: 1 },
    });
    expect(exec.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:Case:to-stop');
    await clock.whenTimersPending(1);
    const stopped = sfn.stopExecution(exec.executionArn, { error: 'Withdrawn', cause: 'staff closed the case' });
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
    expect(clock.pendingTimerCount()).toBe(0);
    expect(() => sfn.describeExecution('arn:aws:states:us-east-1:000000000000:execution:Case:nope')).toThrow(
      expect.objectContaining({ code: 'ExecutionDoesNotExist' }),
    );
    await expect(sfn.startExecution({ stateMachine: 'Missing' })).rejects.toMatchObject({
      code: 'StateMachineDoesNotExist',
    });
  });

  it('reports a failed execution with the Fail state error and cause', async () => {
    const { sfn } = virtualRuntime();
    sfn.createStateMachine({
      name: 'Fails',
      definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Arrears.Unpaid', Cause: 'day 90 passed' } } },
    });
    const done = await (await sfn.startExecution({ stateMachine: 'Fails' })).done;
    expect(done).toMatchObject({ status: 'FAILED', error: 'Arrears.Unpaid', cause: 'day 90 passed' });
  });
});
