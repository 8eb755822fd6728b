/**
 * Reading a deployed stack's outputs: every output by name ({@link readStackOutputs}, which `npm run smoke -- --stack`
 * uses), and the park table and main queue of `npm run resume -- --stack <name>` ({@link readStackLocation}).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ResumeCommandError } from './errors.js';

/**
 * The stack outputs a resume needs. Their ids are set in infra/ChatWebhookGatewayStack.ts; tools do not import the
 * CDK app (npm run lint:layers), so they are named again here.
 */
const RESUME_STACK_OUTPUTS = { tableName: 'ParkTableName', queueUrl: 'QueueUrl' } as const;

/** A stack's outputs could not be read; the message is the one line to show, the SDK's error stays as `cause`. */
export class StackOutputsError extends Error {
  override readonly name: string = 'StackOutputsError';
}

/** Every output of a stack by its name, and the region the stack was found in. */
export interface StackOutputs {
  readonly region: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Where a stack's park table and queue are, and the region it was found in. */
export interface StackLocation {
  readonly region: string;
  readonly tableName: string;
  readonly queueUrl: string;
}

/**
 * The outputs of `stack` (CloudFormation DescribeStacks). `region` undefined: the SDK's (AWS_REGION, the profile).
 * `client` is for tests; by default a CloudFormation client of its own, destroyed after.
 *
 * @throws StackOutputsError when there is no region, the stack is not found, or CloudFormation refuses (its error as `cause`)
 * @example const { region, outputs } = await readStackOutputs('ChatWebhookGateway', 'eu-west-1'); outputs.QueueUrl
 */
export async function readStackOutputs(stack: string, region: string | undefined, client?: CloudFormationClient): Promise<StackOutputs> {
  const cloudFormation = client ?? new CloudFormationClient(region ? { region } : {});
  try {
    let resolvedRegion: string;
    try {
      resolvedRegion = await cloudFormation.config.region();
    } catch (error) {
      throw new StackOutputsError('No AWS region: set AWS_REGION or pass --region', { cause: error });
    }
    try {
      const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
      const outputs = Object.fromEntries((Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
      return { region: resolvedRegion, outputs };
    } catch (error) {
      // CloudFormation answers an unknown stack with a ValidationError "Stack with id X does not exist".
      if ((error as { name?: unknown }).name === 'ValidationError' && /does not exist/.test(String((error as { message?: unknown }).message))) {
        throw new StackOutputsError(`Stack ${stack} does not exist in ${resolvedRegion}: check its name, and the region (AWS_REGION or --region)`, { cause: error });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new StackOutputsError(`CloudFormation did not describe stack ${stack} in ${resolvedRegion} (${reason}): check your AWS credentials and region`, { cause: error });
    }
  } finally {
    if (!client) cloudFormation.destroy();
  }
}

/**
 * The park table and queue of `stack`, from its outputs. `region` undefined: the SDK's (AWS_REGION, the profile).
 * `client` is for tests; by default a CloudFormation client of its own, destroyed after.
 *
 * @throws ResumeCommandError when the stack is not found or lacks one of {@link RESUME_STACK_OUTPUTS}
 * @example const { tableName, queueUrl } = await readStackLocation('ChatWebhookGateway', 'eu-west-1');
 */
export async function readStackLocation(stack: string, region: string | undefined, client?: CloudFormationClient): Promise<StackLocation> {
  let found: StackOutputs;
  try {
    found = await readStackOutputs(stack, region, client);
  } catch (error) {
    if (!(error instanceof StackOutputsError)) throw error;
    throw new ResumeCommandError(error.message, { cause: error.cause });
  }
  const { outputs } = found;
  const missing = Object.values(RESUME_STACK_OUTPUTS).filter((name) => !outputs[name]);
  if (missing.length > 0) {
    throw new ResumeCommandError(
      `Stack ${stack} has no output ${missing.join(' or ')}: deploy the current version (npm run deploy), or pass --table <park table> --queue-url <queue URL>`,
    );
  }
  return { region: found.region, tableName: outputs[RESUME_STACK_OUTPUTS.tableName] ?? '', queueUrl: outputs[RESUME_STACK_OUTPUTS.queueUrl] ?? '' };
}
