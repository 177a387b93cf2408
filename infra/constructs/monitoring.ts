/**
 * Alarms an agency's operators act on: anything in a dead-letter queue, any failed or timed-out case
 * execution, any function error. They notify one encrypted SNS topic.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: 'operator alarms',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
  }

  private add(id: string, metric: cloudwatch.IMetric, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  deadLetterQueue(id: string, queue: sqs.IQueue, what: string): void {
    this.add(
      `${id}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      `${what}: messages waiting in the dead-letter queue`,
    );
  }

  stateMachine(id: string, machine: sfn.IStateMachine, what: string): void {
    this.add(`${id}Failed`, machine.metricFailed({ period: Duration.minutes(5) }), `${what}: executions failed`);
    this.add(`${id}TimedOut`, machine.metricTimedOut({ period: Duration.minutes(5) }), `${what}: executions timed out`);
  }

  lambdaFunction(id: string, fn: lambda.IFunction, what: string): void {
    this.add(`${id}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), `${what}: function errors`);
  }
}
