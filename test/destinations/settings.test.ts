/** The destinations' settings: defaults, bounds, one clear line per mistake, and the filter globs. */
import { describe, expect, it } from 'vitest';
import { DESTINATION_DEFAULTS, DestinationsSchema, filterMatcher } from '../../lib/destinations/settings.js';

describe('DestinationsSchema', () => {
  it('fills the defaults of an https destination and keeps an eventbridge one as written', () => {
    // Act
    const parsed = DestinationsSchema.parse([
      { type: 'https', name: 'crm', url: 'https://crm.example.com/hooks' },
      { type: 'eventbridge', name: 'bus', busName: 'chat-events', filter: { types: ['message.*'] } },
    ]);

    // Assess
    expect(parsed[0]).toEqual({
      type: 'https',
      name: 'crm',
      url: 'https://crm.example.com/hooks',
      filter: {},
      timeoutMs: DESTINATION_DEFAULTS.timeoutMs,
      maxConcurrency: DESTINATION_DEFAULTS.maxConcurrency,
      circuitFailures: DESTINATION_DEFAULTS.circuitFailures,
      circuitCoolDownSeconds: DESTINATION_DEFAULTS.circuitCoolDownSeconds,
    });
    expect(parsed[1]).toEqual({ type: 'eventbridge', name: 'bus', busName: 'chat-events', filter: { types: ['message.*'] } });
  });

  it.each([
    ['a name used twice', [{ type: 'https', name: 'a', url: 'https://a.example' }, { type: 'eventbridge', name: 'a', busName: 'b' }], 'used twice'],
    ['a name with capitals', [{ type: 'https', name: 'CRM', url: 'https://a.example' }], 'lower-case'],
    ['a URL of another scheme', [{ type: 'https', name: 'a', url: 'ftp://a.example' }], 'http(s) URL'],
    ['credentials in the URL', [{ type: 'https', name: 'a', url: 'https://user:pw@a.example' }], 'credentials'],
    ['a time limit beyond the handler budget', [{ type: 'https', name: 'a', url: 'https://a.example', timeoutMs: 30_000 }], '15000'],
    ['an address that is no CIDR', [{ type: 'https', name: 'a', url: 'https://a.example', allowAddresses: ['10.0.0.0/33'] }], 'CIDR'],
    ['an unknown key (a typo)', [{ type: 'https', name: 'a', url: 'https://a.example', timeout: 1 }], 'timeout'],
    ['an unknown type', [{ type: 'sqs', name: 'a' }], 'type'],
    ['a glob with a slash', [{ type: 'eventbridge', name: 'a', busName: 'b', filter: { types: ['a/b'] } }], 'glob'],
  ])('refuses %s, saying why', (_name, input, why) => {
    // Act
    const result = DestinationsSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(why);
  });
});

describe('filterMatcher', () => {
  it.each([
    [{}, 'qikchat', 'message.received', true],
    [{ providers: ['qikchat'] }, 'qikchat', 'message.received', true],
    [{ providers: ['qikchat'] }, 'qiscus-sdk', 'message.received', false],
    [{ providers: ['qiscus-*'] }, 'qiscus-sdk', 'message.received', true],
    [{ types: ['message.*'] }, 'chatzuri', 'message.status_updated', true],
    [{ types: ['message.*'] }, 'chatzuri', 'conversation.started', false],
    [{ types: ['message.sen?'] }, 'chatzuri', 'message.sent', true],
    // A dot is a dot, not any character.
    [{ types: ['message.sent'] }, 'chatzuri', 'messageXsent', false],
    [{ providers: ['qikchat'], types: ['conversation.*'] }, 'qikchat', 'message.received', false],
  ])('%j takes %s %s: %s', (filter, provider, type, expected) => {
    // Act
    const matches = filterMatcher(filter)({ provider, type });

    // Assess
    expect(matches).toBe(expected);
  });
});
