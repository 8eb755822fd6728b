/**
 * The handler test of docs/handlers.md, runnable: a handler is a function, called with a sample's event and a
 * context; no pipeline runs.
 */
import { readFile } from 'node:fs/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import { expect, it } from 'vitest';
import type { WebhookEventOf } from '../../lib/events/schema.js';
import type { EventHandler } from '../../lib/handlers/types.js';
import { sqsRecord } from '../support/sqs-records.js';

/** What docs/handlers.md's handler writes to, here a list. */
const crm = { appended: [] as { conversation: string | undefined; text: string | null }[] };

/** The example handler: one line per customer message. */
const onMessage: EventHandler<'message.received'> = (event, { signal }) => {
  signal.throwIfAborted();
  crm.appended.push({ conversation: event.subject, text: event.data.message.text });
};

it('appends the customer message to the CRM', async () => {
  // Prepare
  const event = JSON.parse(await readFile('dev/samples/qikchat/message-text.event.json', 'utf8')) as WebhookEventOf<'message.received'>;

  // Act
  await onMessage(event, { logger: new Logger({ logLevel: 'SILENT' }), record: sqsRecord(event, 0), signal: AbortSignal.timeout(20_000), timeLimitMs: 20_000 });

  // Assess
  expect(crm.appended).toEqual([{ conversation: '919812345678', text: 'Hi, is the blue kurta still available in size M?' }]);
});
