import { describe, expect, it } from 'vitest';
import { qiscusMessageEventId } from '../../lib/providers/qiscus-shared/event-id.js';

describe('qiscusMessageEventId', () => {
  it('keeps two different room/sender splits of the same text apart (regression: ":" in a sender)', () => {
    // Prepare: message id 0, so the client's temporary id scoped by room and sender is used
    const message = { id: 0, type: 'text', unique_temp_id: 'bq1' };

    // Act
    const first = qiscusMessageEventId('message', message, '1', 'a:b');
    const second = qiscusMessageEventId('message', message, '1:a', 'b');

    // Assess
    expect(first).not.toBe(second);
    expect(first).toBe('message:temp:1:a%3Ab:bq1');
  });
});
