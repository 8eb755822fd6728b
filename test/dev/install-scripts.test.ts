/**
 * `npm ci` with npm 11 warns `install-scripts … not yet covered by allowScripts` for every dependency with an install
 * script that package.json does not approve. Each one the lockfile installs is approved (`npm install-scripts approve
 * <name>`), so a newcomer's install is quiet; a new one breaks this test instead of adding a warning.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  readonly name?: string;
  readonly hasInstallScript?: boolean;
}


describe('install scripts', () => {
  it('approves in package.json every dependency with an install script that the lockfile installs', () => {
    // Prepare
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockedPackage> };
    const { allowScripts = {} } = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, locked]) => locked.hasInstallScript === true)
      .map(([path, locked]) => locked.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));

    // Assess: approved by name (the lockfile keeps no registry URLs, so npm writes name-only entries)
    expect(withScripts.sort()).toEqual(['classic-level', 'esbuild', 'node']);
    expect(withScripts.filter((name) => allowScripts[name] !== true)).toEqual([]);
  });
});
