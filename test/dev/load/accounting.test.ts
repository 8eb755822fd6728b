import { describe, expect, it } from 'vitest';
import { accountDeliveries } from '../../../dev/load/accounting.js';

const acknowledged = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('accountDeliveries', () => {
  it('finds nothing wrong when every acknowledged event was processed once, in order per conversation', () => {
    // Prepare: conversations interleave freely; within each, order holds
    const sent = acknowledged({ c1: ['a1', 'a2', 'a3'], c2: ['b1', 'b2'] });
    // Act
    const result = accountDeliveries(sent, ['b1', 'a1', 'a2', 'b2', 'a3']);
    // Assess
    expect(result).toEqual({ acknowledged: 5, processed: 5, lost: 0, duplicated: 0, outOfOrder: 0, rejectedButProcessed: 0 });
  });

  it('counts an acknowledged event never processed as lost', () => {
    // Act
    const result = accountDeliveries(acknowledged({ c1: ['a1', 'a2', 'a3'] }), ['a1', 'a3']);
    // Assess
    expect(result).toMatchObject({ acknowledged: 3, processed: 2, lost: 1, outOfOrder: 0 });
  });

  it('counts every processing beyond the first as a duplicate, and judges order on first processings only', () => {
    // Act: a1 three times (2 duplicates), a2 twice (1); the repeats come after later events but are no reordering
    const result = accountDeliveries(acknowledged({ c1: ['a1', 'a2'] }), ['a1', 'a2', 'a1', 'a2', 'a1']);
    // Assess
    expect(result).toMatchObject({ processed: 2, lost: 0, duplicated: 3, outOfOrder: 0 });
  });

  it('counts each event processed after a later one of its conversation as out of order', () => {
    // Act: a3 overtook a1 and a2; c2 is in order
    const result = accountDeliveries(acknowledged({ c1: ['a1', 'a2', 'a3', 'a4'], c2: ['b1', 'b2'] }), ['a3', 'b1', 'a1', 'a2', 'b2', 'a4']);
    // Assess
    expect(result).toMatchObject({ processed: 6, outOfOrder: 2 });
  });

  it('does not call order broken across conversations', () => {
    // Act
    const result = accountDeliveries(acknowledged({ c1: ['a1'], c2: ['b1'] }), ['b1', 'a1']);
    // Assess
    expect(result.outOfOrder).toBe(0);
  });

  it('ignores events of other runs, and counts refused deliveries that were processed all the same', () => {
    // Act
    const result = accountDeliveries(acknowledged({ c1: ['a1'] }), ['old-1', 'a1', 'r1', 'r1', 'old-2'], new Set(['r1', 'r2']));
    // Assess
    expect(result).toEqual({ acknowledged: 1, processed: 1, lost: 0, duplicated: 0, outOfOrder: 0, rejectedButProcessed: 1 });
  });

  it('is all zeros for an empty run', () => {
    // Act & Assess
    expect(accountDeliveries(new Map(), [])).toEqual({ acknowledged: 0, processed: 0, lost: 0, duplicated: 0, outOfOrder: 0, rejectedButProcessed: 0 });
  });
});
