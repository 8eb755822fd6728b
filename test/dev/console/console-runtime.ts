/** The runtime the console tests look at: a handler that fails until fixed, and dead letters within seconds. */
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { localQueueTopology } from '../../../lib/queue/topology.js';
import { signed, startTestRuntime, type SignedRequest } from '../../support/local-runtime.js';

/** A test runtime whose `message.sent` handler throws "the CRM is down" until `fix()`; dead-lettered after 2 attempts. */
export async function startConsoleRuntime(): Promise<{ runtime: LocalRuntime; fix: (fixed?: boolean) => void }> {
  let fixed = false;
  const runtime = await startTestRuntime({
    topology: { ...localQueueTopology, visibilityTimeoutSeconds: 1, maxReceiveCount: 2 },
    deadLetterCheckMs: 200,
    handlers: {
      'message.sent': () => (fixed ? Promise.resolve() : Promise.reject(new Error('the CRM is down'))),
    },
  });
  return { runtime, fix: (value = true) => (fixed = value) };
}

/** A signed Chatzuri `message.sent` delivery: the one event type whose handler fails until fixed. */
export function messageSent(conversation: string, messageId: string): SignedRequest {
  return signed('chatzuri', JSON.stringify({ event: 'message.sent', timestamp: '2026-11-29T10:00:00Z', data: { conversationId: conversation, messageId, content: 'hi', channel: 'web' } }));
}
