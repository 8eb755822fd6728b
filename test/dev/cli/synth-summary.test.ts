import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summariseCloudAssembly } from '../../../dev/cli/synth-summary.js';

describe('npm run synth summary', () => {
  it('names the stack, counts its resources by type and outputs, and gives the policy checks', async () => {
    // Prepare: a cloud assembly as cdk synth writes it, small
    const folder = await mkdtemp(join(tmpdir(), 'cdk-out-'));
    await writeFile(join(folder, 'manifest.json'), JSON.stringify({ artifacts: { Tree: { type: 'cdk:tree' }, Gateway: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Gateway.template.json' } } } }));
    await writeFile(
      join(folder, 'Gateway.template.json'),
      JSON.stringify({ Resources: { A: { Type: 'AWS::SQS::Queue' }, B: { Type: 'AWS::SQS::Queue' }, C: { Type: 'AWS::Lambda::Function' } }, Outputs: { Url: {} } }),
    );
    await writeFile(join(folder, 'validation-report.json'), JSON.stringify({ pluginReports: [{ pluginName: 'cdk-validator-cfnguard', conclusion: 'success', violations: [], suppressedViolations: [{}, {}] }] }));

    // Act
    const summary = await summariseCloudAssembly(folder);

    // Assess
    expect(summary.split('\n')).toEqual([
      `Stack Gateway: 3 resources, 1 output (template: ${join(folder, 'Gateway.template.json')})`,
      '     2  AWS::SQS::Queue',
      '     1  AWS::Lambda::Function',
      '',
      'Policy checks (an unacknowledged finding stops the synth): passed',
      '  cdk-nag AwsSolutions: no unacknowledged finding',
      '  cdk-validator-cfnguard: success, 0 findings, 2 acknowledged (docs/deploying.md › Policy checks)',
    ]);
  });
});
