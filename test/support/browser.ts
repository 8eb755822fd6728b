/**
 * Chromium for the console's browser tests, driven by playwright-core: Debian's `chromium` package (no browser
 * download). Without one the browser tests skip with a message, unless `REQUIRE_BROWSER=1` (set by .ci/run).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, if this machine has one. */
function chromiumPath(): string | undefined {
  return CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** Why the browser tests do not run here, or undefined when they do. */
export function browserMissing(): string | undefined {
  return chromiumPath() ? undefined : 'no Chromium at /usr/bin/chromium (install it: apt-get install -y chromium; or set CHROMIUM_PATH)';
}

/** A headless Chromium with a new, empty profile; `close` removes the profile too. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(browserMissing());
  const userDataDir = await mkdtemp(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
