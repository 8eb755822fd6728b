/** `npm start -- --destination <url>[=<providers>:<types>]` as settings, the destination secret, and their one-line refusals. */
import { describe, expect, it } from 'vitest';
import { describeFilter, destinationsFromFlags } from '../../../dev/local/destination-flags.js';
import { DEVELOPMENT_DESTINATION_SECRET, isDestinationSecret, localDestinationSecrets } from '../../../dev/local/destination-secret.js';
import { SecretVariableError } from '../../../dev/local/secrets.js';
import { LocalSettingError } from '../../../dev/local/settings.js';
import { DestinationSchema, filterMatcher } from '../../../lib/destinations/settings.js';
import { Webhook } from 'standardwebhooks';
import { webhookSignature } from '../../../lib/destinations/signing.js';

/** The one line a refused flag gives; fails the test when it is accepted. */
function refusal(flag: string): string {
  try {
    destinationsFromFlags([flag]);
  } catch (error) {
    expect(error).toBeInstanceOf(LocalSettingError);
    return (error as Error).message;
  }
  throw new Error(`expected ${flag} to be refused`);
}

describe('--destination', () => {
  it('takes a URL alone: every event, named after the URL', () => {
    // Act
    const [destination] = destinationsFromFlags(['http://127.0.0.1:8080/hook']);

    // Assess
    expect(destination).toEqual({ type: 'https', name: '127-0-0-1-8080-hook', url: 'http://127.0.0.1:8080/hook', filter: {} });
    expect(DestinationSchema.parse(destination)).toMatchObject({ timeoutMs: 10_000 });
  });

  it.each([
    ['qikchat:message.*', { providers: ['qikchat'], types: ['message.*'] }, 'qikchat:message.*'],
    ['qikchat', { providers: ['qikchat'] }, 'qikchat:*'],
    ['*:conversation.*,lead.submitted', { types: ['conversation.*', 'lead.submitted'] }, '*:conversation.*,lead.submitted'],
    ['qikchat,chatzuri:*', { providers: ['qikchat', 'chatzuri'] }, 'qikchat,chatzuri:*'],
    ['qiscus-*:message.received', { providers: ['qiscus-*'], types: ['message.received'] }, 'qiscus-*:message.received'],
  ])('takes the filter after = (%s) as provider and type globs', (filter, expected, described) => {
    // Act
    const [destination] = destinationsFromFlags([`http://127.0.0.1:8080/hook=${filter}`]);

    // Assess
    expect(destination?.filter).toEqual(expected);
    expect(destination?.url).toBe('http://127.0.0.1:8080/hook');
    expect(describeFilter(destination?.filter)).toBe(described);
  });

  it('sends an event where its provider matches one provider glob and its type one type glob', () => {
    // Prepare
    const [destination] = destinationsFromFlags(['http://127.0.0.1:8080/hook=qikchat,chatzuri:message.*']);
    const matches = filterMatcher(destination?.filter ?? {});

    // Assess
    expect(matches({ provider: 'qikchat', type: 'message.received' })).toBe(true);
    expect(matches({ provider: 'chatzuri', type: 'message.sent' })).toBe(true);
    expect(matches({ provider: 'chatzuri', type: 'lead.submitted' })).toBe(false);
    expect(matches({ provider: 'qiscus-sdk', type: 'message.received' })).toBe(false);
  });

  it("leaves a URL's own = in its query string alone; a filter then ends it", () => {
    // Act
    const [plain, filtered] = destinationsFromFlags(['http://127.0.0.1:8080/hook?key=abc', 'http://127.0.0.1:8080/hook?key=abc=qikchat']);

    // Assess
    expect(plain).toMatchObject({ url: 'http://127.0.0.1:8080/hook?key=abc', filter: {} });
    expect(filtered).toMatchObject({ url: 'http://127.0.0.1:8080/hook?key=abc', filter: { providers: ['qikchat'] }, name: '127-0-0-1-8080-hook-2' });
  });

  it('names destinations of one URL apart, in order', () => {
    // Act
    const names = destinationsFromFlags(['http://127.0.0.1:8080/hook', 'http://127.0.0.1:8080/hook=qikchat', 'http://localhost:9000/']).map((destination) => destination.name);

    // Assess
    expect(names).toEqual(['127-0-0-1-8080-hook', '127-0-0-1-8080-hook-2', 'localhost-9000']);
  });

  it.each([
    ['localhost:8080/hook', '--destination localhost:8080/hook: the URL must be http(s) with a host, such as http://127.0.0.1:8080/hook'],
    ['ftp://127.0.0.1/hook', '--destination ftp://127.0.0.1/hook: the URL must be http(s) with a host'],
    ['http://user:pass@127.0.0.1:8080/hook', 'a URL with credentials in it is refused; the requests are signed instead'],
    ['http://127.0.0.1:8080/hook=qikchat:message.*:x', 'the filter after = must be <providers>:<types>, each side globs separated by commas (e.g. qikchat:message.* or qikchat,chatzuri:*), not "qikchat:message.*:x"'],
    ['http://127.0.0.1:8080/hook=', 'the filter after = must be <providers>:<types>'],
    ['http://127.0.0.1:8080/hook=qikhcat:*', '"qikhcat" matches no provider (qiscus-omnichannel, qiscus-sdk, qikchat, chatzuri)'],
    ['http://127.0.0.1:8080/hook=qikchat:message.recieved', '"message.recieved" matches no event type (message.received, '],
  ])('refuses %s with one line naming the fix', (flag, message) => {
    // Act
    const line = refusal(flag);

    // Assess
    expect(line).toContain(message);
    expect(line).not.toContain('\n');
  });
});

describe('the destination secret', () => {
  it('is DESTINATION_SECRET (and DESTINATION_SECRET_PREVIOUS), else the development secret, which signs', () => {
    // Prepare
    const current = `whsec_${Buffer.from('a-current-secret-of-24-bytes').toString('base64')}`;
    const previous = `whsec_${Buffer.from('a-previous-secret-of-24-bytes').toString('base64')}`;

    // Act
    const read = [localDestinationSecrets({}), localDestinationSecrets({ DESTINATION_SECRET: current, DESTINATION_SECRET_PREVIOUS: previous })];

    // Assess
    expect(read).toEqual([
      { secrets: [DEVELOPMENT_DESTINATION_SECRET], developmentDefault: true },
      { secrets: [current, previous], developmentDefault: false },
    ]);
    expect(Buffer.from(DEVELOPMENT_DESTINATION_SECRET.slice('whsec_'.length), 'base64').toString()).toBe('dev-only-destination-secret-not-for-production');
    // The destinations sign with it, and the standardwebhooks package (npm run receive) verifies what they signed
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'e1', 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature([DEVELOPMENT_DESTINATION_SECRET], 'e1', timestamp, '{}') };
    expect(() => new Webhook(DEVELOPMENT_DESTINATION_SECRET).verify('{}', headers)).not.toThrow();
  });

  it.each([
    ['whsec_c2hvcnQ=', 'too short'],
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'no whsec_'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', 'a character lost'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa!w', 'no base64'],
  ])('refuses %s (%s) with one line naming DESTINATION_SECRET, never the value', (value) => {
    // Act
    let message = '';
    try {
      localDestinationSecrets({ DESTINATION_SECRET: value });
    } catch (error) {
      expect(error).toBeInstanceOf(SecretVariableError);
      message = (error as Error).message;
    }

    // Assess
    expect(isDestinationSecret(value)).toBe(false);
    expect(message).toBe('DESTINATION_SECRET must be a Standard Webhooks secret: whsec_ followed by a base64 key of 24 to 64 bytes (e.g. whsec_$(openssl rand -base64 32)), or unset');
    expect(message).not.toContain(value);
  });
});
