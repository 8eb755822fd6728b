/**
 * `npm run synth -- <cdk synth arguments>`: the arguments reach `cdk synth` (not the summary), and the summary says
 * which settings are in effect and where each came from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS_METADATA_TYPE, type RecordedSettings } from '../../infra/settings-metadata.js';

const root = new URL('../../', import.meta.url);
const outdir = mkdtempSync(join(tmpdir(), 'synth-cli-'));

/** `npm run synth -- ...args`, as a person types it, from the repository root. */
function npmRunSynth(...args: string[]) {
  return spawnSync('npm', ['run', '--silent', 'synth', '--', ...args, '-o', outdir], { cwd: root, encoding: 'utf8', timeout: 240_000 });
}

describe('npm run synth', () => {
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('passes -c key=value to cdk synth, then prints the settings with where each came from, the stack and the policy checks', () => {
    // Act
    const result = npmRunSynth('-c', 'stackName=Other', '-c', 'logLevel=info');

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('Settings (gateway.config.json; -c key=value overrides one; docs/deploying.md › Settings):');
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}stackName +Other +-c$/),
      expect.stringMatching(/^ {2}logLevel +INFO +-c$/),
      expect.stringMatching(/^ {2}secretArns +\{\} +file$/),
      expect.stringMatching(/^ {2}workerMaxConcurrency +10 +default$/),
    ]));
    expect(lines).toContainEqual(expect.stringMatching(/^Stack Other: \d+ resources, \d+ outputs /));
    expect(lines).toContain('Policy checks (an unacknowledged finding stops the synth): passed');
    expect(existsSync(join(outdir, 'Other.template.json'))).toBe(true);
    // What the summary read: the app's record of its settings, in the cloud assembly
    const metadata = JSON.parse(readFileSync(join(outdir, 'Other.metadata.json'), 'utf8')) as Record<string, { type: string; data: unknown }[]>;
    const recorded = Object.values(metadata).flat().find((entry) => entry.type === SETTINGS_METADATA_TYPE)?.data as RecordedSettings | undefined;
    expect(recorded?.file).toBe('gateway.config.json');
    expect(recorded?.settings).toContainEqual({ key: 'stackName', value: 'Other', source: 'context' });
  }, 240_000);

  it('stops with the one line of a refused setting, and no summary', () => {
    // Act
    const result = npmRunSynth('-c', 'workerMaxConcurrency=1');

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('chat-webhook-gateway: context workerMaxConcurrency must be an integer from 2 to 1000, got "1"');
    expect(result.stdout).not.toContain('Stack ');
  }, 240_000);
});
