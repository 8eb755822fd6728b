import { Validations } from 'aws-cdk-lib';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface DestinationSecretProps {
  /**
   * The complete ARN of an existing secret to use instead of creating one: JSON `{"current": "whsec_...", "previous": "whsec_..."}`.
   * @default - a new secret with a random key
   */
  readonly existingSecretArn?: string;
}

/**
 * The key the worker signs HTTPS deliveries with (Standard Webhooks): JSON `{"current": "...", "previous": "..."}`,
 * where `previous`, while set, is signed with too (two signatures during a rotation). Created with a random
 * `current` of 48 letters and digits, itself a valid base64 key: receivers verify with `whsec_<current>`. No value
 * is ever in the template.
 */
export class DestinationSecret extends Construct {
  /** The secret; grant reads on it to the worker only. */
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: DestinationSecretProps = {}) {
    super(scope, id);
    if (props.existingSecretArn !== undefined) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.existingSecretArn);
      return;
    }
    const secret = new Secret(this, 'Secret', {
      description:
        'Signing key of the HTTPS destinations (Standard Webhooks): JSON {"current": "...", "previous": "..."}. ' +
        'Receivers verify with whsec_<current>; to rotate, move current to previous and store a new current.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ previous: '' }),
        generateStringKey: 'current',
        // 48 base64 characters: a 36-byte key.
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Every receiver holds a copy of the key, so a rotation Lambda would break them: rotation is manual and without ' +
        'downtime (the new key in "current", the old one in "previous", both signed with until the receivers have the new one).',
    });
    this.secret = secret;
  }
}
