import { describe, expect, it } from 'vitest';
import { chooseConversation } from '../../../dev/resume/choose.js';
import type { ParkedConversation } from '../../../lib/parking/park-store.js';

/** A parked conversation of `provider` with the conversation id `id`. */
function parked(provider: string, id: string): ParkedConversation {
  return { conversation: `${provider}:${id}`, provider, conversationId: id, state: 'parked', failingEventId: `${provider}:e1`, error: 'broken', attempts: 5, parkedAt: '2026-12-07T00:00:00.000Z' };
}

describe('chooseConversation', () => {
  const listing = [parked('qikchat', '6281234'), parked('chatzuri', '6281234'), parked('qikchat', '6289999')];

  it('takes the message group as listed', () => {
    expect(chooseConversation('chatzuri:6281234', listing)).toBe(listing[1]);
  });

  it('takes a bare conversation id that exactly one parked conversation has', () => {
    expect(chooseConversation('6289999', listing)).toBe(listing[2]);
  });

  it('names the message groups to choose from when several have the bare id', () => {
    expect(() => chooseConversation('6281234', listing)).toThrow(
      '2 parked conversations have the id 6281234: choose one with --conversation qikchat:6281234 or chatzuri:6281234',
    );
  });

  it('says a conversation is not parked, and how to list those that are', () => {
    expect(() => chooseConversation('qikchat:6280000', listing)).toThrow(
      expect.objectContaining({ name: 'ResumeCommandError', message: 'Conversation qikchat:6280000 is not parked: npm run resume -- --list shows the parked ones' }),
    );
  });
});
