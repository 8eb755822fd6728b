/**
 * The policy checks every synth runs (the app's and the tests'): cdk-nag's AwsSolutions rules and AWS's
 * CfnGuard plugin with the Control Tower proactive controls. An unacknowledged finding of either stops the
 * synth. Findings are acknowledged, with the reason, next to the resource they concern.
 */
import {
  Validations,
  type App,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The Control Tower rules our template does not follow, each acknowledged where it applies (docs/deploying.md › Policy checks). */
export type CfnGuardRule =
  | 'api_gw_v2_authorization_type_configured_check'
  | 's3_bucket_logging_enabled_check'
  | 's3_bucket_object_lock_enabled_check'
  | 's3_bucket_versioning_enabled_check'
  | 's3_event_notifications_enabled_check'
  | 'cloudwatch_log_group_retention_period_check'
  | 'lambda_function_public_access_prohibited_check'
  | 'lambda_inside_vpc_check'
  | 'sqs_dlq_check';

/**
 * CfnGuardValidator whose findings are errors. The plugin leaves `severity` unset; aws-cdk-lib reads that as an
 * error, except after an acknowledgement, when it recomputes the outcome from `severity === 'error'` and one
 * acknowledged finding would let every other one pass.
 */
class BlockingCfnGuardValidator implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];
  private readonly guard = new CfnGuardValidator();

  constructor() {
    this.name = this.guard.name;
    this.version = this.guard.version;
    this.ruleIds = this.guard.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.guard.validate(context);
    return { ...report, violations: report.violations.map((violation) => ({ severity: 'error', ...violation })) };
  }
}

/** Where the CfnGuard plugin ships its `cfn-guard` binary: Linux and macOS, on x64 or arm64. */
function cfnGuardRunsOn(platform: NodeJS.Platform, arch: string): boolean {
  return (platform === 'linux' || platform === 'darwin') && (arch === 'x64' || arch === 'arm64');
}

/** The machine the checks run on, and where a skipped check is reported; tests pass their own. */
export interface PolicyValidationHost {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  /** Receives the one line that says a check was skipped. */
  readonly warn: (line: string) => void;
}

/**
 * Adds both checks to the app. Where the CfnGuard plugin has no binary (native Windows: it throws `win32 not
 * supported`), it is left out with one warning line, and cdk-nag still runs.
 *
 * @param app - the app to check at synth
 * @param host - the machine's platform and architecture, and where the warning goes @default this process, stderr
 */
export function addPolicyValidations(app: App, host: PolicyValidationHost = { platform: process.platform, arch: process.arch, warn: (line) => console.warn(line) }): void {
  if (cfnGuardRunsOn(host.platform, host.arch)) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new BlockingCfnGuardValidator());
    return;
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  host.warn(
    `chat-webhook-gateway: warning: the Control Tower rules (CfnGuard) were not checked: their plugin has no cfn-guard binary for ${host.platform}/${host.arch}; ` +
      'run npm run synth in WSL (or on Linux or macOS) to check them. cdk-nag ran.',
  );
}

/**
 * Acknowledges a CfnGuard rule for a construct and everything in it.
 *
 * @param scope - the construct the finding concerns
 * @param rule - the rule's name (`Acknowledge with 'cdk-validator-cfnguard::<rule>'` in the synth report)
 * @param reason - why the rule does not apply here, in a sentence the README repeats
 */
export function acknowledgeCfnGuard(scope: IConstruct, rule: CfnGuardRule, reason: string): void {
  Validations.of(scope).acknowledge({ id: `cdk-validator-cfnguard::${rule}`, reason });
}
