import { readFileSync } from 'node:fs';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { defaultGatewayConfig } from '../../infra/config.js';
import { METRICS_NAMESPACE, MetricNames, SERVICE_NAME } from '../../lib/observability/names.js';
import { providers } from '../../lib/providers/registry.js';
import { ENQUEUE_BUDGET } from '../../lib/queue/sqs-client.js';
import { idOf, synthGateway } from './synth.js';

interface AlarmProperties {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  AlarmDescription?: unknown;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  Metrics?: unknown[];
}

interface DashboardWidget {
  type: string;
  y?: number;
  width?: number;
  properties: { title?: string; metrics?: unknown[][]; alarms?: unknown[]; annotations?: unknown };
}


function alarmsOf(template: Template): AlarmProperties[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => (alarm as { Properties: AlarmProperties }).Properties);
}

/**
 * The dashboard's body as JSON. CloudFormation receives it as `Fn::Join` of strings and references; every
 * reference sits inside a JSON string, so replacing each with a marker of its logical id gives parseable JSON.
 */
function dashboardBody(template: Template): { widgets: DashboardWidget[]; text: string } {
  const body = new Capture();
  template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardBody: body });
  const [separator, parts] = (body.asObject() as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts
    .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/[^A-Za-z0-9]/g, '')}>`))
    .join(separator);
  return { widgets: (JSON.parse(text) as { widgets: DashboardWidget[] }).widgets, text };
}

/** An alarm's metric properties for a receiver metric of one provider. */
function receiverMetricOf(metricName: string, slug: string) {
  return {
    Namespace: METRICS_NAMESPACE,
    MetricName: metricName,
    Dimensions: [
      { Name: 'provider', Value: slug },
      { Name: 'service', Value: SERVICE_NAME },
    ],
  };
}

function widgetTitled(widgets: DashboardWidget[], title: string): DashboardWidget {
  const widget = widgets.find((candidate) => candidate.properties.title === title);
  expect(widget, `a widget titled "${title}"`).toBeDefined();
  return widget!;
}

/**
 * Alarms made per provider (5) and for the whole gateway (DLQ, queue age, API 5xx and latency, 3 worker alarms,
 * a parked conversation, 2 idempotency table alarms, the archive's Firehose delivery, attachments not stored).
 */
const expectedAlarmCount = providers.length * 5 + 12;

/** The runbook entries: the headings under "The alarms" in docs/operating.md. */
const runbookHeadings = (() => {
  const operating = readFileSync(new URL('../../docs/operating.md', import.meta.url), 'utf8');
  const alarms = operating.slice(operating.indexOf('\n## The alarms'));
  return [...alarms.matchAll(/^### (.+)$/gm)].map((match) => match[1]!);
})();

describe('GatewayMonitoring (default context)', () => {
  let stack: ChatWebhookGatewayStack;
  let template: Template;
  let topic: { Ref: string };
  /** Asserts an alarm with these properties that notifies the topic on ALARM and on OK. */
  let hasAlarm: (properties: Record<string, unknown>) => void;

  beforeAll(() => {
    // Act: configuration only, no bundling
    ({ stack, template } = synthGateway({ bundle: false }));
    topic = { Ref: idOf(stack, stack.monitoring.topic) };
    hasAlarm = (properties) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...properties, AlarmActions: [topic], OKActions: [topic] });
  });

  describe('alarm topic', () => {
    it('is encrypted with a rotating KMS key of its own and refuses publishing without TLS', () => {
      // Prepare
      const topicId = topic.Ref;
      // Assess
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: Match.absent(),
        KmsMasterId: Match.absent(),
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringAlarmTopicKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('lets CloudWatch publish, and use the key, only for alarms of this account and region', () => {
      // Prepare
      const onlyOurAlarms = {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
          },
        },
      };
      const cloudWatch = { Service: 'cloudwatch.amazonaws.com' };
      // Assess
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Principal: cloudWatch, Action: 'sns:Publish', Resource: topic, Condition: onlyOurAlarms }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: cloudWatch,
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: onlyOurAlarms,
            }),
          ]),
        },
      });
    });

    it('has no subscription when no alarmEmail is given', () => {
      // Assess
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('is an output, as is the dashboard', () => {
      // Assess
      template.hasOutput('AlarmTopicArn', { Value: topic });
      template.hasOutput('DashboardName', { Value: { Ref: idOf(stack, stack.monitoring.dashboard) } });
    });
  });

  describe('alarms', () => {
    it('every alarm notifies the topic on ALARM and on OK and says, without resource names, what to do', () => {
      // Act
      const alarms = alarmsOf(template);
      // Assess
      expect(alarms).toHaveLength(expectedAlarmCount);
      expect(stack.monitoring.alarms).toHaveLength(expectedAlarmCount);
      for (const alarm of alarms) {
        expect(alarm.AlarmActions).toEqual([topic]);
        expect(alarm.OKActions).toEqual([topic]);
        // A plain string: no reference was interpolated into it.
        expect(alarm.AlarmDescription).toEqual(expect.stringMatching(/^\S.{99,1023}$/s));
      }
    });

    it('every alarm on a custom metric watches a name of the contract, with the service dimension', () => {
      // Act
      const custom = alarmsOf(template).filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);
      // Assess: rejected and enqueue duration per provider, failed events of the worker, parked conversations, media not stored
      expect(custom).toHaveLength(providers.length * 2 + 3);
      for (const alarm of custom) {
        expect(Object.values(MetricNames)).toContain(alarm.MetricName);
        expect(alarm.Dimensions).toContainEqual({ Name: 'service', Value: SERVICE_NAME });
      }
    });

    it('names, in every description, its runbook entry, which docs/operating.md has', () => {
      // Act
      const runbooks = alarmsOf(template).map((alarm) => /Runbook: docs\/operating\.md › (.+)\.$/.exec(String(alarm.AlarmDescription))?.[1]);
      // Assess
      for (const runbook of runbooks) {
        expect(runbook).toBeDefined();
        expect(runbookHeadings.some((heading) => heading.startsWith(runbook!)), `a heading "### ${runbook!} (...)" in docs/operating.md`).toBe(true);
      }
    });

    it('fires on the first message in the dead-letter queue, saying what puts one there, pointing to npm run redrive', () => {
      // Assess
      hasAlarm({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack, stack.events.deadLetterQueue), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp('npm run redrive'),
      });
      // What reaches it now: messages that are no event (moved by the worker), events that could not be parked after maxReceiveCount.
      const [dlqAlarm] = alarmsOf(template).filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible');
      expect(dlqAlarm?.AlarmDescription).toEqual(expect.stringContaining('not_an_event'));
      expect(dlqAlarm?.AlarmDescription).toEqual(expect.stringContaining('received 30 times'));
      expect(dlqAlarm?.AlarmDescription).toEqual(expect.stringContaining('parked'));
    });

    it('fires when the oldest event in the queue has waited 300 s', () => {
      // Assess
      hasAlarm({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack, stack.events.queue), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: defaultGatewayConfig.queueAgeAlarmSeconds,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(defaultGatewayConfig.queueAgeAlarmSeconds).toBe(300);
    });

    it('fires on any 5xx answer of the API stage', () => {
      // Assess
      hasAlarm({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [
          { Name: 'ApiId', Value: { Ref: idOf(stack, stack.api.api) } },
          { Name: 'Stage', Value: '$default' },
        ],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('fires when the API p99 latency approaches the 2-second answer limit', () => {
      // Assess
      hasAlarm({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        Dimensions: [
          { Name: 'ApiId', Value: { Ref: idOf(stack, stack.api.api) } },
          { Name: 'Stage', Value: '$default' },
        ],
        ExtendedStatistic: 'p99',
        Period: 300,
        Threshold: 1500,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        EvaluateLowSampleCountPercentile: 'evaluate',
        TreatMissingData: 'notBreaching',
      });
    });

    describe.each(providers.map((provider) => [provider.slug]))('receiver of %s', (slug) => {
      let functionDimension: { Name: string; Value: unknown }[];
      beforeAll(() => {
        functionDimension = [{ Name: 'FunctionName', Value: { Ref: idOf(stack, stack.receivers.get(slug)!.function) } }];
      });

      it('fires on any Lambda error', () => {
        // Assess
        hasAlarm({
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: functionDimension,
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      });

      it('fires when its p99 duration reaches 1500 ms in 2 of 3 periods', () => {
        // Assess
        hasAlarm({
          Namespace: 'AWS/Lambda',
          MetricName: 'Duration',
          Dimensions: functionDimension,
          ExtendedStatistic: 'p99',
          Statistic: Match.absent(),
          Period: 300,
          Threshold: 1500,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          TreatMissingData: 'notBreaching',
        });
      });

      it('fires on any throttle', () => {
        // Assess
        hasAlarm({
          Namespace: 'AWS/Lambda',
          MetricName: 'Throttles',
          Dimensions: functionDimension,
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      });

      it('fires on a rise in rejected deliveries of its provider', () => {
        // Assess
        hasAlarm({
          ...receiverMetricOf(MetricNames.rejected, slug),
          Statistic: 'Sum',
          Period: 300,
          Threshold: defaultGatewayConfig.rejectedWebhooksAlarmThreshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      });

      it('fires when its p99 enqueue duration reaches 80 % of the answer budget in 2 of 3 periods', () => {
        // Assess
        hasAlarm({
          ...receiverMetricOf(MetricNames.enqueueDuration, slug),
          ExtendedStatistic: 'p99',
          Period: 300,
          Threshold: ENQUEUE_BUDGET.answerBudgetMs * 0.8,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          TreatMissingData: 'notBreaching',
        });
      });

      it('has no silence alarm unless silenceAlarmMinutes asks for one', () => {
        // Assess
        template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { ComparisonOperator: 'LessThanThreshold' }, 0);
      });
    });

    describe('worker', () => {
      it('fires on any failed event (custom EventsFailed by service)', () => {
        // Assess
        hasAlarm({
          Namespace: METRICS_NAMESPACE,
          MetricName: MetricNames.failed,
          Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      });

      it.each([['Errors'], ['Throttles']])('fires on any Lambda %s', (metricName) => {
        // Assess
        hasAlarm({
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(stack, stack.worker.function) } }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      });
    });
    describe('media', () => {
      it('fires on any attachment not stored (custom MediaFailed by service), naming its runbook entry', () => {
        // Assess
        hasAlarm({
          Namespace: METRICS_NAMESPACE,
          MetricName: MetricNames.mediaFailed,
          Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmDescription: Match.stringLikeRegexp('Runbook: docs\\/operating\\.md › Attachments were not stored\\.$'),
        });
      });
    });
    describe('parking', () => {
      it('fires on any conversation parked (custom ParkedConversations by service), saying how to list and resume it', () => {
        // Assess
        hasAlarm({
          Namespace: METRICS_NAMESPACE,
          MetricName: MetricNames.parkedConversations,
          Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmDescription: Match.stringLikeRegexp('Runbook: docs\\/operating\\.md › A conversation is parked\\.$'),
        });
      });

      it('names the commands with this stack and the retry policy\'s numbers', () => {
        // Act
        const [alarm] = alarmsOf(template).filter((candidate) => candidate.MetricName === MetricNames.parkedConversations);
        const description = String(alarm?.AlarmDescription);
        // Assess: 5 runs after 60, 120, 240 and 480 s
        expect(description).toContain('npm run resume -- --stack ChatWebhookGateway --list');
        expect(description).toContain('npm run resume -- --stack ChatWebhookGateway --conversation <id>');
        expect(description).toContain('--skip <event id>');
        expect(description).toContain('5 times in a row (over about 15 minutes)');
      });

      it('has its id, the one the README runbook names', () => {
        // Assess
        const ids = Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: MetricNames.parkedConversations } }));
        expect(ids).toEqual([expect.stringMatching(/^MonitoringConversationParked[0-9A-F]{8}$/)]);
      });

      it('has no alarm on conflicting duplicates, skipped or dead-lettered messages: dashboard only', () => {
        // Assess
        for (const metricName of [MetricNames.conflicting, MetricNames.skipped, MetricNames.deadLettered, MetricNames.parked]) {
          template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: metricName }, 0);
        }
      });
    });

    describe("the worker's tables", () => {
      /** The alarm whose math reads `metricName`, and its queries. */
      const queriesOf = (metricName: string) => {
        const alarm = alarmsOf(template).find((properties) => JSON.stringify(properties.Metrics ?? []).includes(`"MetricName":"${metricName}"`));
        return { alarm, queries: (alarm?.Metrics ?? []) as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }[] };
      };
      /** The alarm's expression evaluated as CloudWatch does: a series without data in a period makes the sum empty unless FILLed. */
      const evaluate = (queries: ReturnType<typeof queriesOf>['queries'], data: ReadonlyMap<string, number>): number | undefined => {
        const expression = queries.find((query) => query.Expression)?.Expression ?? '';
        let sum = 0;
        for (const term of expression.split('+').map((part) => part.trim())) {
          const filled = /^FILL\((\w+),\s*0\)$/.exec(term);
          const value = data.get(filled?.[1] ?? term);
          if (value === undefined && !filled) return undefined;
          sum += value ?? 0;
        }
        return sum;
      };
      const tableOf = (query: ReturnType<typeof queriesOf>['queries'][number]) => query.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'TableName')?.Value;
      const operationOf = (query: ReturnType<typeof queriesOf>['queries'][number]) => query.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'Operation')?.Value;

      it('fires on any throttled read or write of either table, whatever the operation (the tables\' throttle events)', () => {
        // Prepare
        const idempotency = { Ref: idOf(stack, stack.idempotency.table) };
        const park = { Ref: idOf(stack, stack.parking.table) };
        // Act
        const { alarm, queries } = queriesOf('ReadThrottleEvents');
        const metrics = queries.filter((query) => query.MetricStat);
        // Assess
        expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
        expect(String(alarm?.AlarmDescription)).toMatch(/Runbook: docs\/operating\.md › The worker's tables failed\.$/);
        expect(metrics.map((query) => [query.MetricStat?.Metric.MetricName, tableOf(query), operationOf(query)])).toEqual([
          ['ReadThrottleEvents', idempotency, undefined],
          ['WriteThrottleEvents', idempotency, undefined],
          ['ReadThrottleEvents', park, undefined],
          ['WriteThrottleEvents', park, undefined],
        ]);
      });

      it("fires on DynamoDB's errors of the calls every batch makes: the records' GetItem and UpdateItem, the park table's BatchGetItem", () => {
        // Prepare
        const idempotency = { Ref: idOf(stack, stack.idempotency.table) };
        const park = { Ref: idOf(stack, stack.parking.table) };
        // Act
        const { alarm, queries } = queriesOf('SystemErrors');
        const metrics = queries.filter((query) => query.MetricStat);
        // Assess
        expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
        expect(String(alarm?.AlarmDescription)).toMatch(/Runbook: docs\/operating\.md › The worker's tables failed\.$/);
        expect(metrics.map((query) => [tableOf(query), operationOf(query)])).toEqual([
          [idempotency, 'GetItem'],
          [idempotency, 'UpdateItem'],
          [park, 'BatchGetItem'],
        ]);
      });

      it.each([['ReadThrottleEvents'], ['SystemErrors']])('the alarm reading %s fires on one of its metrics alone: each series is filled with 0 where it has no data', (metricName) => {
        // Prepare
        const { queries } = queriesOf(metricName);
        const ids = queries.filter((query) => query.MetricStat).map((query) => query.Id);
        // Assess
        expect(ids.length).toBeGreaterThan(1);
        for (const id of ids) expect(evaluate(queries, new Map([[id, 1]])), `only ${id} has data`).toBe(1);
        expect(evaluate(queries, new Map())).toBe(0);
      });

      it('has the ids the runbook names', () => {
        // Assess
        const ids = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('MonitoringWorkerTables'));
        expect(ids.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['MonitoringWorkerTablesErrors', 'MonitoringWorkerTablesThrottled']);
      });
    });
  });

  describe('dashboard', () => {
    let widgets: DashboardWidget[];
    let text: string;

    beforeAll(() => {
      ({ widgets, text } = dashboardBody(template));
    });

    it('is one dashboard, named by CloudFormation', () => {
      // Assess
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: Match.absent() });
    });

    it('mentions every provider and every metric of the contract', () => {
      // Assess
      expect(text).toContain(METRICS_NAMESPACE);
      for (const provider of providers) expect(text).toContain(`"${provider.slug}"`);
      for (const metricName of Object.values(MetricNames)) expect(text).toContain(metricName);
    });

    it.each(providers.map((provider) => [provider.slug, provider.displayName]))(
      '%s: deliveries received, rejected, enqueued and the time to answer (p50, p99)',
      (slug, displayName) => {
        // Prepare
        const dimensions = ['provider', slug, 'service', SERVICE_NAME];
        // Act
        const deliveries = widgetTitled(widgets, `${displayName}: deliveries`).properties.metrics!;
        const answer = widgetTitled(widgets, `${displayName}: time to answer (ms)`).properties.metrics!;
        // Assess
        for (const metricName of [MetricNames.received, MetricNames.rejected, MetricNames.enqueued]) {
          expect(deliveries).toContainEqual([METRICS_NAMESPACE, metricName, ...dimensions, expect.objectContaining({ stat: 'Sum' })]);
        }
        for (const stat of ['p50', 'p99']) {
          expect(answer).toContainEqual([METRICS_NAMESPACE, MetricNames.answerTime, ...dimensions, expect.objectContaining({ stat })]);
        }
      },
    );

    it.each(providers.map((provider) => [provider.slug, provider.displayName]))(
      '%s: enqueue duration at p50 and p99 against the answer budget',
      (slug, displayName) => {
        // Act
        const widget = widgetTitled(widgets, `${displayName}: enqueue duration (ms)`);
        // Assess
        for (const stat of ['p50', 'p99']) {
          expect(widget.properties.metrics).toContainEqual([
            METRICS_NAMESPACE,
            MetricNames.enqueueDuration,
            'provider',
            slug,
            'service',
            SERVICE_NAME,
            expect.objectContaining({ stat }),
          ]);
        }
        expect(JSON.stringify(widget.properties.annotations)).toContain(`"value":${ENQUEUE_BUDGET.answerBudgetMs}`);
      },
    );

    it('shows the queue depth and the age of its oldest event, and the dead-letter queue depth', () => {
      // Prepare
      const queue = `<FnGetAtt${idOf(stack, stack.events.queue)}QueueName>`;
      const deadLetterQueue = `<FnGetAtt${idOf(stack, stack.events.deadLetterQueue)}QueueName>`;
      // Act
      const queueMetrics = widgets.flatMap((widget) => widget.properties.metrics ?? []);
      // Assess
      for (const metricName of ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']) {
        expect(queueMetrics).toContainEqual(['AWS/SQS', metricName, 'QueueName', queue, expect.anything()]);
      }
      expect(queueMetrics).toContainEqual(['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', deadLetterQueue, expect.anything()]);
    });

    it('shows worker successes and failures by provider and type, and its concurrency', () => {
      // Act
      const expressions = widgets
        .flatMap((widget) => widget.properties.metrics ?? [])
        .flatMap((metric) => metric.filter((part): part is { expression: string } => typeof part === 'object' && part !== null && 'expression' in part))
        .map((part) => part.expression);
      const metrics = widgets.flatMap((widget) => widget.properties.metrics ?? []);
      // Assess
      for (const metricName of [MetricNames.processed, MetricNames.failed]) {
        expect(expressions).toContainEqual(
          `SEARCH('{${METRICS_NAMESPACE},provider,service,type} service="${SERVICE_NAME}" MetricName="${metricName}"', 'Sum', 300)`,
        );
      }
      expect(metrics).toContainEqual([
        'AWS/Lambda',
        'ConcurrentExecutions',
        'FunctionName',
        `<Ref${idOf(stack, stack.worker.function)}>`,
        expect.objectContaining({ stat: 'Maximum' }),
      ]);
    });

    it("shows duplicates, the worker's tables' throttles and errors (the alarms' own math), and the idempotency table's consumed capacity", () => {
      // Prepare
      const table = `<Ref${idOf(stack, stack.idempotency.table)}>`;
      const park = `<Ref${idOf(stack, stack.parking.table)}>`;
      // Act
      const metrics = widgets.flatMap((widget) => widget.properties.metrics ?? []);
      const expressions = metrics.flat().filter((part): part is { expression: string } => typeof part === 'object' && part !== null && 'expression' in part);
      // Assess
      expect(metrics).toContainEqual([METRICS_NAMESPACE, MetricNames.duplicate, 'service', SERVICE_NAME, expect.anything()]);
      for (const tableRef of [table, park]) expect(metrics).toContainEqual(expect.arrayContaining(['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', tableRef]));
      expect(metrics).toContainEqual(expect.arrayContaining(['AWS/DynamoDB', 'SystemErrors', 'Operation', 'BatchGetItem', 'TableName', park]));
      expect(expressions.length).toBeGreaterThanOrEqual(2);
      expect(metrics).toContainEqual(['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'TableName', table, expect.anything()]);
    });

    it('has a row for parking: conversations and events parked, skipped events, conflicting duplicates, messages moved to the DLQ', () => {
      // Prepare
      const byService = (metricName: string, label: string) => [METRICS_NAMESPACE, metricName, 'service', SERVICE_NAME, { label, stat: 'Sum' }];
      // Act
      const parked = widgetTitled(widgets, 'Parking: conversations parked, events parked');
      const skipped = widgetTitled(widgets, 'Parking: failing events skipped on resume (--skip)');
      const notRun = widgetTitled(widgets, 'Worker: not run: conflicting duplicates, messages moved to the DLQ');
      // Assess
      expect(parked.properties.metrics).toEqual([
        byService(MetricNames.parkedConversations, 'conversations parked'),
        byService(MetricNames.parked, 'events parked'),
      ]);
      expect(JSON.stringify(parked.properties.annotations)).toContain('"value":1');
      expect(skipped.properties.metrics).toEqual([byService(MetricNames.skipped, 'skipped')]);
      expect(notRun.properties.metrics).toEqual([
        byService(MetricNames.conflicting, 'conflicting duplicates'),
        byService(MetricNames.deadLettered, 'no event: to the DLQ'),
      ]);
      // One row of three, full width.
      const row = [parked, skipped, notRun];
      expect(new Set(row.map((widget) => widget.y)).size).toBe(1);
      expect(row.reduce((width, widget) => width + (widget.width ?? 0), 0)).toBe(24);
    });

    it('shows the state of every alarm', () => {
      // Act
      const alarmWidget = widgets.find((widget) => widget.type === 'alarm');
      // Assess
      expect(alarmWidget?.properties.alarms).toHaveLength(expectedAlarmCount);
    });
  });

  describe('logs and traces', () => {
    it('encrypts every log group with the one customer-managed key, which CloudWatch Logs may use', () => {
      // Prepare
      const keys = template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('log groups') } });
      const [keyId] = Object.keys(keys);
      // Assess
      expect(Object.keys(keys)).toHaveLength(1);
      template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Retain',
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Allow',
                // The partition's URL suffix: logs.cn-north-1.amazonaws.com.cn in China (cdk.json targets aws-cn too).
                Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } },
                Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
              }),
            ]),
          },
        },
      });
    });

    it('gives every log group a retention period, and every function an explicit log group', () => {
      // Prepare
      const logGroups = template.findResources('AWS::Logs::LogGroup') as Record<string, { Properties: { RetentionInDays?: unknown } }>;
      const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: { LoggingConfig?: { LogGroup?: { Ref?: string } } };
      }[];
      // Assess
      for (const logGroup of Object.values(logGroups)) expect(logGroup.Properties.RetentionInDays).toBe(defaultGatewayConfig.logRetentionDays);
      for (const fn of functions) expect(Object.keys(logGroups)).toContain(fn.Properties.LoggingConfig?.LogGroup?.Ref);
      // One per function, the API's access logs and the archive delivery stream's error logs; nothing creates log
      // groups at run time (no Custom::LogRetention).
      expect(Object.keys(logGroups)).toHaveLength(functions.length + 2);
      template.resourceCountIs('Custom::LogRetention', 0);
    });

    it('traces all five functions actively', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::Function', providers.length + 1);
      template.resourcePropertiesCountIs('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } }, providers.length + 1);
    });

    it('gives every function the service name and namespace the alarms read', () => {
      // Assess
      template.allResourcesProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE }) },
      });
    });
  });
});

describe('GatewayMonitoring with context', () => {
  let stack: ChatWebhookGatewayStack;
  let template: Template;

  beforeAll(() => {
    // Act: values as `-c key=value` gives them, strings
    ({ stack, template } = synthGateway({
      bundle: false,
      context: {
        alarmEmail: 'ops@example.com',
        queueAgeAlarmSeconds: '900',
        answerTimeAlarmMilliseconds: '1200',
        rejectedWebhooksAlarmThreshold: '25',
        silenceAlarmMinutes: 'qikchat=60,chatzuri=1440',
      },
    }));
  });

  it('subscribes the alarmEmail address to the topic', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: idOf(stack, stack.monitoring.topic) },
    });
  });

  it('applies the thresholds from the context', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900 });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 1200 }, providers.length);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 1200 });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: MetricNames.rejected, Threshold: 25 }, providers.length);
  });

  it('alarms when a provider sends nothing for its silenceAlarmMinutes, missing data counting as silence', () => {
    // Prepare
    const silence = (slug: string, minutes: number) => ({
      ...receiverMetricOf(MetricNames.received, slug),
      Statistic: 'Sum',
      Period: minutes * 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
    // Assess: only the two providers named
    template.hasResourceProperties('AWS::CloudWatch::Alarm', silence('qikchat', 60));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', silence('chatzuri', 1440));
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { ComparisonOperator: 'LessThanThreshold' }, 2);
    expect(stack.monitoring.alarms).toHaveLength(expectedAlarmCount + 2);
  });
});
