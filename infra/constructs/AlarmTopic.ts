import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { gatewayKey } from './kms.js';

export interface AlarmTopicProps {
  /** Shown as the sender of the e-mails. @default - the stack's name followed by "alarms" */
  readonly displayName?: string;
}

/**
 * The SNS topic every alarm of the gateway notifies: encrypted at rest with a KMS key of its own (rotated yearly),
 * TLS required to publish, and open to CloudWatch alarms of this account and region only.
 *
 * Why a key of its own: SNS's AWS-managed key (`alias/aws/sns`) has a fixed key policy that CloudWatch is not in,
 * so alarms could not publish to a topic encrypted with it and notifications would be dropped without an error
 * at deploy time. Why the topic policy: a topic policy replaces SNS's default one, so without an explicit
 * statement CloudWatch would not be allowed to publish at all.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = gatewayKey(this, {
      description: `Encrypts the alarm notifications of ${stack.stackName} at rest in SNS.`,
      // Nothing outlives the topic that this key would still have to decrypt: notifications are transient.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });

    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName ?? `${stack.stackName} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });

    // sns:Publish on the topic and kms:Decrypt/GenerateDataKey* on the key, for CloudWatch acting for an alarm
    // of this account and region only (the conditions keep another account's alarms out: confused deputy).
    this.topic.grantPublish(
      new ServicePrincipal('cloudwatch.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
