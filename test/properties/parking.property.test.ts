/**
 * Issue 20, as a property over random failure patterns and interleavings, through the real queue (fauxqs), the real
 * park store and idempotency records (dynalite) and the local poller: each conversation's events are handled in the
 * order they were sent, none twice, none lost, whether they went through retries, a park and resumes or not.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { listParked } from '../../lib/parking/listing.js';
import { resumeConversation } from '../../lib/parking/resume.js';
import { eventually, post, qikchatText, queueDepth, startTestRuntime } from '../support/local-runtime.js';

/** One event to send: its conversation, and how many of its handler's runs fail before one succeeds. */
interface Planned {
  readonly conversation: number;
  readonly failingRuns: number;
}

const ATTEMPTS = 3;
/** A scenario: up to 3 conversations, up to 12 events in a random interleaving; some fail past the attempts (parked). */
const scenario = fc.array(fc.record({ conversation: fc.integer({ min: 0, max: 2 }), failingRuns: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: ATTEMPTS + 2 })) }), {
  minLength: 1,
  maxLength: 12,
});

describe('parking, over random failure patterns and interleavings', () => {
  let runtime: LocalRuntime;
  const runs = new Map<string, number>();
  const failingRuns = new Map<string, number>();
  const handled: { conversation: string; id: string }[] = [];

  beforeAll(async () => {
    runtime = await startTestRuntime({
      // Retried at once, parked after 3 runs: the property is about order and counts, not the clock.
      retry: { attempts: ATTEMPTS, firstDelaySeconds: 0, backoffRate: 1, maximumDelaySeconds: 0 },
      handlers: {
        'message.received': (event: WebhookEvent) => {
          const id = (event.data.raw as { payload: { id: string } }).payload.id;
          const run = (runs.get(id) ?? 0) + 1;
          runs.set(id, run);
          if (run <= (failingRuns.get(id) ?? 0)) throw new Error(`planned failure ${String(run)} of ${id}`);
          handled.push({ conversation: event.data.conversationId ?? '', id });
        },
      },
    });
  });
  afterAll(() => runtime.stop());

  let round = 0;
  it('keeps per-conversation order, handles each event once, loses none', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (plan: Planned[]) => {
        // Prepare: this round's own conversations and ids
        round++;
        const conversations = [0, 1, 2].map((index) => `62900${String(round).padStart(3, '0')}${String(index)}`);
        const sent = plan.map((planned, index) => ({ conversation: conversations[planned.conversation] ?? '', id: `r${String(round)}-e${String(index)}` }));
        plan.forEach((planned, index) => failingRuns.set(sent[index]?.id ?? '', planned.failingRuns));
        const start = handled.length;

        // Act: send in the planned interleaving; resume whatever parks until nothing is parked and the queue is empty.
        for (const event of sent) expect((await post(runtime, qikchatText(event.conversation, event.id))).status).toBe(200);
        for (let resumes = 0; ; resumes++) {
          await eventually(async () => (await queueDepth(runtime.sqs, runtime.queues.queueUrl)) === 0, 60_000);
          const parked = (await listParked(runtime.parkStore)).filter((entry) => entry.state === 'parked');
          if (parked.length === 0) break;
          expect(resumes).toBeLessThan(20);
          for (const entry of parked) await resumeConversation(runtime.parkStore, { sqs: runtime.sqs, queueUrl: runtime.queues.queueUrl }, { conversation: entry.conversation });
          await eventually(async () => (await listParked(runtime.parkStore)).every((entry) => entry.state === 'parked'), 60_000);
        }

        // Assess: per conversation, handled in the order sent, each exactly once; nothing dead-lettered.
        const ours = handled.slice(start);
        for (const conversation of conversations) {
          expect(ours.filter((event) => event.conversation === conversation).map((event) => event.id)).toEqual(sent.filter((event) => event.conversation === conversation).map((event) => event.id));
        }
        expect(ours).toHaveLength(sent.length);
        expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});
