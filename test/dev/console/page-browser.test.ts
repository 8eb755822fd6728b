/**
 * The console page as a newcomer meets it (Chromium through playwright-core): the empty list names the send command
 * of the port it runs on, a browser's stray GETs are no deliveries, a long type is shown whole, an event of a type
 * without a handler says so, a delivery's body is shown exactly as received, with a pretty view beside it, and a
 * rejected delivery's large body says it was cut.
 * Skipped with a message where no Chromium is installed (browser.test.ts makes that a failure under REQUIRE_BROWSER=1).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { browserMissing, launchChromium } from '../../support/browser.js';
import { post, signed, signedSample, startTestRuntime } from '../../support/local-runtime.js';

const missing = browserMissing();

describe.skipIf(missing)('the console page, as a newcomer meets it', () => {
  let runtime: LocalRuntime;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // Port 0: never the default 3000, so the hint must name the port.
    runtime = await startTestRuntime({ handlers: { 'conversation.started': () => undefined } });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(runtime.url);
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await runtime.stop();
  });

  it('names the send command of its own port while the list is empty', async () => {
    // Assess
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    const port = new URL(runtime.url).port;
    await expect.poll(() => page.locator('#empty-command').textContent()).toBe(`PORT=${port} npm run send -- qikchat`);
    expect(await page.locator('#empty').isVisible()).toBe(true);
  });

  // Regression: an old tab's /console.js and a favicon request were listed as rejected deliveries.
  it('lists no stray GET of a browser as a delivery', async () => {
    // Act
    const statuses = await page.evaluate(async () => Promise.all(['/console.js', '/favicon.ico'].map(async (path) => (await fetch(path)).status)));
    await page.reload();
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');

    // Assess
    expect(statuses).toEqual([404, 404]);
    expect(await (await fetch(`${runtime.url}/_local/console/entries`)).json()).toEqual([]);
    expect(await page.locator('.entry').count()).toBe(0);
    expect(await page.locator('#empty').isVisible()).toBe(true);
  });

  // Regression: the type column cut `agent.allocation_requested` to `agent.…`.
  it('shows the longest type and provider whole, and that no handler ran for it', async () => {
    // Act: an Omnichannel agent allocation; this runtime has no handler for its type
    await post(runtime, await signedSample('qiscus-omnichannel', 'agent-allocation'));
    const row = page.locator('.entry', { hasText: 'agent.allocation_requested' }).filter({ hasText: 'processed' });
    await expect.poll(() => row.count()).toBe(1);

    // Assess: no cell of the row is cut but the conversation's (whose full id is its title)
    // (Expressions as text: the tests are type-checked without the DOM's types.)
    const cut = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.entry')].filter((row) => row.textContent.includes('agent.allocation_requested'))
        .flatMap((row) => [...row.querySelectorAll('span')].filter((span, index) => index !== 4 && span.scrollWidth > span.clientWidth).map((span) => span.textContent))`,
    );
    expect(cut).toEqual([]);
    // Nor does the row run past the list: the outcome column is in view.
    expect(await page.evaluate<number>(`(() => { const table = document.querySelector('.table'); return table.scrollWidth - table.clientWidth; })()`)).toBeLessThanOrEqual(0);
    expect(await row.locator('span.type').textContent()).toBe('agent.allocation_requested');
    expect(await row.locator('span.outcome').textContent()).toBe('processed (no handler)');
    await row.click();
    await expect.poll(() => page.locator('#done-note').textContent()).toBe(
      'No handler is registered for agent.allocation_requested: the worker only logged it (at DEBUG). Add one in lib/handlers/registry.ts.',
    );
  });

  it('shows a delivery\'s body exactly as received, with a pretty-printed view beside it', async () => {
    // Prepare: JSON with spacing of its own, as a provider may send it
    const body = '{"event":"conversation.started",   "data": {"conversationId":"raw-body-1"}}';
    await post(runtime, signed('chatzuri', body));
    const row = page.locator('.entry', { hasText: 'accepted 200' }).filter({ hasText: 'chatzuri' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => page.locator('.entry', { hasText: 'raw-body-1' }).filter({ hasText: 'processed' }).count()).toBe(1);

    // Act
    await row.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Pretty-printed JSON').click();

    // Assess
    await expect.poll(() => page.getByLabel('request body as received').textContent()).toBe(body);
    expect(await page.getByLabel('request body, pretty-printed').textContent()).toBe(JSON.stringify(JSON.parse(body), null, 2));
    expect(await page.getByLabel('request body, pretty-printed').isVisible()).toBe(true);
    expect(await page.locator('#done-note').count()).toBe(0);
    if (process.env.CONSOLE_NEWCOMER_SCREENSHOT) await page.screenshot({ path: process.env.CONSOLE_NEWCOMER_SCREENSHOT });
    expect(errors).toEqual([]);
  });

  it('says that a rejected delivery\'s large body was cut to its first 4 KB, and how large it was', async () => {
    // Prepare: unsigned, 200 KB
    const body = JSON.stringify({ event: 'conversation.started', pad: 'p'.repeat(200_000) });
    await post(runtime, signed('chatzuri', body, 'not-the-secret'));
    const row = page.locator('.entry', { hasText: 'rejected 401' }).filter({ hasText: 'chatzuri' });
    await expect.poll(() => row.count()).toBe(1);

    // Act
    await row.click();

    // Assess
    await expect.poll(() => page.locator('#body-heading').textContent()).toBe('Body, cut to its first 4,096 of 200,041 bytes (a rejected delivery keeps only the start of its body)');
    expect(await page.getByLabel('request body as received').textContent()).toBe(body.slice(0, 4096));
    expect(errors).toEqual([]);
  });
});
