/**
 * `npm run smoke` against a running local runtime over real HTTP: by hand with --url and --secret, and by --stack
 * with its outputs, secrets and archive bucket standing in (the runtime's URLs, a Secrets Manager stand-in, the
 * embedded S3 the worker archives to). The CLI runs in-process, and once as a process for its exit codes.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smokeCommand, type SmokeCommandDependencies } from '../../../dev/cli/smoke.js';
import { startSecretsManager, type SecretsManagerStandIn } from '../../../dev/fakes/secrets-manager.js';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { readArchive } from '../../../dev/replay/read-archive.js';
import { StackOutputsError } from '../../../dev/resume/stack-outputs.js';
import { secretsManagerReader } from '../../../dev/smoke/secrets.js';
import { SMOKE_STACK_OUTPUTS } from '../../../dev/smoke/target.js';
import { webhookPath } from '../../../lib/events/webhook-path.js';
import { providers } from '../../../lib/providers/registry.js';
import { closedPort } from '../../support/faulty-sqs.js';
import { startTestRuntime, testSecrets } from '../../support/local-runtime.js';

const execute = promisify(execFile);
const slugs = providers.map((provider) => provider.slug);
/** `--secret <provider>=<value>` for every provider, the runtime's values. */
const rightSecrets = slugs.flatMap((slug) => ['--secret', `${slug}=${testSecrets[slug] ?? ''}`]);
const arn = (slug: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${slug}-webhook-AbCdEf`;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process; its exit code and output. PORT=1: the local default never answers by accident. */
async function smoke(argv: string[], dependencies: SmokeCommandDependencies = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text: string) => (stdout += text), stderr: (text: string) => (stderr += text), env: { PORT: '1' } };
  const code = await smokeCommand(argv, io, { pollIntervalMs: 100, ...dependencies });
  return { code, stdout, stderr };
}

/** The table's rows by provider: its cells. */
function table(stdout: string): Map<string, { answer: string; eventId: string; handled: string; ms: string }> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('provider '));
  const rows = new Map<string, { answer: string; eventId: string; handled: string; ms: string }>();
  for (const line of lines.slice(header + 1)) {
    const [slug, answer, eventId, ...rest] = line.trim().split(/\s{2,}/);
    if (slug === undefined || !slugs.includes(slug) || answer === undefined || eventId === undefined) break;
    rows.set(slug, { answer, eventId, handled: rest.slice(0, -1).join(' '), ms: rest.at(-1) ?? '' });
  }
  return rows;
}

describe('npm run smoke', () => {
  let runtime: LocalRuntime;
  let secretsManager: SecretsManagerStandIn;
  let stackSecrets: ReturnType<typeof secretsManagerReader>;

  /** The stack's outputs as CloudFormation would give them, pointing at the runtime. */
  const outputs = (bucket = runtime.archive.bucket): Record<string, string> => ({
    ...Object.fromEntries(
      slugs.flatMap((slug) => [
        [SMOKE_STACK_OUTPUTS.webhookUrl(slug), `${runtime.url}${webhookPath(slug)}`],
        [SMOKE_STACK_OUTPUTS.secretArn(slug), arn(slug)],
      ]),
    ),
    [SMOKE_STACK_OUTPUTS.archiveBucket]: bucket,
    QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/events.fifo',
  });
  /** A stack's stand-ins: its outputs, its secrets in Secrets Manager, its archive on the embedded S3. */
  const stack = (overrides: Partial<SmokeCommandDependencies> & { outputs?: Record<string, string>; s3?: S3Client } = {}): SmokeCommandDependencies & { asked: unknown[] } => {
    const asked: unknown[] = [];
    return {
      asked,
      readStackOutputs: async (name, region) => {
        asked.push({ name, region });
        return { region: region ?? 'eu-west-1', outputs: overrides.outputs ?? outputs() };
      },
      readSecret: stackSecrets.read,
      openArchive: (bucket) => ({ store: { s3: overrides.s3 ?? runtime.archive.s3, bucket }, destroy: () => undefined }),
      ...overrides,
    };
  };

  beforeAll(async () => {
    runtime = await startTestRuntime();
    secretsManager = await startSecretsManager(new Map(slugs.map((slug) => [arn(slug), JSON.stringify({ current: testSecrets[slug], previous: '' })])));
    stackSecrets = secretsManagerReader({ endpoint: secretsManager.endpoint });
  });
  afterAll(async () => {
    stackSecrets.destroy();
    await secretsManager.close();
    await runtime.stop();
  });

  describe('by hand, --url at the local runtime', () => {
    it('passes for all four providers with --secret values matching the runtime\'s: 200, archived, exit 0', async () => {
      // Act
      const { code, stdout, stderr } = await smoke(['--url', runtime.url, ...rightSecrets]);

      // Assess
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const token = /run (smoke-\d{8}T\d{6}Z-[0-9a-f]{6})\n/.exec(stdout)?.[1] ?? '';
      expect(stdout).toContain(`Smoke test of the local runtime at ${runtime.url}, run ${token}\n`);
      expect(stdout).toContain(`Sending one signed sample per provider; then looking for each event in the archive (${runtime.url}/_local/archive) for up to 180 s.\n`);
      const rows = table(stdout);
      expect([...rows.keys()]).toEqual(slugs);
      for (const [slug, row] of rows) {
        expect(row).toMatchObject({ answer: '200', handled: 'yes' });
        expect(row.eventId).toMatch(new RegExp(`^${slug}:[a-z.]+:${token}$`));
        expect(row.ms).toMatch(/^\d+$/);
        // The id the table names is the one the worker archived.
        expect((await readArchive(runtime.archive, { id: row.eventId })).events).toHaveLength(1);
      }
      expect(stdout).toContain('Passed: 4 providers, each sample accepted (200) and its event archived by the worker.\n');
    });

    it('passes twice in a row: each run sends new event ids', async () => {
      // Act
      const first = await smoke(['--url', runtime.url, ...rightSecrets]);
      const second = await smoke(['--url', runtime.url, ...rightSecrets]);

      // Assess
      expect([first.code, second.code]).toEqual([0, 0]);
      const ids = [...table(first.stdout).values(), ...table(second.stdout).values()].map((row) => row.eventId);
      expect(new Set(ids).size).toBe(8);
      expect([...table(second.stdout).values()].every((row) => row.handled === 'yes')).toBe(true);
    });

    it('shows 401 for the provider whose secret is wrong, passes the others, and exits 1 with one line saying why', async () => {
      // Prepare
      const argv = ['--url', runtime.url, ...rightSecrets.map((value) => (value.startsWith('qikchat=') ? 'qikchat=test-user:wrong' : value))];

      // Act
      const { code, stdout, stderr } = await smoke(argv);

      // Assess
      expect(code).toBe(1);
      const rows = table(stdout);
      expect(rows.get('qikchat')).toMatchObject({ answer: '401', handled: '—' });
      expect(rows.get('qikchat')?.eventId).toMatch(/^qikchat:in:smoke-/);
      for (const slug of slugs.filter((slug) => slug !== 'qikchat')) expect(rows.get(slug)).toMatchObject({ answer: '200', handled: 'yes' });
      expect(stderr.split('\n')).toEqual([
        'Failed: 1 of 4 providers.',
        'qikchat: refused (401): the receiver does not accept --secret qikchat=…; npm start reads QIKCHAT_BASIC_AUTH (else its development default): give npm run smoke the same value, in that variable or with --secret',
        '',
      ]);
      expect(stderr).not.toContain('wrong');
    });

    it("signs with npm start's secrets without --secret: the runtime's test values are not the development defaults, so 401", async () => {
      // Act
      const { code, stdout } = await smoke(['--url', runtime.url, '--provider', 'chatzuri']);

      // Assess
      expect(code).toBe(1);
      expect(table(stdout).get('chatzuri')?.answer).toBe('401');
    });

    it('with --provider, sends to that provider only', async () => {
      // Act
      const { code, stdout } = await smoke(['--url', runtime.url, '--provider', 'qiscus-sdk', '--secret', `qiscus-sdk=${testSecrets['qiscus-sdk'] ?? ''}`]);

      // Assess
      expect(code).toBe(0);
      expect([...table(stdout).keys()]).toEqual(['qiscus-sdk']);
      expect(stdout).toContain('Passed: 1 provider, each sample accepted (200) and its event archived by the worker.\n');
    });

    it('with --bucket, looks for the events in that archive bucket instead of asking the runtime', async () => {
      // Prepare
      const opened: unknown[] = [];
      const openArchive: SmokeCommandDependencies['openArchive'] = (bucket, region) => {
        opened.push({ bucket, region });
        return { store: { s3: runtime.archive.s3, bucket }, destroy: () => undefined };
      };

      // Act
      const { code, stdout } = await smoke(['--url', runtime.url, '--bucket', runtime.archive.bucket, '--region', 'eu-west-1', ...rightSecrets], { openArchive });

      // Assess
      expect(code).toBe(0);
      expect(opened).toEqual([{ bucket: runtime.archive.bucket, region: 'eu-west-1' }]);
      expect(stdout).toContain(`Smoke test of ${runtime.url}, run smoke-`);
      expect(stdout).toContain(`then looking for each event in the archive (s3://${runtime.archive.bucket}) for up to 180 s.\n`);
      for (const row of table(stdout).values()) expect(row).toMatchObject({ answer: '200', handled: 'yes' });
    });

    it('says in one line that nothing answers at the URL, and exits 1', async () => {
      // Prepare
      const url = `http://127.0.0.1:${String(await closedPort())}`;

      // Act
      const { code, stdout, stderr } = await smoke(['--url', url, ...rightSecrets]);

      // Assess
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(`npm run smoke: Nothing answers at ${url} (connect ECONNREFUSED ${url.slice('http://'.length)}): start the local runtime (npm start), or check --url\n`);
    });

    it('at a gateway that is no local runtime and without --bucket: the answers only, and says the archive was not checked', async () => {
      // Prepare: what API Gateway does: 200 from a receiver, 404 for anything else
      const server: Server = createServer((request, response) => {
        request.resume();
        const receiver = request.method === 'POST' && request.url?.startsWith('/webhooks/');
        response.writeHead(receiver ? 200 : 404, { 'content-type': 'application/json' });
        response.end(receiver ? '{"status":"accepted"}' : '{"message":"Not Found"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

      try {
        // Act
        const { code, stdout } = await smoke(['--url', `${url}/`, '--provider', 'qikchat', '--secret', 'qikchat=user:pass']);

        // Assess
        expect(code).toBe(0);
        expect(stdout).toContain(`Sending one signed sample per provider; not looking for the events: ${url} is no local runtime: give --bucket <ArchiveBucketName> (or --stack) to look for the events in the archive.\n`);
        expect(table(stdout).get('qikchat')).toMatchObject({ answer: '200', handled: '—' });
        expect(stdout).toContain('Passed: 1 provider, each sample accepted (200); the archive was not checked.\n');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('--stack: the outputs, secrets and archive bucket of a deployed stack', () => {
    it('reads the outputs, signs with the secrets in Secrets Manager, finds every event in the archive bucket: exit 0', async () => {
      // Prepare
      const dependencies = stack();

      // Act
      const { code, stdout, stderr } = await smoke(['--stack', 'Gateway', '--region', 'eu-west-1'], dependencies);

      // Assess
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(dependencies.asked).toEqual([{ name: 'Gateway', region: 'eu-west-1' }]);
      expect(stdout).toMatch(/^Smoke test of stack Gateway \(eu-west-1\), run smoke-/);
      expect(stdout).toContain(`then looking for each event in the archive (s3://${runtime.archive.bucket}) for up to 180 s.\n`);
      for (const row of table(stdout).values()) expect(row).toMatchObject({ answer: '200', handled: 'yes' });
      expect(secretsManager.calls).toBeGreaterThanOrEqual(4);
    });

    it('takes AWS_REGION when --region is not given', async () => {
      // Prepare
      const dependencies = stack();
      let stdout = '';
      const io = { stdout: (text: string) => (stdout += text), stderr: () => undefined, env: { AWS_REGION: 'ap-southeast-3' } };

      // Act
      const code = await smokeCommand(['--stack', 'Gateway', '--provider', 'qikchat'], io, { ...dependencies, pollIntervalMs: 100 });

      // Assess
      expect(code).toBe(0);
      expect(dependencies.asked).toEqual([{ name: 'Gateway', region: 'ap-southeast-3' }]);
      expect(stdout).toContain('stack Gateway (ap-southeast-3)');
    });

    it('says "not within" the wait for an event the archive does not hold, and exits 1', async () => {
      // Prepare: the stack names a bucket the worker does not archive to
      await runtime.archive.s3.send(new CreateBucketCommand({ Bucket: 'smoke-elsewhere' }));
      const dependencies = stack({ outputs: outputs('smoke-elsewhere') });

      // Act
      const { code, stdout, stderr } = await smoke(['--stack', 'Gateway', '--provider', 'chatzuri', '--wait', '1'], dependencies);

      // Assess
      expect(code).toBe(1);
      expect(table(stdout).get('chatzuri')).toMatchObject({ answer: '200', handled: 'not within 1 s' });
      expect(stderr).toContain(
        "chatzuri: accepted, but its event was not in the archive within 1 s: look at the worker's log group and the dead-letter queue (the DeadLetterQueueUrl output); npm run smoke again shows whether it came late\n",
      );
    });

    it('with --secret, signs that provider with it and needs no secret output for it', async () => {
      // Prepare
      const { QikchatSecretArn, ...rest } = outputs();
      const dependencies = stack({ outputs: rest });

      // Act
      const { code, stdout } = await smoke(['--stack', 'Gateway', '--provider', 'qikchat', '--secret', `qikchat=${testSecrets.qikchat ?? ''}`], dependencies);

      // Assess
      expect(QikchatSecretArn).toBe(arn('qikchat'));
      expect(code).toBe(0);
      expect(table(stdout).get('qikchat')?.handled).toBe('yes');
    });

    it('names every output the stack lacks, sends nothing, exits 1', async () => {
      // Prepare: a stack deployed before the archive, with a provider's URL missing
      const { ArchiveBucketName, ChatzuriWebhookUrl, ...rest } = outputs();
      const dependencies = stack({ outputs: rest });

      // Act
      const { code, stdout, stderr } = await smoke(['--stack', 'Gateway'], dependencies);

      // Assess
      expect([ArchiveBucketName, ChatzuriWebhookUrl].every(Boolean)).toBe(true);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe('npm run smoke: Stack Gateway has no output ChatzuriWebhookUrl, ArchiveBucketName: deploy the current version (npm run deploy)\n');
    });

    it('a secret it may not read fails that provider in one line naming the permission; the others pass', async () => {
      // Prepare
      const denied = Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/ci/smoke is not authorized to perform: secretsmanager:GetSecretValue on resource: x'), {
        name: 'AccessDeniedException',
      });
      const dependencies = stack({ readSecret: (secretArn) => (secretArn === arn('qiscus-sdk') ? Promise.reject(denied) : stackSecrets.read(secretArn)) });

      // Act
      const { code, stdout, stderr } = await smoke(['--stack', 'Gateway'], dependencies);

      // Assess
      expect(code).toBe(1);
      expect(table(stdout).get('qiscus-sdk')).toEqual({ answer: '—', eventId: '—', handled: '—', ms: '—' });
      expect(table(stdout).get('qikchat')?.handled).toBe('yes');
      expect(stderr).toContain(
        `qiscus-sdk: not sent: Access denied reading the secret ${arn('qiscus-sdk')}: your AWS credentials lack secretsmanager:GetSecretValue (it needs secretsmanager:GetSecretValue on it, and kms:Decrypt on its key if that is a customer-managed key)\n`,
      );
    });

    it('an archive it may not read: one line naming the permission (kms:Decrypt), exit 1', async () => {
      // Prepare: S3 refusing as it does without the key's kms:Decrypt
      const s3 = {
        send: () => Promise.reject(Object.assign(new Error('User: arn:aws:iam::123456789012:user/me is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:123456789012:key/1'), { name: 'AccessDenied' })),
      } as unknown as S3Client;
      const dependencies = stack({ s3 });

      // Act
      const { code, stdout, stderr } = await smoke(['--stack', 'Gateway', '--provider', 'qikchat'], dependencies);

      // Assess
      expect(code).toBe(1);
      expect(table(stdout).get('qikchat')).toMatchObject({ answer: '200', handled: '—' });
      expect(stderr).toContain(
        `Access denied reading the archive s3://${runtime.archive.bucket}: your AWS credentials lack kms:Decrypt (it needs s3:ListBucket on the bucket, s3:GetObject on events/* and kms:Decrypt on its key)\n`,
      );
    });

    it('a stack it may not describe: one line naming cloudformation:DescribeStacks, exit 1', async () => {
      // Prepare: what readStackOutputs throws on CloudFormation's AccessDenied
      const cause = Object.assign(new Error('User: arn:aws:iam::123456789012:user/me is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:eu-west-1:123456789012:stack/Gateway/*'), {
        name: 'AccessDenied',
      });
      const dependencies = stack({ readStackOutputs: () => Promise.reject(new StackOutputsError('CloudFormation did not describe stack Gateway', { cause })) });

      // Act
      const { code, stderr } = await smoke(['--stack', 'Gateway'], dependencies);

      // Assess
      expect(code).toBe(1);
      expect(stderr).toBe('npm run smoke: Access denied reading stack Gateway: your AWS credentials lack cloudformation:DescribeStacks (it needs cloudformation:DescribeStacks on it)\n');
    });

    it("says CloudFormation's own line for a stack that does not exist", async () => {
      // Prepare
      const dependencies = stack({ readStackOutputs: () => Promise.reject(new StackOutputsError('Stack Gatway does not exist in eu-west-1: check its name, and the region (AWS_REGION or --region)')) });

      // Act
      const { code, stderr } = await smoke(['--stack', 'Gatway'], dependencies);

      // Assess
      expect(code).toBe(1);
      expect(stderr).toBe('npm run smoke: Stack Gatway does not exist in eu-west-1: check its name, and the region (AWS_REGION or --region)\n');
    });
  });

  describe('as a process (npm run smoke)', () => {
    it('exits 0 after a passing run and 2 on a command-line mistake', async () => {
      // Act
      const passing = await execute('npx', ['tsx', 'dev/cli/smoke.ts', '--url', runtime.url, '--provider', 'qikchat', '--secret', `qikchat=${testSecrets.qikchat ?? ''}`]);
      const mistake = await execute('npx', ['tsx', 'dev/cli/smoke.ts', '--wait', 'soon']).catch((error: unknown) => error as { code: number; stdout: string; stderr: string });

      // Assess
      expect(table(passing.stdout).get('qikchat')).toMatchObject({ answer: '200', handled: 'yes' });
      expect('code' in mistake ? mistake.code : 0).toBe(2);
      expect(mistake.stderr.split('\n')[0]).toBe('npm run smoke: --wait must be a whole number of seconds from 1 to 900, not "soon"');
    });
  });
});
