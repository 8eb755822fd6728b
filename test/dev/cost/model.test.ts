/** The cost model (dev/cost/model.ts): its totals, its shapes between busy and trickle, and its monthly cost at a rate. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTO_SCALING_ALARMS_PER_POLICY, costModel, CostInputsSchema, FIREHOSE_BILLING_STEP_BYTES, monthlyResources, PRICES, SECONDS_PER_MONTH, type CostInputs } from '../../../dev/cost/model.js';
import { costJson } from '../../../dev/cost/report.js';

const measured = CostInputsSchema.parse(JSON.parse(readFileSync(new URL('../../../dev/cost/measured.json', import.meta.url), 'utf8')));

describe('costModel', () => {
  it('totals its rows, and computes the busy and trickle totals as the shapes of one and of a full batch', () => {
    // Act
    const model = costModel(measured);

    // Assess
    expect(model.busyPerMillion).toBeCloseTo(model.rows.reduce((sum, row) => sum + row.busy, 0), 9);
    expect(model.perMillion(measured.worker.batchSize)).toBeCloseTo(model.busyPerMillion, 9);
    expect(model.perMillion(1)).toBeCloseTo(model.tricklePerMillion, 9);
    expect(model.perMillion(5)).toBeLessThan(model.tricklePerMillion);
    expect(model.perMillion(5)).toBeGreaterThan(model.busyPerMillion);
  });

  it('costs the idle month at no traffic, and adds the metrics and the deliveries at a rate', () => {
    // Prepare
    const model = costModel(measured);

    // Act
    const idle = model.monthlyCost(0);
    const atTen = model.monthlyCost(10);

    // Assess
    expect(idle).toBeCloseTo(model.idleMonthly, 9);
    expect(atTen).toBeCloseTo(model.idleMonthly + model.metricsMonthly + (10 * SECONDS_PER_MONTH * model.busyPerMillion) / 1e6, 6);
    expect(model.monthlyCost(0.01, { eventsPerBatch: 1 })).toBeCloseTo(model.idleMonthly + model.metricsMonthly + (0.01 * SECONDS_PER_MONTH * model.tricklePerMillion) / 1e6, 6);
    expect(() => model.monthlyCost(-1)).toThrow(RangeError);
  });

  it("prices the access log line at its log group's class, the functions' lines at Standard", () => {
    // Prepare
    const logsRow = (inputs: CostInputs) => costModel(inputs).rows.find((row) => row.item === 'CloudWatch Logs ingestion');
    const standard = logsRow({ ...measured, accessLogClass: 'STANDARD' });
    const infrequent = logsRow({ ...measured, accessLogClass: 'INFREQUENT_ACCESS' });

    // Act
    const saved = (standard?.busy ?? 0) - (infrequent?.busy ?? 0);

    // Assess: a million lines at half the price
    expect(saved).toBeCloseTo((measured.accessLogBytes / 1e9) * (PRICES.logsIngestedGb.dollars - PRICES.logsIngestedGbInfrequentAccess.dollars) * 1e6, 9);
    expect((standard?.trickle ?? 0) - (infrequent?.trickle ?? 0)).toBeCloseTo(saved, 9);
    expect(infrequent?.basis).toContain('Infrequent Access');
  });

  it('bills a Firehose record in whole steps of 5 KB', () => {
    // Prepare
    const at = (bytes: number): CostInputs => ({
      ...measured,
      stack: { ...measured.stack, archiveKept: 'firehose' },
      worker: { ...measured.worker, trickle: { ...measured.worker.trickle, archiveBytesPerBatch: bytes } },
    });
    const firehoseRow = (inputs: CostInputs) => costModel(inputs).rows.find((row) => row.item.startsWith('Archive: Firehose'))?.trickle;

    // Act
    const oneByte = firehoseRow(at(1));
    const oneStep = firehoseRow(at(FIREHOSE_BILLING_STEP_BYTES));
    const overOneStep = firehoseRow(at(FIREHOSE_BILLING_STEP_BYTES + 1));

    // Assess
    expect(oneByte).toBeCloseTo((FIREHOSE_BILLING_STEP_BYTES / 1e9) * PRICES.firehoseIngestedGb.dollars * 1e6, 9);
    expect(oneStep).toBe(oneByte);
    expect(overOneStep).toBeCloseTo(2 * (oneByte ?? 0), 9);
  });

  it('adds the provisioned minimum and auto scaling’s alarms to the idle month, and bills the writes by the unit-hour', () => {
    // Prepare
    const provisioned: CostInputs = { ...measured, idempotencyCapacity: { mode: 'provisioned', minWriteUnits: 1, minReadUnits: 1, targetUtilization: 0.7 } };

    // Act
    const model = costModel(provisioned);
    const onDemand = costModel({ ...measured, idempotencyCapacity: { mode: 'on-demand' } });

    // Assess
    expect(model.idleMonthly - onDemand.idleMonthly).toBeCloseTo((PRICES.dynamoWcuHour.dollars + PRICES.dynamoRcuHour.dollars) * 730 + 2 * AUTO_SCALING_ALARMS_PER_POLICY * PRICES.alarmMonth.dollars, 9);
    expect(model.busyPerMillion).toBeLessThan(onDemand.busyPerMillion);
  });

  it('bills the alarms by the metrics they read, a metric-math alarm once for each of its metrics', () => {
    // Prepare: one alarm on one metric, one on the sum of three, in a template with the rest of the stack's kinds
    const metric = (id: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors' }, Period: 300, Stat: 'Sum' }, ReturnData: false });
    const resources = {
      Single: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda' } },
      Math: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ Id: 'expr_1', Expression: 'FILL(a, 0) + FILL(b, 0) + FILL(c, 0)' }, metric('a'), metric('b'), metric('c')] } },
      Key: { Type: 'AWS::KMS::Key' },
      Stream: { Type: 'AWS::KinesisFirehose::DeliveryStream' },
    };

    // Act
    const stack = monthlyResources(resources);
    const idle = costModel({ ...measured, stack }).idle.find((row) => row.item === 'CloudWatch alarms');
    const keptBefore = costModel({ ...measured, stack: { ...stack, alarmMetrics: undefined } }).idle.find((row) => row.item === 'CloudWatch alarms');

    // Assess
    expect(stack).toMatchObject({ alarms: 2, alarmMetrics: 4, kmsKeys: 1, secrets: 0, archiveKept: 'firehose' });
    expect(idle?.monthly).toBeCloseTo(4 * PRICES.alarmMonth.dollars, 9);
    // Inputs kept before the count of metrics: one an alarm, as they were measured.
    expect(keptBefore?.monthly).toBeCloseTo(2 * PRICES.alarmMonth.dollars, 9);
  });

  it('prints the JSON the issue asks for', () => {
    // Act
    const json = costJson(costModel(measured));

    // Assess
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['busyPerMillion', 'tricklePerMillion', 'idleMonthly', 'rows']));
    expect(json.rows).toHaveLength(costModel(measured).rows.length);
  });
});
