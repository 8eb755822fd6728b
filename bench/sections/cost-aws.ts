/**
 * Child process of `npm run cost`: the local AWS the bundles talk to (the embedded SQS and Secrets Manager, the
 * stand-in X-Ray daemon, dynalite, the embedded S3), with counting proxies in front of DynamoDB and S3, so that none of their work is counted in the
 * CPU time the cost command measures in its own process.
 *
 * Started with COST_AWS = {"secrets": {"<secret ARN>": "<value>"}, "latencyMs": <a same-region call's latency>}.
 */
import { startEmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { startEmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { startFirehoseStandIn } from '../../dev/fakes/firehose.js';
import { startLambdaAws } from '../../dev/fakes/lambda-aws.js';
import { InFlight, startCountingProxy, type SeenRequest } from '../../dev/cost/counting-proxy.js';
import { serveBenchCommands } from '../lib/child.js';

const { secrets, latencyMs } = JSON.parse(process.env.COST_AWS ?? '{}') as { secrets: Record<string, string>; latencyMs: number };
const aws = await startLambdaAws(new Map(Object.entries(secrets)));
const dynamodb = await startEmbeddedDynamoDb();
const s3 = await startEmbeddedS3();
// One clock for both: the worker's calls to DynamoDB and S3 overlap, and its wait is their union.
const inFlight = new InFlight();
const dynamodbProxy = await startCountingProxy(dynamodb.endpoint, { latencyMs, inFlight });
const s3Proxy = await startCountingProxy(s3.endpoint, { latencyMs, inFlight });
// Firehose's stand-in writes its objects into the embedded S3 itself, not through the proxy: not the worker's calls.
const firehose = await startFirehoseStandIn({ s3: s3.s3, bucket: s3.bucket });
const firehoseProxy = await startCountingProxy(firehose.endpoint, { latencyMs, inFlight });

/** A request as it crosses IPC. */
const wire = ({ operation, body }: SeenRequest) => ({ operation, body: body.toString('base64') });

serveBenchCommands(
  {
    endpoints: async () => ({
      sqsEndpoint: aws.sqsEndpoint,
      secretsManagerEndpoint: aws.secretsManagerEndpoint,
      xrayDaemonAddress: aws.xrayDaemonAddress,
      queueUrl: aws.queueUrl,
      dynamodbEndpoint: dynamodbProxy.endpoint,
      tableName: dynamodb.tableName,
      parkTableName: dynamodb.parkTableName,
      s3Endpoint: s3Proxy.endpoint,
      bucket: s3.bucket,
      firehoseEndpoint: firehoseProxy.endpoint,
      deliveryStream: firehose.deliveryStream,
    }),
    /** The DynamoDB, S3 and Firehose requests since the last call, and how long at least one of them was outstanding. */
    take: async () => {
      const taken = { dynamodb: dynamodbProxy.seen.map(wire), s3: s3Proxy.seen.map(wire), firehose: firehoseProxy.seen.map(wire), waitMs: inFlight.take() };
      dynamodbProxy.reset();
      s3Proxy.reset();
      firehoseProxy.reset();
      return taken;
    },
  },
  async () => {
    await dynamodbProxy.stop();
    await s3Proxy.stop();
    await firehoseProxy.stop();
    await firehose.stop();
    await aws.stop();
    await dynamodb.stop();
    await s3.stop();
  },
);
