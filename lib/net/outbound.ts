import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { GatewayError } from '../events/errors.js';

/**
 * Which addresses an outbound request (a destination, a media download) may reach. By default only `https:` to
 * public unicast addresses: loopback, link-local (169.254.0.0/16, the metadata and Lambda runtime addresses),
 * private, reserved and IPv4-mapped addresses are refused, checked on the address actually connected to.
 */
export interface OutboundPolicy {
  /** Allow plain `http:` (the local runtime's loopback endpoints); `https:` only when false. */
  readonly allowHttp: boolean;
  /** Addresses or CIDR ranges allowed although not public, for example `127.0.0.0/8` and `::1` locally. */
  readonly allowAddresses: readonly string[];
  /** When set, the only host names (exact, lower case) a request may go to. */
  readonly allowHosts?: readonly string[] | undefined;
}

/** The cloud's policy: https to public addresses only. */
export const PUBLIC_HTTPS_ONLY: OutboundPolicy = { allowHttp: false, allowAddresses: [] };

/** The local runtime's policy: loopback allowed (its receivers and media server run there), nothing else private. */
export const LOOPBACK_ALLOWED: OutboundPolicy = { allowHttp: true, allowAddresses: ['127.0.0.0/8', '::1'] };

type OutboundRefusal = 'scheme' | 'host' | 'address' | 'credentials';

/** A request the policy refuses, before or while connecting: never retried, the address will not change its nature. */
export class OutboundRefusedError extends GatewayError<`outbound_${OutboundRefusal}`> {
  override readonly name: string = 'OutboundRefusedError';

  constructor(refusal: OutboundRefusal, message: string, options?: ErrorOptions) {
    super(`outbound_${refusal}`, message, options);
  }
}

/** The request could not be completed (connection refused or reset, DNS, time limit): worth retrying. */
export class OutboundFailedError extends GatewayError<'outbound_failed' | 'outbound_timeout'> {
  override readonly name: string = 'OutboundFailedError';
}

export interface OutboundRequest {
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Aborts the request; its reason becomes the error's cause. */
  readonly signal?: AbortSignal;
  /** No answer's headers within this many ms: the request fails as `outbound_timeout`. */
  readonly timeoutMs: number;
}

export interface OutboundResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body as a stream: read it (or `resume()` it) so the socket is freed. */
  readonly body: IncomingMessage;
}

/** An answer the server may give differently later (408, 429, 5xx): worth a retry, unlike the other 4xx. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Checks a URL against the policy before any connection: scheme, credentials in the URL, the host allow-list (addresses are checked by the agent, on connect). */
function checkOutboundUrl(url: URL, policy: OutboundPolicy): void {
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw new OutboundRefusedError('scheme', `Only ${policy.allowHttp ? 'http: and https:' : 'https:'} URLs are allowed, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') throw new OutboundRefusedError('credentials', 'URLs with credentials in them are refused');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowHosts && !policy.allowHosts.includes(host)) {
    throw new OutboundRefusedError('host', `The host ${host} is not in the allowed hosts (${policy.allowHosts.join(', ')})`);
  }
}

const agents = new Map<string, RequestFilteringHttpAgent | RequestFilteringHttpsAgent>();

/** One keep-alive agent per scheme and policy, so connections to a destination are reused across events. */
function agentFor(url: URL, policy: OutboundPolicy): RequestFilteringHttpAgent | RequestFilteringHttpsAgent {
  const key = `${url.protocol}${policy.allowAddresses.join(',')}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, allowPrivateIPAddress: false, allowMetaIPAddress: false, allowIPAddressList: [...policy.allowAddresses] };
    agent = url.protocol === 'https:' ? new RequestFilteringHttpsAgent(options) : new RequestFilteringHttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** The agent's refusal message, as request-filtering-agent words it. */
const REFUSED_ADDRESS = /is not allowed\. Because/;

/**
 * One HTTP request under the policy, following no redirect (a 3xx is returned as it is: a caller that follows
 * one calls again with the new URL, which is checked again). Resolves once the answer's headers are in.
 */
export async function outboundRequest(url: URL, init: OutboundRequest, policy: OutboundPolicy): Promise<OutboundResponse> {
  checkOutboundUrl(url, policy);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return await new Promise<OutboundResponse>((resolve, reject) => {
    const request = send(url, { method: init.method, headers: init.headers, agent: agentFor(url, policy), signal: init.signal }, (response) => {
      clearTimeout(timer);
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
    });
    const timer = setTimeout(() => {
      request.destroy(new OutboundFailedError('outbound_timeout', `No answer from ${url.host} within ${String(init.timeoutMs)} ms`));
    }, init.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      if (error instanceof OutboundFailedError) reject(error);
      else if (REFUSED_ADDRESS.test(error.message)) reject(new OutboundRefusedError('address', `${url.host}: ${error.message}`, { cause: error }));
      else reject(new OutboundFailedError('outbound_failed', `The request to ${url.host} failed: ${error.message}`, { cause: error }));
    });
    request.end(init.body);
  });
}
