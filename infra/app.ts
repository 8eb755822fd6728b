/**
 * The CDK app: `npm run synth` / `npm run deploy` (cdk.json runs it with tsx). Environment-agnostic: the
 * account and region come from the credentials at deploy time, so synthesis needs neither.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { providers } from '../lib/providers/registry.js';
import { ChatWebhookGatewayStack } from './ChatWebhookGatewayStack.js';
import { readGatewayConfig } from './config.js';

const app = new App();
const config = readGatewayConfig(
  app.node,
  providers.map((provider) => provider.slug),
);

new ChatWebhookGatewayStack(app, config.stackName, {
  description: 'chat-webhook-gateway: verifies chat-provider webhooks and queues them for processing',
  providers,
  config,
});
Tags.of(app).add('project', 'chat-webhook-gateway');

// cdk-nag's AwsSolutions rules run on every synth and deploy: an unacknowledged finding stops them. Findings
// are acknowledged, with the reason, next to the resource they concern (`Validations.of(x).acknowledge`).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
