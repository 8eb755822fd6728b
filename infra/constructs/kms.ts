import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Denies `kms:CreateGrant` on the key except for grants an AWS service makes for a resource (Control Tower's
 * CT.KMS.PR.3): nobody can hand the key's use to a principal outside its policy.
 *
 * @param key - a key of the gateway
 */
function denyGrantsExceptForAwsServices(key: Key): void {
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyGrantsExceptForAwsServices',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}

/**
 * A customer-managed key of the gateway (construct id `Key` in `scope`): rotated yearly, and grants only for AWS
 * services ({@link denyGrantsExceptForAwsServices}). What it encrypts decides how long it is kept.
 *
 * @param scope - the construct that owns what the key encrypts
 * @param props - what it encrypts (its description), and its removal policy and pending window
 */
export function gatewayKey(
  scope: Construct,
  props: { readonly description: string; readonly removalPolicy: RemovalPolicy; readonly pendingWindow: Duration },
): Key {
  const key = new Key(scope, 'Key', { ...props, enableKeyRotation: true });
  denyGrantsExceptForAwsServices(key);
  return key;
}
