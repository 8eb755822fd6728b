/**
 * `npm run capacity`: the plan over its real entry (tsx dev/cli/capacity.ts), its JSON, and one clear line for each
 * command-line mistake.
 */
import { describe, expect, it } from 'vitest';
import { CAPACITY_USAGE, capacityCommand } from '../../../dev/cli/capacity.js';
import { runCli } from '../../support/cli.js';

/** Runs the command in-process with `argv`. */
async function capacity(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await capacityCommand(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('npm run capacity over its real entry', () => {
  it('prints the first quota reached, the settings to change, the cost and the sources', { timeout: 60_000 }, async () => {
    // Act
    const result = await runCli('capacity', ['--rate', '1000', '--handler-ms', '100']);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Capacity at 1,000 deliveries/s, handler 100 ms, many conversations');
    // The archive through Firehose (dev/cost/measured.json): its Direct PUT throughput per stream binds before API Gateway.
    expect(lines[2]).toBe('First AWS quota reached: Firehose Direct PUT throughput (the archive), at 3,250/s (this rate uses 30.8 % of it).');
    expect(result.stdout).toMatch(/^ {2}workerMaxConcurrency: 10 → \d+ — twice the [\d.]+ invocations busy on average$/m);
    expect(result.stdout).toMatch(/Monthly cost at this rate: about \$[\d,]+; \$[\d,]+ with full batches, \$[\d,]+ if every event comes alone/);
    expect(result.stdout).toContain('https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (read 2026-12-07)');
  });

  it('--json prints one object with the documented fields', { timeout: 60_000 }, async () => {
    // Act
    const result = await runCli('capacity', ['--rate', '200', '--handler-ms', '300', '--conversations', '20', '--json']);

    // Assess
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(plan)).toEqual([
      'request',
      'perEvent',
      'concurrency',
      'limits',
      'firstQuota',
      'firstLimitWithDefaults',
      'settings',
      'quotaIncreases',
      'ceilings',
      'carried',
      'ramps',
      'cost',
      'assumptions',
    ]);
    expect(plan.request).toEqual({ rate: 200, handlerMs: 300, conversations: 20 });
    expect(plan.firstLimitWithDefaults).toMatchObject({ id: 'conversations' });
  });

  it('a mistake: one line naming the fix, the usage, exit 2', { timeout: 60_000 }, async () => {
    // Act
    const result = await runCli('capacity', ['--rate', 'fast', '--handler-ms', '100']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`npm run capacity: --rate must be a number from 0.001 to 1,000,000, not "fast"\n${CAPACITY_USAGE}`);
  });
});

describe('npm run capacity: command-line mistakes', () => {
  it.each([
    [[], '--rate is missing: give it, e.g. --rate 1000'],
    [['--rate', '100'], '--handler-ms is missing: give it, e.g. --handler-ms 100'],
    [['--rate', '0', '--handler-ms', '1'], '--rate must be a number from 0.001 to 1,000,000, not "0"'],
    [['--rate', '-5', '--handler-ms', '1'], '--rate must be a number from 0.001 to 1,000,000, not "-5"'],
    [['--rate', '1e3', '--handler-ms', '1'], '--rate must be a number from 0.001 to 1,000,000, not "1e3"'],
    [['--rate', '10', '--handler-ms', '30000'], '--handler-ms must be a number from 0 to 20,000, not "30000"'],
    [['--rate', '10', '--handler-ms', '1', '--conversations', '2.5'], '--conversations must be a whole number from 1 to 10,000,000, not "2.5"'],
    [['--rate', '10', '--handler-ms', '1', '--conversations', '0'], '--conversations must be a whole number from 1 to 10,000,000, not "0"'],
    [['--rate'], "Option '--rate <value>' argument missing"],
    [['--rtae', '10'], "Unknown option '--rtae'"],
    [['10'], 'Unexpected argument'],
    [['--docs-table', '--rate', '10'], '--docs-table is the fixed table of docs/capacity.md: give it alone'],
    [['--write-docs', '--json'], '--write-docs is the fixed table of docs/capacity.md: give it alone'],
  ])('%j: one line saying what is wrong, the usage, exit 2', async (argv, message) => {
    // Act
    const { code, stdout, stderr } = await capacity(argv);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, ...rest] = stderr.split('\n');
    expect(first).toContain(`npm run capacity: ${message}`);
    expect(rest.join('\n')).toBe(CAPACITY_USAGE);
  });

  it('--help prints the usage and exits 0', async () => {
    // Act
    const { code, stdout } = await capacity(['--help']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(CAPACITY_USAGE);
  });
});
