import { describe, expect, it } from 'vitest';
import { formatListing, formatPlan } from '../../../dev/resume/format.js';
import type { ParkedConversation } from '../../../lib/parking/park-store.js';

const conversation: ParkedConversation = {
  conversation: 'qikchat:6281234',
  provider: 'qikchat',
  conversationId: '6281234',
  state: 'parked',
  failingEventId: 'e-1',
  error: `TypeError: broken\n    at handler (${'x'.repeat(120)})`,
  attempts: 5,
  parkedAt: '2026-12-07T00:00:00.000Z',
};

describe('formatListing', () => {
  it('aligns the columns and keeps a long error on one shortened line', () => {
    // Act
    const lines = formatListing([{ ...conversation, events: ['e-1', 'e-2'] }, { ...conversation, conversation: 'chatzuri:c-9', provider: 'chatzuri', state: 'resuming', error: 'x', events: ['e-7'] }]).split('\n');

    // Assess
    expect(lines.slice(0, 3).map((line) => line.split(/\s{2,}/))).toEqual([
      ['CONVERSATION', 'PROVIDER', 'STATE', 'FAILING EVENT', 'ATTEMPTS', 'EVENTS', 'ERROR'],
      ['qikchat:6281234', 'qikchat', 'parked', 'e-1', '5', '2', expect.stringMatching(/^TypeError: broken at handler \(x+…$/)],
      ['chatzuri:c-9', 'chatzuri', 'resuming', 'e-1', '5', '1', 'x'],
    ]);
    expect(lines[1]?.split(/\s{2,}/).at(-1)).toHaveLength(80);
    // The second column starts after the widest conversation (15 characters) and two spaces.
    expect([lines[0]?.indexOf('PROVIDER'), lines[1]?.indexOf('qikchat', 15), lines[2]?.indexOf('chatzuri', 12)]).toEqual([17, 17, 17]);
    expect(lines[3]).toBe('');
  });
});

describe('formatPlan', () => {
  const body = (type: string) => JSON.stringify({ type });
  const events = ['e-1', 'e-2'].map((eventId, index) => ({ eventId, messageId: `m-${String(index)}`, sequence: String(index), body: body('message.received'), parkedAt: conversation.parkedAt }));

  it('runs the failing event first, then the others, one line each', () => {
    expect(formatPlan(conversation, [...events, { ...events[1]!, eventId: 'e-3', body: 'not JSON' }], undefined).split('\n')).toEqual([
      expect.stringMatching(/^ {3}1\. {2}run {2}e-1 {2}message\.received {2}the failing event: 5 failed attempts, last: TypeError: broken at handler/),
      '   2.  run  e-2  message.received',
      '   3.  run  e-3',
      '',
    ]);
  });

  it('marks the failing event skipped with --skip', () => {
    expect(formatPlan(conversation, events, 'e-1').split('\n')[0]).toBe('   1.  skip  e-1  message.received  the failing event: dropped, not handled; archived marked skipped');
  });
});
