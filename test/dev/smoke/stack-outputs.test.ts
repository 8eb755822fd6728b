import type { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { readStackOutputs } from '../../../dev/resume/stack-outputs.js';
import { SMOKE_STACK_OUTPUTS } from '../../../dev/smoke/target.js';
import { pascalCase } from '../../../infra/construct-ids.js';
import { providers } from '../../../lib/providers/registry.js';

describe('the stack outputs npm run smoke -- --stack reads', () => {
  it.each(providers.map((provider) => provider.slug))("are %s's <Provider>WebhookUrl and <Provider>SecretArn as the stack names them, and ArchiveBucketName", (slug) => {
    // Assess: infra/ChatWebhookGatewayStack.ts names them `${pascalCase(slug)}WebhookUrl` and `...SecretArn`
    expect(SMOKE_STACK_OUTPUTS.webhookUrl(slug)).toBe(`${pascalCase(slug)}WebhookUrl`);
    expect(SMOKE_STACK_OUTPUTS.secretArn(slug)).toBe(`${pascalCase(slug)}SecretArn`);
    expect(SMOKE_STACK_OUTPUTS.archiveBucket).toBe('ArchiveBucketName');
  });
});

describe('readStackOutputs', () => {
  it('reads every output by its name, with the region the stack was found in', async () => {
    // Prepare
    const asked: unknown[] = [];
    const client = {
      config: { region: async () => 'eu-west-1' },
      send: async (command: DescribeStacksCommand) => {
        asked.push(command.input);
        return { Stacks: [{ Outputs: [{ OutputKey: 'QikchatWebhookUrl', OutputValue: 'https://a.execute-api.eu-west-1.amazonaws.com/webhooks/qikchat' }, { OutputKey: 'ArchiveBucketName', OutputValue: 'archive-1' }] }] };
      },
      destroy: () => undefined,
    } as unknown as CloudFormationClient;

    // Act
    const found = await readStackOutputs('Gateway', undefined, client);

    // Assess
    expect(found).toEqual({ region: 'eu-west-1', outputs: { QikchatWebhookUrl: 'https://a.execute-api.eu-west-1.amazonaws.com/webhooks/qikchat', ArchiveBucketName: 'archive-1' } });
    expect(asked).toEqual([{ StackName: 'Gateway' }]);
  });

  it('keeps CloudFormation\'s error as the cause, for the caller to name a missing permission', async () => {
    // Prepare
    const denied = Object.assign(new Error('User: x is not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied' });
    const client = { config: { region: async () => 'eu-west-1' }, send: async () => Promise.reject(denied), destroy: () => undefined } as unknown as CloudFormationClient;

    // Act & Assess
    await expect(readStackOutputs('Gateway', undefined, client)).rejects.toMatchObject({ name: 'StackOutputsError', cause: denied });
  });
});
