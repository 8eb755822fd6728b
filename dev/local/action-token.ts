/**
 * The per-process token of the local server's actions (every POST under `/_local/`): where a page or a tool of this
 * machine reads it, and the header it goes back in. Imports nothing, so the console page (a browser bundle) uses
 * the same names as the server.
 */

/** The header every POST under `/_local/` carries the token in; without it, or with another, the answer is 403. */
export const ACTION_TOKEN_HEADER = 'x-console-token';

/**
 * Where the token is read: `GET` answers `{"token": "..."}` to a request with a loopback `Host` and no other origin
 * or site (a page of another origin cannot read it: no CORS headers).
 */
export const ACTION_TOKEN_PATH = '/_local/console/token';
