/**
 * `npm run replay`: enqueues archived events again, as new events (`replayof`, `replayedat`), in their order per
 * conversation. See the README, "Archive and replay".
 *
 *   npm run replay -- --conversation 6281234567890            the local runtime (npm start) at http://127.0.0.1:$PORT
 *   npm run replay -- --from 2026-11-29T10:00Z --to 2026-11-29T12:00Z --provider qikchat --dry-run
 *   npm run replay -- --bucket <ArchiveBucketName> --queue-url <QueueUrl> --type message.received   AWS
 */
import { parseArgs } from 'node:util';
import { localPort } from '../local/settings.js';
import { ArchiveQueryError, archiveQueryFromParameters } from '../replay/read-archive.js';
import { replayArchive, ReplayError } from '../replay/replay.js';
import { resolveReplayTarget } from '../replay/target.js';
import { queueTopology } from '../../lib/queue/topology.js';

const USAGE =
  'Usage: npm run replay -- [--from ISO] [--to ISO] [--provider slug] [--type type] [--conversation id] [--id event-id] [--dry-run] [--renormalise] [--url URL | --bucket NAME --queue-url URL]';

let values;
try {
  ({ values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      provider: { type: 'string' },
      type: { type: 'string' },
      conversation: { type: 'string' },
      id: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      renormalise: { type: 'boolean', default: false },
      url: { type: 'string' },
      bucket: { type: 'string' },
      'queue-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (Boolean(values.bucket) !== Boolean(values['queue-url'])) {
  process.stderr.write(`--bucket and --queue-url go together (AWS: the stack outputs ArchiveBucketName and QueueUrl)\n${USAGE}\n`);
  process.exit(2);
}

try {
  const parameters = new URLSearchParams();
  for (const name of ['from', 'to', 'provider', 'type', 'conversation', 'id'] as const) {
    const value = values[name];
    if (value !== undefined) parameters.set(name, value);
  }
  // Every selected event: the listing's limit is for pages, not for a replay.
  const query = { ...archiveQueryFromParameters(parameters), limit: undefined };
  const target = await resolveReplayTarget({ bucket: values.bucket, queueUrl: values['queue-url'], url: values.url ?? `http://127.0.0.1:${localPort()}` });
  const dryRun = values['dry-run'];
  process.stdout.write(`${dryRun ? 'Dry run: nothing is sent. ' : ''}Replaying from ${target.where}\n`);
  let lastProgress = Date.now();
  const report = await replayArchive({
    archive: { s3: target.s3, bucket: target.bucket },
    query,
    queue: dryRun ? undefined : { sqs: target.sqs, queueUrl: target.queueUrl, maximumMessageSizeBytes: queueTopology.maximumMessageSizeBytes },
    renormalise: values.renormalise,
    onProgress: (done, total) => {
      // A line every 2 seconds on long runs; short ones only get the summary.
      if (Date.now() - lastProgress < 2_000) return;
      lastProgress = Date.now();
      process.stdout.write(`  ${done} of ${total}\n`);
    },
  });
  target.s3.destroy();
  target.sqs.destroy();
  for (const skip of report.skips.filter((entry) => entry.reason !== 'dry run')) process.stdout.write(`  skipped ${skip.id}: ${skip.reason}\n`);
  const duplicates = report.duplicates > 0 ? ` (${report.duplicates} repeated archive lines left out)` : '';
  if (report.unreadable > 0) process.stdout.write(`  ${report.unreadable} archive lines were not readable as events and were left out\n`);
  process.stdout.write(`Replay: selected ${report.selected}${duplicates}, sent ${report.sent}, skipped ${report.skipped}${dryRun ? ' (dry run)' : ''}\n`);
} catch (error) {
  if (error instanceof ArchiveQueryError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const sent = error instanceof ReplayError ? ` (${error.sent} sent before it stopped)` : '';
  process.stderr.write(`Replay failed${sent}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
