import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import type { Media, WebhookEvent } from '../../lib/events/schema.js';
import { eventMedia, mediaKey, storeEventMedia, type MediaStoreOptions } from '../../lib/media/event-media.js';
import { MEDIA_DEFAULTS } from '../../lib/media/settings.js';
import { PUBLIC_HTTPS_ONLY, type OutboundPolicy } from '../../lib/net/outbound.js';
import { cloudEvent } from '../support/events.js';
import { startTestMediaServer, type TestMediaServer } from './media-server.js';

/** Loopback is where the test servers are: this policy allows 127.0.0.2 only, so 127.0.0.1 and `localhost` stay refused. */
const SECOND_LOOPBACK_ONLY: OutboundPolicy = { allowHttp: true, allowAddresses: ['127.0.0.2'] };
const FILE = Buffer.from('\xff\xd8\xff\xe0 a small picture of a broken shoe', 'latin1');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

let nextId = 0;
/** A message.received event whose attachment links to `url`. */
function eventWithMedia(url: string, media: Partial<Media> = {}): WebhookEvent {
  const event = cloudEvent(`media-${String(nextId++)}`, 'conv-media');
  if (event.type !== 'message.received') throw new Error('unexpected type');
  return {
    ...event,
    data: { ...event.data, message: { id: 'm', type: 'image', text: null, media: { id: 'x', url, mimeType: 'image/jpeg', fileName: null, caption: null, sha256: null, ...media } } },
  };
}

describe('storeEventMedia: an attachment is stored in the archive bucket before the handler runs', () => {
  let s3: EmbeddedS3;
  let server: TestMediaServer;
  let other: TestMediaServer;
  let options: MediaStoreOptions;

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    server = await startTestMediaServer('127.0.0.2');
    other = await startTestMediaServer('127.0.0.2');
  });
  afterAll(async () => {
    await server.stop();
    await other.stop();
    await s3.stop();
  });
  beforeEach(() => {
    server.routes.clear();
    server.requests.length = 0;
    other.requests.length = 0;
    options = { s3: s3.s3, bucket: s3.bucket, policy: SECOND_LOOPBACK_ONLY, settings: { maxBytes: 1024, timeLimitMs: 3_000, allowHosts: {} } };
  });

  async function object(key: string): Promise<Buffer> {
    const answer = await s3.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await answer.Body!.transformToByteArray());
  }
  async function keys(): Promise<string[]> {
    const answer = await s3.s3.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'media/' }));
    return (answer.Contents ?? []).map((entry) => entry.Key ?? '');
  }

  it('streams the file into the bucket under media/, checks the provider\'s base64 SHA-256, and puts where it is on the event', async () => {
    // Prepare
    server.routes.set('/file.jpg', (_request, response) => response.writeHead(200, { 'content-type': 'image/jpeg' }).end(FILE));
    const event = eventWithMedia(`${server.origin}/file.jpg`, { sha256: sha256(FILE).toString('base64') });

    // Act
    const result = await storeEventMedia(event, options, 3_000);

    // Assess: the object's bytes and digest, read back from S3
    expect(result.kind).toBe('stored');
    const stored = eventMedia(result.event)?.stored;
    expect(stored).toEqual({ bucket: s3.bucket, key: mediaKey(event), sha256: sha256(FILE).toString('hex'), size: FILE.length, contentType: 'image/jpeg' });
    const bytes = await object(mediaKey(event));
    expect(bytes.equals(FILE)).toBe(true);
    expect(sha256(bytes).toString('hex')).toBe(stored?.sha256);
    expect(mediaKey(event)).toMatch(/^media\/chatzuri\/[0-9a-f]{32}$/);
  });

  it('finds a file stored before (a retry, a resume, a replay) instead of downloading it again', async () => {
    // Prepare
    server.routes.set('/again.jpg', (_request, response) => response.writeHead(200).end(FILE));
    const event = eventWithMedia(`${server.origin}/again.jpg`);
    const first = await storeEventMedia(event, options, 3_000);

    // Act: the same event again, and its replay (a new id, `replayof` the first)
    const again = await storeEventMedia(event, options, 3_000);
    const replay = await storeEventMedia({ ...event, id: 'replay-1', replayof: event.id }, options, 3_000);
    const carried = await storeEventMedia(first.event, options, 3_000);

    // Assess: one download in all
    expect([first.kind, again.kind, replay.kind, carried.kind]).toEqual(['stored', 'kept', 'kept', 'kept']);
    expect(eventMedia(replay.event)?.stored).toEqual(eventMedia(first.event)?.stored);
    expect(server.requests.filter((request) => request.path === '/again.jpg')).toHaveLength(1);
  });

  it('takes an event without an attachment URL as it is', async () => {
    // Act
    const result = await storeEventMedia(cloudEvent('no-media', 'c'), options, 3_000);
    // Assess
    expect(result.kind).toBe('none');
  });

  it('leaves stored: null with sha256_mismatch, and no object, when the bytes are not the provider\'s', async () => {
    // Prepare
    server.routes.set('/tampered.jpg', (_request, response) => response.writeHead(200).end(FILE));
    const event = eventWithMedia(`${server.origin}/tampered.jpg`, { sha256: sha256(Buffer.from('another file')).toString('hex') });

    // Act
    const result = await storeEventMedia(event, options, 3_000);

    // Assess
    expect(result).toMatchObject({ kind: 'failed', failure: { reason: 'sha256_mismatch' }, attempts: 1 });
    expect(eventMedia(result.event)).toMatchObject({ stored: null, storeFailure: { reason: 'sha256_mismatch' } });
    expect(await keys()).not.toContain(mediaKey(event));
  });

  it('does not retry a 404: stored null, not_found', async () => {
    // Act
    const result = await storeEventMedia(eventWithMedia(`${server.origin}/gone.jpg`), options, 3_000);
    // Assess
    expect(result).toMatchObject({ kind: 'failed', failure: { reason: 'not_found' }, attempts: 1 });
  });

  it('retries a 503 with a backoff and stores the file on the next attempt', async () => {
    // Prepare
    let calls = 0;
    server.routes.set('/busy.jpg', (_request, response) => (calls++ === 0 ? response.writeHead(503).end() : response.writeHead(200).end(FILE)));

    // Act
    const result = await storeEventMedia(eventWithMedia(`${server.origin}/busy.jpg`), options, 3_000);

    // Assess
    expect(result).toMatchObject({ kind: 'stored', attempts: 2 });
  });

  it('refuses a file over the size limit, by its Content-Length or while streaming, and stores nothing', async () => {
    // Prepare: 2 KiB against the limit of 1 KiB, once declared, once chunked without a length
    const big = Buffer.alloc(2048, 7);
    server.routes.set('/declared.bin', (_request, response) => response.writeHead(200, { 'content-length': String(big.length) }).end(big));
    server.routes.set('/chunked.bin', (_request, response) => {
      response.writeHead(200);
      response.write(big.subarray(0, 1000));
      setTimeout(() => response.end(big.subarray(1000)), 20);
    });
    const declared = eventWithMedia(`${server.origin}/declared.bin`);
    const chunked = eventWithMedia(`${server.origin}/chunked.bin`);

    // Act
    const results = [await storeEventMedia(declared, options, 3_000), await storeEventMedia(chunked, options, 3_000)];

    // Assess
    expect(results.map((result) => result.kind === 'failed' && result.failure.reason)).toEqual(['too_large', 'too_large']);
    expect(await keys()).not.toContain(mediaKey(declared));
    expect(await keys()).not.toContain(mediaKey(chunked));
  });

  it('gives up on a server that never answers, and on one that stops sending, within the time limit', async () => {
    // Prepare: one never sends its headers, one sends the headers and a few bytes, then nothing
    server.routes.set('/hang', () => undefined);
    server.routes.set('/stall', (_request, response) => {
      response.writeHead(200);
      response.write('a few bytes');
    });

    // Act
    const hanging = await storeEventMedia(eventWithMedia(`${server.origin}/hang`), options, 800);
    const stalling = await storeEventMedia(eventWithMedia(`${server.origin}/stall`), options, 800);

    // Assess
    expect(hanging).toMatchObject({ kind: 'failed', failure: { reason: 'timeout' } });
    expect(stalling).toMatchObject({ kind: 'failed', failure: { reason: 'timeout' } });
  });

  it('gives up on a slow server that keeps sending when the time limit runs out', async () => {
    // Prepare: one byte every 50 ms, never stalling for long, never done within the limit
    server.routes.set('/slow', (_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('x'), 50);
      response.on('close', () => clearInterval(timer));
    });

    // Act
    const result = await storeEventMedia(eventWithMedia(`${server.origin}/slow`), { ...options, settings: { ...options.settings, maxBytes: 10_000 } }, 600);

    // Assess
    expect(result).toMatchObject({ kind: 'failed', failure: { reason: 'timeout' } });
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:9/file'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['a private address', 'http://10.1.2.3/file'],
    ['a name that resolves to loopback', 'http://localhost:9/file'],
  ])('refuses a redirect to %s', async (_name, target) => {
    // Prepare
    server.routes.set('/redirect', (_request, response) => response.writeHead(302, { location: target }).end());

    // Act
    const result = await storeEventMedia(eventWithMedia(`${server.origin}/redirect`), options, 3_000);

    // Assess: refused on connect, not retried
    expect(result).toMatchObject({ kind: 'failed', failure: { reason: 'refused' }, attempts: 1 });
  });

  it('refuses a link to a name that resolves to loopback, and an http: link under the cloud policy', async () => {
    // Act
    const byName = await storeEventMedia(eventWithMedia(`http://localhost:${new URL(server.origin).port}/file.jpg`), options, 3_000);
    const plain = await storeEventMedia(eventWithMedia('http://media.example.com/file.jpg'), { ...options, policy: PUBLIC_HTTPS_ONLY }, 3_000);

    // Assess
    expect(byName).toMatchObject({ kind: 'failed', failure: { reason: 'refused' } });
    expect(plain).toMatchObject({ kind: 'failed', failure: { reason: 'refused', message: expect.stringContaining('https:') as string } });
  });

  it('follows at most 3 redirects, each checked again', async () => {
    // Prepare: /r0 → /r1 → /r2 → /r3 → /file ; /loop → /loop
    server.routes.set('/file', (_request, response) => response.writeHead(200).end(FILE));
    for (const hop of [0, 1, 2]) server.routes.set(`/r${String(hop)}`, (_request, response) => response.writeHead(301, { location: `/r${String(hop + 1)}` }).end());
    server.routes.set('/r3', (_request, response) => response.writeHead(307, { location: '/file' }).end());
    server.routes.set('/loop', (_request, response) => response.writeHead(302, { location: '/loop' }).end());

    // Act
    const three = await storeEventMedia(eventWithMedia(`${server.origin}/r1`), options, 3_000);
    const four = await storeEventMedia(eventWithMedia(`${server.origin}/r0`), options, 3_000);
    const loop = await storeEventMedia(eventWithMedia(`${server.origin}/loop`), options, 3_000);

    // Assess
    expect(three.kind).toBe('stored');
    expect([four, loop]).toMatchObject([{ failure: { reason: 'redirects' } }, { failure: { reason: 'redirects' } }]);
  });

  it("sends a provider's credentials from its secret to an allowed host only, never to where it redirects, and never onto the event", async () => {
    // Prepare: the allowed host redirects to another host (another port)
    other.routes.set('/file', (_request, response) => response.writeHead(200).end(FILE));
    server.routes.set('/signed', (_request, response) => response.writeHead(302, { location: `${other.origin}/file` }).end());
    const secret = 'api-key-from-the-secret';
    const withCredentials: MediaStoreOptions = {
      ...options,
      settings: { ...options.settings, allowHosts: { chatzuri: ['127.0.0.2'] } },
      credentials: () => Promise.resolve({ 'x-api-key': secret }),
    };

    // Act
    const result = await storeEventMedia(eventWithMedia(`${server.origin}/signed`), withCredentials, 3_000);

    // Assess
    expect(result.kind).toBe('stored');
    expect(server.requests.find((request) => request.path === '/signed')?.headers['x-api-key']).toBe(secret);
    expect(other.requests.find((request) => request.path === '/file')?.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('refuses a host outside the provider\'s allow-list', async () => {
    // Act
    const result = await storeEventMedia(eventWithMedia(`${server.origin}/file.jpg`), { ...options, settings: { ...options.settings, allowHosts: { chatzuri: ['media.example.com'] } } }, 3_000);
    // Assess
    expect(result).toMatchObject({ kind: 'failed', failure: { reason: 'refused' } });
  });

  it('has a default size limit of 100 MiB', () => {
    expect(MEDIA_DEFAULTS.maxBytes).toBe(100 * 1024 * 1024);
  });
});
