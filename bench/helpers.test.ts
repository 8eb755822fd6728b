/**
 * The benchmark's pure helpers on fixed numbers: summaries, arithmetic, the report and the chart. No timing here: the
 * benchmarks themselves run only with `npm run bench`, never in `npm test`.
 */
import { describe, expect, it } from 'vitest';
import { GENERATED_END, GENERATED_START, formatBytes, formatNumber, goalChecks, replaceGeneratedSection, table } from './lib/report.js';
import { type BenchResults, GOALS, type ShippingColdStarts } from './lib/results.js';
import { seededRandom, shuffled } from './lib/interleaving.js';
import { ratio, round, worst } from './lib/ratios.js';
import { summarise } from './lib/summary.js';
import { axisTicks, escapeXml, formatTick, renderChart } from './lib/svg.js';
import { padToBytes, uniquePayload } from './lib/workload.js';

describe('bench summaries', () => {
  it('summarises timings, rounded, and gives NaN for no values rather than a number that looks measured', () => {
    // Act
    const summary = summarise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2);

    // Assess
    expect(summary).toMatchObject({ n: 10, median: 5.5, p75: 7.75, p99: 9.91, min: 1, max: 10, mean: 5.5 });
    expect(summary.rme).toBeGreaterThan(0);
    expect(summarise([]).p99).toBeNaN();
  });
});

describe('bench arithmetic', () => {
  it('gives NaN for a ratio that was not measured', () => {
    // Assess
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('rounds ratios to three decimals', () => {
    // Assess
    expect(ratio(1.25, 1)).toBe(1.25);
    expect(ratio(2, 3)).toBe(0.667);
    expect(round(1.23456, 2)).toBe(1.23);
  });

  it('names the worst ratio and skips what was not measured', () => {
    // Assess
    expect(worst({ qikchat: 1.1, chatzuri: 1.3, other: Number.NaN })).toEqual({ name: 'chatzuri', value: 1.3 });
    expect(worst({})).toBeUndefined();
  });

  it('shuffles reproducibly from a seed, keeping every item', () => {
    // Act
    const first = shuffled([1, 2, 3, 4, 5, 6], seededRandom(42));
    const again = shuffled([1, 2, 3, 4, 5, 6], seededRandom(42));

    // Assess
    expect(first).toEqual(again);
    expect([...first].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('bench workload', () => {
  it('pads a payload to exactly the size asked, as valid JSON keeping every field', () => {
    // Prepare
    const payload = { event: 'x', payload: { id: 1 } };

    // Act
    const sizes = [60, 61, 62, 63, 64, 1_024, 10_240, 100_001];
    const bodies = sizes.map((bytes) => padToBytes(payload, bytes));

    // Assess
    expect(bodies.map((body) => body.length)).toEqual(sizes);
    for (const body of bodies) expect(JSON.parse(body.toString('utf8'))).toMatchObject(payload);
  });

  it('gives each delivery of a provider its own id and text', () => {
    // Prepare
    const sample = { event: 'whatsapp:message:in', payload: { id: 'a', message: { from: '1', type: 'text', text: { body: 'hi' } } } };

    // Act
    const first = uniquePayload('qikchat', sample, 'run', 1, 1);
    const second = uniquePayload('qikchat', sample, 'run', 2, 1);

    // Assess
    expect(first).not.toEqual(second);
    expect(sample.payload.id).toBe('a');
  });
});

describe('bench report', () => {
  it('formats numbers, bytes and tables', () => {
    // Assess
    expect(formatNumber(12_345.678, 1)).toBe('12,345.7');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatBytes(1_048_576)).toBe('1.00 MiB');
    expect(formatBytes(2_048)).toBe('2.0 KiB');
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('replaces only the generated section of BENCHMARKS.md', () => {
    // Prepare
    const markdown = `# Benchmarks\n\nwritten by hand\n\n${GENERATED_START}\n\nold\n\n${GENERATED_END}\n\nalso by hand\n`;

    // Act
    const updated = replaceGeneratedSection(markdown, 'new');

    // Assess
    expect(updated).toBe(`# Benchmarks\n\nwritten by hand\n\n${GENERATED_START}\n\nnew\n\n${GENERATED_END}\n\nalso by hand\n`);
    expect(() => replaceGeneratedSection('# no markers', 'new')).toThrow(/markers/);
  });
});

/** The results of a run in which only the verify section ran (`--only verify`), as `bench/run.ts` fills them. */
function verifyOnlyResults(): BenchResults {
  const nan = Number.NaN;
  const shipping: ShippingColdStarts = {
    baseline: { importMs: nan, importP75Ms: nan, importCpuMs: nan, firstRequestMs: nan, coldStartMs: nan, segments: nan },
    receivers: {},
    worstImportRatio: nan,
    worstReceiver: '',
    worstColdStartMs: nan,
  };
  return {
    schemaVersion: 2,
    mode: 'quick',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 1,
    machine: { cpus: 2, cpuModel: 'cpu', memoryGiB: 1, os: 'os', node: 'v24', loadAverageAtStart: [0, 0, 0], loadAverageAtEnd: [0, 0, 0] },
    revision: { commit: 'abc', dirty: false },
    goals: GOALS,
    receiverOverheadRatio: nan,
    receiverOverheadRatioToCleanBaseline: nan,
    receiverOverhead: { iterations: 0, perProvider: {} },
    receiverOverheadRatioDetailedTracing: nan,
    receiverOverheadDetailedTracing: { iterations: 0, perProvider: {} },
    coldInitRatio: nan,
    coldInitRatioDetailedTracing: nan,
    coldInit: {
      processesPerBundle: 0,
      chosenSdk: 'bundled',
      choice: 'not measured in this run',
      bySdk: { bundled: shipping, runtime: shipping },
      noNetworkAtImport: { passed: false, checks: [] },
      detailedTracing: shipping,
    },
    receiverBundleBytes: {},
    bundleBytes: { bundled: {}, runtime: {} },
    detailedTracingBundleBytes: {},
    bundleComposition: {},
    verifyRatio: { qikchat: { '2KB': 0.4 } },
    verify: {},
    e2e: { events: 0, concurrency: 0, throughputPerSec: nan, ackThroughputPerSec: nan, ackP50Ms: nan, ackP99Ms: nan, drainMs: nan, lost: nan, duplicates: nan, notAcknowledged: {}, notAcknowledgedButProcessed: nan },
    costGrowth: { bodySize: {}, concurrency: [], concurrencyProvider: '' },
  };
}

describe('bench goals', () => {
  it('says "not run" for the sections a run left out, never a verdict on them', () => {
    // Act
    const checks = goalChecks(verifyOnlyResults());

    // Assess
    const byFigure = Object.fromEntries(checks.map((check) => [check.figure, check]));
    expect(byFigure['no network work at import (every bundle)']).toMatchObject({ value: 'not run', status: 'not run' });
    expect(byFigure['verifyRatio (worst provider and size)']).toMatchObject({ value: '0.40', status: 'met' });
    expect(checks.filter((check) => check.status === 'not run').map((check) => check.figure)).toHaveLength(checks.length - 1);
  });

  it('holds the default build to the issue 12 goals and reports the detailedTracing build without one', () => {
    // Assess
    expect(GOALS).toMatchObject({ coldInitRatio: 1.2, coldInitAim: 1.15, receiverOverheadRatio: 1.3, receiverOverheadAim: 1.2, verifyRatio: 1.5 });
    const detailed = goalChecks(verifyOnlyResults()).filter((check) => check.figure.includes('detailedTracing'));
    expect(detailed.map((check) => check.goal)).toEqual(['—', '—']);
  });
});

describe('bench chart', () => {
  it('picks round ticks on log and linear axes', () => {
    // Assess
    expect(axisTicks(0.3, 30, true)).toEqual([0.2, 0.5, 1, 2, 5, 10, 20, 50]);
    expect(axisTicks(0.5, 20, true)).toEqual([0.5, 1, 2, 5, 10, 20]);
    expect(axisTicks(0, 1_930, false)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(formatTick(2_500)).toBe('2.5k');
    expect(formatTick(1_250)).toBe('1.25k');
    expect(formatTick(1_000)).toBe('1k');
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.25)).toBe('0.25');
  });

  it('draws each series as a line with a legend, the baseline dashed, text escaped', () => {
    // Act
    const svg = renderChart(
      [
        {
          title: 'Time per request by body size',
          xLabel: 'body size',
          yLabel: 'ms',
          xTicks: ['1 KB', '10 KB', '100 KB', '1 MiB'],
          logY: true,
          series: [
            { name: 'baseline', values: [0.5, 0.6, 1.2, 9], dashed: true },
            { name: 'qikchat <receiver>', values: [0.7, 0.8, 1.9, 14] },
          ],
        },
      ],
      'machine & run',
    );

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('qikchat &lt;receiver&gt;');
    expect(svg).toContain('machine &amp; run');
    expect(svg).not.toContain('NaN');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('leaves a gap for a value that was not measured', () => {
    // Act
    const svg = renderChart([{ title: 't', xLabel: 'x', yLabel: 'y', xTicks: ['1', '8', '32'], series: [{ name: 's', values: [100, Number.NaN, 300] }] }], 'c');

    // Assess
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).not.toContain('NaN');
  });
});
