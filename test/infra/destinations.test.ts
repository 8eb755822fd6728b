/**
 * Issue 23 in the stack: the `destinations` setting reaches the worker; the signing secret is made and readable by the
 * worker only; PutEvents is allowed on the named bus only; each destination has its alarms (with runbook entries) and
 * a dashboard row; without destinations nothing of it is deployed.
 */
import { readFileSync } from 'node:fs';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { DestinationEnvironment } from '../../lib/destinations/environment.js';
import { MetricNames } from '../../lib/observability/names.js';
import { idOf, synthGateway } from './synth.js';

const destinations = [
  { type: 'https', name: 'crm', url: 'https://crm.example.com/hooks', filter: { types: ['message.*'] } },
  { type: 'eventbridge', name: 'bus', busName: 'chat-events' },
];

/** The headings under "The alarms" in docs/operating.md. */
const runbookHeadings = (() => {
  const operating = readFileSync(new URL('../../docs/operating.md', import.meta.url), 'utf8');
  return [...operating.slice(operating.indexOf('\n## The alarms')).matchAll(/^### (.+)$/gm)].map((match) => match[1] ?? '');
})();

function workerEnvironment(template: Template): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Description: Match.stringLikeRegexp('^Processes queued chat events') } });
  const [worker] = Object.values(functions) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
  return worker?.Properties.Environment.Variables ?? {};
}

describe('a stack with destinations', () => {
  let stack: ChatWebhookGatewayStack;
  let template: Template;
  const secretId = () => {
    const secret = stack.destinationSecret?.secret;
    if (!secret) throw new Error('no destination secret');
    return idOf(stack, secret);
  };
  beforeAll(() => {
    // Act: as -c destinations='[...]' gives them.
    ({ stack, template } = synthGateway({ bundle: false, context: { destinations: JSON.stringify(destinations) } }));
  }, 120_000);

  it("gives the worker the settings, defaults filled in, and its secret's ARN (never its value)", () => {
    // Act
    const variables = workerEnvironment(template);

    // Assess
    const given = JSON.parse(String(variables[DestinationEnvironment.destinations])) as { name: string; timeoutMs?: number }[];
    expect(given.map((destination) => destination.name)).toEqual(['crm', 'bus']);
    expect(given[0]?.timeoutMs).toBe(10_000);
    expect(variables[DestinationEnvironment.secretArn]).toEqual({ Ref: secretId() });
  });

  it('makes the signing secret with a random 48-character key, read by the worker only', () => {
    // Assess
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('^Signing key of the HTTPS destinations'),
      GenerateSecretString: { GenerateStringKey: 'current', PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false },
    });
    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes(secretId()),
    );
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0])).toContain('"Ref":"WorkerRole');
  });

  it('allows events:PutEvents on the named bus only', () => {
    // Prepare
    const resource = new Capture();

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents', Effect: 'Allow', Resource: resource })]) },
    });
    expect(JSON.stringify(resource.asObject())).toContain(':event-bus/chat-events');
    expect(JSON.stringify(resource.asObject())).not.toContain('*');
  });

  it('alarms per destination on failures and on the oldest undelivered event, each naming a runbook entry that exists', () => {
    // Prepare
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => (alarm as { Properties: { MetricName?: string; Dimensions?: unknown; AlarmDescription?: string; Threshold?: number } }).Properties);

    // Act
    const ofDestinations = alarms.filter((alarm) => JSON.stringify(alarm.Dimensions ?? []).includes('"destination"'));

    // Assess
    expect(ofDestinations.map((alarm) => [alarm.MetricName, JSON.stringify(alarm.Dimensions).match(/"Value":"(crm|bus)"/)?.[1], alarm.Threshold]).sort()).toEqual(
      [
        [MetricNames.deliveryFailed, 'bus', 10],
        [MetricNames.deliveryFailed, 'crm', 10],
        [MetricNames.undeliveredAge, 'bus', 900],
        [MetricNames.undeliveredAge, 'crm', 900],
      ].sort(),
    );
    for (const alarm of ofDestinations) {
      const runbook = /Runbook: docs\/operating\.md › (.+)\.$/.exec(alarm.AlarmDescription ?? '')?.[1] ?? '';
      expect(runbookHeadings.some((heading) => heading.startsWith(runbook)), `a heading "### ${runbook}" in docs/operating.md`).toBe(true);
    }
  });

  it('has a dashboard row of the destinations, a line per destination, latency as p50 and p99', () => {
    // Prepare
    const body = new Capture();
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardBody: body });

    // Act
    const text = JSON.stringify(body.asObject());

    // Assess
    for (const title of ['Destinations: delivered, failed and requests sent, by destination', 'Destinations: latency of a try, p50 and p99 (ms)', 'Destinations: oldest undelivered event (s)']) {
      expect(text).toContain(title);
    }
    expect(text).toMatch(/destination,service}[^']*DeliveryLatency[^']*', 'p99'/);
  });

  it('outputs the secret ARN', () => {
    // Assess
    template.hasOutput('DestinationSecretArn', { Value: { Ref: secretId() } });
  });
});

describe('a stack without destinations', () => {
  it('has no signing secret, no PutEvents, no destination variables', { timeout: 120_000 }, () => {
    // Act
    const { template } = synthGateway({ bundle: false });

    // Assess
    expect(workerEnvironment(template)[DestinationEnvironment.destinations]).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('events:PutEvents');
    expect(JSON.stringify(template.toJSON())).not.toContain('Signing key of the HTTPS destinations');
  });
});

describe('the destinations setting', () => {
  it.each([
    ['an http URL (the local runtime only)', [{ type: 'https', name: 'crm', url: 'http://crm.example.com/hooks' }], /destinations\.url of destination crm must be https:\/\/ in AWS/],
    ['a name used twice', [{ type: 'https', name: 'a', url: 'https://a.example' }, { type: 'eventbridge', name: 'a', busName: 'b' }], /destination name "a" is used twice/],
    ['a setting that is no JSON', '[{"type": "https"', /is not valid JSON/],
  ])('refuses %s with one line', (_name, value, message) => {
    // Act
    const synth = () => synthGateway({ bundle: false, context: { destinations: typeof value === 'string' ? value : JSON.stringify(value) } });

    // Assess
    expect(synth).toThrow(message);
    expect(synth).toThrow(/^context destinations[^\n]+; set it with -c destinations=\.\.\. /);
  });
});
