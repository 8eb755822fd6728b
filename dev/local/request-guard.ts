/**
 * Whom the local server answers: pages and tools of this machine that name it by a loopback address. Any page in a
 * browser can send requests here (a form, a `no-cors` fetch); a page of DNS rebinding (a name of the attacker's that
 * now resolves to 127.0.0.1) is even same-origin with what it reaches, but its name is left in `Host`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ACTION_TOKEN_HEADER, ACTION_TOKEN_PATH } from './action-token.js';

/** A request refused before any route sees it: its status and the `message` of its JSON body. */
export interface GuardRefusal {
  readonly status: 403 | 415 | 421;
  readonly message: string;
}

/** A server's token for its actions: 32 random bytes, base64url, new at each start. */
export function createActionToken(): string {
  return randomBytes(32).toString('base64url');
}

// A name (or an IPv6 literal in brackets) and an optional port; anything else (user info, a path, spaces) is no Host.
const HOST = /^(\[[0-9a-f:.]+\]|[0-9a-z.-]+)(?::(\d{1,5}))?$/;
const OCTET = /^(?:0|[1-9]\d{0,2})$/;

function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  const octets = name.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => OCTET.test(octet) && Number(octet) <= 255);
}

/**
 * The server's own origin as a `Host` header names it, or undefined unless it names a loopback address
 * (`localhost`, `127.x.y.z`, `[::1]`, any case) and the port the request came in on (80 when it gives none).
 *
 * @example loopbackOrigin('localhost:3000', 3000) // 'http://localhost:3000'
 * @example loopbackOrigin('rebind.attacker.test:3000', 3000) // undefined
 */
export function loopbackOrigin(host: string | undefined, port: number): string | undefined {
  const match = HOST.exec((host ?? '').toLowerCase());
  const name = match?.[1];
  if (name === undefined || !isLoopbackName(name) || Number(match?.[2] ?? 80) !== port) return undefined;
  return `http://${name}${port === 80 ? '' : `:${String(port)}`}`;
}

// What a browser may send without a preflight is no action: reads only.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const mediaType = (value: string | undefined) => (value ?? '').split(';', 1)[0]?.trim().toLowerCase();

function isToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why the request must not reach a route, or undefined when it may. Every route: a loopback `Host` with the server's
 * port (else 421: DNS rebinding). Under `/_local/`: no other origin (`Origin`, `null` from `file://` included) and no
 * other site (`Sec-Fetch-Site`), else 403; and an action (any method but GET, HEAD, OPTIONS) needs
 * `Content-Type: application/json` (else 415: a form or a no-cors fetch cannot send it) and the server's token in
 * `x-console-token` (else 403).
 *
 * @param path the request's path (undefined for a target that routes nowhere)
 */
export function guardRequest(request: IncomingMessage, path: string | undefined, token: string): GuardRefusal | undefined {
  const port = request.socket.localPort ?? 0;
  const origin = loopbackOrigin(request.headers.host, port);
  if (origin === undefined) {
    return { status: 421, message: `Misdirected Request: the local runtime answers only to its loopback address (Host 127.0.0.1:${String(port)}, localhost:${String(port)} or [::1]:${String(port)})` };
  }
  if (path?.startsWith('/_local/') !== true) return undefined;
  const from = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if ((from !== undefined && from !== origin) || site === 'cross-site' || site === 'same-site') {
    return { status: 403, message: 'Forbidden: /_local/ answers only the console of its own origin and the tools of this machine' };
  }
  if (SAFE_METHODS.has(request.method ?? 'GET')) return undefined;
  if (mediaType(request.headers['content-type']) !== 'application/json') {
    return { status: 415, message: 'Unsupported Media Type: a POST under /_local/ takes Content-Type: application/json' };
  }
  if (!isToken(request.headers[ACTION_TOKEN_HEADER], token)) {
    return { status: 403, message: `Forbidden: a POST under /_local/ needs the header ${ACTION_TOKEN_HEADER} with the token of GET ${ACTION_TOKEN_PATH}` };
  }
  return undefined;
}
