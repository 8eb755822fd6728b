import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { addPolicyValidations } from '../../infra/policy-validation.js';
import { cdkJson, synthGateway, type SynthesizedGateway } from './synth.js';

/** The CfnGuard rules acknowledged, each with its reason, somewhere in the tree (docs/deploying.md › Policy checks). */
const acknowledgedRules = [
  'api_gw_v2_authorization_type_configured_check',
  'cloudwatch_log_group_retention_period_check',
  'lambda_function_public_access_prohibited_check',
  'lambda_inside_vpc_check',
  's3_bucket_logging_enabled_check',
  's3_bucket_object_lock_enabled_check',
  's3_bucket_versioning_enabled_check',
  's3_event_notifications_enabled_check',
  'sqs_dlq_check',
];

function cfnGuardAcknowledgements(gateway: SynthesizedGateway): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const construct of gateway.stack.node.findAll()) {
    for (const entry of construct.node.metadata.filter((metadata) => metadata.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        if (!id.startsWith('cdk-validator-cfnguard::')) continue;
        const rule = id.slice('cdk-validator-cfnguard::'.length);
        byRule.set(rule, [...(byRule.get(rule) ?? []), reason]);
      }
    }
  }
  return byRule;
}

describe('CfnGuard Control Tower rules at synth', () => {
  let gateway: SynthesizedGateway;

  beforeAll(() => {
    // Act: synthGateway runs the same checks as the app and throws on an unacknowledged finding
    gateway = synthGateway({ bundle: false });
  });

  it('passes with only the acknowledged rules, each with a written reason', () => {
    // Act
    const acknowledged = cfnGuardAcknowledgements(gateway);
    // Assess
    expect([...acknowledged.keys()].sort()).toEqual(acknowledgedRules);
    for (const reasons of acknowledged.values()) for (const reason of reasons) expect(reason).toMatch(/^\S.{59,}/);
  });

  it('acknowledges only rules the template breaks: the plugin alone finds exactly those', () => {
    // Prepare
    const directory = gateway.app.synth().directory;
    // Act
    const report = new CfnGuardValidator().validate({ templatePaths: [join(directory, 'ChatWebhookGateway.template.json')], appConstruct: gateway.app });
    // Assess: log group encryption and KMS grants are fixed, not acknowledged
    expect([...new Set(report.violations.map((violation) => violation.ruleName))].sort()).toEqual(acknowledgedRules);
  });

  it('still stops the synth on a finding nobody acknowledged, beside the acknowledged ones', () => {
    // Prepare: a log group without the key, in the otherwise passing stack
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    addPolicyValidations(app);
    const stack = new ChatWebhookGatewayStack(app, 'ChatWebhookGateway');
    new LogGroup(stack, 'UnencryptedLogs');
    // Act + Assess
    expect(() => Template.fromStack(stack)).toThrow(/CT\.CLOUDWATCH\.PR\.3[^]*UnencryptedLogs/);
  });
});

describe('CfnGuard where its plugin has no binary', () => {
  it.each([
    ['win32', 'x64'],
    ['linux', 'ia32'],
  ] as const)('on %s/%s: leaves the plugin out with one warning line that says to use WSL; cdk-nag still runs', (platform, arch) => {
    // Prepare: a finding only CfnGuard reports (a log group without the key), in the otherwise passing stack
    const warnings: string[] = [];
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    addPolicyValidations(app, { platform, arch, warn: (line) => warnings.push(line) });
    const stack = new ChatWebhookGatewayStack(app, 'ChatWebhookGateway');
    new LogGroup(stack, 'UnencryptedLogs');
    // Act
    const assembly = app.synth();
    // Assess
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^chat-webhook-gateway: warning: the Control Tower rules \\(CfnGuard\\) were not checked: [^\\n]*${platform}/${arch}[^\\n]*WSL`))]);
    expect(assembly.getStackByName('ChatWebhookGateway').template).toBeDefined();
  });
});

