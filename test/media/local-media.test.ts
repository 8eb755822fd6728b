/**
 * Media in the local runtime: a sample's link pointed at the runtime's copy of its file, stored in the local archive
 * bucket before the handler runs, served back by `GET /_local/media/<key>` (guarded like every /_local route), and
 * shown in the console with a link that opens it (Chromium, skipped where none is installed).
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalMediaLinks } from '../../dev/local/media-server.js';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { readSample } from '../../dev/local/samples.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { eventMedia } from '../../lib/media/event-media.js';
import { browserMissing, launchChromium } from '../support/browser.js';
import { post, signed, startTestRuntime, waitForEvent } from '../support/local-runtime.js';

const FILE = new URL('../../dev/samples/qikchat/media/1104563920875521.jpeg', import.meta.url);

describe('media in the local runtime', () => {
  let runtime: LocalRuntime;
  let event: WebhookEvent;

  beforeAll(async () => {
    runtime = await startTestRuntime({ handlers: { 'message.received': () => undefined } });
    // What `npm run send -- qikchat message-image` sends
    const body = await withLocalMediaLinks('qikchat', await readSample('qikchat', 'message-image'), runtime.url);
    const request = signed('qikchat', body);
    expect((await post(runtime, request)).status).toBe(200);
    event = await waitForEvent(runtime, (candidate) => candidate.id === request.expected.id);
  }, 60_000);
  afterAll(async () => {
    await runtime.stop();
  });

  it("points only the sample's links whose file is in dev/samples/<provider>/media/ at the runtime", async () => {
    // Act
    const body = (await withLocalMediaLinks('qikchat', Buffer.from('{"a":"https://media.qikchat.in/x/1104563920875521.jpeg","b":"https://media.qikchat.in/x/other.jpeg"}'), 'http://127.0.0.1:9')).toString();
    // Assess
    expect(JSON.parse(body)).toEqual({ a: 'http://127.0.0.1:9/_local/sample-media/qikchat/1104563920875521.jpeg', b: 'https://media.qikchat.in/x/other.jpeg' });
  });

  it("stores the sample's file, checked against the sample's sha256, before the handler runs", async () => {
    // Assess
    const stored = eventMedia(event)?.stored;
    expect(stored).toMatchObject({ bucket: runtime.archive.bucket, size: (await readFile(FILE)).length, contentType: 'image/jpeg' });
    expect(stored?.key).toMatch(/^media\/qikchat\/[0-9a-f]{32}$/);
    const events = (await (await fetch(`${runtime.url}/_local/events`)).json()) as WebhookEvent[];
    expect(eventMedia(events.find((candidate) => candidate.id === event.id)!)?.stored).toEqual(stored);
  });

  it('serves the stored file at GET /_local/media/<key>, sandboxed, and nothing outside media/', async () => {
    // Act
    const key = eventMedia(event)?.stored?.key ?? '';
    const response = await fetch(`${runtime.url}/_local/media/${key}`);
    const outside = await fetch(`${runtime.url}/_local/media/events/anything`);
    const foreign = await fetch(`${runtime.url}/_local/media/${key}`, { headers: { origin: 'http://attacker.test' } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(FILE))).toBe(true);
    expect([outside.status, foreign.status]).toEqual([404, 403]);
  });

  it('serves only the samples\' media files', async () => {
    // Act
    const statuses = await Promise.all(
      ['/_local/sample-media/qikchat/1104563920875521.jpeg', '/_local/sample-media/qikchat/message-image.json', '/_local/sample-media/qikchat/%2e%2e%2fmessage-image.json'].map(
        async (path) => (await fetch(`${runtime.url}${path}`)).status,
      ),
    );
    // Assess
    expect(statuses).toEqual([200, 404, 404]);
  });

  describe.skipIf(browserMissing())('the console', () => {
    let browser: { context: BrowserContext; close: () => Promise<void> };
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser.close();
    });

    it("shows the event's stored file with a link that opens it", async () => {
      // Prepare
      const page = await browser.context.newPage();
      await page.goto(runtime.url);

      // Act
      await page.locator('.entry', { hasText: 'message.received' }).first().click();
      const link = page.locator('#stored-media-link');
      await expect.poll(() => link.count()).toBe(1);
      const href = await link.getAttribute('href');
      // The file it opens is a picture the browser can show (32 × 32)
      const width = await page.evaluate<number>(`new Promise((resolve) => { const image = new Image(); image.onload = () => resolve(image.naturalWidth); image.onerror = () => resolve(-1); image.src = ${JSON.stringify(href)}; })`);

      // Assess
      expect(await link.textContent()).toBe(eventMedia(event)?.stored?.key);
      expect(href).toBe(`/_local/media/${eventMedia(event)?.stored?.key ?? ''}`);
      expect(width).toBe(32);
    });
  });
});
