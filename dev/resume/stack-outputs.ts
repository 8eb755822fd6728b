/**
 * Reading a deployed stack's outputs for `npm run resume -- --stack <name>`: the park table and the main queue.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ResumeCommandError } from './errors.js';

/**
 * The stack outputs a resume needs. Their ids are set in infra/ChatWebhookGatewayStack.ts; tools do not import the
 * CDK app (npm run lint:layers), so they are named again here.
 */
const RESUME_STACK_OUTPUTS = { tableName: 'ParkTableName', queueUrl: 'QueueUrl' } as const;

/** Where a stack's park table and queue are, and the region it was found in. */
export interface StackLocation {
  readonly region: string;
  readonly tableName: string;
  readonly queueUrl: string;
}

/**
 * The park table and queue of `stack`, from its outputs. `region` undefined: the SDK's (AWS_REGION, the profile).
 * `client` is for tests; by default a CloudFormation client of its own, destroyed after.
 *
 * @throws ResumeCommandError when the stack is not found or lacks one of {@link RESUME_STACK_OUTPUTS}
 * @example const { tableName, queueUrl } = await readStackLocation('ChatWebhookGateway', 'eu-west-1');
 */
export async function readStackLocation(stack: string, region: string | undefined, client?: CloudFormationClient): Promise<StackLocation> {
  const cloudFormation = client ?? new CloudFormationClient(region ? { region } : {});
  try {
    let resolvedRegion: string;
    try {
      resolvedRegion = await cloudFormation.config.region();
    } catch (error) {
      throw new ResumeCommandError('No AWS region: set AWS_REGION or pass --region', { cause: error });
    }
    let outputs: Record<string, string>;
    try {
      const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
      outputs = Object.fromEntries((Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
    } catch (error) {
      // CloudFormation answers an unknown stack with a ValidationError "Stack with id X does not exist".
      if ((error as { name?: unknown }).name === 'ValidationError' && /does not exist/.test(String((error as { message?: unknown }).message))) {
        throw new ResumeCommandError(`Stack ${stack} does not exist in ${resolvedRegion}: check its name, and the region (AWS_REGION or --region)`, { cause: error });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ResumeCommandError(`CloudFormation did not describe stack ${stack} in ${resolvedRegion} (${reason}): check your AWS credentials and region`, { cause: error });
    }
    const missing = Object.values(RESUME_STACK_OUTPUTS).filter((name) => !outputs[name]);
    if (missing.length > 0) {
      throw new ResumeCommandError(
        `Stack ${stack} has no output ${missing.join(' or ')}: deploy the current version (npm run deploy), or pass --table <park table> --queue-url <queue URL>`,
      );
    }
    return { region: resolvedRegion, tableName: outputs[RESUME_STACK_OUTPUTS.tableName] ?? '', queueUrl: outputs[RESUME_STACK_OUTPUTS.queueUrl] ?? '' };
  } finally {
    if (!client) cloudFormation.destroy();
  }
}
