import { Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { synthGateway } from './synth.js';

/** Every acknowledgement recorded with `Validations.of(...).acknowledge()` in the tree, with its reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({ path: construct.node.path, id, reason })),
      ),
  );
}

function describeViolations(report: PolicyValidationPluginReport): string[] {
  return report.violations.map(
    (violation) => `${violation.severity ?? 'error'} ${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath ?? resource.resourceLogicalId).join(', ')}`,
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  let stack: ChatWebhookGatewayStack;
  let report: PolicyValidationPluginReport;

  beforeAll(() => {
    // Prepare: the rules read the construct tree, not the bundles
    ({ stack } = synthGateway({ bundle: false }));
    // Act
    report = new AwsSolutionsChecks(stack).validateScope(stack);
  });

  it('finds no unacknowledged error', () => {
    // Assess
    const errors = report.violations.filter((violation) => violation.severity === 'error');
    expect(describeViolations({ ...report, violations: errors })).toEqual([]);
  });

  it('finds no unacknowledged warning either', () => {
    // Assess
    expect(describeViolations(report)).toEqual([]);
  });

  it('gives every acknowledgement a written reason', () => {
    // Act
    const acknowledged = acknowledgements(stack);
    // Assess
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(typeof reason === 'string' ? reason : '', `${path} ${id}`).toMatch(/^\S.{39,}/);
    }
  });
});
