/**
 * The CDK app: `npm run synth` / `npm run deploy` (cdk.json runs it with tsx). Environment-agnostic: the
 * account and region come from the credentials at deploy time, so synthesis needs neither.
 */
import { App, Tags } from 'aws-cdk-lib';
import { providers } from '../lib/providers/registry.js';
import { ChatWebhookGatewayStack } from './ChatWebhookGatewayStack.js';
import { GatewayConfigError, readGatewaySettings, type GatewaySettings } from './config.js';
import { addPolicyValidations } from './policy-validation.js';
import { recordSettings } from './settings-metadata.js';

const app = new App();

let settings: GatewaySettings;
try {
  settings = readGatewaySettings(
    app.node,
    providers.map((provider) => provider.slug),
  );
} catch (error) {
  if (!(error instanceof GatewayConfigError)) throw error;
  // The CLI shows the app's stderr: one line naming the setting and the fix, not a stack trace.
  console.error(`chat-webhook-gateway: ${error.message}`);
  process.exit(1);
}

const stack = new ChatWebhookGatewayStack(app, settings.config.stackName, {
  description: 'chat-webhook-gateway: verifies chat-provider webhooks and queues them for processing',
  providers,
  config: settings.config,
});
// `npm run synth` prints them from the cloud assembly: each setting in effect and where it came from.
recordSettings(stack, settings);
Tags.of(app).add('project', 'chat-webhook-gateway');

// cdk-nag's AwsSolutions rules and the CfnGuard Control Tower rules run on every synth and deploy.
addPolicyValidations(app);

app.synth();
