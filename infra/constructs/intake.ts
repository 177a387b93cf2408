/**
 * Tax payment notifications: an EventBridge bus and rule → an encrypted SQS queue (with a dead-letter queue
 * after repeated failures) → the intake function in batches with partial batch failure. Malformed
 * notifications are not retried: the function moves them, with the reason, to their own queue.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.js';

export interface TaxPaymentIntakeProps {
  readonly fn: ServiceFunction;
  /** The notification's EventBridge `source` and `detail-type` (docs/events.md). */
  readonly source: string;
  readonly detailType: string;
}

export class TaxPaymentIntake extends Construct {
  readonly bus: events.EventBus;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly malformed: sqs.Queue;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: TaxPaymentIntakeProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'tax payment notification queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge must encrypt what it sends to the queue.
    this.key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    const queueDefaults = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    };
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', queueDefaults);
    this.malformed = new sqs.Queue(this, 'Malformed', queueDefaults);
    this.queue = new sqs.Queue(this, 'Notifications', {
      ...queueDefaults,
      // Six times the function timeout, as AWS advises for SQS event sources.
      visibilityTimeout: Duration.seconds(6 * (props.fn.fn.timeout?.toSeconds() ?? 30)),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: 'tax-payments' });
    new events.Rule(this, 'PaymentNotifications', {
      eventBus: this.bus,
      eventPattern: { source: [props.source], detailType: [props.detailType] },
      targets: [new targets.SqsQueue(this.queue)],
    });

    props.fn.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );
    props.fn.fn.addEnvironment('MALFORMED_DLQ_URL', this.malformed.queueUrl);
    this.malformed.grantSendMessages(props.fn.fn);
  }
}
