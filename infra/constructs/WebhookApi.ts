import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, LogGroupClass, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { webhookKindRoute, webhookPath } from '../../lib/events/webhook-path.js';
import { acknowledgeCfnGuard } from '../policy-validation.js';
import { WebhookDomain, type WebhookDomainSettings } from './WebhookDomain.js';

/** Why the routes carry no authoriser; cdk-nag and CfnGuard both ask for one. */
const signatureAuthentication =
  'Providers cannot send IAM, JWT or Cognito credentials; each delivery is authenticated by its receiver, ' +
  'which verifies the HMAC signature or Basic credentials over the raw body (an authorizer never sees ' +
  'the body). Unauthenticated deliveries get a 401.';

/**
 * One JSON object per request, from HTTP API `$context` variables: what the runbooks read (docs/operating.md) and
 * nothing more, for each field is paid for on every delivery (docs/costs.md). No headers and no body: signatures
 * and credentials stay out of the logs. Left out as redundant: the method (always POST), the path (the route says
 * it), the protocol, the response length, the user agent and the request time (the log event's own timestamp).
 * API Gateway writes a variable's text as it is, so free text goes in only in the form it quotes and escapes itself
 * (`$context.error.messageString`, written without quotes of ours): a message with a quote in it would otherwise
 * break the line's JSON. `$context.integrationErrorMessage` has no such form and is left out; the receiver's own
 * log line says why it failed.
 */
const accessLogFields = {
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  error: '$context.error.messageString',
};
const accessLogFormat = AccessLogFormat.custom(JSON.stringify(accessLogFields).replace(/"(\$context\.[\w.]+String)"/g, '$1'));

export interface WebhookApiProps {
  /** Steady-state requests per second accepted by the stage. */
  readonly throttleRateLimit: number;
  /** Requests accepted in a burst. */
  readonly throttleBurstLimit: number;
  /** Retention of the access log group. */
  readonly accessLogRetention: RetentionDays;
  /** Encrypts the access log group. */
  readonly accessLogEncryptionKey: IKey;
  /** A custom domain for the webhook URLs. @default - none: the URLs are the API's own `execute-api` address */
  readonly customDomain?: WebhookDomainSettings;
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
  /** The custom domain, when one is set. */
  readonly domain?: WebhookDomain;
  /** Where the webhook URLs start: the custom domain's origin, or the API's endpoint. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      description: 'Chat provider webhooks: POST /webhooks/<provider>[/<kind>]',
      // The default stage cannot be given throttling or access logs; ours below can.
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention,
      encryptionKey: props.accessLogEncryptionKey,
      // Half the Standard class's price per GB ingested; it keeps Logs Insights queries (the runbooks'), and nothing
      // here needs what it lacks (metric and subscription filters, Live Tail). Unchangeable: another class is a new group.
      logGroupClass: LogGroupClass.INFREQUENT_ACCESS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeCfnGuard(
      this.accessLogGroup,
      'cloudwatch_log_group_retention_period_check',
      'Retention is the logRetentionDays setting (30 days by default): access logs hold source IP addresses, kept ' +
        'only as long as diagnosis needs; raise it for an audit policy.',
    );

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

    if (props.customDomain) this.domain = new WebhookDomain(this, 'Domain', { ...props.customDomain, api: this.api, stage: this.stage });
    this.baseUrl = this.domain?.url ?? this.api.apiEndpoint;
  }

  /**
   * Routes `POST /webhooks/<slug>` and `POST /webhooks/<slug>/{kind}` to the provider's receiver.
   *
   * @param slug - the provider's URL name
   * @param receiver - the function that answers both routes
   * @returns the webhook URL to register with the provider (on the custom domain, when there is one)
   */
  addProvider(slug: string, receiver: IFunction): string {
    const integration = new HttpLambdaIntegration(`${slug}-integration`, receiver);
    const routes = this.api.addRoutes({ path: webhookPath(slug), methods: [HttpMethod.POST], integration });
    routes.push(...this.api.addRoutes({ path: webhookKindRoute(slug), methods: [HttpMethod.POST], integration }));
    for (const route of routes) {
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: signatureAuthentication });
      acknowledgeCfnGuard(route, 'api_gw_v2_authorization_type_configured_check', signatureAuthentication);
      // The route holds the receiver's invoke permission for API Gateway.
      acknowledgeCfnGuard(
        route,
        'lambda_function_public_access_prohibited_check',
        "Only this API may invoke the receiver: the permission's SourceArn is the API's ARN, which the rule cannot " +
          'read (it accepts only a literal string); a literal SourceAccount would tie the stack to one account.',
      );
    }

    return `${this.baseUrl}${webhookPath(slug)}`;
  }
}
