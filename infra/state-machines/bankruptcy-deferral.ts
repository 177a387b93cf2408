/**
 * Bankruptcy deferral (B-1…B-4, A-1): one Standard execution per unit's agreement, started by the staff API
 * with `{caseId}` (execution name = case id). Contract: docs/tasks.md § bankruptcy-deferral.
 *
 *   File ─► InForce? ── no ─► NotInForce (ordinary arrears apply)
 *            └ yes ─► AwaitSettlement (callback; TimeoutSecondsPath $.filed.timeoutSeconds = end of the agreement)
 *                       ├ resumed {closed} ─► CaseClosed
 *                       ├ resumed {event: 'agreement-ended'} (staff: court ruling, closure) ─► End
 *                       ├ resumed (intake: a unit payment) ─► RecordSettlement ─► allPaid ─► PaidInFull (B-2)
 *                       │                                      └ not yet ─► Deadline (file again: fresh timeout) ─► AwaitSettlement
 *                       └ States.Timeout ─► End ─► Ended (B-4 arrears timers started, or B-2 if paid meanwhile)
 *
 * `Deadline` re-runs the idempotent `file` task: it writes nothing the second time and answers the seconds
 * left, from now, to the end of the agreement's last day (or of the court's ruling day, when earlier).
 */
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

export type BankruptcyDeferralStateMachineProps = WorkflowStateMachineProps;

export function buildBankruptcyDeferralStateMachine(
  scope: Construct,
  id: string,
  props: BankruptcyDeferralStateMachineProps,
): sfn.StateMachine {
  const fn = props.taskFunction;
  return workflowStateMachine(
    scope,
    id,
    props,
    'Bankruptcy deferral (B-1…B-4, A-1): one execution per agreement',
    (s) => {
      const ends = errorEnds(s);
      const task = (name: string, taskName: string, resultPath: string) => {
        const t = lambdaTask(s, name, fn, taskName, {}, { resultPath });
        catchTaskErrors(t, ends);
        return t;
      };

      // No `now`: the task counts the timeout from its own clock, a few ms before the wait starts (rounded
      // up to whole seconds); the local adapter has no `$$.State.EnteredTime`.
      const file = task('File', 'file', '$.filed');
      const deadline = task('Deadline', 'file', '$.filed');
      const recordSettlement = task('RecordSettlement', 'record-settlement', '$.settlement');
      const end = task('End', 'end', '$.settlement');

      const awaitSettlement = callbackTask(s, 'AwaitSettlement', fn, 'await-settlement', {
        resultPath: '$.event',
        timeoutSecondsPath: '$.filed.timeoutSeconds',
        comment: 'Resumed by intake on a unit payment, or by staff ending the agreement; times out at its end.',
      });
      onTimeout(awaitSettlement, end);
      catchTaskErrors(awaitSettlement, ends);

      const ended = new sfn.Succeed(s, 'Ended', { comment: 'B-4: arrears opened (or B-2 if paid meanwhile).' });
      const paidInFull = new sfn.Succeed(s, 'PaidInFull', { comment: 'B-2: held credits released at once.' });
      const notInForce = new sfn.Succeed(s, 'NotInForce', { comment: 'B-1 does not hold: ordinary arrears (A-1).' });
      const caseClosed = new sfn.Succeed(s, 'CaseClosed', { comment: 'The case was closed meanwhile.' });

      end.next(ended);
      deadline.next(awaitSettlement);

      const settled = new sfn.Choice(s, 'Settled?')
        .when(sfn.Condition.booleanEquals('$.settlement.allPaid', true), paidInFull)
        .when(
          sfn.Condition.or(
            sfn.Condition.stringEquals('$.settlement.state', 'completed'),
            sfn.Condition.stringEquals('$.settlement.state', 'closed'),
          ),
          caseClosed,
        )
        .otherwise(deadline);

      const resumed = new sfn.Choice(s, 'Resumed')
        .when(sfn.Condition.isPresent('$.event.closed'), caseClosed)
        .when(sfn.Condition.stringEquals('$.event.event', 'agreement-ended'), end)
        .otherwise(recordSettlement.next(settled));

      const inForce = new sfn.Choice(s, 'InForce?')
        .when(sfn.Condition.booleanEquals('$.filed.deferralInForce', true), awaitSettlement.next(resumed))
        .otherwise(notInForce);

      return file.next(inForce);
    },
  );
}
