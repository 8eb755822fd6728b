/**
 * The console in a real browser (Chromium through playwright-core): the page loads cleanly, a new delivery
 * appears without a reload, a rejection shows its reason, the redrive button moves a dead letter back, and a
 * conversation opened from the archive is replayed.
 * Skipped with a message where no Chromium is installed, unless REQUIRE_BROWSER=1 (.ci/run), where that fails.
 * The README's screenshot is taken by parked-browser.test.ts (CONSOLE_SCREENSHOT=<file.png>).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { browserMissing, launchChromium } from '../../support/browser.js';
import { post, signed, signedSample } from '../../support/local-runtime.js';
import { messageSent, startConsoleRuntime } from './console-runtime.js';

const missing = browserMissing();
if (missing) process.stderr.write(`\nBrowser tests of the console SKIPPED: ${missing}\n`);

describe.runIf(missing && process.env.REQUIRE_BROWSER === '1')('browser required', () => {
  it('has a Chromium to run the console tests with (REQUIRE_BROWSER=1)', () => {
    expect(missing).toBeUndefined();
  });
});

describe.skipIf(missing)('the console in Chromium', () => {
  let runtime: LocalRuntime;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const errors: string[] = [];
  // Every request the page makes, to tell a pushed update from a fetched one.
  const requests: string[] = [];
  let fix: (fixed?: boolean) => void;

  beforeAll(async () => {
    ({ runtime, fix } = await startConsoleRuntime());
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(runtime.url);
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await runtime.stop();
  });

  it('loads without console errors and goes live', async () => {
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    await expect.poll(() => page.locator('#send-provider option').count()).toBe(4);
    expect(errors).toEqual([]);
  });

  it('shows a new delivery and its processed event without a reload', async () => {
    // Prepare
    const delivery = await signedSample('qikchat');
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    const before = requests.length;

    // Act
    await post(runtime, delivery);

    // Assess: the rows came over the open stream; the page asked for nothing
    const row = page.locator('.entry', { hasText: 'accepted 200' }).filter({ hasText: 'qikchat' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => page.locator('.entry', { hasText: 'processed' }).filter({ hasText: 'qikchat' }).count()).toBe(1);
    expect(requests.slice(before)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows why a delivery was rejected when its row is opened with the keyboard', async () => {
    // Prepare
    await post(runtime, signed('chatzuri', '{"event":"message.received"}', 'not-the-secret'));
    const row = page.locator('.entry', { hasText: 'rejected 401' }).filter({ hasText: 'chatzuri' });
    await expect.poll(() => row.count()).toBe(1);

    // Act
    await row.focus();
    await page.keyboard.press('Enter');

    // Assess
    await expect.poll(() => page.locator('#rejection-reason').textContent()).toContain('signature_mismatch');
    const headers = await page.getByLabel('request headers (credentials redacted)').textContent();
    expect(headers).toContain('x-chatzuri-signature: [REDACTED]');
  });

  it('sends a sample from the form', async () => {
    // Act
    await page.locator('#send-form').getByLabel('Provider').selectOption('qiscus-sdk');
    await page.getByRole('button', { name: /^Send/ }).click();

    // Assess
    await expect.poll(() => page.locator('#send-result').textContent()).toContain('200');
    await expect.poll(() => page.locator('.entry', { hasText: 'qiscus-sdk' }).filter({ hasText: 'processed' }).count()).toBe(1);
  });

  it('opens an event\'s conversation from the archive and replays it; the replayed event is processed', { timeout: 60_000 }, async () => {
    // Prepare: a delivery of its own conversation sent from the form, processed (and so archived)
    const body = JSON.stringify({ event: 'conversation.started', data: { conversationId: 'browser-replay-1' } });
    const delivery = signed('chatzuri', body);
    await page.locator('#send-form').getByLabel('Provider').selectOption('chatzuri');
    await page.getByLabel('Own JSON body').fill(body);
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByLabel('Own JSON body').fill('');
    const processed = () => page.locator('.entry', { hasText: 'browser-replay-1' }).filter({ hasText: 'processed' });
    await expect.poll(() => processed().count()).toBe(1);

    // Act: open its row, then its conversation from the archive, with the keyboard
    await processed().first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Conversation in the archive' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Conversation id').inputValue()).toBe('browser-replay-1');
    await expect.poll(() => page.locator('#conversation-events li').allTextContents()).toEqual([expect.stringContaining(delivery.expected.id)]);
    await page.getByRole('button', { name: 'Replay this conversation' }).click();

    // Assess: the summary of npm run replay, and a second event of the conversation, processed, without a reload
    await expect.poll(() => page.locator('#replay-result').textContent()).toContain('Replay: selected 1, sent 1, skipped 0.');
    await expect.poll(() => processed().count(), { timeout: 30_000 }).toBe(2);
    await page.getByLabel('Conversation id').fill('browser-replay-1');
    await page.getByLabel('Conversation id').press('Enter');
    await expect.poll(() => page.locator('#conversation-events li').allTextContents()).toEqual([
      expect.stringContaining(delivery.expected.id),
      expect.stringContaining(`(replay of ${delivery.expected.id})`),
    ]);
    expect(errors).toEqual([]);
  });

  it('redrives a dead letter from the page, and it is processed', { timeout: 60_000 }, async () => {
    // Prepare: an event whose handler fails until fixed, dead-lettered after 2 receives
    await post(runtime, messageSent('browser-conv', 'browser-m1'));
    await expect.poll(() => page.locator('#dead-letter-count').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => page.locator('.entry', { hasText: 'dead-lettered' }).count()).toBe(1);
    fix();

    // Act
    await page.getByRole('button', { name: 'Redrive all to the queue' }).click();

    // Assess
    await expect.poll(() => page.locator('#redrive-result').textContent()).toBe('Moved 1 back to the queue.');
    await expect.poll(() => page.locator('#dead-letter-count').textContent()).toBe('0');
    await expect.poll(() => page.locator('.entry', { hasText: 'message.sent' }).filter({ hasText: 'processed' }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
