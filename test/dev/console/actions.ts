/** The console's actions as a tool of this machine calls them: JSON, with the token read from the runtime first. */
import { ACTION_TOKEN_HEADER, ACTION_TOKEN_PATH } from '../../../dev/local/action-token.js';

/** The runtime's token for its actions, from `GET /_local/console/token` at `base` (`http://127.0.0.1:<port>`). */
export async function actionToken(base: string): Promise<string> {
  const response = await fetch(`${base}${ACTION_TOKEN_PATH}`);
  if (!response.ok) throw new Error(`GET ${ACTION_TOKEN_PATH} answered ${String(response.status)}`);
  return ((await response.json()) as { token: string }).token;
}

/** POSTs `body` (JSON text, or a value to write as JSON) to the action at `path`, with `Content-Type: application/json` and the token. */
export async function postAction(base: string, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: await actionToken(base) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
