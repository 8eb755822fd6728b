/**
 * One function bundled by `cdk synth` itself: a probe stack with a single `GatewayFunction`, synthesised into
 * `outdir`, and the `index.mjs` CDK staged for it. Tests that run or inspect a bundle take it from here, so they
 * see what `cdk deploy` ships.
 */
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { GatewayFunction } from '../../infra/constructs/GatewayFunction.js';
import { cdkJson } from '../infra/synth.js';

export interface StagedBundle {
  /** The staged `index.mjs`; its source map is beside it. */
  readonly file: string;
  /** `NODE_OPTIONS` the template sets for the function. */
  readonly nodeOptions: string;
}

interface ProbeFunction {
  readonly Properties: { readonly Code: { readonly S3Key: string }; readonly Environment: { readonly Variables: { readonly NODE_OPTIONS: string } } };
}

/**
 * Synthesises a probe stack with one `GatewayFunction` for `entry` and returns its staged bundle.
 *
 * @param entry - relative to the repository root (`functions/qikchat.ts`)
 * @param outdir - the cloud assembly folder; inside the repository when the SDK is left to the runtime, so that
 *   Node finds it in `node_modules` as Lambda finds the runtime's copy
 * @example const { file } = stagedBundle('functions/qikchat.ts', join(root, '.bench-build', 'probe'), { bundleAwsSdk: true });
 */
export function stagedBundle(entry: string, outdir: string, options: { bundleAwsSdk: boolean; detailedTracing?: boolean }): StagedBundle {
  const app = new App({ context: cdkJson.context, outdir });
  const stack = new Stack(app, 'BundlingProbe');
  const logs = { logLevel: 'INFO', logRetention: RetentionDays.ONE_MONTH, logEncryptionKey: new Key(stack, 'Logs') } as const;
  new GatewayFunction(stack, 'Probe', { entry, description: 'probe', timeout: Duration.seconds(5), memorySize: 1024, ...options, ...logs });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as ProbeFunction[];
  if (!fn) throw new Error('the probe stack has no function');
  // Outside the CLI no `aws:asset:path` metadata: the asset folder is named after the S3 key.
  const asset = `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`;
  return { file: join(app.synth().directory, asset, 'index.mjs'), nodeOptions: fn.Properties.Environment.Variables.NODE_OPTIONS };
}
