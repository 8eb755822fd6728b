import { describe, expect, it } from 'vitest';
import { readSample } from '../../dev/local/samples.js';
import { ARCHIVE_REDACTED_KEYS, redactPayload } from '../../lib/archive/redactions.js';
import { archivedEvent, toArchiveLine } from '../../lib/archive/format.js';
import { parseJsonExactly } from '../../lib/providers/kit/exact-json.js';
import { signed } from '../support/local-runtime.js';

describe('archive redactions', () => {
  it('replaces the listed credentials of a Qiscus agent allocation and leaves the event itself unchanged', async () => {
    // Prepare
    const { expected: event } = signed('qiscus-omnichannel', await readSample('qiscus-omnichannel', 'agent-allocation'));
    const before = JSON.stringify(event);

    // Act
    const line = toArchiveLine(event, new Date('2026-11-29T10:00:00Z'), '1');

    // Assess: the archived text holds none of the values, the agent is still there, the event is untouched
    const raw = event.data.raw as { candidate_agent: Record<string, unknown> };
    for (const secret of [raw.candidate_agent.authentication_token, raw.candidate_agent.sdk_key, raw.candidate_agent.qismo_key]) {
      expect(line.event).not.toContain(String(secret));
    }
    expect(line.event).toContain('"authentication_token":"[REDACTED]"');
    expect(line.event).toContain('"direct_login_token":null');
    expect(line.event).toContain('"name":"dewi"');
    expect(JSON.stringify(event)).toBe(before);
  });

  it('redacts sdk_key in the user record of a Qiscus logout', async () => {
    // Prepare
    const { expected: event } = signed('qiscus-omnichannel', await readSample('qiscus-omnichannel', 'user-logout-agent'));

    // Act
    const archived = archivedEvent(event);

    // Assess
    expect(JSON.stringify(archived)).toContain('"sdk_key":"[REDACTED]"');
    expect(JSON.stringify(event)).not.toContain('[REDACTED]');
  });

  it('keeps exact numbers and keys named like object members as data', () => {
    // Prepare
    const { value } = parseJsonExactly('{"__proto__":{"sdk_key":"x"},"big":123456789012345678901234567890,"list":[{"sdk_key":"y"}]}');

    // Act
    const text = JSON.stringify(redactPayload('qiscus-omnichannel', value));

    // Assess
    expect(text).toBe('{"__proto__":{"sdk_key":"[REDACTED]"},"big":123456789012345678901234567890,"list":[{"sdk_key":"[REDACTED]"}]}');
  });

  it('has one list per provider of the registry', async () => {
    const { providers } = await import('../../lib/providers/registry.js');
    expect(Object.keys(ARCHIVE_REDACTED_KEYS).sort()).toEqual(providers.map((provider) => provider.slug).sort());
  });
});
