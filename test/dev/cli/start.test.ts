import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start options', () => {
  it('refuses an unknown option with one line and the usage, naming --fresh, without starting anything', () => {
    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'dev/cli/start.ts', '--frehs'], { encoding: 'utf8', env: { ...process.env, PORT: '0' } });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^npm start: Unknown option '--frehs'/);
    expect(result.stderr).toContain('usage: npm start [-- --fresh]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });
});
