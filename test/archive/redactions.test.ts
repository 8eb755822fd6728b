import { describe, expect, it } from 'vitest';
import { readSample } from '../../dev/local/samples.js';
import { redactEventData } from '../../lib/archive/redactions.js';
import { archivedEvent, toArchiveLine } from '../../lib/archive/format.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { REDACTED } from '../../lib/observability/redact.js';
import { signed } from '../support/local-runtime.js';
import { credentialLadenBodies } from './credential-laden.js';

describe('archive redactions', () => {
  it('archives none of the 13 credentials of issue 22 (and qismo_key), signed in real payloads of three providers', async () => {
    // Prepare
    const { bodies, credentials } = await credentialLadenBodies();
    const requests = bodies.map(({ slug, body }) => signed(slug, body));

    // Act
    const lines = requests.map((request) => toArchiveLine(request.expected, new Date('2026-11-29T10:00:00Z'), '1'));

    // Assess: the event handed on keeps them all; the archive has none, and keeps the rest
    expect(credentials).toHaveLength(14);
    const events = JSON.stringify(requests.map((request) => request.expected));
    const archive = lines.map((line) => line.event).join('\n');
    for (const credential of credentials) {
      expect(events).toContain(credential);
      expect(archive, credential).not.toContain(credential);
    }
    const [allocation] = lines.map((line) => JSON.parse(line.event) as WebhookEvent);
    const raw = allocation?.data.raw as { candidate_agent: Record<string, unknown>; extras: string };
    expect(raw.candidate_agent).toMatchObject({ name: 'dewi', Authentication_Token: REDACTED, authenticationToken: REDACTED, secret: REDACTED, direct_login_token: null });
    expect(JSON.parse(raw.extras)).toEqual({ timezone_offset: 7, sdk_key: REDACTED, authentication_token: REDACTED });
    expect(archive).toContain('https://shop.example.com/cb?token=[REDACTED]&lang=id');
  });

  it('replaces the credentials of a Qiscus agent allocation sample and leaves the event itself unchanged', async () => {
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
    expect(line.event).toContain('"qismo_key":"[REDACTED]"');
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

  it('keeps a body that is not UTF-8 as its bytes (base64 has no name=value pair), and redacts one that is text', () => {
    // Prepare: bytes that are no text (`=token=` among them), kept as base64; a form-encoded body, kept as text
    const bytes = signed('chatzuri', Buffer.from([0xff, 0xfe, 0x3d, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x3d, 0x61])).expected;
    const form = signed('chatzuri', 'token=abc&lang=id').expected;

    // Act
    const [keptBytes, keptForm] = [redactEventData(bytes.data), redactEventData(form.data)];

    // Assess
    expect(keptBytes).toEqual(bytes.data);
    expect(keptForm).toMatchObject({ raw: `token=${REDACTED}&lang=id` });
  });
});
