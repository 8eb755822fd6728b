/**
 * docs/costs.md's tables are what the cost model computes from the measured inputs kept in dev/cost/measured.json
 * (`npm run cost -- --write` writes both), and those inputs describe the stack as it is synthesised now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costModel, CostInputsSchema, monthlyResources } from '../../dev/cost/model.js';
import { costTables, generatedPart } from '../../dev/cost/report.js';
import { synthGateway } from '../infra/synth.js';

const costs = readFileSync(new URL('../../docs/costs.md', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const measured = CostInputsSchema.parse(JSON.parse(readFileSync(new URL('../../dev/cost/measured.json', import.meta.url), 'utf8')));

describe('docs/costs.md', () => {
  it('holds the tables the cost model computes from the kept measurements', () => {
    // Act
    const expected = costTables(costModel(measured), measured);

    // Assess
    expect(generatedPart(costs)).toBe(expected);
  });

  it('is what the README states: the cost per million busy and in a trickle, and the idle month', () => {
    // Act
    const model = costModel(measured);
    const stated = [model.busyPerMillion, model.tricklePerMillion, model.idleMonthly].map((dollars) => `$${dollars.toFixed(2)}`);

    // Assess
    for (const figure of stated) expect(readme).toContain(figure);
  });

  it('was measured on the stack as it is now: its monthly resources, log level and archive', () => {
    // Prepare
    const resources = synthGateway({ bundle: false }).template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;

    // Act
    const stack = monthlyResources(resources);

    // Assess
    expect(measured.stack).toEqual(stack);
    // A synth of the whole stack: slow on a shared machine.
  }, 120_000);
});
