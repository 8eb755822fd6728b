/**
 * `npm run redrive`: moves the dead-lettered events back to the main queue and says how many.
 *
 *   npm run redrive                                  the local runtime (npm start) at http://127.0.0.1:$PORT
 *   npm run redrive -- --url http://127.0.0.1:3000   the local runtime at that address
 *   npm run redrive -- --sqs-endpoint <url>          the local queues on that SQS endpoint (default: $SQS_ENDPOINT)
 *   npm run redrive -- --dlq-url <url>               AWS: the stack output DeadLetterQueueUrl (or --dlq-arn <arn>);
 *                                                    --queue-url / --queue-arn to choose the destination
 *
 * Locally the messages are copied (fauxqs has no message move tasks); in AWS an SQS message move task
 * moves them, and this waits until it has finished.
 */
import { parseCommandLine } from './arguments.js';
import { localUrl } from '../local/settings.js';
import { redriveByCopy, RedriveError, redriveWithMoveTask, type RedriveReport } from '../redrive/redrive.js';
import { resolveRedriveTarget } from '../redrive/target.js';
import { localQueueTopology } from '../../lib/queue/topology.js';

const USAGE = [
  'Usage: npm run redrive -- [--url <local runtime>] [--sqs-endpoint <url>] [--local]',
  '       npm run redrive -- --dlq-url <DeadLetterQueueUrl> | --dlq-arn <arn> [--queue-url <url> | --queue-arn <arn>]',
  '',
].join('\n');
const { values } = parseCommandLine('npm run redrive', {
  options: {
    'dlq-arn': { type: 'string' },
    'dlq-url': { type: 'string' },
    'queue-arn': { type: 'string' },
    'queue-url': { type: 'string' },
    url: { type: 'string' },
    'sqs-endpoint': { type: 'string' },
    local: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
}, USAGE);

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  const target = await resolveRedriveTarget(
    {
      // --local: never AWS, even when a DLQ is named.
      dlqArn: values.local ? undefined : values['dlq-arn'],
      dlqUrl: values.local ? undefined : values['dlq-url'],
      queueArn: values['queue-arn'],
      queueUrl: values['queue-url'],
      url: values.url,
      sqsEndpoint: values['sqs-endpoint'] ?? (values.url ? undefined : process.env.SQS_ENDPOINT || undefined),
    },
    localQueueTopology,
    localUrl(),
  );
  let report: RedriveReport;
  if (target.kind === 'aws') {
    process.stdout.write(`Starting an SQS message move task from ${target.deadLetterQueueArn} to ${target.destinationArn ?? 'the source queue'}\n`);
    report = await redriveWithMoveTask({
      sqs: target.sqs,
      deadLetterQueueArn: target.deadLetterQueueArn,
      ...(target.destinationArn ? { destinationArn: target.destinationArn } : {}),
      onProgress: (moved, toMove) => process.stdout.write(`  moved ${moved}${toMove !== undefined ? ` of ${toMove}` : ''}\n`),
    });
  } else {
    process.stdout.write(`Redriving the local DLQ (${target.where})\n`);
    report = await redriveByCopy({ sqs: target.sqs, deadLetterQueueUrl: target.deadLetterQueueUrl, queueUrl: target.queueUrl });
  }
  target.sqs.destroy();
  const word = report.moved === 1 ? 'message' : 'messages';
  process.stdout.write(`Redriven: ${report.moved} ${word} moved back to the main queue${report.status ? ` (task ${report.status})` : ''}\n`);
  if (report.failureReason) process.stderr.write(`The move task failed: ${report.failureReason}\n`);
  process.exit(report.status === undefined || report.status === 'COMPLETED' ? 0 : 1);
} catch (error) {
  const moved = error instanceof RedriveError ? ` (${error.moved} moved before it stopped)` : '';
  process.stderr.write(`Redrive failed${moved}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
