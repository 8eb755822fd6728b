import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { generatedFileSha256, sendGeneratedFile } from '../../dev/fakes/generated-file.js';
import { startTestMediaServer, type TestMediaServer } from './media-server.js';

const execute = promisify(execFile);

/** What bench/media-store-process.ts prints (JSON on its last line): run as a process, not imported. */
interface StoreReport {
  readonly kind: string;
  readonly key: string | undefined;
  readonly size: number | undefined;
  readonly sha256: string | undefined;
  readonly failure: string | undefined;
  readonly baseline: { rss: number; heapUsed: number; arrayBuffers: number };
  readonly peak: { rss: number; heapUsed: number; arrayBuffers: number };
}
const MiB = 1024 * 1024;
const SIZE = 200 * MiB;

describe('a big file is streamed into S3 with bounded memory', () => {
  let s3: EmbeddedS3;
  let server: TestMediaServer;

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    server = await startTestMediaServer();
    // 200 MiB generated as it is sent, with back-pressure, never held whole.
    server.routes.set('/big.mp4', (_request, response) => {
      sendGeneratedFile(response, SIZE, 'video/mp4');
    });
  });
  afterAll(async () => {
    await server.stop();
    await s3.stop();
  });

  it('stores 200 MiB whole, its digest right, while the downloading process holds less than a quarter of the file', async () => {
    // Prepare: the digest of what the server sends
    const expected = generatedFileSha256(SIZE);

    // Act: the download in a process of its own, so that its memory is measured alone
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const { stdout } = await execute(tsx, ['bench/media-store-process.ts', s3.endpoint, s3.bucket, `${server.origin}/big.mp4`, String(SIZE), '120000'], {
      timeout: 180_000,
      // Each memory sample follows a full collection: what the transfer holds, not garbage not yet collected.
      env: { ...process.env, NODE_OPTIONS: '--expose-gc' },
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as StoreReport;

    // Assess: whole and right in S3
    expect(report.failure).toBeUndefined();
    expect(report).toMatchObject({ kind: 'stored', size: SIZE, sha256: expected });
    const object = await s3.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: report.key }));
    const stored = createHash('sha256');
    let storedBytes = 0;
    for await (const chunk of object.Body as AsyncIterable<Buffer>) {
      stored.update(chunk);
      storedBytes += chunk.length;
    }
    expect([storedBytes, stored.digest('hex')]).toEqual([SIZE, expected]);
    // Memory: the transfer holds a few 5 MiB parts, never the file (measured: 20 to 33 MiB for 10 to 200 MiB files,
    // BENCHMARKS.md › Media; up to 48 MiB while other tests load the machine, the S3 server answering slower)
    const growth = {
      rss: report.peak.rss - report.baseline.rss,
      buffers: report.peak.heapUsed - report.baseline.heapUsed + (report.peak.arrayBuffers - report.baseline.arrayBuffers),
    };
    console.log(`200 MiB stored; growth: rss ${(growth.rss / MiB).toFixed(1)} MiB, heap + buffers ${(growth.buffers / MiB).toFixed(1)} MiB`);
    expect(growth.buffers).toBeLessThan(SIZE / 4);
    expect(growth.rss).toBeLessThan(SIZE / 3);
  }, 240_000);
});
