/**
 * The concentrated collection window (C-8…C-11, W-4, W-6, W-7): one Standard execution per region and fee
 * year, started on the window's opening day with `{region, feeYear, roster: {bucket, key}}` and named
 * `collection-window-<region>-<feeYear>` (= its case id). Contract: docs/tasks.md § collection-window;
 * sizing arithmetic: docs/workflows.md § Concentrated collection window.
 *
 *   OpenWindow ─► CreateRenewals (Distributed Map over the roster, JSON Lines in S3, batches → create-renewals)
 *              ─► WaitForClose (TimestampPath $.window.closesAt: 24:00 CST of the closing day)
 *              ─► LapseUnpaid (Distributed Map over the same roster → lapse-unpaid)
 *              ─► Report (renewal rates, stored on the window case, case completed) ─► PutReport (S3) ─► Closed
 *
 * Payments made during the window only touch the store (intake settles renewals); the execution sleeps.
 * A Map that fails beyond its tolerance fails the execution (no Catch on purpose): a redrive re-runs only the
 * failed batches, and both batch tasks are idempotent.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  addTaskRetry,
  catchTaskErrors,
  errorEnds,
  type WorkflowStateMachineProps,
  workflowStateMachine,
} from './common.js';

/** Roster files live under this prefix of the bucket (the role may read only there). */
export const ROSTER_PREFIX = 'rosters/';
/** Map results (ResultWriter) and the final report go under this prefix. */
export const OUTPUT_PREFIX = 'collection-window/';

/** Sizing defaults (the arithmetic is in docs/workflows.md). */
export const COLLECTION_WINDOW_SIZING = {
  /** Residents per child execution (≤ 1000, the handler's limit). */
  maxItemsPerBatch: 500,
  /** A child execution's input is limited to 256 KiB; 500 roster lines are ~100 KB. */
  maxInputBytesPerBatch: 200 * 1024,
  /** create-renewals: bounded by the counter partition's write rate (≈ 500 transactions/s). */
  createConcurrency: 40,
  /** lapse-unpaid: mostly reads (2 per resident), so more children at once. */
  lapseConcurrency: 100,
  /** Items (= 2 batches of 500) that may fail after their retries before the Map Run fails. */
  toleratedFailureCount: 1000,
} as const;

export interface CollectionWindowStateMachineProps extends WorkflowStateMachineProps {
  /** Holds the rosters (`rosters/…`, read) and receives Map results and reports (`collection-window/…`). */
  readonly bucket: s3.IBucket;
  readonly maxItemsPerBatch?: number;
  readonly createConcurrency?: number;
  readonly lapseConcurrency?: number;
  readonly toleratedFailureCount?: number;
}

/** A request-response task of this workflow (its inputs are the region and year, not a `caseId`). */
function invoke(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  payload: Record<string, unknown>,
  resultPath?: string,
): tasks.LambdaInvoke {
  const t = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    ...(resultPath ? { resultPath } : {}),
  });
  addTaskRetry(t);
  return t;
}

export function buildCollectionWindowStateMachine(
  scope: Construct,
  id: string,
  props: CollectionWindowStateMachineProps,
): sfn.StateMachine {
  const fn = props.taskFunction;
  const sizing = { ...COLLECTION_WINDOW_SIZING, ...definedOnly(props) };

  const machine = workflowStateMachine(
    scope,
    id,
    props,
    'Concentrated collection window (C-8…C-11, W-4, W-6, W-7): one execution per region and fee year',
    (group) => {
      const s = new Construct(group, 'States');
      // ResultWriterV2 renders only under this feature flag; set on the states' own scope, nothing else changes.
      s.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
      const ends = errorEnds(s);

      const openWindow = invoke(
        s,
        'OpenWindow',
        fn,
        { task: 'open-window', region: sfn.JsonPath.stringAt('$.region'), feeYear: sfn.JsonPath.numberAt('$.feeYear') },
        '$.window',
      );
      catchTaskErrors(openWindow, ends);

      const rosterMap = (name: 'CreateRenewals' | 'LapseUnpaid', task: string, concurrency: number) =>
        new sfn.DistributedMap(s, name, {
          itemReader: new sfn.S3JsonLItemReader({
            bucketNamePath: sfn.JsonPath.stringAt('$.roster.bucket'),
            key: sfn.JsonPath.stringAt('$.roster.key'),
          }),
          itemBatcher: new sfn.ItemBatcher({
            maxItemsPerBatch: sizing.maxItemsPerBatch,
            maxInputBytesPerBatch: sizing.maxInputBytesPerBatch,
            // CDK passes BatchInput through as written: the `.$` keys are spelled out.
            batchInput: { 'region.$': '$.region', 'feeYear.$': '$.feeYear' },
          }),
          maxConcurrency: concurrency,
          toleratedFailureCount: sizing.toleratedFailureCount,
          mapExecutionType: sfn.StateMachineType.STANDARD,
          resultWriterV2: new sfn.ResultWriterV2({ bucket: props.bucket, prefix: `${OUTPUT_PREFIX}${task}` }),
          resultPath: `$.${name === 'CreateRenewals' ? 'renewals' : 'lapses'}`,
        }).itemProcessor(
          invoke(s, `${name}Batch`, fn, {
            task,
            Items: sfn.JsonPath.listAt('$.Items'),
            BatchInput: sfn.JsonPath.objectAt('$.BatchInput'),
          }),
        );

      const waitForClose = new sfn.Wait(s, 'WaitForClose', {
        comment: 'Payments in the window settle renewals in the store (intake); the execution only sleeps.',
        time: sfn.WaitTime.timestampPath('$.window.closesAt'),
      });

      const report = invoke(
        s,
        'Report',
        fn,
        {
          task: 'report',
          feeYear: sfn.JsonPath.numberAt('$.feeYear'),
          regions: sfn.JsonPath.array(sfn.JsonPath.stringAt('$.region')),
          caseId: sfn.JsonPath.stringAt('$.window.caseId'),
          final: true,
        },
        '$.report',
      );
      catchTaskErrors(report, ends);

      const putReport = new tasks.CallAwsService(s, 'PutReport', {
        service: 's3',
        action: 'putObject',
        parameters: {
          Bucket: props.bucket.bucketName,
          Key: sfn.JsonPath.format(
            `${OUTPUT_PREFIX}reports/{}/{}.json`,
            sfn.JsonPath.stringAt('$.feeYear'),
            sfn.JsonPath.stringAt('$.region'),
          ),
          ContentType: 'application/json',
          Body: sfn.JsonPath.objectAt('$.report'),
        },
        iamResources: [props.bucket.arnForObjects(`${OUTPUT_PREFIX}reports/*`)],
        resultPath: sfn.JsonPath.DISCARD,
      });
      putReport.addRetry({
        errors: ['S3.S3Exception', 'S3.SdkClientException'],
        maxAttempts: 3,
        interval: Duration.seconds(2),
        backoffRate: 2,
      });

      return openWindow
        .next(rosterMap('CreateRenewals', 'create-renewals', sizing.createConcurrency))
        .next(waitForClose)
        .next(rosterMap('LapseUnpaid', 'lapse-unpaid', sizing.lapseConcurrency))
        .next(report)
        .next(putReport)
        .next(new sfn.Succeed(s, 'Closed', { outputPath: '$.report' }));
    },
  );
  // The roster is read by the Maps' ItemReader (bucket from the input, so CDK adds no statement): only there.
  props.bucket.grantRead(machine, `${ROSTER_PREFIX}*`);
  props.bucket.grantPut(machine, `${OUTPUT_PREFIX}*`);
  NagSuppressions.addResourceSuppressions(
    machine,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The collection window reads roster files under rosters/ and writes Map results and reports under collection-window/ of its one bucket (object keys are per region and run); the Distributed Map ResultWriter (CDK) asks for the bucket’s objects; child executions of this machine are named by Step Functions.',
        appliesTo: [
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:Abort*',
          { regex: '/^Resource::<.+\\.Arn>\\/(rosters|collection-window)\\/(.+\\/)?\\*$/' },
          { regex: '/^Resource::arn:<AWS::Partition>:s3:::<.+>\\/\\*$/' },
          { regex: '/^Resource::arn:<AWS::Partition>:states:.*:\\*$/' },
        ],
      },
    ],
    true,
  );
  return machine;
}

function definedOnly(p: CollectionWindowStateMachineProps) {
  const out: Partial<Record<keyof typeof COLLECTION_WINDOW_SIZING, number>> = {};
  if (p.maxItemsPerBatch !== undefined) out.maxItemsPerBatch = p.maxItemsPerBatch;
  if (p.createConcurrency !== undefined) out.createConcurrency = p.createConcurrency;
  if (p.lapseConcurrency !== undefined) out.lapseConcurrency = p.lapseConcurrency;
  if (p.toleratedFailureCount !== undefined) out.toleratedFailureCount = p.toleratedFailureCount;
  return out;
}
