import { describe, expect, it } from 'vitest';
import { filterEvents } from '../../../dev/local/event-query.js';
import { InspectQueryError } from '../../../dev/local/server.js';
import { cloudEvent } from '../../support/events.js';

describe('GET /_local/events filters', () => {
  // Prepare
  const events = [cloudEvent('a', 'conv-1'), { ...cloudEvent('b', 'conv-2'), provider: 'qikchat' }, { ...cloudEvent('c', 'conv-1'), type: 'message.sent' as const }, cloudEvent('d', null)];
  const ids = (query: string) => filterEvents(events as never, new URLSearchParams(query)).map((event) => event.id);

  it('filters by provider, type and conversation (id or digest), oldest first', () => {
    expect(ids('')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('provider=qikchat')).toEqual(['b']);
    expect(ids('type=message.sent')).toEqual(['c']);
    expect(ids('conversation=conv-1')).toEqual(['a', 'c']);
    // printf %s conv-1 | sha256sum | cut -c1-16
    expect(ids('conversation=36524fd8f6747fc2')).toEqual(['a', 'c']);
    expect(ids('conversation=conv-1&type=message.received')).toEqual(['a']);
  });

  it('keeps the newest `limit` and refuses a limit that is no positive integer', () => {
    expect(ids('limit=2')).toEqual(['c', 'd']);
    expect(() => ids('limit=0')).toThrow(InspectQueryError);
    expect(() => ids('limit=ten')).toThrow('limit must be a positive integer, not "ten"');
  });
});
