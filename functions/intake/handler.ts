/**
 * Tax payment notifications: EventBridge → SQS → this Lambda, in batches with partial batch failure
 * (`ReportBatchItemFailures` on the event source mapping). Each record is one EventBridge event; the
 * service (shared/app/intake) stores it, records rights, resumes and opens cases. A malformed record
 * is dead-lettered by the service with its reason and counts as handled; a record that fails for a
 * passing reason (throttling, the store or Step Functions unavailable) is reported in
 * `batchItemFailures`, so SQS redelivers it alone.
 *
 * A body over 256 KB or nested deeper than 32 levels is dead-lettered as malformed before anything parses
 * it: a redelivery could never succeed, and walking such a body recursively runs out of stack.
 *
 * Environment: CASE_TABLE_NAME, MALFORMED_DLQ_URL, STATE_MACHINE_ARREARS_TIMER.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { systemClock } from '#app/clock.js';
import { createPaymentIntake, type MessageOutcome } from '#app/intake/index.js';
import { caseStoreFromEnv, requiredEnv, sfnTaskCallbacks, sfnWorkflowStarter } from '../lib/aws-ports.js';
import { sqsDeadLetters } from '../lib/aws-sqs.js';
import { BODY_LIMIT_BYTES, jsonNestingExceeds, MAX_JSON_DEPTH } from '../lib/problem.js';
import { createLogger } from '../lib/logger.js';

// Built once per container, never per request.
const log = createLogger('tax-payment-intake');
const sfn = new SFNClient({});
const deadLetters = sqsDeadLetters(requiredEnv('MALFORMED_DLQ_URL'), new SQSClient({}));
const intake = createPaymentIntake({
  store: caseStoreFromEnv(),
  callbacks: sfnTaskCallbacks(sfn),
  workflows: sfnWorkflowStarter(sfn),
  deadLetters,
  clock: systemClock,
  log: {
    info: (m, a) => log.info(m, a ?? {}),
    warn: (m, a) => log.warn(m, a ?? {}),
    error: (m, a) => log.error(m, a ?? {}),
  },
});
const processor = new BatchProcessor(EventType.SQS);

/** Why a body is refused before parsing, or null. */
function beyondLimits(body: string): string | null {
  if (Buffer.byteLength(body, 'utf8') > BODY_LIMIT_BYTES) return `body-too-large: over ${BODY_LIMIT_BYTES} bytes`;
  if (jsonNestingExceeds(body)) return `nesting-too-deep: JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
  return null;
}

async function recordHandler(record: SQSRecord): Promise<MessageOutcome> {
  const refused = beyondLimits(record.body);
  if (refused) {
    // A failed send throws: the message then stays for redelivery, as any passing fault does.
    await deadLetters.send(record.body, refused, { sourceMessageId: record.messageId });
    log.warn('tax payment notification beyond limits sent to the dead-letter queue', {
      messageId: record.messageId,
      reason: refused,
    });
    return { kind: 'malformed', reason: refused, issues: [] };
  }
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
