/**
 * The arrears timer (A-1…A-7, W-5b, W-6, W-9): one execution per arrears case (execution name = case id,
 * input `{caseId}`), tasks of functions/tasks/arrears-timer/handler.ts (contract: docs/tasks.md § arrears-timer).
 *
 *   Open ─► AwaitPayment (callback, TimeoutSecondsPath $.timeoutSeconds = end of day 90, CST)
 *             ├─ resumed ─► Settle ─► IsSettled ─ settled ─► Done
 *             │                          ├─ short, awaiting-backfill ─► Timeout (fresh timeoutSeconds)
 *             │                          └─ short, waiting-payment ─► Open (fresh timeoutSeconds) ─► AwaitPayment
 *             └─ States.Timeout ─► Timeout ─► AfterTimeout ─ await-backfill (unit, A-5) ─► AwaitPayment
 *                                                          └─ settled │ closed ─► Done
 *
 * Choices made for the transition count (≤ 10 per case on the paid and unpaid paths):
 * - No `windowOpen` Choice after Open: when the window has already ended, `timeoutSeconds` is 1, so
 *   AwaitPayment times out within a second and Timeout decides, as the Choice would have; one transition
 *   fewer on every case.
 * - No reminder branch: a Parallel with Wait/Remind states costs 1 + 2 per reminder on every case and needs
 *   an error to cancel the branch when the payment comes. The `remind` task is idempotent per day and is
 *   better called by the daily sweep for the cases whose window ends in 30 or 7 days (deadline index).
 * - The callback output is discarded (`ResultPath: null`): Settle reads the ledger, which is what counts.
 *   A short payment loops through Open (or Timeout, in the backfill wait), which answers the seconds left
 *   to the same deadline instead of restarting the wait.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ARREARS_STATE, ARREARS_TIMEOUT_NEXT } from '#app/cases/arrears.js';
import {
  callbackTask,
  catchTaskErrors,
  errorEnds,
  lambdaTask,
  onTimeout,
  type WorkflowStateMachineProps,
  workflowStateMachine,
} from './common.js';

export type ArrearsTimerStateMachineProps = WorkflowStateMachineProps;

export function buildArrearsTimerStateMachine(
  scope: Construct,
  id: string,
  props: ArrearsTimerStateMachineProps,
): sfn.StateMachine {
  return workflowStateMachine(
    scope,
    id,
    props,
    'Arrears timer (A-1…A-7): suspend, wait for the payment to the end of day 90, settle or time out',
    (s) => {
      const fn = props.taskFunction;
      const ends = errorEnds(s);
      const done = new sfn.Succeed(s, 'Done');

      const open = lambdaTask(s, 'Open', fn, 'open', {}, { comment: 'A-1: suspend; window to the end of day 90' });
      const awaitPayment = callbackTask(s, 'AwaitPayment', fn, 'await-payment', {
        timeoutSecondsPath: '$.timeoutSeconds',
        resultPath: sfn.JsonPath.DISCARD,
        comment: 'token stored on the case; resumed by intake, or at once when the ledger already holds the arrears',
      });
      const settle = lambdaTask(s, 'Settle', fn, 'settle', {}, { comment: 'A-4 / A-5 / A-6 from the ledger' });
      const timeout = lambdaTask(
        s,
        'Timeout',
        fn,
        'timeout',
        {},
        { comment: 'A-5 backfill wait, A-6 lapse, A-7 close' },
      );
      for (const t of [open, awaitPayment, settle, timeout]) catchTaskErrors(t, ends);
      onTimeout(awaitPayment, timeout);

      const isSettled = new sfn.Choice(s, 'IsSettled')
        .when(sfn.Condition.booleanEquals('$.settled', true), done)
        // The task answers the case's state (shared/app/cases/arrears.ts): the same word, one constant.
        .when(sfn.Condition.stringEquals('$.state', ARREARS_STATE.awaitingBackfill), timeout)
        .otherwise(open);
      const afterTimeout = new sfn.Choice(s, 'AfterTimeout')
        .when(sfn.Condition.stringEquals('$.next', ARREARS_TIMEOUT_NEXT.awaitBackfill), awaitPayment)
        .otherwise(done);

      open.next(awaitPayment);
      awaitPayment.next(settle);
      settle.next(isSettled);
      timeout.next(afterTimeout);
      return open;
    },
  );
}
