/**
 * The retirement-transfer application (R-1…R-10, B-3): one execution per application (execution name =
 * case id, input `{caseId}`), tasks of functions/tasks/retirement-transfer/handler.ts (docs/tasks.md
 * § retirement-transfer).
 *
 *   Evaluate ─► EvaluateNext ─ done ─► Done
 *      ▲           ├─ await-dues ─► AwaitDues (callback; resumed by the deferral, or 30 days pass) ─► Evaluate
 *      │           └─ await-choice ─► AwaitChoice (callback, TimeoutSecondsPath $.timeoutSeconds)
 *      │                                 ├─ {choice} ─► RecordChoice ─► ChoiceNext ─ done ─► Done
 *      │                                 │                 │            └ await-payment ─► AwaitPayment
 *      └── Choice.NotOffered ────────────┼─────────────────┘    (callback, TimeoutSecondsPath) ─► CreditAccount (end)
 *                                        └─ States.Timeout ─► Expire (end)  ◄── States.Timeout ──┘
 *
 * A choice that was not offered goes back through Evaluate, which answers the seconds left to the same
 * choice deadline (a fresh wait would restart it). CreditAccount reads `paidOn` and `notificationId` of
 * intake's callback (`paymentFacts` carries both), so the account is credited at the standard of the
 * payment day, once.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  callbackTask,
  catchTaskErrors,
  errorEnds,
  lambdaTask,
  onTimeout,
  type WorkflowStateMachineProps,
  workflowStateMachine,
} from './common.js';

export type RetirementTransferStateMachineProps = WorkflowStateMachineProps;

/**
 * How often a transfer blocked by B-3 is evaluated again without being resumed: a safety net for a
 * resumption that never comes (the deferral settled between Evaluate registering the case and AwaitDues
 * storing its token, so it found no token to answer). 3 transitions a period, and a no-op Evaluate.
 */
export const DUES_RECHECK_DAYS = 30;

export function buildRetirementTransferStateMachine(
  scope: Construct,
  id: string,
  props: RetirementTransferStateMachineProps,
): sfn.StateMachine {
  return workflowStateMachine(
    scope,
    id,
    props,
    'Retirement-transfer application (R-1…R-10, B-3): evaluate, the person’s choice, the lump sum, one account credit',
    (s) => {
      const fn = props.taskFunction;
      const ends = errorEnds(s);
      const done = new sfn.Succeed(s, 'Done');

      const evaluate = lambdaTask(s, 'Evaluate', fn, 'evaluate', {}, { comment: 'R-1…R-6 with the B-3/R-8 gate' });
      const awaitDues = callbackTask(s, 'AwaitDues', fn, 'await', {
        resultPath: sfn.JsonPath.DISCARD,
        timeout: Duration.days(DUES_RECHECK_DAYS),
        comment: `B-3: resumed by the deferral ({event: dues-paid | deferral-ended}); evaluated again every ${DUES_RECHECK_DAYS} days`,
      });
      const awaitChoice = callbackTask(s, 'AwaitChoice', fn, 'await', {
        timeoutSecondsPath: '$.timeoutSeconds',
        resultPath: '$.resumed',
        comment: 'resumed by the staff API with {choice}',
      });
      const recordChoice = lambdaTask(
        s,
        'RecordChoice',
        fn,
        'record-choice',
        { choice: sfn.JsonPath.stringAt('$.resumed.choice') },
        { comment: 'R-4/R-5' },
      );
      const awaitPayment = callbackTask(s, 'AwaitPayment', fn, 'await', {
        timeoutSecondsPath: '$.timeoutSeconds',
        resultPath: '$.resumed',
        comment: 'the lump sum: resumed by intake with the payment facts',
      });
      const creditAccount = lambdaTask(
        s,
        'CreditAccount',
        fn,
        'credit-account',
        {
          paidOn: sfn.JsonPath.stringAt('$.resumed.paidOn'),
          notificationId: sfn.JsonPath.stringAt('$.resumed.notificationId'),
        },
        { comment: 'R-7: the personal account credited once, at the standard of the payment day' },
      );
      const expire = lambdaTask(s, 'Expire', fn, 'expire', {}, { comment: 'no choice or no payment in time' });

      // Before the generic catches: a choice not offered waits again, to the same deadline.
      recordChoice.addCatch(evaluate, { errors: ['Choice.NotOffered'], resultPath: '$.error' });
      for (const t of [evaluate, awaitDues, awaitChoice, recordChoice, awaitPayment, creditAccount, expire])
        catchTaskErrors(t, ends);
      onTimeout(awaitDues, evaluate);
      onTimeout(awaitChoice, expire);
      onTimeout(awaitPayment, expire);

      evaluate.next(
        new sfn.Choice(s, 'EvaluateNext')
          .when(sfn.Condition.stringEquals('$.next', 'await-choice'), awaitChoice)
          .when(sfn.Condition.stringEquals('$.next', 'await-dues'), awaitDues)
          // Only a re-armed execution (a restart, a new machine version) finds the lump sum already chosen.
          .when(sfn.Condition.stringEquals('$.next', 'await-payment'), awaitPayment)
          .otherwise(done),
      );
      awaitDues.next(evaluate);
      awaitChoice.next(recordChoice);
      recordChoice.next(
        new sfn.Choice(s, 'ChoiceNext')
          .when(sfn.Condition.stringEquals('$.next', 'await-payment'), awaitPayment)
          .otherwise(done),
      );
      awaitPayment.next(creditAccount);
      return evaluate;
    },
  );
}
