import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import type { ArchivedEvent } from '../../../dev/replay/read-archive.js';
import { replayArchive, replayDeduplicationId, type ReplayOptions } from '../../../dev/replay/replay.js';
import type { WebhookEvent } from '../../../lib/events/schema.js';
import { localQueueTopology } from '../../../lib/queue/topology.js';
import { eventually, post, queueDepth, signed, startTestRuntime, waitForEvent, type SignedRequest } from '../../support/local-runtime.js';

const run = promisify(execFile);

function qikchatMessage(customer: string, id: string, text: string): SignedRequest {
  const payload = { id, name: 'whatsapp', contacts: [{ profile: { name: 'Rina' }, to: '+6281100000000' }], message: { from: customer, timestamp: '2024-05-01T10:00:00.000Z', type: 'text', text: { body: text } } };
  return signed('qikchat', JSON.stringify({ event: 'whatsapp:message:in', payload }));
}

async function listed(runtime: LocalRuntime, query: string): Promise<string[]> {
  const answer = await fetch(`${runtime.url}/_local/archive?${query}`);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as ArchivedEvent[]).map((entry) => entry.event.id);
}

describe('replay from the archive', () => {
  let runtime: LocalRuntime;
  let conversation: SignedRequest[];
  let other: SignedRequest;
  let archivedAt: { first: string; last: string };
  const replayOptions = (): Pick<ReplayOptions, 'archive' | 'queue'> => ({
    archive: runtime.archive,
    queue: { sqs: runtime.sqs, queueUrl: runtime.queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
  });
  const replaysOf = (id: string): WebhookEvent[] => runtime.events().filter((event) => event.replayof === id);

  beforeAll(async () => {
    runtime = await startTestRuntime();
    conversation = ['r-1', 'r-2', 'r-3', 'r-4'].map((id) => qikchatMessage('6280000000001', id, `text ${id}`));
    other = signed('chatzuri', JSON.stringify({ event: 'conversation.ended', conversationId: 'cz-replay', reason: 'done' }));
    for (const request of [...conversation, other]) expect((await post(runtime, request)).status).toBe(200);
    for (const request of [...conversation, other]) await waitForEvent(runtime, (event) => event.id === request.expected.id);
    const all = (await (await fetch(`${runtime.url}/_local/archive?limit=10000`)).json()) as ArchivedEvent[];
    archivedAt = { first: all[0]?.archivedAt ?? '', last: all.at(-1)?.archivedAt ?? '' };
  });
  afterAll(() => runtime.stop());

  it('lists by every filter, oldest first', async () => {
    const ids = conversation.map((request) => request.expected.id);
    expect(await listed(runtime, 'conversation=6280000000001')).toEqual(ids);
    expect(await listed(runtime, 'provider=chatzuri')).toEqual([other.expected.id]);
    expect(await listed(runtime, `type=${other.expected.type}`)).toEqual([other.expected.id]);
    expect(await listed(runtime, `id=${encodeURIComponent(ids[1] ?? '')}`)).toEqual([ids[1]]);
    expect(await listed(runtime, 'conversation=6280000000001&limit=2')).toEqual(ids.slice(0, 2));
    expect(await listed(runtime, `from=${archivedAt.first}&to=${new Date(Date.parse(archivedAt.last) + 1).toISOString()}&provider=qikchat`)).toEqual(ids);
    expect(await listed(runtime, `from=${new Date(Date.parse(archivedAt.last) + 1).toISOString()}`)).toEqual([]);
    expect(await listed(runtime, `to=${archivedAt.first}`)).toEqual([]);
  });

  it('changes nothing in a dry run', async () => {
    // Prepare
    const processed = runtime.events().length;

    // Act
    const report = await replayArchive({ ...replayOptions(), queue: undefined, query: { conversation: '6280000000001' } });
    await sleep(500);

    // Assess
    expect(report).toMatchObject({ selected: 4, sent: 0, skipped: 0, dryRun: true, wouldSend: conversation.map((request) => request.expected.id) });
    expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
    expect(runtime.events()).toHaveLength(processed);
  });

  it('enqueues a conversation again in its order, as new events naming their originals, and not twice within the window', async () => {
    // Prepare
    const originals = conversation.map((request) => request.expected.id);

    // Act: the same replay twice in a row
    const first = await replayArchive({ ...replayOptions(), query: { conversation: '6280000000001' } });
    await eventually(() => originals.every((id) => replaysOf(id).length > 0));
    const second = await replayArchive({ ...replayOptions(), query: { conversation: '6280000000001' } });
    await eventually(async () => (await queueDepth(runtime.sqs, runtime.queues.queueUrl)) === 0);
    await sleep(500);

    // Assess: in order, new ids, each original once (SQS deduplicated the second run)
    expect(first).toMatchObject({ selected: 4, sent: 4, skipped: 0 });
    // The second run selects the first run's replays too (archived like any event); each original is sent once, and
    // SQS drops those sends as duplicates of the first run's within its window.
    expect(second).toMatchObject({ selected: 8, sent: 4, skipped: 4 });
    const replayed = runtime.events().filter((event) => event.replayof !== undefined && originals.includes(event.replayof));
    expect(replayed.map((event) => event.replayof)).toEqual(originals);
    for (const event of replayed) {
      expect(originals).not.toContain(event.id);
      expect(event.replayedat).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // The replays are archived too, and a replay of them names the first original (same deduplication id).
    expect(await listed(runtime, 'conversation=6280000000001')).toHaveLength(8);
    expect(replayDeduplicationId('x'.repeat(128))).toMatch(/^replay:sha256:[0-9a-f]{64}$/);
  });

  it('rebuilds events from data.raw with --renormalise', async () => {
    // Act
    const report = await replayArchive({ ...replayOptions(), query: { id: other.expected.id }, renormalise: true });
    await eventually(() => replaysOf(other.expected.id).length === 1);

    // Assess: today's normaliser made the same event of it as the receiver did
    const [replayed] = replaysOf(other.expected.id);
    const original = runtime.events().find((event) => event.id === other.expected.id);
    expect(report.sent).toBe(1);
    expect({ ...replayed, id: undefined, replayof: undefined, replayedat: undefined }).toEqual({ ...original, id: undefined });
  });

  it('runs as npm run replay; a dry run names what a real run would send', async () => {
    // Act: the chatzuri event and its replay (of the renormalise test): a real run sends the original once
    const dry = await run(process.execPath, ['--import', 'tsx', 'dev/cli/replay.ts', '--url', runtime.url, '--provider', 'chatzuri', '--dry-run'], { timeout: 30_000 });
    const all = await run(process.execPath, ['--import', 'tsx', 'dev/cli/replay.ts', '--url', runtime.url, '--all', '--dry-run'], { timeout: 30_000 });

    // Assess
    const [replay] = replaysOf(other.expected.id);
    expect(dry.stdout).toContain(`A real run would send 1 event again, as new events, in this order:\n  ${other.expected.id}\n`);
    expect(dry.stdout).toContain(`would skip ${replay?.id ?? ''}: ${other.expected.id} is replayed once already in this run`);
    expect(dry.stdout).toContain('Replay (dry run): selected 2, would send 1, would skip 1');
    // The whole archive: each original once (the four of the conversation and the chatzuri one), its replays skipped.
    expect(all.stdout).toContain('A real run would send 5 events again, as new events, in this order:\n');
    expect(all.stdout).toMatch(/Replay \(dry run\): selected \d+, would send 5, would skip \d+/);
  });

  it('refuses to run without a selector or --all, and names the providers or types it knows', async () => {
    // Act
    const refusal = async (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'dev/cli/replay.ts', '--url', runtime.url, ...args], { timeout: 30_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: unknown) => error as { stderr: string; code: number },
      );
    const processed = runtime.events().length;
    const bare = await refusal([]);
    const provider = await refusal(['--provider', 'qikchatt', '--dry-run']);
    const type = await refusal(['--type', 'message.recieved']);
    const both = await refusal(['--all', '--conversation', 'x']);
    const wrong = await refusal(['--conversaton', 'x']);
    await sleep(500);

    // Assess: each one line and the usage, nothing sent
    expect(bare.code).toBe(2);
    expect(bare.stderr.split('\n')[0]).toBe('npm run replay: say what to replay: --conversation <id>, --id <event id>, --provider, --type or --from/--to; or --all for the whole archive');
    expect(provider.stderr.split('\n')[0]).toBe('npm run replay: unknown provider "qikchatt": the providers are qiscus-omnichannel, qiscus-sdk, qikchat, chatzuri');
    expect(type.stderr.split('\n')[0]).toMatch(/^npm run replay: unknown type "message\.recieved": the types are message\.received, message\.status_updated, .*, event\.unrecognized$/);
    expect(both.stderr.split('\n')[0]).toBe('npm run replay: --all replays the whole archive: give it alone, or leave it out to replay what --conversation select');
    expect(wrong.stderr).toMatch(/^npm run replay: Unknown option '--conversaton'.*\nUsage: npm run replay -- /);
    for (const result of [bare, provider, type, both, wrong]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: npm run replay -- <selectors> | --all');
      expect(result.stderr).not.toContain('    at ');
    }
    expect(runtime.events()).toHaveLength(processed);
  });
});
