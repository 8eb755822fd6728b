import type { Key } from 'aws-cdk-lib/aws-kms';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Denies `kms:CreateGrant` on the key except for grants an AWS service makes for a resource (Control Tower's
 * CT.KMS.PR.3): nobody can hand the key's use to a principal outside its policy.
 *
 * @param key - a key of the gateway
 */
export function denyGrantsExceptForAwsServices(key: Key): void {
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
