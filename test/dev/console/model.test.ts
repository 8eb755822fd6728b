import { describe, expect, it } from 'vitest';
import {
  archivedEventLabel,
  archivePath,
  attemptOutcomeLabel,
  formatBody,
  formatTime,
  matchesFilter,
  OUTCOMES,
  outcomeLabel,
  parkedTitle,
  redactHeaders,
  REDACTED,
  replaySummaryText,
  resumeResultText,
  visibleAttempts,
  visibleEntries,
  type ConsoleEntry,
  type OutboundAttemptView,
  type ParkedView,
} from '../../../dev/console/model.js';

function delivery(seq: number, changes: Partial<Extract<ConsoleEntry, { kind: 'delivery' }>> = {}): ConsoleEntry {
  return { kind: 'delivery', id: `d${String(seq)}`, seq, at: '2026-11-29T13:05:01.123Z', provider: 'qikchat', outcome: 'accepted', status: 200, ...changes };
}
function event(seq: number, changes: Partial<Extract<ConsoleEntry, { kind: 'event' }>> = {}): ConsoleEntry {
  return { kind: 'event', id: `e:${String(seq)}`, seq, at: '2026-11-29T13:05:02.000Z', provider: 'chatzuri', type: 'message.received', outcome: 'processed', attempts: 1, ...changes };
}

describe('console filter', () => {
  it('keeps what matches every field and drops the rest', () => {
    // Prepare
    const entries = [
      delivery(1, { type: 'message.received', conversation: '919812345678', conversationDigest: 'a5f2bd9ec98f3217' }),
      delivery(2, { outcome: 'rejected', status: 401 }),
      event(3, { conversation: 'conv-9' }),
    ];

    // Act / Assess
    expect(visibleEntries(entries, { provider: 'qikchat' }).map((e) => e.id)).toEqual(['d2', 'd1']);
    expect(visibleEntries(entries, { outcome: 'rejected' }).map((e) => e.id)).toEqual(['d2']);
    expect(visibleEntries(entries, { type: 'message.received', provider: 'chatzuri' }).map((e) => e.id)).toEqual(['e:3']);
    expect(visibleEntries(entries, { conversation: '98123' }).map((e) => e.id)).toEqual(['d1']);
    expect(visibleEntries(entries, { conversation: 'a5f2bd9e' }).map((e) => e.id)).toEqual(['d1']);
    expect(visibleEntries(entries, {}).map((e) => e.id)).toEqual(['e:3', 'd2', 'd1']);
  });

  it('treats empty fields as no filter and caps the list', () => {
    const entries = Array.from({ length: 10 }, (_, index) => delivery(index + 1));
    expect(matchesFilter(entries[0] as ConsoleEntry, { provider: '', type: '', conversation: '  ', outcome: '' })).toBe(true);
    expect(visibleEntries(entries, {}, 3).map((e) => e.seq)).toEqual([10, 9, 8]);
  });
});

describe('console redaction', () => {
  it('hides every credential header and keeps the rest', () => {
    // Prepare
    const headers = {
      authorization: 'Basic dXNlcjpwYXNzd29yZA==',
      'qiscus-signature-key': 'c2lnbmF0dXJl',
      'QISCUS-SDK-SIGNATURE': 'abc123',
      'x-chatzuri-signature': 'sha256=abc',
      cookie: 'session=1',
      'content-type': 'application/json',
      'user-agent': 'curl/8',
    };

    // Act
    const redacted = redactHeaders(headers);

    // Assess
    expect(redacted).toEqual({
      authorization: `Basic ${REDACTED}`,
      'qiscus-signature-key': REDACTED,
      'QISCUS-SDK-SIGNATURE': REDACTED,
      'x-chatzuri-signature': REDACTED,
      cookie: REDACTED,
      'content-type': 'application/json',
      'user-agent': 'curl/8',
    });
    expect(JSON.stringify(redacted)).not.toMatch(/dXNlcjpw|c2lnbmF0dXJl|abc/);
  });

  it('keeps no scheme-like prefix of a value that has none', () => {
    expect(redactHeaders({ authorization: 'dXNlcjpwYXNzd29yZA==' })).toEqual({ authorization: REDACTED });
  });
});

describe('console formatting', () => {
  it('labels outcomes as the terminal log does', () => {
    expect(outcomeLabel(delivery(1))).toBe('accepted 200');
    expect(outcomeLabel(delivery(1, { outcome: 'rejected', status: 413 }))).toBe('rejected 413');
    expect(outcomeLabel(event(1, { outcome: 'retrying', attempts: 3 }))).toBe('retrying (3)');
    expect(outcomeLabel(event(1, { outcome: 'dead-lettered', attempts: 5 }))).toBe('dead-lettered (5)');
    expect(outcomeLabel(event(1))).toBe('processed');
    expect(outcomeLabel(event(1, { outcome: 'parked', attempts: 5 }))).toBe('parked');
    expect(outcomeLabel(event(1, { outcome: 'skipped' }))).toBe('skipped');
  });

  it('offers parked and skipped in the filter, after retrying', () => {
    expect(OUTCOMES.slice(OUTCOMES.indexOf('retrying'))).toEqual(['retrying', 'parked', 'skipped', 'dead-lettered']);
  });

  it('shows the time of day and indents JSON bodies, leaving other text alone', () => {
    expect(formatTime('2026-11-29T13:05:01.123Z')).toBe('13:05:01.123');
    expect(formatBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatBody('not json')).toBe('not json');
  });
});

describe('console archive', () => {
  it('asks the archive for one conversation, its id trimmed and escaped', () => {
    const url = new URL(archivePath(' conv 1&type=x '), 'http://localhost');
    expect(url.pathname).toBe('/_local/archive');
    expect(url.searchParams.get('conversation')).toBe('conv 1&type=x');
    expect(url.searchParams.get('type')).toBeNull();
    expect(Number(url.searchParams.get('limit'))).toBeGreaterThan(0);
  });

  it('labels an archived event, and a replayed one with its original', () => {
    const event = { id: 'qikchat:abc', type: 'message.received', provider: 'qikchat' };
    expect(archivedEventLabel({ archivedAt: '2026-11-29T13:05:01.123Z', event })).toBe('13:05:01.123 qikchat message.received qikchat:abc');
    expect(archivedEventLabel({ archivedAt: '2026-11-29T13:06:00.000Z', event: { ...event, id: 'qikchat:replay:1', replayof: 'qikchat:abc' } })).toBe(
      '13:06:00.000 qikchat message.received qikchat:replay:1 (replay of qikchat:abc)',
    );
  });

  it('says the replay summary as npm run replay does', () => {
    expect(replaySummaryText({ selected: 3, sent: 2, skipped: 1 })).toBe('Replay: selected 3, sent 2, skipped 1.');
  });
});

describe('console parked conversations', () => {
  const view: ParkedView = {
    conversation: 'qikchat:6281234567890',
    provider: 'qikchat',
    conversationId: '6281234567890',
    state: 'parked',
    failingEventId: 'qikchat:wamid.1',
    error: 'Error: the CRM is down',
    attempts: 5,
    parkedAt: '2026-12-07T00:00:20.000Z',
    events: ['qikchat:wamid.1', 'qikchat:wamid.2', 'qikchat:wamid.3'],
  };

  it('titles a parked conversation with its provider, id, state and event count', () => {
    expect(parkedTitle(view)).toBe('qikchat 6281234567890 · parked, 3 events');
    expect(parkedTitle({ ...view, state: 'resuming', resume: { token: 't-1', skip: 'qikchat:wamid.1', requestedAt: '2026-12-07T00:00:00.000Z' }, events: ['qikchat:wamid.1'] })).toBe(
      'qikchat 6281234567890 · resuming (skipping its failing event), 1 event',
    );
    expect(parkedTitle({ ...view, conversationId: null, conversation: 'chatzuri:no-conversation' })).toBe('qikchat chatzuri:no-conversation · parked, 3 events');
  });

  it('says what a resume and a skip do', () => {
    expect(resumeResultText({ conversation: 'qikchat:1' })).toBe('Resuming qikchat:1: its parked events run in order.');
    expect(resumeResultText({ conversation: 'qikchat:1', skip: 'qikchat:e1' })).toBe('Resuming qikchat:1 without qikchat:e1: its handler does not run; the later events run in order.');
  });
});

describe('console outbound attempts', () => {
  const attempt = (seq: number, changes: Partial<OutboundAttemptView> = {}): OutboundAttemptView => ({
    seq,
    destination: 'crm',
    eventId: `qikchat:in:${String(seq)}`,
    type: 'message.received',
    provider: 'qikchat',
    conversation: '6281234567890',
    attempt: 1,
    outcome: 'delivered',
    status: 204,
    latencyMs: 5,
    at: '2026-12-07T03:00:00.000Z',
    ...changes,
  });

  it('labels each outcome with its status, and says which park their conversation', () => {
    // Act
    const labels = [
      attempt(1),
      attempt(2, { outcome: 'retry', status: 503 }),
      attempt(3, { outcome: 'retry', status: undefined }),
      attempt(4, { outcome: 'failed', status: 410 }),
      attempt(5, { outcome: 'refused', status: undefined }),
      attempt(6, { outcome: 'circuit-open', status: undefined }),
    ].map(attemptOutcomeLabel);

    // Assess
    expect(labels).toEqual(['delivered 204', 'retry 503', 'retry', 'failed 410 (parked)', 'refused by the address policy (parked)', 'circuit open: not sent']);
  });

  it('lists by destination, event, part of the conversation and outcome, oldest first, the newest `limit`', () => {
    // Prepare
    const attempts = [attempt(3, { destination: 'bus' }), attempt(1, { outcome: 'retry' }), attempt(2, { conversation: '6289999' }), attempt(4)];

    // Act & Assess
    expect(visibleAttempts(attempts, {}).map((found) => found.seq)).toEqual([1, 2, 3, 4]);
    expect(visibleAttempts(attempts, {}, 2).map((found) => found.seq)).toEqual([3, 4]);
    expect(visibleAttempts(attempts, { destination: 'crm' }).map((found) => found.seq)).toEqual([1, 2, 4]);
    expect(visibleAttempts(attempts, { outcome: 'retry' }).map((found) => found.seq)).toEqual([1]);
    expect(visibleAttempts(attempts, { conversation: '9999' }).map((found) => found.seq)).toEqual([2]);
    expect(visibleAttempts(attempts, { eventId: 'qikchat:in:4' }).map((found) => found.seq)).toEqual([4]);
  });
});
