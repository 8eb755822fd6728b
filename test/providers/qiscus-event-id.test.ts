import { describe, expect, it } from 'vitest';
import { eventId } from '../../lib/normalise/build.js';
import { personalIdPart } from '../../lib/providers/kit/personal-id.js';
import { qiscusMessageEventId } from '../../lib/providers/qiscus/shared/event-id.js';

const CONTENT = { json: {} };

describe('qiscusMessageEventId', () => {
  it('keeps two different room/sender splits of the same text apart (regression: ":" in a sender)', () => {
    // Prepare: message id 0, so the client's temporary id scoped by room and sender is used
    const message = { id: 0, type: 'text', unique_temp_id: 'bq1' };

    // Act
    const first = eventId('qiscus-sdk', 'message.received', qiscusMessageEventId('message', message, '1', 'a:b'), CONTENT);
    const second = eventId('qiscus-sdk', 'message.received', qiscusMessageEventId('message', message, '1:a', 'b'), CONTENT);

    // Assess
    expect(first).toBe(`qiscus-sdk:message-temp:1:${personalIdPart('a:b')}:bq1`);
    expect(second).toBe(`qiscus-sdk:message-temp:1%3Aa:${personalIdPart('b')}:bq1`);
  });

  it('names the event kind and whether the id is the message id or a temporary one', () => {
    // Act
    const ids = [
      qiscusMessageEventId('message', { id: 1523 }, '17', 'u@x'),
      qiscusMessageEventId('new-session', { id_str: '1523', id: 1523 }, '17', 'u@x'),
      qiscusMessageEventId('message', { id: 0, unique_temp_id: '1523' }, '17', 'u@x'),
      qiscusMessageEventId('message', { id: 0 }, '17', 'u@x'),
    ];

    // Assess
    expect(ids).toEqual([['message', '1523'], ['new-session', '1523'], ['message-temp', '17', '4ab253d1c21cbc8d35f9257716a521d1', '1523'], undefined]);
  });

  it('carries no sender id in a temporary id, only its digest', () => {
    // Act
    const id = eventId('qiscus-omnichannel', 'conversation.started', qiscusMessageEventId('new-session', { id: 0, unique_temp_id: 'bq1' }, '17', '6285711122233'), CONTENT);

    // Assess
    expect(id).not.toContain('6285711122233');
    expect(id).toBe(`qiscus-omnichannel:new-session-temp:17:${personalIdPart('6285711122233')}:bq1`);
  });
});
