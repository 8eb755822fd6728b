import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isRawJsonNumber } from '../../lib/providers/kit/exact-json.js';
import { parseEventRecord } from '../../lib/worker/parse-record.js';

function recordFactory(body: string): SQSRecord {
  return { messageId: 'm-1', body } as SQSRecord;
}

describe('parseEventRecord', () => {
  it('hands data.raw over with numbers a double cannot hold kept digit for digit', () => {
    // Prepare: an event as the receiver writes it, with a comment id past 2^53 and a number beyond a double's range
    const raw = '{"payload":{"message":{"id":9007199254740993,"score":1e400,"small":4.5}}}';
    const body = `{"specversion":"1.0","id":"qiscus-sdk:message:9007199254740993","source":"/webhooks/qiscus-sdk","type":"event.unrecognized","time":"2024-05-14T12:00:00.000Z","datacontenttype":"application/json","provider":"qiscus-sdk","data":{"conversationId":null,"channel":null,"raw":${raw},"reason":"unknown_shape","rawEncoding":"utf8"}}`;
    // Act
    const event = parseEventRecord(recordFactory(body));
    // Assess
    expect(JSON.stringify(event.data.raw)).toBe(raw);
    const message = (event.data.raw as { payload: { message: { id: unknown; small: unknown } } }).payload.message;
    expect(isRawJsonNumber(message.id) && message.id.rawJSON).toBe('9007199254740993');
    expect(message.small).toBe(4.5);
  });
});
