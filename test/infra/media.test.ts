import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_VARIABLES } from '../../lib/media/settings.js';
import { synthGateway } from './synth.js';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

describe('media settings in the stack', () => {
  let withHosts: Template;
  let off: Template;
  beforeAll(() => {
    ({ template: withHosts } = synthGateway({ bundle: false, context: { mediaAllowHosts: '{"qikchat":["media.qikchat.in"]}', mediaMaxBytes: '5000000', mediaTimeLimitSeconds: '20' } }));
    ({ template: off } = synthGateway({ bundle: false, context: { mediaStore: 'false' } }));
  }, 180_000);

  it("tells the worker the limits and the allow-list, and lets it read the secret of a provider with one (its mediaHeaders)", () => {
    // Assess
    withHosts.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [MEDIA_VARIABLES.maxBytes]: '5000000',
          [MEDIA_VARIABLES.timeLimitSeconds]: '20',
          [MEDIA_VARIABLES.allowHosts]: '{"qikchat":["media.qikchat.in"]}',
          [MEDIA_VARIABLES.credentialSecrets]: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        }),
      },
    });
    const workers = Object.values(withHosts.findResources('AWS::Lambda::Function') as Resources).filter((fn) => JSON.stringify(fn).includes(MEDIA_VARIABLES.maxBytes));
    const variables = (workers[0]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables[MEDIA_VARIABLES.credentialSecrets])).toMatch(/qikchat.*"Ref":"QikchatSecret/);
    const reads = Object.values(withHosts.findResources('AWS::IAM::Policy') as Resources)
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('WorkerRole'))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement)
      .filter((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(reads.map((statement) => JSON.stringify(statement.Resource))).toEqual([expect.stringContaining('QikchatSecret')]);
  });

  it('with mediaStore false, stores none: the worker is told so and may not touch media/', () => {
    // Assess
    off.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ [MEDIA_VARIABLES.enabled]: 'false' }) } });
    expect(JSON.stringify(off.toJSON())).not.toContain('/media/*');
  });

  it('refuses an allow-list that is no list of host names, naming the setting', () => {
    // Act / Assess
    expect(() => synthGateway({ bundle: false, context: { mediaAllowHosts: '{"qikchat":"media.qikchat.in"}' } })).toThrow(/mediaAllowHosts\.qikchat/);
    expect(() => synthGateway({ bundle: false, context: { mediaTimeLimitSeconds: '30' } })).toThrow(/mediaTimeLimitSeconds must be an integer from 1 to 24/);
  });
});
