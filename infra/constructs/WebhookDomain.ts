import { ApiMapping, DomainName, EndpointType, SecurityPolicy, type HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** The custom domain of the webhook URLs: the name, and its certificate or the hosted zone to make one in. */
export interface WebhookDomainSettings {
  /** The domain, e.g. `webhooks.example.com`. */
  readonly domainName: string;
  /** An ACM certificate in the stack's region covering the domain. @default - a new one, DNS-validated in `hostedZone` */
  readonly certificateArn?: string;
  /** The Route 53 public hosted zone of the domain: its alias record goes there. @default - none: point the domain at `target` yourself */
  readonly hostedZone?: { readonly id: string; readonly name: string };
}

export interface WebhookDomainProps extends WebhookDomainSettings {
  /** The API the domain serves. */
  readonly api: HttpApi;
  /** The stage the domain's root maps to. */
  readonly stage: HttpStage;
}

/**
 * A custom domain for the webhook API, so that the URL registered with each provider outlives the API: a regional
 * API Gateway domain name (TLS 1.2 or later) mapped to the stage, with the given ACM certificate or a new one that
 * the stack validates by DNS in the hosted zone, and, with a hosted zone, the alias record that points the domain
 * at API Gateway.
 */
export class WebhookDomain extends Construct {
  readonly domainName: DomainName;
  readonly certificate: ICertificate;
  /** The domain's `https://` origin, without a trailing slash. */
  readonly url: string;
  /** Where the domain must point (a CNAME's value) when the stack does not make its record. */
  readonly target: string;

  constructor(scope: Construct, id: string, props: WebhookDomainProps) {
    super(scope, id);
    const zone = props.hostedZone ? HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name }) : undefined;
    if (!props.certificateArn && !zone) throw new Error(`WebhookDomain ${props.domainName}: needs a certificate ARN or a hosted zone`);

    this.certificate = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : new Certificate(this, 'Certificate', { domainName: props.domainName, validation: CertificateValidation.fromDns(zone) });

    this.domainName = new DomainName(this, 'DomainName', {
      domainName: props.domainName,
      certificate: this.certificate,
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ApiMapping(this, 'Mapping', { api: props.api, domainName: this.domainName, stage: props.stage });

    if (zone) {
      new ARecord(this, 'Alias', {
        zone,
        recordName: props.domainName,
        target: RecordTarget.fromAlias(new ApiGatewayv2DomainProperties(this.domainName.regionalDomainName, this.domainName.regionalHostedZoneId)),
      });
    }
    this.url = `https://${props.domainName}`;
    this.target = this.domainName.regionalDomainName;
  }
}
