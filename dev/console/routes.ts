/**
 * The console's HTTP side, on the local runtime's port: the page at `/`, its script (bundled by esbuild on first
 * request) and style, the live stream (server-sent events), an entry's detail, the samples, and the actions
 * (send a signed delivery, redrive the dead letters, replay a conversation from the archive, resume a parked one).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { build } from 'esbuild';
import { ResumeRefusedError, type ParkedConversation } from '../../lib/parking/park-store.js';
import type { ResumeRequest } from '../../lib/parking/resume.js';
import { findProvider } from '../../lib/providers/registry.js';
import { signDelivery } from '../providers.js';
import { listSamples, readSample } from '../local/samples.js';
import { withLocalMediaLinks } from '../local/media-server.js';
import type { LocalRoute } from '../local/server.js';
import { ReplayError } from '../replay/replay.js';
import { visibleEntries, type ReplaySummary } from './model.js';
import type { ConsoleRecorder } from './recorder.js';

export interface ConsoleRoutesOptions {
  readonly recorder: ConsoleRecorder;
  /** The slugs the runtime receives, with the secret each signs with (the runtime's current one). */
  readonly secrets: ReadonlyMap<string, string>;
  /** The runtime's own base URL, where the send form posts. */
  readonly url: () => string;
  /** Moves every dead letter back to the main queue. */
  readonly redrive: () => Promise<{ readonly moved: number }>;
  /** Replays a conversation's archived events, as `npm run replay -- --conversation <id>` does. */
  readonly replay: (conversation: string) => Promise<ReplaySummary>;
  /**
   * Resumes a parked conversation (with `skip`, dropping its failing event first), as `npm run resume` does.
   *
   * @throws ResumeRefusedError when it is not parked, or `skip` is not its failing event
   */
  readonly resume: (request: ResumeRequest) => Promise<ParkedConversation>;
}

const page = (name: string) => new URL(`page/${name}`, import.meta.url);
// The largest request body an action takes: a delivery is at most the queue's 1 MiB, and a little JSON around it.
const MAXIMUM_ACTION_BYTES = 2 * 1024 * 1024;
// A comment line now and then keeps proxies and browsers from closing a quiet stream.
const HEARTBEAT_MS = 15_000;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** The action's JSON body, or undefined when it is too large or no JSON object. */
async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAXIMUM_ACTION_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

let script: Promise<string> | undefined;
/** The page's script, bundled once per process: plain TypeScript in, one ES module out. */
function bundledScript(): Promise<string> {
  script ??= build({ entryPoints: [page('app.ts').pathname], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent' }).then(
    (result) => result.outputFiles[0]?.text ?? '',
  );
  return script;
}

function asset(name: string, contentType: string): LocalRoute {
  return async (_request, response) => {
    const body = name.endsWith('.ts') ? await bundledScript() : await readFile(page(name));
    response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
    response.end(body);
  };
}

/**
 * The console's routes, for the local server's route table.
 *
 * @example createLocalServer({ ..., routes: consoleRoutes({ recorder, secrets, url, redrive, replay, resume }) })
 */
export function consoleRoutes(options: ConsoleRoutesOptions): Map<string, LocalRoute> {
  const { recorder } = options;
  return new Map<string, LocalRoute>([
    ['GET /', asset('index.html', 'text/html; charset=utf-8')],
    ['GET /console/app.js', asset('app.ts', 'text/javascript; charset=utf-8')],
    ['GET /console/app.css', asset('app.css', 'text/css; charset=utf-8')],
    [
      'GET /_local/console/entries',
      (_request, response, query) => {
        const limit = Number(query.get('limit') ?? 500);
        const filter = { provider: query.get('provider') ?? undefined, type: query.get('type') ?? undefined, conversation: query.get('conversation') ?? undefined, outcome: query.get('outcome') ?? undefined };
        json(response, 200, visibleEntries(recorder.entries(), filter, Number.isInteger(limit) && limit > 0 ? limit : 500));
      },
    ],
    [
      'GET /_local/console/entry',
      (_request, response, query) => {
        const detail = recorder.detail(query.get('id') ?? '');
        if (detail) json(response, 200, detail);
        else json(response, 404, { message: 'Not Found' });
      },
    ],
    [
      'GET /_local/console/stream',
      (request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        response.write('retry: 1000\n\n');
        const unsubscribe = recorder.subscribe((change) => {
          response.write(change.kind === 'entry' ? `event: entry\ndata: ${JSON.stringify(change.entry)}\n\n` : `event: ${change.kind}\ndata: {}\n\n`);
        });
        const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        request.once('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    ],
    [
      'GET /_local/console/samples',
      async (_request, response) => {
        const slugs = [...options.secrets.keys()];
        json(response, 200, await Promise.all(slugs.map(async (slug) => ({ provider: slug, samples: await listSamples(slug) }))));
      },
    ],
    [
      'POST /_local/console/send',
      async (request, response) => {
        const input = await readJson(request);
        const slug = typeof input?.provider === 'string' ? input.provider : '';
        const provider = findProvider(slug);
        const secret = options.secrets.get(slug);
        if (!input || !provider || secret === undefined) {
          json(response, 400, { message: `unknown provider "${slug}"` });
          return;
        }
        let body: Buffer;
        if (typeof input.body === 'string' && input.body.trim() !== '') {
          try {
            JSON.parse(input.body);
          } catch (error) {
            json(response, 400, { message: `the body is no JSON: ${error instanceof Error ? error.message : String(error)}` });
            return;
          }
          body = Buffer.from(input.body, 'utf8');
        } else {
          const sample = typeof input.sample === 'string' ? input.sample : '';
          if (!(await listSamples(slug)).includes(sample)) {
            json(response, 400, { message: `unknown sample "${sample}" of ${slug}` });
            return;
          }
          // As `npm run send` does: the sample's media links point at the runtime's copy of its files.
          body = await withLocalMediaLinks(slug, await readSample(slug, sample), options.url());
        }
        const answer = await fetch(`${options.url()}/webhooks/${slug}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signDelivery(provider, body, secret) }, body });
        json(response, 200, { status: answer.status, body: await answer.text() });
      },
    ],
    [
      'POST /_local/dead-letters/redrive',
      async (_request, response) => {
        const report = await options.redrive();
        recorder.deadLettersChanged();
        json(response, 200, report);
      },
    ],
    [
      // The conversation's archived events go to the queue again as new events (`replayof`); the worker's
      // processing of them reaches the page over the stream like any other event.
      'POST /_local/console/replay',
      async (request, response) => {
        const input = await readJson(request);
        const conversation = typeof input?.conversation === 'string' ? input.conversation.trim() : '';
        if (conversation === '') {
          json(response, 400, { message: 'say which conversation to replay: {"conversation": "<id>"}' });
          return;
        }
        try {
          const { selected, sent, skipped } = await options.replay(conversation);
          json(response, 200, { selected, sent, skipped });
        } catch (error) {
          if (!(error instanceof ReplayError)) throw error;
          json(response, 502, { message: `${error.message} (${String(error.sent)} sent before it stopped)` });
        }
      },
    ],
    [
      // The worker runs the parked events when the conversation's control message reaches it; their outcomes and
      // the panel's refresh reach the page over the stream.
      'POST /_local/console/resume',
      async (request, response) => {
        const input = await readJson(request);
        const conversation = typeof input?.conversation === 'string' ? input.conversation.trim() : '';
        const skip = input?.skip;
        if (conversation === '' || (skip !== undefined && (typeof skip !== 'string' || skip.trim() === ''))) {
          json(response, 400, { message: 'say which conversation to resume, and which failing event to skip if any: {"conversation": "<message group>", "skip": "<event id>"}' });
          return;
        }
        try {
          const resumed = await options.resume({ conversation, ...(typeof skip === 'string' ? { skip: skip.trim() } : {}) });
          recorder.parkedChanged();
          json(response, 200, resumed);
        } catch (error) {
          if (!(error instanceof ResumeRefusedError)) throw error;
          json(response, 409, { message: error.message });
        }
      },
    ],
  ]);
}
