/**
 * Tax payment notifications: EventBridge → SQS → this Lambda, in batches with partial batch failure
 * (`ReportBatchItemFailures` on the event source mapping). Each record is one EventBridge event; the
 * service (shared/app/intake) stores it, records rights, resumes and opens cases. A malformed record
 * is dead-lettered by the service with its reason and counts as handled; a record that fails for a
 * passing reason (throttling, the store or Step Functions unavailable) is reported in
 * `batchItemFailures`, so SQS redelivers it alone.
 *
 * Environment: CASE_TABLE_NAME, MALFORMED_DLQ_URL, STATE_MACHINE_ARREARS_TIMER.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { systemClock } from '#app/clock.js';
import { createPaymentIntake } from '#app/intake/index.js';
import { caseStoreFromEnv, requiredEnv, sfnTaskCallbacks, sfnWorkflowStarter } from '../lib/aws-ports.js';
import { sqsDeadLetters } from '../lib/aws-sqs.js';
import { createLogger } from '../lib/logger.js';

// Built once per container, never per request.
const log = createLogger('tax-payment-intake');
const sfn = new SFNClient({});
const intake = createPaymentIntake({
  store: caseStoreFromEnv(),
  callbacks: sfnTaskCallbacks(sfn),
  workflows: sfnWorkflowStarter(sfn),
  deadLetters: sqsDeadLetters(requiredEnv('MALFORMED_DLQ_URL'), new SQSClient({})),
  clock: systemClock,
  log: {
    info: (m, a) => log.info(m, a ?? {}),
    warn: (m, a) => log.warn(m, a ?? {}),
    error: (m, a) => log.error(m, a ?? {}),
  },
});
const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord) {
  try {
    return await intake.handleMessage(record.body, { messageId: record.messageId });
  } catch (e) {
    // The logger masks any identity number in the message.
    log.error('tax payment notification left for redelivery', { messageId: record.messageId, error: e as Error });
    throw e;
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().handler((event, context) =>
  processPartialResponse(event, recordHandler, processor, { context }),
);
