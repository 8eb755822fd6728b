import type { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { readStackLocation } from '../../../dev/resume/stack-outputs.js';

/** A CloudFormation client answering DescribeStacks with `outputs`, or failing with `error`. */
function cloudFormation(answer: { outputs: Record<string, string> } | { error: Error }) {
  const asked: unknown[] = [];
  const client = {
    config: { region: async () => 'eu-west-1' },
    send: async (command: DescribeStacksCommand) => {
      asked.push(command.input);
      if ('error' in answer) throw answer.error;
      return { Stacks: [{ Outputs: Object.entries(answer.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] };
    },
    destroy: () => undefined,
  } as unknown as CloudFormationClient;
  return { client, asked };
}

describe('readStackLocation', () => {
  it('reads the park table and the queue URL from the stack outputs, with the region', async () => {
    // Prepare
    const { client, asked } = cloudFormation({ outputs: { ParkTableName: 'Gateway-Park-1', QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo', DashboardName: 'd' } });

    // Act
    const location = await readStackLocation('Gateway', undefined, client);

    // Assess
    expect(location).toEqual({ region: 'eu-west-1', tableName: 'Gateway-Park-1', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo' });
    expect(asked).toEqual([{ StackName: 'Gateway' }]);
  });

  it('says which output a stack lacks, and the way around it', async () => {
    // Prepare: a stack deployed before the park table
    const { client } = cloudFormation({ outputs: { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo' } });

    // Act & Assess
    await expect(readStackLocation('Gateway', undefined, client)).rejects.toThrow(
      'Stack Gateway has no output ParkTableName: deploy the current version (npm run deploy), or pass --table <park table> --queue-url <queue URL>',
    );
  });

  it('says a stack does not exist in the region', async () => {
    // Prepare: what CloudFormation answers for an unknown stack
    const error = Object.assign(new Error('Stack with id Gatway does not exist'), { name: 'ValidationError' });
    const { client } = cloudFormation({ error });

    // Act & Assess
    await expect(readStackLocation('Gatway', 'eu-west-1', client)).rejects.toMatchObject({
      name: 'ResumeCommandError',
      message: 'Stack Gatway does not exist in eu-west-1: check its name, and the region (AWS_REGION or --region)',
      cause: error,
    });
  });

  it('names CloudFormation\'s own reason otherwise (credentials, say)', async () => {
    // Prepare
    const { client } = cloudFormation({ error: Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }) });

    // Act & Assess
    await expect(readStackLocation('Gateway', undefined, client)).rejects.toThrow(
      'CloudFormation did not describe stack Gateway in eu-west-1 (Could not load credentials from any providers): check your AWS credentials and region',
    );
  });
});
