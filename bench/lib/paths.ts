/** Where things are: the repository, the Node.js the functions run on, the scratch folder. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing separator. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Node.js 24 from the `node` devDependency (`node_modules/.bin/node`): the version of the `nodejs24.x`
 * Lambda runtime, whatever Node.js runs `npm`.
 */
export const nodeBinary = join(repositoryRoot, 'node_modules', '.bin', 'node');

/** Scratch space for bundles, logs and profiles (ignored by git). */
export const scratchDirectory = join(repositoryRoot, '.bench-build');
