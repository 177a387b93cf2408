/**
 * cdk-nag AwsSolutions findings this design accepts, each with its reason. Everything else fails the synth.
 */
import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

export function suppressFindings(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'AwsSolutions-IAM4',
      reason: 'AWSLambdaBasicExecutionRole only lets a function write its own CloudWatch logs.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'kms:GenerateDataKey* and kms:ReEncrypt* are the data-key actions of one named customer key (the grant is on that key only); the table index wildcard covers the three GSIs the store queries; X-Ray PutTraceSegments/PutTelemetryRecords accept no resource but *.',
      appliesTo: [
        'Action::kms:GenerateDataKey*',
        'Action::kms:ReEncrypt*',
        'Resource::*',
        { regex: '/^Resource::<CasesTable[A-Za-z0-9]+\\.Arn>\\/index\\/\\*$/' },
      ],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Scoped wildcards the services require: the scheduler may invoke any version of the one daily-sweep function; the collection window writes its Distributed Map results and reports under its own bucket prefix and manages its own child executions (Map Runs), whose names are generated.',
      appliesTo: [
        { regex: '/^Resource::<WorkflowsDailySweepFn[A-Za-z0-9]+\\.Arn>:\\*$/' },
        { regex: '/^Resource::<WorkflowsRosters[A-Za-z0-9]+\\.Arn>\\/collection-window\\/.*\\*$/' },
        { regex: '/^Resource::arn:<AWS::Partition>:states:.*:execution:.*WorkflowsCollectionWindow.*$/' },
      ],
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'The design fixes Node.js 24 (NODEJS_24_X) for every function until the team moves runtimes together.',
    },
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'The malformed-notification queue is itself a terminal dead-letter queue, fed by the intake function with the reason.',
    },
  ]);
}
