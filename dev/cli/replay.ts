/**
 * `npm run replay`: enqueues archived events again, as new events (`replayof`, `replayedat`), in their order per
 * conversation. See the README, "Archive and replay".
 *
 *   npm run replay -- --conversation 6281234567890            the local runtime (npm start) at http://127.0.0.1:$PORT
 *   npm run replay -- --from 2026-11-29T10:00Z --to 2026-11-29T12:00Z --provider qikchat --dry-run
 *   npm run replay -- --bucket <ArchiveBucketName> --queue-url <QueueUrl> --type message.received   AWS
 *   npm run replay -- --all --dry-run                         the whole archive: only with --all, never by default
 */
import { localPort } from '../local/settings.js';
import { ArchiveQueryError } from '../replay/read-archive.js';
import { replayArchive, ReplayError } from '../replay/replay.js';
import { replayQuery, ReplaySelectionError } from '../replay/selection.js';
import { resolveReplayTarget } from '../replay/target.js';
import { queueTopology } from '../../lib/queue/topology.js';
import { parseCommandLine, usageError } from './arguments.js';

const COMMAND = 'npm run replay';
const USAGE = [
  'Usage: npm run replay -- <selectors> | --all  [--dry-run] [--renormalise] [--url URL | --bucket NAME --queue-url URL]',
  '  selectors (they combine): --conversation id, --id event-id, --provider slug, --type type, --from ISO, --to ISO',
  '  --all: the whole archive; --dry-run: say what a real run would send, and send nothing',
].join('\n');
// The first ids a dry run names; the count says the rest.
const DRY_RUN_SHOWN = 10;

const { values } = parseCommandLine(
  COMMAND,
  {
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      provider: { type: 'string' },
      type: { type: 'string' },
      conversation: { type: 'string' },
      id: { type: 'string' },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      renormalise: { type: 'boolean', default: false },
      url: { type: 'string' },
      bucket: { type: 'string' },
      'queue-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  },
  USAGE,
);
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (Boolean(values.bucket) !== Boolean(values['queue-url'])) usageError(COMMAND, '--bucket and --queue-url go together (AWS: the stack outputs ArchiveBucketName and QueueUrl)', USAGE);

try {
  const query = replayQuery(values, values.all);
  const target = await resolveReplayTarget({ bucket: values.bucket, queueUrl: values['queue-url'], url: values.url ?? `http://127.0.0.1:${localPort()}` });
  const dryRun = values['dry-run'];
  process.stdout.write(`${dryRun ? 'Dry run: nothing is sent. ' : ''}Replaying from ${target.where}\n`);
  let lastProgress = Date.now();
  const report = await replayArchive({
    archive: { s3: target.s3, bucket: target.bucket },
    query,
    // In a dry run the queue is only asked nothing: its size limit tells what a real run would skip.
    queue: { sqs: target.sqs, queueUrl: target.queueUrl, maximumMessageSizeBytes: queueTopology.maximumMessageSizeBytes },
    dryRun,
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
  for (const skip of report.skips) process.stdout.write(`  ${dryRun ? 'would skip' : 'skipped'} ${skip.id}: ${skip.reason}\n`);
  const duplicates = report.duplicates > 0 ? ` (${report.duplicates} repeated archive lines left out)` : '';
  if (report.unreadable > 0) process.stdout.write(`  ${report.unreadable} archive lines were not readable as events and were left out\n`);
  if (dryRun) {
    const { wouldSend } = report;
    if (wouldSend.length > 0) {
      process.stdout.write(`A real run would send ${wouldSend.length} event${wouldSend.length === 1 ? '' : 's'} again, as new events, in this order${wouldSend.length > DRY_RUN_SHOWN ? ` (the first ${DRY_RUN_SHOWN})` : ''}:\n`);
      for (const id of wouldSend.slice(0, DRY_RUN_SHOWN)) process.stdout.write(`  ${id}\n`);
      if (wouldSend.length > DRY_RUN_SHOWN) process.stdout.write(`  … and ${wouldSend.length - DRY_RUN_SHOWN} more\n`);
    }
    process.stdout.write(`Replay (dry run): selected ${report.selected}${duplicates}, would send ${wouldSend.length}, would skip ${report.skipped}\n`);
  } else {
    process.stdout.write(`Replay: selected ${report.selected}${duplicates}, sent ${report.sent}, skipped ${report.skipped}\n`);
  }
} catch (error) {
  if (error instanceof ArchiveQueryError || error instanceof ReplaySelectionError) usageError(COMMAND, error.message, USAGE);
  const sent = error instanceof ReplayError ? ` (${error.sent} sent before it stopped)` : '';
  process.stderr.write(`Replay failed${sent}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
