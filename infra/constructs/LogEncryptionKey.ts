import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { gatewayKey } from './kms.js';

/**
 * The KMS key that encrypts every log group of the gateway (functions and API access logs), rotated yearly,
 * usable by CloudWatch Logs for this account's and region's log groups only. One key for all log groups: $1 a
 * month. It is kept on `cdk destroy`, like the log groups, so what they still hold stays readable; schedule its
 * deletion once they have expired.
 */
export class LogEncryptionKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = gatewayKey(this, {
      description: `Encrypts the log groups of ${stack.stackName} at rest in CloudWatch Logs.`,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch Logs encrypts and decrypts for log groups of this account and region, nothing else. Its principal
    // ends in the partition's URL suffix (amazonaws.com.cn in China), as cdk.json targets aws-cn too.
    this.key.grant(
      new ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`, {
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:DescribeKey',
    );
  }
}
