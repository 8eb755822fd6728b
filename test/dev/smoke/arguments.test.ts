import { describe, expect, it } from 'vitest';
import { smokeCommand } from '../../../dev/cli/smoke.js';
import { parseSmokeArguments, SMOKE_USAGE } from '../../../dev/smoke/arguments.js';
import { providers } from '../../../lib/providers/registry.js';

/** Runs the CLI in-process with `argv`; nothing is listening, and nothing is reached before the arguments are checked. */
async function smoke(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await smokeCommand(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: { PORT: '1' } });
  return { code, stdout, stderr };
}

describe('npm run smoke: command-line mistakes', () => {
  it.each([
    [['--stack'], "Option '--stack <value>' argument missing"],
    [['--stack', ''], '--stack needs a value'],
    [['--stak', 'Gateway'], "Unknown option '--stak'"],
    [['Gateway'], 'Unexpected argument'],
    [['--stack', 'Gateway', '--url', 'http://127.0.0.1:3000'], '--stack reads the URLs from the stack, --url aims by hand: give one of them'],
    [['--stack', 'Gateway', '--bucket', 'archive'], '--stack reads the archive bucket from the stack: --bucket goes with --url'],
    [['--region', 'eu-west-1'], '--region is for AWS, with --stack or --bucket'],
    [['--url', '127.0.0.1:3000'], '--url must be an http(s) URL such as http://127.0.0.1:3000, not "127.0.0.1:3000"'],
    [['--url', 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/qikchat'], "--url is the gateway's base URL, without /webhooks/…: https://abc.execute-api.eu-west-1.amazonaws.com"],
    [['--provider', 'whatsapp'], '--provider: unknown provider "whatsapp"; providers: qiscus-omnichannel, qiscus-sdk, qikchat, chatzuri'],
    [['--secret', 'qikchat'], '--secret takes <provider>=<value>, e.g. --secret qikchat=user:password'],
    [['--secret', '=value'], '--secret takes <provider>=<value>, e.g. --secret qikchat=user:password'],
    [['--secret', 'telegram=x'], '--secret: unknown provider "telegram"; providers: qiscus-omnichannel, qiscus-sdk, qikchat, chatzuri'],
    [['--secret', 'chatzuri= '], '--secret chatzuri= has no value: it must be the Chatzuri webhook secret key'],
    [['--secret', 'qikchat=no-colon'], '--secret qikchat=… must be user:password (a user, a colon, a password)'],
    [['--secret', 'chatzuri=a', '--secret', 'chatzuri=b'], "--secret chatzuri=… is given twice: give each provider's once"],
    [['--provider', 'qikchat', '--secret', 'chatzuri=a'], '--secret chatzuri=… is for a provider this run does not test (--provider qikchat)'],
    [['--wait', '0'], '--wait must be a whole number of seconds from 1 to 900, not "0"'],
    [['--wait', '1.5'], '--wait must be a whole number of seconds from 1 to 900, not "1.5"'],
    [['--wait', '901'], '--wait must be a whole number of seconds from 1 to 900, not "901"'],
  ])('%j: one line saying what is wrong, the usage, exit 2', async (argv, message) => {
    // Act
    const { code, stdout, stderr } = await smoke(argv);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, ...usage] = stderr.split('\n');
    expect(first).toContain(`npm run smoke: ${message}`);
    expect(usage.join('\n')).toBe(SMOKE_USAGE);
  });

  it('never echoes a secret value it refuses', async () => {
    // Act
    const { stderr } = await smoke(['--secret', 'qikchat=Sup3rS3cretNoColon']);

    // Assess
    expect(stderr).not.toContain('Sup3rS3cret');
  });

  it('--help prints the usage and exits 0', async () => {
    // Act
    const { code, stdout, stderr } = await smoke(['--help']);

    // Assess
    expect([code, stdout, stderr]).toEqual([0, SMOKE_USAGE, '']);
  });
});

describe('parseSmokeArguments', () => {
  it('tests every provider, waits 180 s and aims at the local runtime by default', () => {
    // Act
    const args = parseSmokeArguments([]);

    // Assess
    expect(args).toMatchObject({ stack: undefined, url: undefined, bucket: undefined, region: undefined, waitSeconds: 180 });
    expect(args.providers).toEqual(providers);
    expect(args.secrets.size).toBe(0);
  });

  it('takes a secret holding = and :, a base URL without its trailing slash, one provider and a wait', () => {
    // Act
    const args = parseSmokeArguments(['--url', 'https://hooks.example.com/', '--provider', 'qikchat', '--secret', 'qikchat=shop:pa=ss:word', '--wait', '120']);

    // Assess
    expect(args.url).toBe('https://hooks.example.com');
    expect(args.providers.map((provider) => provider.slug)).toEqual(['qikchat']);
    expect(args.secrets).toEqual(new Map([['qikchat', 'shop:pa=ss:word']]));
    expect(args.waitSeconds).toBe(120);
  });
});
