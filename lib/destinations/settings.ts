/**
 * The destinations' settings: where the worker delivers events besides the code handlers, one schema for the deploy
 * settings file (`destinations` in infra/config.ts) and for `npm start -- --destination`. The home of every default
 * and bound of a destination.
 */
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** A destination's name: its idempotency key, metric dimension and log key, so short and plain. */
const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** A provider or type glob: letters, digits, `.`, `-`, `_`, `:` and the wildcards `*` and `?`. */
const GLOB_PATTERN = /^[A-Za-z0-9.\-_:*?]{1,100}$/;
/** An EventBridge bus name or ARN (PutEvents takes either). */
const BUS_PATTERN = /^(?:[\w.\-/]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]{1,256})$/;

/** The defaults and bounds of a destination's settings. */
export const DESTINATION_DEFAULTS = {
  /** One request's time limit; within the worker's 20 s per handler run, with room for the rest of the batch. */
  timeoutMs: 10_000,
  maxTimeoutMs: 15_000,
  /** Requests to one destination in flight at once, per worker instance. */
  maxConcurrency: 10,
  /** Consecutive retryable failures that open the circuit. */
  circuitFailures: 5,
  /** How long an open circuit fails fast before one request tries the endpoint again. */
  circuitCoolDownSeconds: 30,
} as const;

const glob = z.string().regex(GLOB_PATTERN, { error: 'must be a glob of letters, digits, . - _ : and the wildcards * and ?' });

/** Which events a destination receives: all when a list is absent; an event must match one glob of each list given. */
const DestinationFilterSchema = z
  .object({
    providers: z.array(glob).min(1).optional().describe('Provider slugs (globs), for example ["qikchat"]; all providers when absent.'),
    types: z.array(glob).min(1).optional().describe('Event types (globs), for example ["message.*"]; all types when absent.'),
  })
  .strict();
export type DestinationFilter = z.infer<typeof DestinationFilterSchema>;

const cidr = z.string().refine((value) => ipaddr.isValidCIDR(value) || ipaddr.isValid(value), { error: 'must be an IP address or a CIDR range, for example 10.0.0.0/8' });

/** An absolute http: or https: URL with a host (a plain string in the JSON Schema: editors check no format). */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const name = z.string().regex(NAME_PATTERN, { error: 'must be 1 to 40 lower-case letters, digits and inner hyphens' }).describe('Unique name: metric dimension, log key and idempotency key.');

/** A POST of each event, signed the Standard Webhooks way, to an HTTPS endpoint. */
export const HttpsDestinationSchema = z
  .object({
    type: z.literal('https'),
    name,
    url: z
      .string()
      .refine(isHttpUrl, { error: 'must be an absolute http(s) URL' })
      .refine((value) => !/^https?:\/\/[^/]*@/.test(value), { error: 'must not hold credentials' })
      .describe('The endpoint; https in AWS (http only where a policy allows it, as the local runtime does).'),
    filter: DestinationFilterSchema.default({}),
    timeoutMs: z.number().int().min(1_000).max(DESTINATION_DEFAULTS.maxTimeoutMs).default(DESTINATION_DEFAULTS.timeoutMs).describe('Time limit of one request, in ms.'),
    maxConcurrency: z.number().int().min(1).max(100).default(DESTINATION_DEFAULTS.maxConcurrency).describe('Requests in flight at once per worker instance.'),
    circuitFailures: z.number().int().min(1).max(100).default(DESTINATION_DEFAULTS.circuitFailures).describe('Consecutive retryable failures that open the circuit breaker.'),
    circuitCoolDownSeconds: z.number().int().min(1).max(3_600).default(DESTINATION_DEFAULTS.circuitCoolDownSeconds).describe('Seconds an open circuit fails fast before one request tries again.'),
    allowAddresses: z.array(cidr).optional().describe('Private addresses or CIDR ranges this destination may reach (refused by default: loopback, link-local, private).'),
  })
  .strict();
export type HttpsDestination = z.infer<typeof HttpsDestinationSchema>;

/** `PutEvents` of each event to a named EventBridge bus (no order kept there). */
const EventBridgeDestinationSchema = z
  .object({
    type: z.literal('eventbridge'),
    name,
    busName: z.string().regex(BUS_PATTERN, { error: 'must be an event bus name or ARN' }).describe('The event bus name (or ARN) to put events on.'),
    filter: DestinationFilterSchema.default({}),
  })
  .strict();
export type EventBridgeDestination = z.infer<typeof EventBridgeDestinationSchema>;

export const DestinationSchema = z.discriminatedUnion('type', [HttpsDestinationSchema, EventBridgeDestinationSchema]);
export type DestinationSettings = z.infer<typeof DestinationSchema>;
/** What a user writes: defaults may be left out. */
export type DestinationInput = z.input<typeof DestinationSchema>;

export const DestinationsSchema = z.array(DestinationSchema).superRefine((destinations, context) => {
  const seen = new Set<string>();
  for (const [index, destination] of destinations.entries()) {
    if (seen.has(destination.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `destination name "${destination.name}" is used twice` });
    seen.add(destination.name);
  }
});

/** A glob as a regular expression: `*` any run of characters, `?` one. */
function globExpression(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** Whether a filter takes an event of `provider` and `type`. */
export function filterMatcher(filter: DestinationFilter): (event: { readonly provider: string; readonly type: string }) => boolean {
  const providers = filter.providers?.map(globExpression);
  const types = filter.types?.map(globExpression);
  return (event) => (providers?.some((expression) => expression.test(event.provider)) ?? true) && (types?.some((expression) => expression.test(event.type)) ?? true);
}
