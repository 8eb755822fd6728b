/**
 * The destinations panel in a real browser (Chromium through playwright-core): the runtime's destination with its
 * filter, then every outbound attempt as it happens (a retry with its status and next try, the delivery after it, a
 * 410 that parks its conversation), and an event's detail listing its deliveries.
 * Skipped with a message where no Chromium is installed, unless REQUIRE_BROWSER=1 (.ci/run), where browser.test.ts fails.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DESTINATION_SECRET } from '../../../dev/local/destination-secret.js';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../../../dev/receive/receiver.js';
import { localRetryPolicy } from '../../../lib/parking/retry-policy.js';
import { browserMissing, launchChromium } from '../../support/browser.js';
import { post, qikchatText, startTestRuntime } from '../../support/local-runtime.js';

const missing = browserMissing();
/** The conversation the endpoint refuses for good. */
const DEAD = '6282000000410';

describe.skipIf(missing)('the destinations panel in Chromium', () => {
  let runtime: LocalRuntime;
  let receiver: ReferenceReceiver;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const errors: string[] = [];

  /** The panel's rows of an event, as their cells' texts, oldest first. */
  async function rows(eventId: string): Promise<string[][]> {
    const found = page.locator(`#attempts .attempt[data-event="${eventId}"]`);
    const texts = await Promise.all((await found.all()).map((row) => row.locator('span').allTextContents()));
    return texts.reverse();
  }

  beforeAll(async () => {
    // The first arrival of each event of conversation ...0503 is answered 503; conversation DEAD always 410
    receiver = await startReferenceReceiver({
      port: 0,
      path: '/hook',
      secrets: [DEVELOPMENT_DESTINATION_SECRET],
      write: () => undefined,
      statusFor: (event, attempt) => (event.subject === DEAD ? 410 : event.subject === '6282000000503' && attempt === 1 ? 503 : undefined),
    });
    runtime = await startTestRuntime({ retry: { ...localRetryPolicy, attempts: 3, backoffRate: 1 }, destinations: [{ type: 'https', name: 'crm', url: receiver.url, filter: { providers: ['qikchat'] } }] });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(runtime.url);
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await runtime.stop();
    await receiver.stop();
  });

  it('names the destination, its URL and its filter, and has no attempt yet', async () => {
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    await expect.poll(() => page.locator('#destination-list li').allTextContents()).toEqual([`crm → ${receiver.url} (qikchat:*)`]);
    expect(await page.locator('#destinations-empty').isHidden()).toBe(true);
    expect(await page.locator('#attempt-count').textContent()).toBe('0');
  });

  it('shows a retry with its status and next try, then the delivery; a 410 failed, its conversation parked', { timeout: 60_000 }, async () => {
    // Prepare
    const retried = qikchatText('6282000000503', 'B-1');
    const refused = qikchatText(DEAD, 'B-2');

    // Act
    expect((await post(runtime, retried)).status).toBe(200);
    expect((await post(runtime, refused)).status).toBe(200);

    // Assess: the retried event's two attempts, newest first in the panel
    await expect.poll(() => rows(retried.expected.id).then((found) => found.length), { timeout: 30_000 }).toBe(2);
    const [first, second] = await rows(retried.expected.id);
    expect(first).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/),
      'crm',
      retried.expected.id,
      'message.received',
      '6282000000503',
      '1',
      'retry 503',
      expect.stringMatching(/^\d+ ms$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/),
      'HTTP 503',
    ]);
    expect(second).toEqual([expect.any(String), 'crm', retried.expected.id, 'message.received', '6282000000503', '2', 'delivered 204', expect.stringMatching(/ ms$/), '-', '']);
    await expect.poll(() => rows(refused.expected.id), { timeout: 30_000 }).toEqual([[expect.any(String), 'crm', refused.expected.id, 'message.received', DEAD, '1', 'failed 410 (parked)', expect.any(String), '-', 'HTTP 410']]);
    await expect.poll(() => page.locator('#parked-list > li').allTextContents()).toEqual([expect.stringContaining(DEAD)]);
    expect(await page.locator('#attempt-count').textContent()).toBe('3');
    expect(await page.locator(`#attempts .attempt[data-event="${refused.expected.id}"] .outcome`).getAttribute('class')).toBe('outcome outcome-failed');
    expect(errors).toEqual([]);
  });

  it("opens the event of an attempt: its detail lists its deliveries to the destinations", async () => {
    // Act
    const retriedId = qikchatText('6282000000503', 'B-1').expected.id;
    await page.locator(`#attempts .attempt[data-event="${retriedId}"]`).first().click();

    // Assess
    await expect.poll(() => page.locator('#detail-outbound li').allTextContents()).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} crm attempt 1: retry 503, \d+ ms, next \d\d:\d\d:\d\d\.\d{3}: HTTP 503$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} crm attempt 2: delivered 204, \d+ ms$/),
    ]);
    expect(await page.locator('#detail-body dd').first().textContent()).toBe('event');
    expect(await page.locator('#done-note').textContent()).toBe('No code handler is registered for message.received: it went to its destinations (below).');
    expect(errors).toEqual([]);
  });
});
