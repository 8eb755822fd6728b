import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const TEXT_CONTENT_TYPE = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|application\/[\w.+-]+\+(json|xml))/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// API Gateway's requestContext.time format: 21/Nov/2026:13:05:00 +0000
function apiGatewayTime(date: Date): string {
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The request target as a URL, for its query string. An origin-form target is a path even when it starts with
 * `//` (which `new URL(target, base)` would read as a host, and throw on `//%2F`); a target that is no URL at
 * all reads as `/`, which routes nowhere.
 */
function requestUrl(target: string | undefined): URL {
  try {
    return target?.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target ?? '/', 'http://localhost');
  } catch {
    return new URL('http://localhost/');
  }
}

// A `.` or `..` segment, written plainly or percent-encoded (`%2e%2E`, `.%2e`).
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * The path of a request target exactly as sent, or undefined when it routes nowhere, as at API Gateway:
 * a target that is not a path (absolute-form `http://host/...`, `*`), or a path with a backslash or a dot
 * segment, encoded or not. Nothing is normalised, so no path reaches a receiver other than the one it names.
 *
 * @example requestPath('/webhooks/qikchat?x=1') // '/webhooks/qikchat'
 * @example requestPath('/webhooks/x/%2e%2e/qikchat') // undefined
 */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  const [path = ''] = target.split('?', 1);
  if (path.includes('\\') || path.split('/').some((segment) => DOT_SEGMENT.test(segment))) return undefined;
  return path;
}

export interface RouteMatch {
  /** API Gateway's route key, e.g. `POST /webhooks/qikchat/{kind}`. */
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event that API Gateway would build for this
 * request: header names lower-cased and repeated headers joined with commas, cookies split out, the query
 * string parsed, and the body base64-encoded unless it is text (so binary bytes reach the receiver intact).
 */
export function toHttpApiEvent(request: IncomingMessage, body: Buffer, route: RouteMatch, now = new Date()): APIGatewayProxyEventV2 {
  const url = requestUrl(request.url);
  const path = requestPath(request.url) ?? url.pathname;
  // Collected in Maps and made own properties at once: a name like `__proto__` or `constructor` is data here.
  const headerValues = new Map<string, string>();
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values && name !== 'cookie') headerValues.set(name, values.join(','));
  }
  const headers: Record<string, string> = Object.fromEntries(headerValues);
  const cookies = request.headersDistinct.cookie?.flatMap((value) => value.split(';').map((c) => c.trim())).filter(Boolean);
  const queryValues = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const before = queryValues.get(name);
    queryValues.set(name, before === undefined ? value : `${before},${value}`);
  }
  const query: Record<string, string> = Object.fromEntries(queryValues);

  const contentType = headers['content-type'] ?? '';
  const asText = body.length === 0 || (TEXT_CONTENT_TYPE.test(contentType) && isUtf8(body));
  const host = headers.host ?? 'localhost';
  const method = request.method ?? 'GET';

  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: path,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method,
        path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !asText,
  };
}
