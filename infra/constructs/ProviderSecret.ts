import { Validations } from 'aws-cdk-lib';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ProviderDefinition } from '../../lib/providers/types.js';

export interface ProviderSecretProps {
  /** The provider whose secret this is. */
  readonly provider: Pick<ProviderDefinition, 'slug' | 'displayName' | 'secretDescription'>;
  /**
   * The complete ARN of an existing secret to use instead of creating one. Its SecretString must be JSON
   * `{"current": "...", "previous": "..."}`.
   * @default - a new secret with a random placeholder
   */
  readonly existingSecretArn?: string;
}

/**
 * The Secrets Manager secret of one provider: JSON `{"current": "...", "previous": "..."}`, where `previous` is
 * still accepted during a rotation. Either imported by ARN or created with a random `current` that matches
 * nothing the provider sends, so the receiver refuses every delivery until the operator stores the real
 * value. No value is ever in the template.
 */
export class ProviderSecret extends Construct {
  /** The secret; grant reads on it to its receiver only. */
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: ProviderSecretProps) {
    super(scope, id);
    const { provider } = props;

    if (props.existingSecretArn !== undefined) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.existingSecretArn);
      return;
    }

    const secret = new Secret(this, 'Secret', {
      description:
        `${provider.displayName} webhook secret: ${provider.secretDescription}. ` +
        'JSON {"current": "...", "previous": "..."}, created with a random placeholder: store the real value ' +
        'before registering the webhook URL.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ previous: '' }),
        generateStringKey: 'current',
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The value is issued by the provider (its dashboard), not by AWS: a rotation Lambda cannot change it. ' +
        'Rotation is manual and without downtime: the new value goes to "current", the old one to "previous", ' +
        'which the receiver keeps accepting until the provider uses the new one.',
    });
    this.secret = secret;
  }
}
