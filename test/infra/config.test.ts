import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { App } from 'aws-cdk-lib';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultGatewayConfig, readGatewayConfig, readGatewaySettings, settingKeys } from '../../infra/config.js';
import { gatewayConfigJsonSchemaText } from '../../infra/config-json-schema.js';
import { cdkJson } from './synth.js';

const slugs = ['qiscus-omnichannel', 'qiscus-sdk', 'qikchat', 'chatzuri'];

/** The repository root, where the CLI runs the app and `gateway.config.json` lives. */
const root = new URL('../../', import.meta.url);

/** A folder without a settings file. */
const noSettingsFile = mkdtempSync(join(tmpdir(), 'no-settings-'));

/** Context as `-c key=value` (strings) or a parsed JSON value would give it; no settings file. */
function configFrom(context: Record<string, unknown>) {
  return readGatewayConfig(new App({ context }).node, slugs, { cwd: noSettingsFile });
}

describe('readGatewayConfig', () => {
  it('uses the defaults when the context is empty', () => {
    // Act
    const config = configFrom({});
    // Assess
    expect(config).toEqual(defaultGatewayConfig);
    expect(config).toMatchObject({ workerMaxConcurrency: 10, secretsMaxAgeSeconds: 300, logLevel: 'WARN', bundleAwsSdk: true });
    expect(config).toMatchObject({ detailedTracing: false, silenceAlarmMinutes: {} });
    expect(config.receiverReservedConcurrency).toBeUndefined();
  });

  it('archives through Firehose by default, and per batch to S3 with archiveDelivery=s3; refuses another value in one line', () => {
    expect(configFrom({}).archiveDelivery).toBe('firehose');
    expect(configFrom({ archiveDelivery: 's3' }).archiveDelivery).toBe('s3');
    expect(() => configFrom({ archiveDelivery: 'kinesis' })).toThrow(/archiveDelivery.*must be "firehose" or "s3"/);
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
      logLevel: 'debug',
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
      logLevel: 'DEBUG',
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

describe('infra/app.ts with a bad settings file', () => {
  it('prints one line naming the file, the key and the fix, and exits 1', () => {
    // Prepare: a settings file named with -c config=<file>
    const folder = mkdtempSync(join(tmpdir(), 'settings-'));
    const file = join(folder, 'staging.config.json');
    writeFileSync(file, JSON.stringify({ stackName: 'Staging', receiverReservedConcurrency: 300 }));
    try {
      // Act
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: root,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: file }), CDK_OUTDIR: folder },
        encoding: 'utf8',
      });
      // Assess
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `chat-webhook-gateway: ${file}: receiverReservedConcurrency (300) × 4 receivers reserves 1200 of the account's 1000 concurrent executions ` +
          '(accountConcurrencyLimit), and Lambda keeps 100 unreserved, so the deploy would roll back: reserve at most 225, or set ' +
          "accountConcurrencyLimit to the account's quota (Service Quotas › AWS Lambda › Concurrent executions), got 300; " +
          `fix it in ${file} (or override it with -c receiverReservedConcurrency=...) (docs/deploying.md › Settings)`,
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
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

describe('limits checked at synth, each one line', () => {
  it('refuses a stackName over 93 characters, saying why; takes 93', () => {
    // Prepare
    const name = (length: number) => `S${'x'.repeat(length - 1)}`;
    // Act + Assess
    expect(configFrom({ stackName: name(93) }).stackName).toHaveLength(93);
    expect(() => configFrom({ stackName: name(94) })).toThrow(
      /^context stackName must be at most 93 characters, since the alarm topic's display name "<stackName> alarms" may have 100 \(this one has 94\), got "Sx+"; /,
    );
  });

  it.each([
    [{ receiverReservedConcurrency: '225' }, undefined],
    [{ receiverReservedConcurrency: '226' }, /receiverReservedConcurrency \(226\) × 4 receivers reserves 904 of the account's 1000 concurrent executions[^\n]*reserve at most 225, or set accountConcurrencyLimit/],
    [{ receiverReservedConcurrency: '475', accountConcurrencyLimit: '2000' }, undefined],
    [{ receiverReservedConcurrency: '1', accountConcurrencyLimit: '100' }, /reserve none, or set accountConcurrencyLimit/],
  ])('checks receiverReservedConcurrency %j against the account: at least 100 stay unreserved', (context, refusal) => {
    // Act + Assess
    if (refusal) expect(() => configFrom(context)).toThrow(refusal);
    else expect(configFrom(context).receiverReservedConcurrency).toBe(Number(context.receiverReservedConcurrency));
  });
});

describe('custom domain settings', () => {
  const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  const zone = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };

  it.each([
    [{ domainName: 'webhooks.example.com', certificateArn }],
    [{ domainName: 'webhooks.example.com', ...zone }],
    [{ domainName: 'example.com', certificateArn, ...zone }],
    [{ domainName: '', certificateArn: '' }],
  ])('takes %j', (context) => {
    // Act + Assess
    expect(() => configFrom(context)).not.toThrow();
  });

  it.each([
    [{ domainName: 'webhooks.example.com' }, /^context domainName needs certificateArn [^\n]* or hostedZoneId and hostedZoneName/],
    [{ certificateArn }, /^context certificateArn is for a custom domain: set domainName too/],
    [{ domainName: 'webhooks.example.com', hostedZoneId: zone.hostedZoneId }, /hostedZoneId needs hostedZoneId and hostedZoneName together/],
    [{ domainName: 'webhooks.example.org', ...zone }, /domainName \(webhooks\.example\.org\) must be in the hosted zone example\.com/],
    [{ domainName: 'Webhooks.Example.com', certificateArn }, /domainName must be a DNS name in lower case/],
    [{ domainName: 'webhooks.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' }, /certificateArn must be an ACM certificate ARN/],
  ])('refuses %j with one line', (context, message) => {
    // Act + Assess
    expect(() => configFrom(context)).toThrow(message);
  });
});

describe('the settings file', () => {
  let folder: string;
  const write = (name: string, text: string) => writeFileSync(join(folder, name), text);
  const settings = (context: Record<string, unknown> = {}) => readGatewaySettings(new App({ context }).node, slugs, { cwd: folder });

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'settings-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads gateway.config.json; -c key=value overrides one setting; the rest are defaults, and each says where it came from', () => {
    // Prepare
    write('gateway.config.json', JSON.stringify({ $schema: './gateway.config.schema.json', stackName: 'Staging', workerMaxConcurrency: 20, alarmEmail: 'ops@example.com' }));
    // Act
    const { config, sources, file } = settings({ workerMaxConcurrency: '30' });
    // Assess
    expect(file).toBe('gateway.config.json');
    expect(config).toMatchObject({ stackName: 'Staging', workerMaxConcurrency: 30, alarmEmail: 'ops@example.com', logLevel: 'WARN' });
    expect(sources).toMatchObject({ stackName: 'file', workerMaxConcurrency: 'context', alarmEmail: 'file', logLevel: 'default' });
    expect(Object.keys(sources)).toEqual(settingKeys);
  });

  it('reads the file -c config=<file> names instead', () => {
    // Prepare
    write('gateway.config.json', JSON.stringify({ stackName: 'Production' }));
    write('staging.config.json', JSON.stringify({ stackName: 'Staging' }));
    // Act
    const { config, file } = settings({ config: 'staging.config.json' });
    // Assess
    expect(file).toBe('staging.config.json');
    expect(config.stackName).toBe('Staging');
  });

  it('uses the defaults when there is no gateway.config.json', () => {
    // Act
    const { config, sources, file } = settings();
    // Assess
    expect(file).toBeUndefined();
    expect(config).toEqual(defaultGatewayConfig);
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']));
  });

  it.each([
    ['a file -c config names that is missing', {}, { config: 'staging.config.json' }, /^settings file staging\.config\.json \(-c config=staging\.config\.json\) not found in \S+; create it \(copy gateway\.config\.json\)/],
    ['invalid JSON', { 'gateway.config.json': '{"stackName": "A",}' }, {}, /^gateway\.config\.json is not valid JSON: [^\n]+; fix the file/],
    ['not an object', { 'gateway.config.json': '["stackName"]' }, {}, /^gateway\.config\.json must hold one JSON object of settings/],
    ['an unknown key', { 'gateway.config.json': '{"workerMaxConcurency": 20}' }, {}, /^gateway\.config\.json: unknown setting "workerMaxConcurency" \(did you mean "workerMaxConcurrency"\?\); rename or remove it/],
    [
      'a bad value',
      { 'gateway.config.json': '{"workerMaxConcurrency": 1}' },
      {},
      /^gateway\.config\.json: workerMaxConcurrency must be an integer from 2 to 1000, got 1; fix it in gateway\.config\.json \(or override it with -c workerMaxConcurrency=\.\.\.\)/,
    ],
    ['a bad value of another file', { 'staging.config.json': '{"logLevel": "LOUD"}' }, { config: 'staging.config.json' }, /^staging\.config\.json: logLevel must be one of [^\n]*, got "LOUD"; fix it in staging\.config\.json/],
  ])('refuses %s with one line naming the file, the key and the fix', (_case, files: Record<string, string>, context, message) => {
    // Prepare
    for (const [name, text] of Object.entries(files)) write(name, text);
    // Act + Assess
    expect(() => settings(context)).toThrow(message);
    expect(() => settings(context)).toThrow(/^[^\n]+$/);
  });

  it('a value -c overrides is not refused for what the file holds', () => {
    // Prepare
    write('gateway.config.json', JSON.stringify({ workerMaxConcurrency: 20 }));
    // Act + Assess
    expect(() => settings({ workerMaxConcurrency: '1' })).toThrow(/^context workerMaxConcurrency must be an integer from 2 to 1000, got "1"; set it with -c/);
  });
});

describe('gateway.config.json and its schema, as committed', () => {
  const committed = (name: string) => JSON.parse(readFileSync(new URL(name, root), 'utf8')) as Record<string, unknown>;

  it('the schema is what npm run schema generates from the zod schema', () => {
    // Assess
    expect(readFileSync(new URL('gateway.config.schema.json', root), 'utf8')).toBe(gatewayConfigJsonSchemaText());
  });

  it('the file names the schema, passes it and the synth, and holds the defaults a newcomer needs', () => {
    // Prepare
    const validate = new Ajv({ strict: true, allErrors: true }).compile(committed('gateway.config.schema.json'));
    const file = committed('gateway.config.json');
    // Act
    const valid = validate(file);
    const { config, sources } = readGatewaySettings(new App().node, slugs, { cwd: root.pathname });
    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(file.$schema).toBe('./gateway.config.schema.json');
    expect(config).toEqual(defaultGatewayConfig);
    expect(sources).toMatchObject({ stackName: 'file', alarmEmail: 'file', secretArns: 'file' });
  });

  it('the schema refuses what the synth refuses: an unknown key, a wrong type, an unknown provider, an incomplete custom domain', () => {
    // Prepare
    const validate = new Ajv({ strict: true }).compile(committed('gateway.config.schema.json'));
    // Act + Assess
    for (const wrong of [
      { workerMaxConcurency: 20 },
      { workerMaxConcurrency: '20x' },
      { bundleAwsSdk: 'yes' },
      { secretArns: { whatsapp: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf' } },
      { silenceAlarmMinutes: { qikchat: 2 } },
      { hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    ]) {
      expect(validate(wrong), JSON.stringify(wrong)).toBe(false);
    }
    expect(validate({ silenceAlarmMinutes: 60, domainName: 'webhooks.example.com', certificateArn: '' })).toBe(true);
  });

  it('cdk.json holds no setting: each has one home, the settings file', () => {
    // Assess
    expect(Object.keys(cdkJson.context).filter((key) => (settingKeys as string[]).includes(key) || key === 'config')).toEqual([]);
  });
});

