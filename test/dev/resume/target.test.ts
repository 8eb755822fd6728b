import { describe, expect, it } from 'vitest';
import { regionOfQueueUrl } from '../../../dev/resume/target.js';

describe('regionOfQueueUrl', () => {
  it.each([
    ['https://sqs.eu-west-1.amazonaws.com/123456789012/events.fifo', 'eu-west-1'],
    ['https://sqs.ap-southeast-3.amazonaws.com/123456789012/events.fifo', 'ap-southeast-3'],
    ['https://us-gov-west-1.queue.amazonaws.com/123456789012/events.fifo', 'us-gov-west-1'],
    ['http://127.0.0.1:4149/000000000000/events.fifo', undefined],
    ['not a URL', undefined],
  ])('%s: %s', (queueUrl, region) => {
    expect(regionOfQueueUrl(queueUrl)).toBe(region);
  });
});
