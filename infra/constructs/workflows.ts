/**
 * The long-running cases of WORKFLOWS.md: one task function and one state machine per workflow (each
 * machine from its own builder in infra/state-machines/), the daily sweep, the bucket of rosters and
 * reports, and the schedules, in Asia/Shanghai time:
 * - the daily sweep at 00:05 (waiting periods ending, 90-day windows closing, fee months due and unpaid
 *   — monthly due dates are deadlines in the store, so the daily sweep is also the monthly due-date run);
 * - one concentrated-collection-window execution per region and fee year, started at the window's opening
 *   (the resident.collectionWindow parameter of that region and year); the execution itself waits for the
 *   closing date, so the close needs no schedule of its own.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowName } from '#app/ports.js';
import { REGIONS } from '#domain/regions.js';
import { parameters } from '#params/index.js';
import { buildArrearsTimerStateMachine } from '../state-machines/arrears-timer.js';
import { buildBankruptcyDeferralStateMachine } from '../state-machines/bankruptcy-deferral.js';
import { buildCollectionWindowStateMachine, ROSTER_PREFIX } from '../state-machines/collection-window.js';
import { buildRetirementTransferStateMachine } from '../state-machines/retirement-transfer.js';
import { buildUnemploymentContributionsStateMachine } from '../state-machines/unemployment-contributions.js';
import type { CaseTable } from './case-table.js';
import type { Monitoring } from './monitoring.js';
import { ServiceFunction } from './service-function.js';

export const WORKFLOWS: readonly WorkflowName[] = [
  'arrears-timer',
  'collection-window',
  'retirement-transfer',
  'bankruptcy-deferral',
  'unemployment-contributions',
];

export const stateMachineEnvName = (w: WorkflowName) => `STATE_MACHINE_${w.toUpperCase().replace(/-/g, '_')}`;
const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

export interface WorkflowsProps {
  readonly data: CaseTable;
  readonly monitoring: Monitoring;
  /** Fee years whose collection windows get a start schedule in every region. */
  readonly windowFeeYears: readonly number[];
}

export class Workflows extends Construct {
  readonly machines = new Map<WorkflowName, sfn.StateMachine>();
  readonly taskFunctions = new Map<WorkflowName, ServiceFunction>();
  readonly sweep: ServiceFunction;
  /** Daily sweeps that failed every attempt (the schedule's delivery or the function's own), for an operator. */
  readonly sweepFailures: sqs.Queue;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const environment = { CASE_TABLE_NAME: props.data.table.tableName };

    const key = new kms.Key(this, 'BucketKey', {
      description: 'rosters and collection-window reports',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Rosters', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'rosters/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const w of WORKFLOWS) {
      const fn = new ServiceFunction(this, `${pascal(w)}Tasks`, {
        entry: `functions/tasks/${w}/handler.ts`,
        description: `${w} workflow tasks`,
        environment,
        // A collection-window batch creates or lapses up to a few hundred renewals.
        timeout: Duration.seconds(w === 'collection-window' ? 300 : 60),
      });
      props.data.grantStoreAccess(fn.fn, 'read-write');
      this.taskFunctions.set(w, fn);
      props.monitoring.lambdaFunction(`${pascal(w)}Tasks`, fn.fn, `${w} tasks`);
    }
    const task = (w: WorkflowName) => this.taskFunctions.get(w)!.fn;
    // Named, so their own task functions can answer their callbacks by ARN without a reference that would
    // make a dependency cycle (machine → function → function's policy → machine).
    this.machines.set(
      'arrears-timer',
      buildArrearsTimerStateMachine(this, 'ArrearsTimer', {
        taskFunction: task('arrears-timer'),
        stateMachineName: this.machineName('arrears-timer'),
      }),
    );
    this.machines.set(
      'retirement-transfer',
      buildRetirementTransferStateMachine(this, 'RetirementTransfer', {
        taskFunction: task('retirement-transfer'),
        stateMachineName: this.machineName('retirement-transfer'),
      }),
    );
    this.machines.set(
      'bankruptcy-deferral',
      buildBankruptcyDeferralStateMachine(this, 'BankruptcyDeferral', { taskFunction: task('bankruptcy-deferral') }),
    );
    this.machines.set(
      'unemployment-contributions',
      buildUnemploymentContributionsStateMachine(this, 'UnemploymentContributions', {
        taskFunction: task('unemployment-contributions'),
      }),
    );
    this.machines.set(
      'collection-window',
      buildCollectionWindowStateMachine(this, 'CollectionWindow', {
        taskFunction: task('collection-window'),
        bucket: this.bucket,
      }),
    );
    for (const [w, machine] of this.machines) props.monitoring.stateMachine(pascal(w), machine, w);

    // A task that finds its event already happened (a payment in the ledger, a choice recorded) resumes
    // its own execution at once.
    for (const w of ['arrears-timer', 'retirement-transfer'] as const) {
      task(w).addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: [
            Stack.of(this).formatArn({
              service: 'states',
              resource: 'stateMachine',
              resourceName: this.machineName(w),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
    // B-4: the end of an unpaid agreement opens an arrears timer per employee; B-2 resumes retirement
    // applications blocked by B-3.
    this.allowStart(task('bankruptcy-deferral'), 'arrears-timer');
    this.machines.get('retirement-transfer')!.grantTaskResponse(task('bankruptcy-deferral'));

    this.sweep = new ServiceFunction(this, 'DailySweep', {
      entry: 'functions/sweep/handler.ts',
      description: 'daily sweep of the deadline index (Asia/Shanghai)',
      environment,
      timeout: Duration.minutes(15),
    });
    props.data.grantStoreAccess(this.sweep.fn, 'read-write');
    this.allowStart(this.sweep.fn, 'arrears-timer');
    props.monitoring.lambdaFunction('DailySweep', this.sweep.fn, 'daily sweep');

    // A sweep that fails during an outage (DynamoDB or Step Functions unavailable: `Sweep.Incomplete` or a
    // store error) is run again. The scheduler invokes the function asynchronously, so two retry policies
    // apply: the schedule's (below) while the invocation cannot be delivered, Lambda's for a run that
    // failed (two more runs, the sweep being safe to repeat: what was done has left the indexes). Within
    // 6 hours, so a retry still sweeps the day it was for (the input names no date: today in CST). What
    // failed all of them waits in this queue, with an alarm, to be re-run with `{"date": …}`.
    this.sweepFailures = new sqs.Queue(this, 'SweepFailures', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: new kms.Key(this, 'SweepFailuresKey', {
        description: 'daily sweeps that failed every retry',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.sweep.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.sweepFailures),
    });
    props.monitoring.deadLetterQueue('SweepFailures', this.sweepFailures, 'daily sweep');

    this.schedules(props.windowFeeYears);
  }

  private machineName(w: WorkflowName): string {
    return `${Stack.of(this).stackName}-${w}`;
  }

  /** Lets `fn` start executions of a workflow, and tells it the machine's ARN. */
  allowStart(fn: iam.IGrantable & { addEnvironment(k: string, v: string): unknown }, w: WorkflowName): void {
    const machine = this.machines.get(w)!;
    machine.grantStartExecution(fn);
    fn.addEnvironment(stateMachineEnvName(w), machine.stateMachineArn);
  }

  /** Lets `fn` answer callbacks of a workflow (SendTaskSuccess/Failure). */
  allowCallbacks(fn: iam.IGrantable, w: WorkflowName): void {
    this.machines.get(w)!.grantTaskResponse(fn);
  }

  private schedules(feeYears: readonly number[]): void {
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: the daily sweep and the collection-window starts',
    });
    this.sweep.fn.grantInvoke(role);
    this.sweepFailures.grantSendMessages(role);
    const window = this.machines.get('collection-window')!;
    window.grantStartExecution(role);

    new scheduler.CfnSchedule(this, 'DailySweepSchedule', {
      description: 'daily sweep at 00:05 China Standard Time',
      scheduleExpression: 'cron(5 0 * * ? *)',
      scheduleExpressionTimezone: 'Asia/Shanghai',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.sweep.fn.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify({}),
        // Delivery retries with exponential back-off for up to 6 hours (185 is the service's maximum).
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 6 * 3600 },
        deadLetterConfig: { arn: this.sweepFailures.queueArn },
      },
    });

    const store = parameters();
    const jilin = REGIONS.filter((r) => r.jurisdiction === 'JL');
    for (const feeYear of feeYears) {
      for (const region of [...jilin, ...REGIONS.filter((r) => r.jurisdiction === 'TL')]) {
        const pack = store.packInForce(region.code, `${feeYear - 1}-10-01`);
        const w = store.lookup<{ opens: string; closes: string }>(
          pack.id,
          'resident.collectionWindow',
          region.code,
          `${feeYear - 1}-10-01`,
        ).value;
        const caseId = `window-${region.code}-${feeYear}`;
        new scheduler.CfnSchedule(this, `Window${region.code}${feeYear}`, {
          description: `collection window ${feeYear} in ${region.en} opens ${feeYear - 1}-${w.opens}`,
          scheduleExpression: `at(${feeYear - 1}-${w.opens}T00:00:00)`,
          scheduleExpressionTimezone: TimeZone.ASIA_SHANGHAI.timezoneName,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            // The universal target, so the execution name is the case id: a second start is harmless.
            arn: `arn:${Stack.of(this).partition}:scheduler:::aws-sdk:sfn:startExecution`,
            roleArn: role.roleArn,
            input: Stack.of(this).toJsonString({
              StateMachineArn: window.stateMachineArn,
              Name: caseId,
              Input: Stack.of(this).toJsonString({
                region: region.code,
                feeYear,
                roster: { bucket: this.bucket.bucketName, key: `${ROSTER_PREFIX}${feeYear}/${region.code}.jsonl` },
              }),
            }),
            retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 24 * 3600 },
          },
        });
      }
    }
  }
}
