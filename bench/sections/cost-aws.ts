/**
 * Child process of `npm run cost`: the local AWS the bundles talk to (the embedded SQS and Secrets Manager, dynalite,
 * the embedded S3), with counting proxies in front of DynamoDB and S3, so that none of their work is counted in the
 * CPU time the cost command measures in its own process.
 *
 * Started with COST_AWS = {"secrets": {"<secret ARN>": "<value>"}}.
 */
import { startEmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { startEmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { startLambdaAws } from '../../dev/fakes/lambda-aws.js';
import { startCountingProxy, type SeenRequest } from '../../dev/cost/counting-proxy.js';
import { serveBenchCommands } from '../lib/child.js';

const { secrets } = JSON.parse(process.env.COST_AWS ?? '{}') as { secrets: Record<string, string> };
const aws = await startLambdaAws(new Map(Object.entries(secrets)));
const dynamodb = await startEmbeddedDynamoDb();
const s3 = await startEmbeddedS3();
const dynamodbProxy = await startCountingProxy(dynamodb.endpoint);
const s3Proxy = await startCountingProxy(s3.endpoint);

/** A request as it crosses IPC. */
const wire = ({ operation, body }: SeenRequest) => ({ operation, body: body.toString('base64') });

serveBenchCommands(
  {
    endpoints: async () => ({
      sqsEndpoint: aws.sqsEndpoint,
      secretsManagerEndpoint: aws.secretsManagerEndpoint,
      queueUrl: aws.queueUrl,
      dynamodbEndpoint: dynamodbProxy.endpoint,
      tableName: dynamodb.tableName,
      parkTableName: dynamodb.parkTableName,
      s3Endpoint: s3Proxy.endpoint,
      bucket: s3.bucket,
    }),
    /** The DynamoDB and S3 requests since the last call. */
    take: async () => {
      const taken = { dynamodb: dynamodbProxy.seen.map(wire), s3: s3Proxy.seen.map(wire) };
      dynamodbProxy.reset();
      s3Proxy.reset();
      return taken;
    },
  },
  async () => {
    await dynamodbProxy.stop();
    await s3Proxy.stop();
    await aws.stop();
    await dynamodb.stop();
    await s3.stop();
  },
);
