import { describe, expect, it } from 'vitest';
import { isSqsId } from '../../lib/events/sqs-id.js';

describe('isSqsId', () => {
  it('takes 1 to 128 printable ASCII characters without a space', () => {
    // Prepare
    const taken = ['a', 'qikchat:status:in%3AX:read', '!~', 'x'.repeat(128)];
    const refused = ['', 'x'.repeat(129), 'a b', 'tab\there', 'ü', '😀', 'line\n'];
    // Act
    const answers = [...taken, ...refused].map(isSqsId);
    // Assess
    expect(answers).toEqual([...taken.map(() => true), ...refused.map(() => false)]);
  });
});
