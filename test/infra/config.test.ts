import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { defaultGatewayConfig, readGatewayConfig } from '../../infra/config.js';
import { cdkJson } from './synth.js';

const slugs = ['qiscus-omnichannel', 'qiscus-sdk', 'qikchat', 'chatzuri'];

/** Context as `cdk.json` (parsed values) or `-c key=value` (strings) would give it. */
function configFrom(context: Record<string, unknown>) {
  return readGatewayConfig(new App({ context }).node, slugs);
}

describe('readGatewayConfig', () => {
  it('uses the defaults when the context is empty', () => {
    // Act
    const config = configFrom({});
    // Assess
    expect(config).toEqual(defaultGatewayConfig);
    expect(config).toMatchObject({ workerMaxConcurrency: 10, secretsMaxAgeSeconds: 300, logLevel: 'INFO', bundleAwsSdk: true });
    expect(config).toMatchObject({ detailedTracing: false, silenceAlarmMinutes: {} });
    expect(config.receiverReservedConcurrency).toBeUndefined();
  });

  it('reads receiverReservedConcurrency and detailedTracing from -c strings', () => {
    // Act
    const config = configFrom({ receiverReservedConcurrency: '50', detailedTracing: 'true' });
    // Assess
    expect(config).toMatchObject({ receiverReservedConcurrency: 50, detailedTracing: true });
  });

  it.each([
    ['60', { 'qiscus-omnichannel': 60, 'qiscus-sdk': 60, qikchat: 60, chatzuri: 60 }],
    [90, { 'qiscus-omnichannel': 90, 'qiscus-sdk': 90, qikchat: 90, chatzuri: 90 }],
    ['qikchat=60, chatzuri=1440', { qikchat: 60, chatzuri: 1440 }],
    ['{"qikchat": 30, "chatzuri": 0}', { qikchat: 30 }],
    [{ 'qiscus-sdk': 120 }, { 'qiscus-sdk': 120 }],
    ['0', {}],
  ])('reads silenceAlarmMinutes=%j for every provider or per provider', (value, expected) => {
    // Act + Assess
    expect(configFrom({ silenceAlarmMinutes: value }).silenceAlarmMinutes).toEqual(expected);
  });

  it('parses the string values of -c key=value', () => {
    // Act
    const config = configFrom({
      workerMaxConcurrency: '50',
      apiThrottleRateLimit: '10',
      apiThrottleBurstLimit: '20',
      logRetentionDays: '14',
      logLevel: 'warn',
      bundleAwsSdk: 'false',
      signatureVerificationDisabled: 'qikchat, chatzuri',
      secretArns: '{"chatzuri":"arn:aws:secretsmanager:us-east-1:123456789012:secret:chatzuri-Ab12Cd"}',
    });
    // Assess
    expect(config).toMatchObject({
      workerMaxConcurrency: 50,
      apiThrottleRateLimit: 10,
      apiThrottleBurstLimit: 20,
      logRetentionDays: 14,
      logLevel: 'WARN',
      bundleAwsSdk: false,
      signatureVerificationDisabled: ['qikchat', 'chatzuri'],
      secretArns: { chatzuri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:chatzuri-Ab12Cd' },
    });
  });

  it('reads the monitoring settings, with no e-mail subscription by default', () => {
    // Act
    const defaults = configFrom({});
    const config = configFrom({
      alarmEmail: ' ops@example.com ',
      queueAgeAlarmSeconds: '600',
      answerTimeAlarmMilliseconds: '1200',
      rejectedWebhooksAlarmThreshold: 50,
    });
    // Assess
    expect(defaults).toMatchObject({ queueAgeAlarmSeconds: 300, answerTimeAlarmMilliseconds: 1500, rejectedWebhooksAlarmThreshold: 10 });
    expect(defaults.alarmEmail).toBeUndefined();
    expect(configFrom({ alarmEmail: '' }).alarmEmail).toBeUndefined();
    expect(config).toMatchObject({
      alarmEmail: 'ops@example.com',
      queueAgeAlarmSeconds: 600,
      answerTimeAlarmMilliseconds: 1200,
      rejectedWebhooksAlarmThreshold: 50,
    });
  });

  it.each([
    [{ alarmEmail: 'ops.example.com' }, /alarmEmail must be one e-mail address/],
    [{ alarmEmail: 'a@example.com,b@example.com' }, /alarmEmail must be one e-mail address/],
    [{ queueAgeAlarmSeconds: 30 }, /queueAgeAlarmSeconds must be an integer from 60/],
    [{ answerTimeAlarmMilliseconds: 6000 }, /answerTimeAlarmMilliseconds must be an integer from 100 to 5000/],
    [{ rejectedWebhooksAlarmThreshold: 0 }, /rejectedWebhooksAlarmThreshold must be an integer from 1/],
    [{ workerMaxConcurrency: 1 }, /workerMaxConcurrency must be an integer from 2 to 1000/],
    [{ workerMaxConcurrency: 'ten' }, /workerMaxConcurrency/],
    [{ logRetentionDays: 10 }, /logRetentionDays must be one of/],
    [{ logLevel: 'VERBOSE' }, /logLevel must be one of/],
    [{ bundleAwsSdk: 'yes' }, /bundleAwsSdk must be true or false/],
    [{ apiThrottleRateLimit: 100, apiThrottleBurstLimit: 50 }, /apiThrottleBurstLimit \(50\) must be at least/],
    [{ signatureVerificationDisabled: ['qikchat', 'whatsapp'] }, /unknown provider "whatsapp"/],
    [{ secretArns: { qikchat: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qikchat' } }, /complete Secrets Manager ARN/],
    [{ secretArns: { nope: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-Ab12Cd' } }, /unknown provider "nope"/],
    [{ secretArns: '{not json' }, /not valid JSON/],
    [{ stackName: '1-starts-with-a-digit' }, /stackName must match/],
    [{ receiverReservedConcurrency: '0' }, /receiverReservedConcurrency must be an integer from 1 to 1000/],
    [{ detailedTracing: 'yes' }, /detailedTracing must be true or false/],
    [{ silenceAlarmMinutes: 'qikchat=2' }, /silenceAlarmMinutes\.qikchat must be an integer from 5 to 1440/],
    [{ silenceAlarmMinutes: 'whatsapp=60' }, /silenceAlarmMinutes\.whatsapp names an unknown provider "whatsapp"/],
    [{ silenceAlarmMinutes: 'often' }, /silenceAlarmMinutes must be minutes/],
  ])('rejects %j with one line naming the setting and how to set it', (context, message) => {
    // Act + Assess
    expect(() => configFrom(context)).toThrow(message);
    expect(() => configFrom(context)).toThrow(/^context \S+ [^\n]+; set it with -c \S+=\.\.\. /);
  });
});

describe('infra/app.ts with a bad setting', () => {
  it('prints one line naming the setting and exits 1, without a stack trace', () => {
    // Prepare: the CLI hands -c values to the app as CDK_CONTEXT_JSON
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    try {
      // Act
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: new URL('../../', import.meta.url),
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ workerMaxConcurrency: '1' }), CDK_OUTDIR: outdir },
        encoding: 'utf8',
      });
      // Assess
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        'chat-webhook-gateway: context workerMaxConcurrency must be an integer from 2 to 1000, got "1"; ' +
          'set it with -c workerMaxConcurrency=... (docs/deploying.md › Settings)',
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('cdk.json', () => {
  it('runs the app through tsx', () => {
    // Assess
    expect(cdkJson.app).toBe('npx tsx infra/app.ts');
  });

  it('sets every feature flag that cdk init recommends for the installed aws-cdk-lib', () => {
    // Prepare
    const require = createRequire(import.meta.url);
    const recommended = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
    // Assess
    expect(cdkJson.context).toEqual(expect.objectContaining(recommended));
  });
});
