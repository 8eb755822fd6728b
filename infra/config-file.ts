/**
 * The settings file: `gateway.config.json` at the repository root, committed, so that a deploy's settings outlast
 * the command line; `-c config=<file>` names another (one per environment). Described by the JSON Schema in
 * `gateway.config.schema.json` (`npm run schema` writes it from the settings' zod schema), so editors complete
 * and check it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GatewayConfigError } from './config-error.js';

/** The settings file read when `-c config=<file>` names none, relative to the project root. */
export const GATEWAY_CONFIG_FILE = 'gateway.config.json';
/** The JSON Schema of the settings file, beside it. */
export const GATEWAY_CONFIG_SCHEMA_FILE = 'gateway.config.schema.json';
/** The context key that names another settings file: `-c config=staging.config.json`. */
export const CONFIG_FILE_CONTEXT_KEY = 'config';
/** The key an editor reads the schema from; not a setting. */
const SCHEMA_KEY = '$schema';

/** The settings a file holds, and the file as the operator named it. */
export interface SettingsFile {
  /** As given with `-c config=`, or `gateway.config.json`. */
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The number of single-character edits from `a` to `b`, to suggest the setting a typo meant. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 0; i < a.length; i += 1) {
    const current = [i + 1];
    for (let j = 0; j < b.length; j += 1) {
      current.push(Math.min((previous[j + 1] ?? 0) + 1, (current[j] ?? 0) + 1, (previous[j] ?? 0) + (a[i] === b[j] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** ` (did you mean "x"?)` for the closest known key within three edits, or nothing. */
function suggestion(key: string, knownKeys: readonly string[]): string {
  const [closest] = knownKeys.map((known) => ({ known, distance: editDistance(key.toLowerCase(), known.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
  return closest && closest.distance <= 3 ? ` (did you mean "${closest.known}"?)` : '';
}

/**
 * Reads the settings file: the one `-c config=<file>` names (it must exist), else `gateway.config.json` if there
 * is one.
 *
 * @param named - the `config` context value, if any
 * @param knownKeys - the settings, to refuse an unknown key by name
 * @param cwd - where relative names are resolved (the project root: the CDK CLI runs the app there)
 * @returns the file's settings, or undefined when no file is named and there is no `gateway.config.json`
 * @throws GatewayConfigError, one line naming the file, the key and the fix, when the file is missing, not JSON,
 *   not an object, or holds a key that is no setting
 */
export function readSettingsFile(named: unknown, knownKeys: readonly string[], cwd: string): SettingsFile | undefined {
  if (named !== undefined && (typeof named !== 'string' || named.trim() === '')) {
    throw new GatewayConfigError(`-c ${CONFIG_FILE_CONTEXT_KEY} must name a settings file, got ${JSON.stringify(named)}; e.g. -c ${CONFIG_FILE_CONTEXT_KEY}=staging.config.json`);
  }
  const name = named?.trim() ?? GATEWAY_CONFIG_FILE;
  const path = resolve(cwd, name);
  if (!existsSync(path)) {
    if (named === undefined) return undefined;
    throw new GatewayConfigError(
      `settings file ${name} (-c ${CONFIG_FILE_CONTEXT_KEY}=${name}) not found in ${cwd}; create it (copy ${GATEWAY_CONFIG_FILE}) or correct the name`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new GatewayConfigError(`${name} is not valid JSON: ${reason}; fix the file (JSON has no comments; its settings are described in ${GATEWAY_CONFIG_SCHEMA_FILE})`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayConfigError(`${name} must hold one JSON object of settings, e.g. {"stackName": "ChatWebhookGateway"}, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === SCHEMA_KEY) continue;
    if (!knownKeys.includes(key)) {
      throw new GatewayConfigError(`${name}: unknown setting "${key}"${suggestion(key, knownKeys)}; rename or remove it (every setting is described in ${GATEWAY_CONFIG_SCHEMA_FILE})`);
    }
    values[key] = value;
  }
  return { name, values };
}
