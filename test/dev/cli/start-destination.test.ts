/**
 * `npm start -- --destination` as package.json runs it (dev/cli/watch.ts passes it on to each run of start.ts): the
 * banner lists each destination, its filter and the secret it signs with; a mistake is one line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_DESTINATION_SECRET } from '../../../dev/local/destination-secret.js';
import { eventually } from '../../support/local-runtime.js';

describe('npm start -- --destination', () => {
  it('a DESTINATION_SECRET set but empty is a mistake, one line, not the development secret', () => {
    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'dev/cli/watch.ts', '--no-watch', '--destination', 'http://127.0.0.1:8080/hook'], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', LOG_FORMAT: 'json', DESTINATION_SECRET: '' },
    });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'npm start: DESTINATION_SECRET is set but empty: it must be a Standard Webhooks secret: whsec_ followed by a base64 key of 24 to 64 bytes (e.g. whsec_$(openssl rand -base64 32)), or unset\n',
    );
  });

  it('lists the destinations in the banner with their filters, signed with the development secret while DESTINATION_SECRET is unset', { timeout: 60_000 }, async () => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), 'start-destination-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_FORMAT: 'json', LOCAL_STATE_DIR: stateDir };
    delete env.DESTINATION_SECRET;
    delete env.DESTINATION_SECRET_PREVIOUS;
    const args = ['--no-watch', '--destination', 'http://127.0.0.1:8080/hook', '--destination=http://127.0.0.1:9090/crm=qikchat:message.*'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'dev/cli/watch.ts', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exit = once(child, 'exit');
    try {
      // Act
      await eventually(() => stderr.includes('Stop:     Ctrl+C') || child.exitCode !== null, 45_000);
    } finally {
      child.kill('SIGTERM');
      await exit;
      await rm(stateDir, { recursive: true, force: true });
    }

    // Assess
    expect(stderr).toContain(
      [
        'Destinations (each attempt in the console and GET /_local/deliveries):',
        '  127-0-0-1-8080-hook  http://127.0.0.1:8080/hook   every event',
        '  127-0-0-1-9090-crm   http://127.0.0.1:9090/crm   qikchat:message.*',
        `  signed with the DEVELOPMENT secret ${DEVELOPMENT_DESTINATION_SECRET} (DESTINATION_SECRET unset; public: never use it in production; npm run receive verifies it by default)`,
      ].join('\n'),
    );
  });

  it('a destination it cannot use is one line, from the first run, without starting anything', () => {
    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'dev/cli/watch.ts', '--destination', 'localhost:8080/hook'], { encoding: 'utf8', env: { ...process.env, PORT: '0' } });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('npm start: --destination localhost:8080/hook: the URL must be http(s) with a host, such as http://127.0.0.1:8080/hook\n');
  });
});
