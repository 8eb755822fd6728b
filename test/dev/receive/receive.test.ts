/**
 * `npm run receive` in-process over real HTTP: requests signed with the `standardwebhooks` package (an independent
 * signer), verified or refused, deduplicated on webhook-id, order noticed per conversation, failures on purpose, and
 * one line for each command-line mistake.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveCommand } from '../../../dev/cli/receive.js';
import { DEVELOPMENT_DESTINATION_SECRET } from '../../../dev/local/destination-secret.js';
import type { ReferenceReceiver } from '../../../dev/receive/receiver.js';

const OTHER_SECRET = `whsec_${Buffer.from('another-secret-of-24-bytes!!').toString('base64')}`;

/** A CloudEvent of a conversation, as a destination sends it. */
function cloudEvent(id: string, conversation = '6281000000001', type = 'message.received'): string {
  return JSON.stringify({ specversion: '1.0', id, source: '/webhooks/qikchat', type, provider: 'qikchat', subject: conversation, time: '2026-12-07T00:00:00.000Z', datacontenttype: 'application/json', data: { conversationId: conversation } });
}

/** The Standard Webhooks headers of `body`, signed by the package with `secret` at `at`. */
function signedHeaders(id: string, body: string, secret = DEVELOPMENT_DESTINATION_SECRET, at = new Date()): Record<string, string> {
  return {
    'content-type': 'application/cloudevents+json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

describe('npm run receive', () => {
  let running: ReferenceReceiver | undefined;
  let stdout = '';
  let stderr = '';
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    stdout = '';
    stderr = '';
  });
  const lines = () => stdout.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} {2}/.test(line));

  /** Starts it in-process on a free port; `draws` decide which requests fail (below --fail-rate fails). */
  async function receive(argv: string[], env: NodeJS.ProcessEnv = {}, draws: number[] = []): Promise<ReferenceReceiver> {
    const started = await receiveCommand(['--port', '0', ...argv], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env }, () => draws.shift() ?? 1);
    if (typeof started === 'number') throw new Error(`it did not start (${String(started)}): ${stderr}`);
    running = started;
    return started;
  }

  /** Runs it with a mistake; its exit code and what it said. */
  async function refused(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
    let said = '';
    const started = await receiveCommand(argv, { stdout: () => undefined, stderr: (text) => (said += text), env });
    if (typeof started !== 'number') {
      await started.stop();
      throw new Error('it started');
    }
    return { code: started, stderr: said };
  }

  async function deliver(receiver: ReferenceReceiver, id: string, body = cloudEvent(id), headers = signedHeaders(id, body)) {
    const response = await fetch(receiver.url, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  }

  it('verifies an event signed with the development secret by default, answers 204 and prints one line of it', async () => {
    // Prepare
    const receiver = await receive([]);

    // Act
    const answer = await deliver(receiver, 'qikchat:in:A1');

    // Assess
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook$/);
    expect(answer.status).toBe(204);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}qikchat:in:A1 {2}message\.received +qikchat +conv 6281000000001 +verified → 204$/);
    expect(stdout).toContain(`the DEVELOPMENT secret ${DEVELOPMENT_DESTINATION_SECRET}`);
    expect(stdout).toContain(`npm start -- --destination ${receiver.url}`);
  });

  it('refuses with 401 a signature of another secret, missing headers, an old timestamp or a changed body, and says why', async () => {
    // Prepare
    const receiver = await receive([]);
    const body = cloudEvent('e1');
    const old = new Date(Date.now() - 10 * 60 * 1000);

    // Act
    const answers = [
      await deliver(receiver, 'e1', body, signedHeaders('e1', body, OTHER_SECRET)),
      await deliver(receiver, 'e1', body, { 'content-type': 'application/cloudevents+json' }),
      await deliver(receiver, 'e1', body, signedHeaders('e1', body, DEVELOPMENT_DESTINATION_SECRET, old)),
      await deliver(receiver, 'e1', body.replace('6281000000001', '6281000000002'), signedHeaders('e1', body)),
    ];

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
    expect(lines()).toEqual([
      expect.stringMatching(/ {2}e1 {2}POST \/hook {2}REFUSED 401: signature not verified: No matching signature found$/),
      expect.stringMatching(/ {2}- {2}POST \/hook {2}REFUSED 401: signature not verified: Missing required headers$/),
      expect.stringMatching(/ {2}e1 {2}POST \/hook {2}REFUSED 401: signature not verified: Message timestamp too old$/),
      expect.stringMatching(/ {2}e1 {2}POST \/hook {2}REFUSED 401: signature not verified: No matching signature found$/),
    ]);
    expect(receiver.requests().every((request) => request.outcome === 'refused')).toBe(true);
  });

  it('answers a repeated webhook-id 204 again and prints it as a duplicate', async () => {
    // Prepare
    const receiver = await receive([]);
    await deliver(receiver, 'qikchat:in:D1');

    // Act
    const again = await deliver(receiver, 'qikchat:in:D1');

    // Assess
    expect(again.status).toBe(204);
    expect(lines()[1]).toMatch(/ {2}qikchat:in:D1 {2}.*verified, DUPLICATE of the one accepted at \d\d:\d\d:\d\d\.\d{3}, attempt 2 → 204$/);
    expect(receiver.requests().map((request) => request.outcome)).toEqual(['accepted', 'duplicate']);
  });

  it('fails the --fail-rate share with --status, and prints an event that overtakes one owed of its conversation as OUT OF ORDER', async () => {
    // Prepare: the first draw fails (below 0.5), the others do not
    const receiver = await receive(['--fail-rate', '0.5', '--status', '503'], {}, [0.1, 0.9, 0.9, 0.9]);

    // Act: A is failed; B of the same conversation comes before A again; C of another conversation; then A
    const answers = [await deliver(receiver, 'A'), await deliver(receiver, 'B'), await deliver(receiver, 'C', cloudEvent('C', '6281000000009')), await deliver(receiver, 'A')];

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([503, 204, 204, 204]);
    expect(answers[0]?.body).toContain('failing on purpose');
    expect(lines()[0]).toMatch(/ {2}A {2}.*verified, failed on purpose \(--fail-rate 0\.5\) → 503$/);
    expect(lines()[1]).toMatch(/ {2}B {2}.*verified → 204 {2}OUT OF ORDER: A of this conversation was answered 503 at \d\d:\d\d:\d\d\.\d{3} and has not been accepted since$/);
    expect(lines()[2]).toMatch(/ {2}C {2}.*verified → 204$/);
    expect(lines()[3]).toMatch(/ {2}A {2}.*verified, attempt 2 → 204$/);
    expect(receiver.requests().filter((request) => request.arrival?.outOfOrder !== undefined).map((request) => request.webhookId)).toEqual(['B']);
  });

  it('owes nothing after a permanent refusal (410): the sender parks that event, so what follows is in order', async () => {
    // Prepare
    const receiver = await receive(['--fail-rate', '1', '--status', '410'], {}, [0, 1]);

    // Act
    const answers = [await deliver(receiver, 'P1'), await deliver(receiver, 'P2')];

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([410, 204]);
    expect(lines()[1]).not.toContain('OUT OF ORDER');
  });

  it('verifies with DESTINATION_SECRET and, during a rotation, DESTINATION_SECRET_PREVIOUS; --secret over both', async () => {
    // Prepare
    const current = `whsec_${Buffer.from('the-current-secret-24-bytes').toString('base64')}`;
    const receiver = await receive([], { DESTINATION_SECRET: current, DESTINATION_SECRET_PREVIOUS: OTHER_SECRET });
    const body = cloudEvent('R1');

    // Act
    const answers = [
      await deliver(receiver, 'R1', body, signedHeaders('R1', body, current)),
      await deliver(receiver, 'R2', cloudEvent('R2'), signedHeaders('R2', cloudEvent('R2'), OTHER_SECRET)),
      await deliver(receiver, 'R3'),
    ];

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([204, 204, 401]);
    expect(stdout).toContain('with DESTINATION_SECRET and DESTINATION_SECRET_PREVIOUS');
    expect(stdout).not.toContain(current);
  });

  it('answers another path 404 and another method 405, each with its line', async () => {
    // Prepare
    const receiver = await receive(['--path', '/events']);
    const base = receiver.url.replace(/\/events$/, '');

    // Act
    const statuses = [(await fetch(`${base}/hook`, { method: 'POST', body: '{}' })).status, (await fetch(receiver.url)).status];

    // Assess
    expect(statuses).toEqual([404, 405]);
    expect(lines()[0]).toContain('POST /hook  REFUSED 404: this receiver takes deliveries at /events only (npm run receive -- --path)');
    expect(lines()[1]).toContain('GET /events  REFUSED 405');
  });

  it.each([
    [['--fail-rate', '2'], '--fail-rate must be a share from 0 to 1 (0.3 fails about 3 requests in 10), not "2"'],
    [['--fail-rate', 'lots'], '--fail-rate must be a share from 0 to 1'],
    [['--status', '200'], '--status must be a status that is no success, 300 to 599, not "200"'],
    [['--port', 'eighty'], '--port must be a port number (0 picks a free one), not "eighty"'],
    [['--path', 'hook'], '--path must start with /, as in /hook, not "hook"'],
    [['--secret', 'whsec_c2hvcnQ='], '--secret must be a Standard Webhooks secret: whsec_ followed by a base64 key of 24 to 64 bytes'],
    [['--secret', 'my-password-1234567890'], '--secret must be a Standard Webhooks secret'],
    [['--colour'], "Unknown option '--colour'"],
    [['--port'], "Option '--port <value>' argument missing"],
  ])('a mistake (%j) is one line and the usage, exit 2', async (argv, message) => {
    // Act
    const result = await refused(argv);

    // Assess
    expect(result.code).toBe(2);
    const [first, second] = result.stderr.split('\n');
    expect(first).toContain(`npm run receive: ${message}`);
    expect(second).toMatch(/^Usage: npm run receive/);
    expect(result.stderr).not.toContain('my-password');
  });

  it('a DESTINATION_SECRET that is no whsec_ secret stops it with one line naming the variable, exit 1', async () => {
    // Act
    const result = await refused(['--port', '0'], { DESTINATION_SECRET: 'hunter2' });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('npm run receive: DESTINATION_SECRET must be a Standard Webhooks secret: whsec_ followed by a base64 key of 24 to 64 bytes (e.g. whsec_$(openssl rand -base64 32)), or unset\n');
  });

  it('a port in use is one line naming another, exit 1', async () => {
    // Prepare
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;

    // Act
    const result = await refused(['--port', String(port)]);
    await new Promise((resolve) => taken.close(resolve));

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`npm run receive: port ${String(port)} is in use: stop what uses it, or choose another, e.g. npm run receive -- --port ${String(port + 1)}\n`);
  });
});
