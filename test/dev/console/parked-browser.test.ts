/**
 * The parked conversations panel in a real browser (Chromium through playwright-core): a conversation whose event
 * keeps failing shows up parked with its events in order, Resume runs them all in order, Skip drops the failing one
 * and runs the rest, and the panel is empty again. A handler's error is shown as text, never as HTML.
 * Skipped with a message where no Chromium is installed, unless REQUIRE_BROWSER=1 (.ci/run), where browser.test.ts fails.
 * With CONSOLE_SCREENSHOT=<file.png> it also saves the screenshot of the console that the README shows.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchChromium } from '../../support/browser.js';
import { post, signed, type SignedRequest } from '../../support/local-runtime.js';
import { qikchat, startParkingRuntime, type ParkingRuntime } from './parking-runtime.js';

const missing = browserMissing();

describe.skipIf(missing)('the parked conversations panel in Chromium', () => {
  let parking: ParkingRuntime;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const errors: string[] = [];

  /** Posts a failing event (failing with `error`) and two followers of one conversation; resolves once the panel shows the three parked. */
  async function parkThree(from: string, prefix: string, error: string): Promise<{ messages: SignedRequest[]; item: Locator }> {
    const messages = [0, 1, 2].map((index) => qikchat(from, `${prefix}-${String(index)}`));
    parking.failing.set(`${prefix}-0`, error);
    for (const message of messages) expect((await post(parking.runtime, message)).status).toBe(200);
    const item = page.locator('#parked-list > li', { hasText: from });
    await expect.poll(() => item.locator('.parked-events li').count(), { timeout: 30_000 }).toBe(3);
    return { messages, item };
  }

  /** The list's rows of a conversation's events with this outcome. */
  const rows = (from: string, outcome: string) => page.locator('.entry', { hasText: from }).filter({ hasText: outcome });

  beforeAll(async () => {
    parking = await startParkingRuntime();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(parking.runtime.url);
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await parking.runtime.stop();
  });

  it('says nothing is parked while nothing is', async () => {
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    await expect.poll(() => page.locator('#parked-empty').isVisible()).toBe(true);
    expect(await page.locator('#parked-empty').textContent()).toContain('Nothing is parked');
    expect(await page.locator('#parked-count').textContent()).toBe('0');
  });

  it('shows a parked conversation with its 3 events in order; Resume runs all three in order and empties the panel', { timeout: 60_000 }, async () => {
    // Prepare
    const { messages, item } = await parkThree('6282000000001', 'P', 'the CRM is down (503)');
    const ids = messages.map((message) => message.expected.id);

    // Assess: what the panel says of it
    expect(await item.locator('.parked-events li').allTextContents()).toEqual([`${ids[0] ?? ''} (failing)`, ids[1], ids[2]]);
    const [terms, values] = await Promise.all([item.locator('dt').allTextContents(), item.locator('dd').allTextContents()]);
    expect(Object.fromEntries(terms.map((term, index) => [term, values[index]]))).toEqual({
      conversation: 'qikchat:6282000000001',
      provider: 'qikchat',
      state: 'parked',
      'failing event': ids[0],
      error: 'Error: the CRM is down (503)',
      attempts: '3',
      'parked at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
    expect(await page.locator('#parked-count').textContent()).toBe('1');
    await expect.poll(() => rows('6282000000001', 'parked').count()).toBe(3);
    expect(await rows('6282000000001', 'processed').count()).toBe(0);
    if (process.env.CONSOLE_SCREENSHOT) {
      await post(parking.runtime, signed('chatzuri', '{"event":"message.received"}', 'not-the-secret'));
      await rows('6282000000001', 'parked').last().click();
      await expect.poll(() => page.locator('#detail-body li', { hasText: 'parked' }).count()).toBe(1);
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT, fullPage: true });
    }

    // Act: the handler is fixed, the conversation resumed from the page
    parking.failing.clear();
    await item.getByRole('button', { name: /^Resume/ }).click();

    // Assess
    await expect.poll(() => page.locator('#parked-result').textContent()).toBe('Resuming qikchat:6282000000001: its parked events run in order.');
    await expect.poll(() => rows('6282000000001', 'processed').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => page.locator('#parked-list > li').count()).toBe(0);
    expect(await page.locator('#parked-empty').isVisible()).toBe(true);
    expect(parking.handled).toEqual(['P-0', 'P-1', 'P-2']);
    expect(errors).toEqual([]);
  });

  it('skips the failing event after a confirmation: the followers are processed, the failing one never handled', { timeout: 60_000 }, async () => {
    // Prepare: parked; then the handler would succeed, so a run of the skipped event would show
    const markup = `<img src=x onerror="document.title='xss'">`;
    const { messages, item } = await parkThree('6282000000002', 'Q', `${markup} the CRM is down`);
    const failingId = messages[0]?.expected.id ?? '';
    parking.failing.clear();
    // The handler's error, markup included, is shown as text
    expect(await item.textContent()).toContain(`Error: ${markup} the CRM is down`);
    expect(await page.locator('#parked img').count()).toBe(0);
    expect(await page.title()).not.toBe('xss');

    // Act: asked, cancelled, asked again and confirmed
    await item.getByRole('button', { name: /^Skip failing event/ }).click();
    const confirmation = item.locator('.confirm');
    await expect.poll(() => confirmation.textContent()).toContain(`Skip ${failingId}? Its handler never runs`);
    expect(await page.locator(':focus').textContent()).toBe('Skip it and resume');
    await item.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirmation.count()).toBe(0);
    await item.getByRole('button', { name: /^Skip failing event/ }).click();
    await item.getByRole('button', { name: /^Skip it and resume/ }).click();

    // Assess
    await expect.poll(() => page.locator('#parked-result').textContent()).toContain(`without ${failingId}`);
    await expect.poll(() => rows('6282000000002', 'processed').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => rows('6282000000002', 'skipped').count()).toBe(1);
    await expect.poll(() => page.locator('#parked-list > li').count()).toBe(0);
    expect(await page.locator('#parked-empty').isVisible()).toBe(true);
    expect(parking.handled.filter((id) => id.startsWith('Q-'))).toEqual(['Q-1', 'Q-2']);
    expect(parking.runs.filter((id) => id === 'Q-0')).toHaveLength(3);
    expect(errors).toEqual([]);
  });
});
