/**
 * Builds the gateway stack the way `cdk synth` does: an App with the context of `cdk.json` (feature flags
 * included) plus the test's own keys (as `-c` would give them; no settings file), and the same policy checks
 * (cdk-nag, CfnGuard): a finding nobody acknowledged fails the synth, so every test that synthesises sees it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { readGatewayConfig } from '../../infra/config.js';
import { addPolicyValidations } from '../../infra/policy-validation.js';
import { providers } from '../../lib/providers/registry.js';

/** The parsed `cdk.json` at the repository root. */
export const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

export interface SynthOptions {
  /** Context keys on top of `cdk.json`'s (what `-c key=value` would add). */
  readonly context?: Record<string, unknown>;
  /**
   * Run esbuild for every function (true) or skip bundling (false, CDK's `aws:cdk:bundling-stacks: []`), for
   * tests that look only at configuration. @default true
   */
  readonly bundle?: boolean;
}

export interface SynthesizedGateway {
  readonly app: App;
  readonly stack: ChatWebhookGatewayStack;
  readonly template: Template;
}

/** A folder without a settings file: what a test synthesises does not depend on the repository's gateway.config.json. */
const noSettingsFile = mkdtempSync(join(tmpdir(), 'no-settings-'));

/** Synthesises the stack once; call it in `beforeAll`, bundling takes a few seconds. */
export function synthGateway(options: SynthOptions = {}): SynthesizedGateway {
  const app = new App({
    context: {
      ...cdkJson.context,
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
  });
  addPolicyValidations(app);
  const config = readGatewayConfig(
    app.node,
    providers.map((provider) => provider.slug),
    { cwd: noSettingsFile },
  );
  const stack = new ChatWebhookGatewayStack(app, 'ChatWebhookGateway', { config });
  const template = Template.fromStack(stack);
  return { app, stack, template };
}

/** The logical id in `stack` of a construct's CloudFormation resource, for `Ref`s and `Fn::GetAtt`s in assertions. */
export function idOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}
