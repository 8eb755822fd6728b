import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * One JSON object per request, from HTTP API `$context` variables. No headers and no body: signatures and
 * credentials stay out of the logs.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
  }),
);

export interface WebhookApiProps {
  /** Steady-state requests per second accepted by the stage. */
  readonly throttleRateLimit: number;
  /** Requests accepted in a burst. */
  readonly throttleBurstLimit: number;
  /** Retention of the access log group. @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The public HTTPS endpoint: an API Gateway HTTP API whose `$default` stage is throttled and writes JSON access
 * logs. Providers are added with {@link WebhookApi.addProvider}; no other route exists, so anything else is a 404
 * from API Gateway without invoking a function.
 */
export class WebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      description: 'Chat provider webhooks: POST /webhooks/<provider>[/<kind>]',
      // The default stage cannot be given throttling or access logs; ours below can.
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: accessLogFormat,
      },
    });
  }

  /**
   * Routes `POST /webhooks/<slug>` and `POST /webhooks/<slug>/{kind}` to the provider's receiver.
   *
   * @param slug - the provider's URL name
   * @param receiver - the function that answers both routes
   * @returns the webhook URL to register with the provider
   */
  addProvider(slug: string, receiver: IFunction): string {
    const integration = new HttpLambdaIntegration(`${slug}-integration`, receiver);
    const routes = this.api.addRoutes({ path: `/webhooks/${slug}`, methods: [HttpMethod.POST], integration });
    routes.push(...this.api.addRoutes({ path: `/webhooks/${slug}/{kind}`, methods: [HttpMethod.POST], integration }));
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Providers cannot send IAM, JWT or Cognito credentials; each delivery is authenticated by its receiver, ' +
          'which verifies the HMAC signature or Basic credentials over the raw body (an authorizer never sees ' +
          'the body). Unauthenticated deliveries get a 401.',
      });
    }
    return `${this.api.apiEndpoint}/webhooks/${slug}`;
  }
}
