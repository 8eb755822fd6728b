/**
 * Pages that are not the console, in a real browser (Chromium through playwright-core), against the console's routes
 * with spies for effects (issue 22, point 2): a page of another origin (127.0.0.1 and localhost on another port), a
 * `file://` page and a page reached through DNS rebinding (`rebind.attacker.test` resolved to 127.0.0.1) try what an
 * attacker would: text/plain and JSON POSTs to every action, a `<form enctype="text/plain">` whose body is JSON, and
 * reads of `/_local/*`. None changes or reads anything; the console's own page, on the same server, still does.
 * Skipped with a message where no Chromium is installed (browser.test.ts makes that a failure under REQUIRE_BROWSER=1).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserMissing } from '../../support/browser.js';
import { SECRET, startSpiedConsole, type AnsweredRequest, type SpiedConsole } from './spied-console.js';

const missing = browserMissing();
const REBIND = 'rebind.attacker.test';

/** Chromium as test/support/browser.ts starts it, resolving {@link REBIND} to 127.0.0.1 as a rebound DNS name would. */
function launchWithRebinding(): Promise<Browser> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path !== undefined && path !== '' && existsSync(path));
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--host-resolver-rules=MAP ${REBIND} 127.0.0.1`],
  });
}

/** The actions and a body each takes. */
const ACTIONS: Readonly<Record<string, string>> = {
  '/_local/console/send': '{"provider":"qikchat","sample":"message-text"}',
  '/_local/dead-letters/redrive': '{}',
  '/_local/console/replay': '{"conversation":"6281"}',
  '/_local/console/resume': '{"conversation":"qikchat:6281"}',
};
const READS = ['/_local/events', '/_local/queues', '/_local/console/entries', '/_local/console/token', '/_local/dead-letters'];

/**
 * The attacker's page: tries every read and action on `target` (empty: its own origin), then a form POST, and leaves
 * what it got in `window.attack`.
 */
function attackerPage(target: string): string {
  const script = `
const target = ${JSON.stringify(target)};
const results = [];
async function attempt(what, run) {
  try { results.push([what, await run()]); } catch (error) { results.push([what, 'blocked: ' + String(error)]); }
}
(async () => {
  for (const path of ${JSON.stringify(READS)}) {
    await attempt('GET ' + path, async () => { const r = await fetch(target + path); return 'read ' + r.status + ': ' + (await r.text()); });
  }
  let token = 'none';
  try { token = (await (await fetch(target + '/_local/console/token')).json()).token ?? 'none'; } catch {}
  for (const [path, body] of Object.entries(${JSON.stringify(ACTIONS)})) {
    await attempt('no-cors POST ' + path, async () => {
      const r = await fetch(target + path, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
      return 'sent: ' + r.type + ' ' + r.status;
    });
    await attempt('JSON POST ' + path, async () => {
      const r = await fetch(target + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-console-token': token }, body });
      return 'answered ' + r.status + ': ' + (await r.text());
    });
  }
  await new Promise((resolve) => {
    document.getElementById('sink').addEventListener('load', resolve, { once: true });
    setTimeout(resolve, 5000);
    document.getElementById('form').submit();
  });
  window.attack = results;
})();`;
  // enctype=text/plain writes name=value: the body is {"provider":"qikchat","sample":"message-text","pad":"="}
  const name = '{"provider":"qikchat","sample":"message-text","pad":"';
  return `<!doctype html><html><head><meta charset="utf-8"><title>not the console</title></head><body>
<iframe name="sink" id="sink"></iframe>
<form id="form" method="POST" enctype="text/plain" action="${target}/_local/console/send" target="sink"><input name='${name}' value='"}'></form>
<script>${script}</script></body></html>`;
}

/** Runs the attack on the page as loaded, and returns what it got. */
async function attackResults(page: Page): Promise<[string, string][]> {
  await page.waitForFunction(() => Array.isArray((globalThis as unknown as { attack?: unknown }).attack), undefined, { timeout: 20_000 });
  return page.evaluate(() => (globalThis as unknown as { attack: [string, string][] }).attack);
}

describe.skipIf(missing)('pages that are not the console, in Chromium', () => {
  let target: SpiedConsole;
  let browser: Browser;
  let page: Page;
  let attacker: Server;
  let attackerPort: number;
  let folder: string;
  let from = 0;
  const calls = () => ({ ...target.calls });
  /** The requests the server answered since the test began. */
  const answeredNow = (): AnsweredRequest[] => target.answered.slice(from);

  beforeAll(async () => {
    target = await startSpiedConsole();
    browser = await launchWithRebinding();
    // Another origin: a second server on this machine, another port, serving the attacker's page.
    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(attackerPage(target.url));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', () => resolve()));
    attackerPort = (attacker.address() as AddressInfo).port;
    folder = await mkdtemp(join(tmpdir(), 'console-attack-'));
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await new Promise<void>((resolve) => attacker.close(() => resolve()));
    await target.stop();
    await rm(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await browser.newPage();
    from = target.answered.length;
  });
  afterEach(() => page.close());

  it.each(['127.0.0.1', 'localhost'])('a page of another origin (http://%s:<another port>) neither changes nor reads anything', { timeout: 60_000 }, async (name) => {
    // Act
    await page.goto(`http://${name}:${String(attackerPort)}/`);
    const results = await attackResults(page);

    // Assess: nothing ran, nothing read; what reached the server was refused by it, not only by the browser
    expect(calls()).toEqual({ deliveries: 0, redrive: 0, replay: 0, resume: 0 });
    expect(JSON.stringify(results)).not.toContain(SECRET);
    expect(results.filter(([what]) => what.startsWith('GET ')).map(([, outcome]) => outcome)).toEqual(READS.map(() => expect.stringMatching(/^blocked: TypeError/) as unknown));
    const posts = answeredNow().filter((request) => request.method === 'POST');
    expect(posts.map((request) => [request.url, request.status])).toEqual(expect.arrayContaining([...Object.keys(ACTIONS).map((path) => [path, 403]), ['/_local/console/send', 403]]));
    expect(answeredNow().filter((request) => request.status < 400)).toEqual([]);
  });

  it('a file:// page neither changes nor reads anything', { timeout: 60_000 }, async () => {
    // Prepare
    const file = join(folder, 'attack.html');
    await writeFile(file, attackerPage(target.url));

    // Act
    await page.goto(pathToFileURL(file).href);
    const results = await attackResults(page);

    // Assess
    expect(calls()).toEqual({ deliveries: 0, redrive: 0, replay: 0, resume: 0 });
    expect(JSON.stringify(results)).not.toContain(SECRET);
    const posts = answeredNow().filter((request) => request.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((request) => request.origin === 'null' && request.status === 403)).toBe(true);
    expect(answeredNow().filter((request) => request.status < 400)).toEqual([]);
  });

  it(`a page reached through DNS rebinding (${REBIND} → 127.0.0.1) neither changes nor reads anything`, { timeout: 60_000 }, async () => {
    // Act: the attacker's name now resolves to this machine, so its page is same-origin with the server it reaches
    await page.goto(`http://${REBIND}:${String(target.port)}/`);
    await page.setContent(attackerPage(''));
    const results = await attackResults(page);

    // Assess: it could send everything, with JSON and whatever token it found; each answer was 421
    expect(new URL(page.url()).hostname).toBe(REBIND);
    expect(calls()).toEqual({ deliveries: 0, redrive: 0, replay: 0, resume: 0 });
    expect(JSON.stringify(results)).not.toContain(SECRET);
    expect(results.filter(([what]) => what.startsWith('GET ')).map(([, outcome]) => outcome.slice(0, 'read 421'.length))).toEqual(READS.map(() => 'read 421'));
    expect(answeredNow().length).toBeGreaterThan(READS.length);
    expect(answeredNow().every((request) => request.host === `${REBIND}:${String(target.port)}` && request.status === 421)).toBe(true);
  });

  it.each(['127.0.0.1', 'localhost'])('the console itself, at http://%s:<port>, still reads and acts', { timeout: 60_000 }, async (name) => {
    // Prepare
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const before = calls();

    // Act: send a sample, redrive the dead letter, resume the parked conversation, from the page
    await page.goto(`http://${name}:${String(target.port)}/`);
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    await page.getByRole('button', { name: /^Send/ }).click();
    await expect.poll(() => page.locator('#send-result').textContent()).toContain('← 200');
    await expect.poll(() => page.locator('#dead-letter-count').textContent()).toBe('1');
    await page.getByRole('button', { name: 'Redrive all to the queue' }).click();
    await expect.poll(() => page.locator('#redrive-result').textContent()).toMatch(/^Moved \d+ back to the queue\.$/);
    await page.getByRole('button', { name: /^Resume/ }).click();
    await expect.poll(() => page.locator('#parked-result').textContent()).toBe('Resuming qikchat:6281: its parked events run in order.');

    // Assess
    expect(calls()).toEqual({ ...before, deliveries: before.deliveries + 1, redrive: before.redrive + 1, resume: before.resume + 1 });
    expect(errors).toEqual([]);
  });

  it('the console goes on acting after its runtime restarts with a new token (npm start reloads on a change)', { timeout: 60_000 }, async () => {
    // Prepare: the page open, then its server replaced by a new one (a new token) on the same port
    await page.goto(target.url);
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    await target.stop();
    target = await startSpiedConsole(target.port);
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 20_000 }).toBe('live');

    // Act
    await page.getByRole('button', { name: /^Send/ }).click();

    // Assess
    await expect.poll(() => page.locator('#send-result').textContent()).toContain('← 200');
    expect(target.calls.deliveries).toBe(1);
  });
});
