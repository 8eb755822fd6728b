import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmfMetrics, MetricUnit } from '../../lib/observability/emf.js';

/** The document as an object, the way EMF defines it: the envelope, then the dimensions, then each metric's value(s). */
function expectedDocument(dimensions: Record<string, string>, metrics: readonly (readonly [string, MetricUnit, number[]])[], timestamp: number): string {
  const merged = new Map<string, { unit: MetricUnit; values: number[] }>();
  for (const [name, unit, added] of metrics) {
    // A duration is kept to a tenth of a millisecond.
    const values = unit === MetricUnit.Milliseconds ? added.map((v) => Math.round(v * 10) / 10) : added;
    const stored = merged.get(name);
    if (stored) stored.values.push(...values);
    else merged.set(name, { unit, values: [...values] });
  }
  const document: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: 'Gateway', Dimensions: [Object.keys(dimensions)], Metrics: [...merged].map(([name, { unit }]) => ({ Name: name, Unit: unit })) }],
    },
    ...dimensions,
  };
  for (const [name, { values }] of merged) document[name] = values.length === 1 ? values[0] : values;
  return `${JSON.stringify(document)}\n`;
}

const name = fc.oneof(fc.constantFrom('Received', 'AnswerTime', 'Enqueued', 'service', 'provider', '_aws', '0', '12', '007', 'a"b', 'é\u2028'), fc.string({ maxLength: 6 }));
const value = fc.oneof(fc.integer(), fc.double({ noDefaultInfinity: true, noNaN: true }), fc.constantFrom(0.1 + 0.2, -0, 1e21, 5e-7));

describe('EmfMetrics', () => {
  it('writes each invocation document exactly as the object EMF defines would serialise', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom('provider', '1', '_aws'), fc.string({ maxLength: 4 })), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
        fc.array(fc.array(fc.tuple(name, fc.constantFrom(MetricUnit.Count, MetricUnit.Milliseconds), fc.array(value, { minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        (defaultDimensions, invocations) => {
          // Prepare
          const lines: string[] = [];
          const metrics = new EmfMetrics({ namespace: 'Gateway', serviceName: 'svc', defaultDimensions, write: (line) => lines.push(line) });
          const dimensions = { service: 'svc', ...defaultDimensions };

          // Act: the same shapes twice, as a receiver publishes one shape again and again
          for (const invocation of [...invocations, ...invocations]) {
            for (const [metric, unit, values] of invocation) for (const v of values) metrics.addMetric(metric, unit, v);
            metrics.publishStoredMetrics();
          }

          // Assess
          expect(lines).toHaveLength(invocations.length * 2);
          for (const [i, line] of lines.entries()) {
            const timestamp = (JSON.parse(line) as { _aws: { Timestamp: number } })._aws.Timestamp;
            const invocation = invocations[i % invocations.length] ?? [];
            // A unit added again for a known name keeps the first, as addMetric does.
            expect(line).toBe(expectedDocument(dimensions, invocation, timestamp));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes a duration to a tenth of a millisecond, a count as it is', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = new EmfMetrics({ namespace: 'Gateway', serviceName: 'svc', write: (line) => lines.push(line) });

    // Act: what performance.now() differences look like
    metrics.addMetric('AnswerTime', MetricUnit.Milliseconds, 2.185616000000664);
    metrics.addMetric('Received', MetricUnit.Count, 1.25);
    metrics.publishStoredMetrics();

    // Assess
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ AnswerTime: 2.2, Received: 1.25 });
    expect(lines[0]).not.toContain('2.18561');
  });
});
