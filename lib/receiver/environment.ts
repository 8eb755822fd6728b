/**
 * The environment variables the CDK stack sets on each receiver and `createAwsReceiverHandler` reads: one
 * definition, so a renamed variable cannot silently leave a receiver reading nothing. Powertools' own
 * `POWERTOOLS_*` variables are filled from `lib/observability/names.ts`.
 */
export const ReceiverEnvironment = {
  /** The FIFO queue the receiver sends events to. */
  queueUrl: 'QUEUE_URL',
  /** The ARN of the provider's secret in Secrets Manager; the value itself never enters the environment. */
  providerSecretArn: 'PROVIDER_SECRET_ARN',
  /** How long the secret is cached, in seconds (default `DEFAULT_SECRETS_MAX_AGE_SECONDS`). */
  secretsMaxAgeSeconds: 'SECRETS_MAX_AGE_SECONDS',
  /** `disabled` turns signature checks off (`verificationMode`); anything else enforces them. */
  signatureVerification: 'SIGNATURE_VERIFICATION',
} as const;
