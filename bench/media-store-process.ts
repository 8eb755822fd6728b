/**
 * Stores one media link into S3 in a process of its own, and prints what it came to with the process's memory: its
 * baseline before and its peak during the transfer, so a caller measures the memory of the download alone, not of the
 * S3 server or the file's source. Run with `NODE_OPTIONS=--expose-gc`, each sample (every 100 ms) follows a full
 * collection: the peak is then what the transfer holds, not garbage V8 has not collected yet.
 *
 * Usage: tsx bench/media-store-process.ts <s3 endpoint> <bucket> <url> <max bytes> <time limit ms>
 */
import { createS3Client } from '../lib/archive/s3-client.js';
import type { WebhookEvent } from '../lib/events/schema.js';
import { storeEventMedia } from '../lib/media/event-media.js';
import { LOOPBACK_ALLOWED } from '../lib/net/outbound.js';

export interface MediaStoreProcessReport {
  readonly kind: string;
  readonly key: string | undefined;
  readonly size: number | undefined;
  readonly sha256: string | undefined;
  readonly failure: string | undefined;
  readonly ms: number;
  /** Bytes: rss, heapUsed and arrayBuffers (Buffers live there) before, and their peaks during the transfer. */
  readonly baseline: { rss: number; heapUsed: number; arrayBuffers: number };
  readonly peak: { rss: number; heapUsed: number; arrayBuffers: number };
}

const [endpoint, bucket, url, maxBytes, limitMs] = process.argv.slice(2);
const s3 = createS3Client({ endpoint });
const event: WebhookEvent = {
  specversion: '1.0',
  id: `big-${String(Date.now())}-${String(Math.random()).slice(2)}`,
  source: '/webhooks/qikchat',
  type: 'message.received',
  time: '2026-12-07T00:00:00.000Z',
  datacontenttype: 'application/json',
  provider: 'qikchat',
  data: {
    conversationId: 'c',
    channel: 'whatsapp',
    raw: {},
    sender: { id: null, name: null, email: null, phone: null, role: null },
    message: { id: 'm', type: 'video', text: null, media: { id: 'v', url: url ?? '', mimeType: 'video/mp4', fileName: null, caption: null, sha256: null } },
  },
};

const sample = () => {
  global.gc?.();
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, arrayBuffers };
};
const baseline = sample();
const peak = { ...baseline };
const timer = setInterval(() => {
  const now = sample();
  peak.rss = Math.max(peak.rss, now.rss);
  peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
  peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
}, global.gc ? 100 : 20);
const started = performance.now();
const result = await storeEventMedia(event, { s3, bucket: bucket ?? '', policy: LOOPBACK_ALLOWED, settings: { maxBytes: Number(maxBytes), timeLimitMs: Number(limitMs), allowHosts: {} } }, Number(limitMs));
const ms = performance.now() - started;
clearInterval(timer);
const report: MediaStoreProcessReport = {
  kind: result.kind,
  key: result.kind === 'stored' ? result.stored.key : undefined,
  size: result.kind === 'stored' ? result.stored.size : undefined,
  sha256: result.kind === 'stored' ? result.stored.sha256 : undefined,
  failure: result.kind === 'failed' ? `${result.failure.reason}: ${result.failure.message}` : undefined,
  ms,
  baseline,
  peak,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
s3.destroy();
process.exit(0);
