/**
 * docs/deploying.md's table of outputs is what `cdk synth` produces: every output documented, nothing documented
 * that the stack lacks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers } from '../../lib/providers/registry.js';
import { pascalCase } from '../../infra/ChatWebhookGatewayStack.js';
import { synthGateway } from '../infra/synth.js';

const deploying = readFileSync(new URL('../../docs/deploying.md', import.meta.url), 'utf8');


/** The names in the first column of the table under "The stack's outputs", `<Provider>` expanded. */
function documentedOutputs(): string[] {
  const start = deploying.indexOf("The stack's outputs:");
  const table = deploying.slice(start).split('\n\n')[1] ?? '';
  const names = table
    .split('\n')
    .slice(2)
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
  return names.flatMap((name) => (name.includes('<Provider>') ? providers.map((provider) => name.replace('<Provider>', pascalCase(provider.slug))) : [name]));
}

/** The rows of the table of resources by type: type and count. */
function documentedResources(): [string, number][] {
  return [...deploying.matchAll(/^\| `(AWS::[\w:]+)` \| (\d+) \|/gm)].map((match) => [match[1] ?? '', Number(match[2])]);
}

describe('docs/deploying.md', () => {
  const { template } = synthGateway({ bundle: false });

  it('lists every resource type of the default stack, with its count', () => {
    // Act
    const counts = new Map<string, number>();
    for (const resource of Object.values(template.toJSON().Resources as Record<string, { Type: string }>)) counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);

    // Assess
    expect(Object.fromEntries(documentedResources())).toEqual(Object.fromEntries(counts));
  });

  it('lists exactly the outputs the stack has', () => {
    // Act
    const synthesised = Object.keys(template.findOutputs('*')).sort();

    // Assess
    expect(documentedOutputs().sort()).toEqual(synthesised);
  });
});
