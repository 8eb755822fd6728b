/**
 * `npx tsx bench/media.ts [MiB ...]`: how fast, and in how much memory, a media file goes from a loopback HTTP server
 * into the embedded S3 server (fauxqs) through `storeEventMedia`. The download runs in a process of its own
 * (bench/media-store-process.ts), so its memory is measured alone. Results go to BENCHMARKS.md › Media by hand.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedS3 } from '../dev/fakes/archive-bucket.js';
import { sendGeneratedFile } from '../dev/fakes/generated-file.js';
import type { MediaStoreProcessReport } from './media-store-process.js';

const execute = promisify(execFile);
const MiB = 1024 * 1024;
const sizes = process.argv.slice(2).map(Number);

const s3 = await startEmbeddedS3();
const server = createServer((request, response) => {
  sendGeneratedFile(response, Number(request.url?.slice(1)) * MiB, 'video/mp4');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

/** One store of `mib` MiB in its own process; with `gc`, each memory sample follows a full collection (slower). */
async function store(mib: number, gc: boolean): Promise<MediaStoreProcessReport> {
  const url = `http://127.0.0.1:${String(port)}/${String(mib)}`;
  const { stdout } = await execute(tsx, ['bench/media-store-process.ts', s3.endpoint, s3.bucket, url, String(mib * MiB + 1), '600000'], {
    timeout: 600_000,
    env: { ...process.env, NODE_OPTIONS: gc ? '--expose-gc' : '' },
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as MediaStoreProcessReport;
  if (report.kind !== 'stored') throw new Error(`${String(mib)} MiB: ${report.failure ?? report.kind}`);
  return report;
}

process.stdout.write('| File | Time | Throughput | RSS growth (live) | heap + buffers growth (live) |\n| --- | --- | --- | --- | --- |\n');
for (const mib of sizes.length > 0 ? sizes : [10, 50, 100, 200]) {
  const timed = await store(mib, false);
  const measured = await store(mib, true);
  const rss = (measured.peak.rss - measured.baseline.rss) / MiB;
  const buffers = (measured.peak.heapUsed - measured.baseline.heapUsed + measured.peak.arrayBuffers - measured.baseline.arrayBuffers) / MiB;
  process.stdout.write(`| ${String(mib)} MiB | ${(timed.ms / 1000).toFixed(1)} s | ${(mib / (timed.ms / 1000)).toFixed(1)} MiB/s | ${rss.toFixed(0)} MiB | ${buffers.toFixed(0)} MiB |\n`);
}
server.close();
await s3.stop();
