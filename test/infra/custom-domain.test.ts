/**
 * The custom domain: webhook URLs that outlive the API, on a regional API Gateway domain name (TLS 1.2 or later)
 * with a given ACM certificate or one the stack validates in a Route 53 zone. Every synthesis here runs the policy
 * checks (cdk-nag, CfnGuard) as `npm run synth` does.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/ChatWebhookGatewayStack.js';
import { providers } from '../../lib/providers/registry.js';
import { idOf, synthGateway } from './synth.js';

const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const zone = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };

/** Every provider's WebhookUrl output. */
function webhookUrls(outputs: Record<string, { Value: unknown }>): unknown[] {
  return providers.map((provider) => outputs[`${pascalCase(provider.slug)}WebhookUrl`]?.Value);
}

describe('custom domain', () => {
  it('with a hosted zone: a DNS-validated certificate, a TLS 1.2 regional domain mapped to the stage, its alias record, and the URLs on it', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false, context: { domainName: 'webhooks.example.com', ...zone } });

    // Assess
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'webhooks.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'webhooks.example.com', HostedZoneId: zone.hostedZoneId }],
    });
    const certificateId = idOf(stack, stack.api.domain!.certificate);
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'webhooks.example.com',
      DomainNameConfigurations: [{ CertificateArn: { Ref: certificateId }, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    const domainId = idOf(stack, stack.api.domain!.domainName);
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: idOf(stack, stack.api.api) },
      DomainName: { Ref: domainId },
      Stage: '$default',
    });
    template.hasResource('AWS::ApiGatewayV2::ApiMapping', { DependsOn: [idOf(stack, stack.api.stage)] });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'webhooks.example.com.',
      Type: 'A',
      HostedZoneId: zone.hostedZoneId,
      AliasTarget: { DNSName: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] }, HostedZoneId: { 'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'] } },
    });
    const outputs = template.findOutputs('*') as Record<string, { Value: unknown }>;
    expect(webhookUrls(outputs)).toEqual(providers.map((provider) => `https://webhooks.example.com/webhooks/${provider.slug}`));
    expect(outputs).not.toHaveProperty('CustomDomainTarget');
  });

  it('with a certificate ARN and no zone: the domain on that certificate, no record, and the name to point it at as an output', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false, context: { domainName: 'webhooks.example.com', certificateArn } });

    // Assess
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainNameConfigurations: [{ CertificateArn: certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    template.hasOutput('CustomDomainTarget', {
      Value: { 'Fn::GetAtt': [idOf(stack, stack.api.domain!.domainName), 'RegionalDomainName'] },
      Description: Match.stringLikeRegexp('^Point webhooks\\.example\\.com at this name: a CNAME record'),
    });
    expect(webhookUrls(template.findOutputs('*') as Record<string, { Value: unknown }>)).toEqual(
      providers.map((provider) => `https://webhooks.example.com/webhooks/${provider.slug}`),
    );
  });

  it('with a certificate ARN and a zone: that certificate, and the alias record', () => {
    // Act
    const { template } = synthGateway({ bundle: false, context: { domainName: 'example.com', certificateArn, ...zone } });

    // Assess
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'example.com.', Type: 'A' });
  });

  it('without one: no domain resources, and the URLs are the API endpoint', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false });

    // Assess
    for (const type of ['AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping', 'AWS::CertificateManager::Certificate', 'AWS::Route53::RecordSet']) template.resourceCountIs(type, 0);
    const [url] = webhookUrls(template.findOutputs('*') as Record<string, { Value: unknown }>);
    expect(JSON.stringify(url)).toContain(`{"Fn::GetAtt":["${idOf(stack, stack.api.api)}","ApiEndpoint"]}`);
  });
});
