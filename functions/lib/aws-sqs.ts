/** The dead-letter port on SQS, apart from aws-ports.ts: only intake needs the SQS client. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '#app/ports.js';

export function sqsDeadLetters(queueUrl: string, client: SQSClient = new SQSClient({})): DeadLetters {
  return {
    async send(body, reason, attributes = {}) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: Object.fromEntries(
            Object.entries({ reason: reason.slice(0, 1000), ...attributes }).map(([k, v]) => [
              k,
              { DataType: 'String', StringValue: v },
            ]),
          ),
        }),
      );
    },
  };
}
