/**
 * Unemployment-fund contributions (C-7): one execution per benefit award (execution name = case id,
 * input `{caseId}`), the `record-month` task of functions/tasks/unemployment-contributions/handler.ts
 * (docs/tasks.md § unemployment-contributions).
 *
 *   RecordMonth ─► AwardEnded ─ done ─► Done
 *        ▲                    └ else ─► NextMonth (Wait, TimestampPath $.nextRunAt: 00:00 CST on the 1st) ─┐
 *        └────────────────────────────────────────────────────────────────────────────────────────────┘
 *
 * Three transitions a benefit month (RecordMonth, AwardEnded, NextMonth) and one to end.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  catchTaskErrors,
  errorEnds,
  lambdaTask,
  type WorkflowStateMachineProps,
  workflowStateMachine,
} from './common.js';

export type UnemploymentContributionsStateMachineProps = WorkflowStateMachineProps;

export function buildUnemploymentContributionsStateMachine(
  scope: Construct,
  id: string,
  props: UnemploymentContributionsStateMachineProps,
): sfn.StateMachine {
  return workflowStateMachine(
    scope,
    id,
    props,
    'Unemployment-fund contributions (C-7): each benefit month recorded in its month, none after the award',
    (s) => {
      const ends = errorEnds(s);
      const done = new sfn.Succeed(s, 'Done');
      const recordMonth = lambdaTask(
        s,
        'RecordMonth',
        props.taskFunction,
        'record-month',
        {},
        {
          comment: 'the benefit months begun and not yet recorded (C-7)',
        },
      );
      catchTaskErrors(recordMonth, ends);
      const nextMonth = new sfn.Wait(s, 'NextMonth', {
        time: sfn.WaitTime.timestampPath('$.nextRunAt'),
        comment: 'the first day of the next month, 00:00 CST',
      });
      recordMonth.next(
        new sfn.Choice(s, 'AwardEnded').when(sfn.Condition.booleanEquals('$.done', true), done).otherwise(nextMonth),
      );
      nextMonth.next(recordMonth);
      return recordMonth;
    },
  );
}
