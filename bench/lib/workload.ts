/**
 * What the benchmarks send: each provider's own default sample, given a unique event id (so the FIFO queue
 * deduplicates nothing by accident) and, where asked, padded to a body size, signed both for the receiver
 * (the provider's signer in `dev/providers.ts`) and for the bare baseline (hex HMAC-SHA256 in {@link BASELINE_SIGNATURE_HEADER}).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { signDelivery } from '../../dev/providers.js';
import { BASELINE_SIGNATURE_HEADER } from '../baseline/signature.js';
import { defaultSample, listSamples, readSample } from '../../dev/local/samples.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { serialiseEvent } from '../../lib/queue/enqueue.js';

/** One signed delivery, ready to send to a receiver and (the same bytes) to the baseline. */
export interface BenchDelivery {
  readonly slug: string;
  readonly body: Buffer;
  /** Headers as the provider sends them, signed with the receiver's secret. */
  readonly headers: Readonly<Record<string, string>>;
  /** The same body signed for the baseline. */
  readonly baselineHeaders: Readonly<Record<string, string>>;
  /** The event id the gateway makes of it: what the worker reports once it processed it. */
  readonly eventId: string;
  /** Bytes of the queue message the receiver sends: the serialised event. */
  readonly eventBytes: number;
}

/** A provider's default sample, parsed. */
async function defaultPayload(slug: string): Promise<Record<string, unknown>> {
  const name = defaultSample(await listSamples(slug));
  if (!name) throw new Error(`bench: ${slug} has no samples`);
  return JSON.parse((await readSample(slug, name)).toString('utf8')) as Record<string, unknown>;
}

function objectAt(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : undefined;
}

/**
 * Makes delivery `sequence` of conversation `conversation` out of a provider's sample: a new message id and
 * conversation where the provider has them, a new text everywhere (providers without their own id get the
 * body's hash as the event id). Unknown providers get a top-level `bench_sequence` field only.
 */
export function uniquePayload(slug: string, sample: Record<string, unknown>, run: string, sequence: number, conversation: number): Record<string, unknown> {
  const payload = structuredClone(sample);
  const text = `bench ${run} message ${sequence}`;
  switch (slug) {
    case 'qikchat': {
      const inner = objectAt(payload, 'payload');
      const message = objectAt(payload, 'payload', 'message');
      if (inner) inner.id = `bench-${run}-${sequence}`;
      if (message) message.from = String(628_100_000_000 + conversation);
      const body = objectAt(payload, 'payload', 'message', 'text');
      if (body) body.body = text;
      break;
    }
    case 'chatzuri': {
      const inner = objectAt(payload, 'payload');
      if (inner) {
        inner.conversationId = `bench-${run}-${conversation}`;
        inner.message = text;
      }
      break;
    }
    case 'qiscus-omnichannel':
    case 'qiscus-sdk': {
      const room = objectAt(payload, 'payload', 'room');
      const message = objectAt(payload, 'payload', 'message');
      if (room) room.id = 1_000_000 + conversation;
      if (message) message.text = text;
      break;
    }
    default:
      payload.bench_sequence = `${run}-${sequence}`;
  }
  return payload;
}

/** Serialised `payload` padded with a `padding` array of filler strings to exactly `bytes` bytes (when it is smaller). */
export function padToBytes(payload: Record<string, unknown>, bytes: number): Buffer {
  const plain = Buffer.from(JSON.stringify(payload));
  if (plain.length >= bytes) return plain;
  // `,"padding":[` + items + `]` inside the top-level object: realistic JSON tokens rather than one long string.
  const item = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do';
  const fixed = Buffer.byteLength(JSON.stringify({ ...payload, padding: [] }));
  let room = bytes - fixed;
  const items: string[] = [];
  // The first item costs its length + 2 (quotes), every other + 3 (comma and quotes).
  while (room >= item.length + 3) {
    items.push(item);
    room -= item.length + (items.length === 1 ? 2 : 3);
  }
  if (items.length === 0 && room >= 2) items.push('x'.repeat(room - 2));
  else if (room >= 3) items.push('x'.repeat(room - 3));
  else if (items.length > 0) items[items.length - 1] = `${items[items.length - 1] ?? ''}${'x'.repeat(room)}`;
  const padded = Buffer.from(JSON.stringify({ ...payload, padding: items }));
  if (padded.length !== bytes) throw new Error(`bench: padded body is ${padded.length} bytes, not ${bytes}`);
  return padded;
}

/** The headers the baseline checks: hex HMAC-SHA256 of the raw body. */
function baselineSignature(body: Uint8Array, secret: string): Record<string, string> {
  return { [BASELINE_SIGNATURE_HEADER]: createHmac('sha256', secret).update(body).digest('hex') };
}

export interface WorkloadSecrets {
  /** The receiver's secret per provider slug. */
  readonly receiver: (provider: ProviderDefinition) => string;
  readonly baseline: string;
}

/**
 * Signs a body for both sides and works out the event the gateway will make of it. Throws when the gateway
 * would not recognise it: a benchmark of the fallback path would measure the wrong thing.
 */
function benchDelivery(provider: ProviderDefinition, body: Buffer, secrets: WorkloadSecrets): BenchDelivery {
  const headers = { 'content-type': 'application/json', ...signDelivery(provider, body, secrets.receiver(provider)) };
  const event = normaliseDelivery(provider, { rawBody: body, headers, receivedAt: new Date() });
  if (event.type === 'event.unrecognized') throw new Error(`bench: the ${provider.slug} workload is not recognised by the gateway`);
  return {
    slug: provider.slug,
    body,
    headers,
    baselineHeaders: { 'content-type': 'application/json', ...baselineSignature(body, secrets.baseline) },
    eventId: event.id,
    eventBytes: Buffer.byteLength(serialiseEvent(event)),
  };
}

/**
 * Deliveries of one provider with unique event ids, each of `bytes` bytes when given (else the sample's
 * size), spread over `conversations` conversations.
 */
export async function providerDeliveries(
  provider: ProviderDefinition,
  options: { readonly count: number; readonly run: string; readonly secrets: WorkloadSecrets; readonly bytes?: number; readonly conversations?: number; readonly offset?: number },
): Promise<BenchDelivery[]> {
  const sample = await defaultPayload(provider.slug);
  const deliveries: BenchDelivery[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < options.count; i++) {
    const sequence = (options.offset ?? 0) + i;
    const payload = uniquePayload(provider.slug, sample, options.run, sequence, sequence % (options.conversations ?? 1_000));
    const body = options.bytes === undefined ? Buffer.from(JSON.stringify(payload)) : padToBytes(payload, options.bytes);
    const delivery = benchDelivery(provider, body, options.secrets);
    if (seen.has(delivery.eventId)) throw new Error(`bench: ${provider.slug} workload repeats event id ${delivery.eventId}`);
    seen.add(delivery.eventId);
    deliveries.push(delivery);
  }
  return deliveries;
}

/**
 * The largest body of this provider's workload whose event still fits in a queue message of `limitBytes`,
 * less `headroomBytes` (the message attributes and safety): the queue limit counts the whole event, which
 * carries the body as `raw` plus the envelope and the normalised fields.
 */
export async function largestAcceptedBody(provider: ProviderDefinition, limitBytes: number, secrets: WorkloadSecrets, headroomBytes = 1_024): Promise<number> {
  const sample = await defaultPayload(provider.slug);
  const probe = (bytes: number) => benchDelivery(provider, padToBytes(uniquePayload(provider.slug, sample, 'size', 0, 0), bytes), secrets);
  const small = probe(4_096);
  // The event grows byte for byte with the padding (compact JSON is re-serialised as it came).
  const overhead = small.eventBytes - small.body.length;
  const bytes = limitBytes - headroomBytes - overhead;
  const check = probe(bytes);
  if (check.eventBytes > limitBytes - headroomBytes) throw new Error(`bench: a ${bytes}-byte ${provider.slug} body makes a ${check.eventBytes}-byte event`);
  return bytes;
}

/** API Gateway's headers around a delivery: what a receiver in AWS sees besides the provider's own. */
function gatewayHeaders(body: Buffer, headers: Readonly<Record<string, string>>): Record<string, string> {
  const lowered = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    accept: '*/*',
    'content-length': String(body.length),
    host: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'bench/1.0',
    'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000',
    'x-forwarded-for': '203.0.113.10',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...lowered,
  };
}

/** The API Gateway HTTP API (payload 2.0) event of a JSON POST to `/webhooks/<slug>`. */
export function httpApiEvent(slug: string, body: Buffer, headers: Readonly<Record<string, string>>): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `POST /webhooks/${slug}`,
    rawPath: `/webhooks/${slug}`,
    rawQueryString: '',
    headers: gatewayHeaders(body, headers),
    requestContext: {
      accountId: '000000000000',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: { method: 'POST', path: `/webhooks/${slug}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'bench/1.0' },
      requestId: randomUUID(),
      routeKey: `POST /webhooks/${slug}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  };
}

/** A fresh Lambda context per invocation, as Lambda gives one (5 s left, as the receivers' timeout). */
export function lambdaContext(functionName: string): Context {
  return localLambdaContext(functionName, 5_000);
}
