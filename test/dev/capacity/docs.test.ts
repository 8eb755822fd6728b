/**
 * docs/capacity.md's table is what `npm run capacity -- --docs-table` prints (`--write-docs` writes it there after the
 * cost model's measurements change), and its quota table cites every source.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DOCS_TABLE_END, DOCS_TABLE_START } from '../../../dev/capacity/docs.js';
import { AWS_QUOTAS } from '../../../dev/capacity/quotas.js';
import { runCli } from '../../support/cli.js';

const START = `${DOCS_TABLE_START}\n`;
const END = DOCS_TABLE_END;

describe('docs/capacity.md', () => {
  it('holds the table and reference points the command prints (npm run capacity -- --write-docs rewrites them)', { timeout: 60_000 }, async () => {
    // Prepare
    const doc = await readFile('docs/capacity.md', 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);

    // Act
    const result = await runCli('capacity', ['--docs-table']);

    // Assess
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(result.code).toBe(0);
    expect(doc.slice(start + START.length, end)).toBe(result.stdout);
  });

  it("cites every quota's page", async () => {
    // Prepare
    const doc = await readFile('docs/capacity.md', 'utf8');

    // Act
    const missing = Object.values(AWS_QUOTAS)
      .map((quota) => quota.source.url)
      .filter((url) => !doc.includes(url));

    // Assess
    expect(missing).toEqual([]);
  });
});
