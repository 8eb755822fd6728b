/**
 * Where `npm start` keeps its state between runs: one git-ignored folder (`.local/` at the repository root),
 * one subfolder per embedded server, so that `--fresh` empties them all at once.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The state folder of `npm start`: `.local/` at the repository root. */
export const defaultStateDir = fileURLToPath(new URL('../../.local/', import.meta.url));

/** The folder of each embedded server's state. */
export interface LocalStatePaths {
  /** fauxqs's `dataDir`: the queues and their messages (SQLite). */
  readonly sqs: string;
  /** dynalite's LevelDB store: the idempotency records. */
  readonly dynamodb: string;
  /** fauxqs's `s3StorageDir`: the event archive, one file per batch object. */
  readonly archive: string;
}

/** The folders of the state kept under `stateDir`. */
export function localStatePaths(stateDir: string): LocalStatePaths {
  return { sqs: join(stateDir, 'sqs'), dynamodb: join(stateDir, 'dynamodb'), archive: join(stateDir, 'archive') };
}

/** Deletes everything kept under `stateDir`: the next start begins empty. */
export async function clearLocalState(stateDir: string): Promise<void> {
  await rm(stateDir, { recursive: true, force: true });
}
