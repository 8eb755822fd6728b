import { startEmbeddedSqs } from '../dev/fakes/embedded-sqs.js';
import { createReceiverHandler } from '../lib/receiver/handler.js';
import { createJsonLineLogger } from '../lib/observability/json-logger.js';
import { createEmfMetrics } from '../lib/observability/emf.js';
import { createSqsClient } from '../lib/queue/sqs-client.js';
import { providers } from '../lib/providers/registry.js';
import { queueTopology } from '../lib/queue/topology.js';
import { providerDeliveries, httpApiEvent, lambdaContext } from './lib/workload.js';
const slug = process.argv[2] ?? 'qiscus-omnichannel';
const provider = providers.find((p) => p.slug === slug)!;
const sqsServer = await startEmbeddedSqs();
const url = sqsServer.queues.queueUrl;
const secret = 'x'.repeat(32);
const out = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as never; process.stderr.write = (() => true) as never;
const handler = createReceiverHandler({ provider, logger: createJsonLineLogger(), metrics: createEmfMetrics({ provider: slug }),
  secrets: { getSecrets: async () => ({ secrets: [secret] }) },
  queue: { sqs: createSqsClient({ endpoint: sqsServer.fauxqs.address }), queueUrl: url, maximumMessageSizeBytes: queueTopology.maximumMessageSizeBytes },
  verification: 'enforced' });
const ds = await providerDeliveries(provider, { count: 4000, run: 'p', secrets: { receiver: () => secret, baseline: secret } });
const ctx = lambdaContext('f');
for (const d of ds) { const r = await handler(httpApiEvent(slug, d.body, d.headers), ctx); if (r.statusCode !== 200) { out(JSON.stringify(r)); process.exit(1);} }
await sqsServer.stop();
