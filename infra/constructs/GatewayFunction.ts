import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/observability/names.js';
import { gatewayBundlingOptions, gatewayNodeOptions } from '../bundling.js';
import type { LogLevel } from '../config.js';
import { acknowledgeCfnGuard } from '../policy-validation.js';

/** The repository root: `functions/`, `package-lock.json` and `tsconfig.json` live there. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Lambda's log-level filter for each Powertools level. With JSON logs Lambda filters application logs (INFO by
 * default) and Powertools follows `AWS_LAMBDA_LOG_LEVEL`; both are set from the one configured level so that
 * neither drops what the other emits.
 */
const applicationLogLevels: Record<LogLevel, ApplicationLogLevel> = {
  TRACE: ApplicationLogLevel.TRACE,
  DEBUG: ApplicationLogLevel.DEBUG,
  INFO: ApplicationLogLevel.INFO,
  WARN: ApplicationLogLevel.WARN,
  ERROR: ApplicationLogLevel.ERROR,
  CRITICAL: ApplicationLogLevel.FATAL,
};

export interface GatewayFunctionProps {
  /** The entry point, relative to the repository root (`functions/worker.ts`). */
  readonly entry: string;
  /** Human description, shown in the Lambda console. */
  readonly description: string;
  /** The invocation time limit. */
  readonly timeout: Duration;
  /** Memory in MB; CPU is allocated in proportion (1,769 MB = one vCPU). */
  readonly memorySize: number;
  /** Variables beyond the Powertools ones and `NODE_OPTIONS`. Never a secret. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** `POWERTOOLS_LOG_LEVEL`, and Lambda's log filter. */
  readonly logLevel: LogLevel;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
  /** Encrypts the function's log group (`LogEncryptionKey`). */
  readonly logEncryptionKey: IKey;
  /**
   * Bundle the AWS SDK v3 into the function (true) or mark `@aws-sdk/*` and `@smithy/*` external and use the
   * copy in the Lambda runtime (false). Bundling pins the exact SDK the tests ran against; the runtime's copy
   * makes a smaller bundle. A benchmark of cold starts decides the default.
   * @default true
   */
  readonly bundleAwsSdk?: boolean;
  /**
   * Concurrency reserved for this function: no other function of the account can take it, and this one cannot
   * use more. @default - none, the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /** Bundle Powertools Tracer for `SendMessage` and Secrets Manager subsegments. @default false */
  readonly detailedTracing?: boolean;
}

/**
 * A Node.js Lambda function of the gateway, with every default decided once: `nodejs24.x` on arm64, bundled by
 * the local esbuild (never Docker) into minified ESM with source maps, active tracing, JSON logs to its own log
 * group with a retention period, and a role of its own that can write only to that log group. Grant it more
 * with `grant*` methods on the resources it uses.
 */
export class GatewayFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
  /** Its execution role; nothing but log writes and X-Ray until a `grant*` adds to it. */
  readonly role: Role;
  /** Its log group. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GatewayFunctionProps) {
    super(scope, id);

    // Explicit log group: the retention is ours, and the role below needs no logs:CreateLogGroup.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      // Logs outlive a `cdk destroy` and then expire with their retention: an audit trail of what was received.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Own role instead of AWSLambdaBasicExecutionRole, whose logs:* statements apply to every log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statement that active tracing adds (xray:PutTraceSegments, xray:PutTelemetryRecords) uses "*": ' +
        'these X-Ray actions support no resource-level permissions. Every other statement names its resource.',
    });

    const { logLevel } = props;
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${projectRoot}${props.entry}`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: applicationLogLevels[logLevel],
      // Lambda's own per-invocation lines (`platform.start`, `platform.report`) are INFO: at WARN they are not ingested,
      // about 750 bytes a delivery (docs/costs.md). Durations, errors and throttles are Lambda's free metrics; the
      // functions publish their own cold-start time (`InitDuration`) and memory (`MemoryUsed`).
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        // The names the alarms and the dashboard read (`lib/observability/names.ts`).
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: logLevel,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: gatewayNodeOptions,
        ...props.environment,
      },
      // Defined in infra/bundling.ts, which the benchmarks build with too.
      bundling: gatewayBundlingOptions(props.bundleAwsSdk ?? true, props.detailedTracing ?? false),
    });

    acknowledgeCfnGuard(
      this,
      'lambda_inside_vpc_check',
      'Outside a VPC: the functions call only AWS public endpoints (SQS, Secrets Manager, X-Ray) over TLS with IAM ' +
        'authentication; a VPC would add NAT gateways or interface endpoints (about $7 a month each per AZ) and ' +
        'cold-start time, and protect nothing the endpoints do not already.',
    );
    acknowledgeCfnGuard(
      this.logGroup,
      'cloudwatch_log_group_retention_period_check',
      'Retention is the logRetentionDays setting (30 days by default): the logs hold customer identifiers ' +
        '(conversation ids), kept only as long as diagnosis needs; raise it for an audit policy.',
    );
  }
}
