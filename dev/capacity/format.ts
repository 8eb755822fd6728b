/**
 * A capacity plan as text for a person (`npm run capacity`), and the table of docs/capacity.md
 * (`npm run capacity -- --docs-table`).
 */
import type { CapacityPlan, Limit } from './plan.js';
import { whole } from './text.js';

/** A rate as asked: fractions kept (0.5 deliveries/s is not 1). */
const asked = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 3 });
const perSecond = (value: number | null) => (value === null ? 'never' : value >= 1e6 ? 'over 1,000,000/s' : `${whole(value)}/s`);
const percent = (value: number | null) => {
  if (value === null) return '-';
  if (value >= 10) return `${whole(value * 100)} %`;
  return value < 0.001 ? (value < 0.00001 ? '< 0.001 %' : `${(value * 100).toFixed(3)} %`) : `${(value * 100).toFixed(1)} %`;
};
/** Dollars: cents under $100, whole dollars above. */
const dollars = (value: number) => (value < 100 ? `$${value.toFixed(2)}` : `$${whole(value)}`);

/** Rows padded into columns. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ').trimEnd());
}

const kindLabel = (limit: Limit) => (limit.kind === 'quota' ? 'AWS quota' : limit.kind === 'setting' ? 'setting' : 'ordering');

/** The plan for a person: the answer first, then the limits, the changes, the cost and what it rests on. */
export function formatPlan(plan: CapacityPlan): string {
  const { request, concurrency, perEvent, cost } = plan;
  const conversations =
    request.conversations === null ? 'many conversations' : request.conversations === 1 ? '1 conversation' : `${whole(request.conversations)} conversations`;
  const lines: string[] = [
    `Capacity at ${asked(request.rate)} deliveries/s, handler ${asked(request.handlerMs)} ms, ${conversations}`,
    '',
    `First AWS quota reached: ${plan.firstQuota.name}, at ${perSecond(plan.firstQuota.reachedAt)} (this rate uses ${percent(
      plan.limits.find((limit) => limit.id === plan.firstQuota.id)?.used ?? null,
    )} of it).`,
    `With the default settings the first limit is ${plan.firstLimitWithDefaults.name}, at ${perSecond(plan.firstLimitWithDefaults.reachedAt)}.`,
    `Concurrency needed: receivers ${concurrency.receivers.toFixed(1)} (${perEvent.receiverMs.toFixed(1)} ms each), worker ${concurrency.worker.toFixed(1)} ` +
      `(${perEvent.workerBatchMs.toFixed(1)} ms a batch); ${concurrency.total.toFixed(1)} in all.`,
    '',
    'Limits, by the rate at which each is reached:',
    ...columns([
      ['  reached at', 'used', 'kind', 'limit'],
      ...plan.limits.map((limit) => [`  ${perSecond(limit.reachedAt)}`, percent(limit.used), kindLabel(limit), `${limit.name}: ${limit.limit}; this rate: ${limit.usage}`]),
    ]),
    '',
    'Settings to change (gateway.config.json, or -c key=value; docs/deploying.md › Settings):',
  ];
  for (const setting of plan.settings) {
    const from = setting.current === null ? 'unset' : whole(setting.current);
    const to = setting.suggested === null ? 'unset' : whole(setting.suggested);
    const verdict = setting.key === 'receiverReservedConcurrency' ? `${from}; ${setting.suggested === null ? 'leave unset' : `optional ${to}`}` : setting.change ? `${from} → ${to}` : `${from} (keep)`;
    lines.push(`  ${setting.key}: ${verdict} — ${setting.why}`);
  }
  lines.push('', plan.quotaIncreases.length === 0 ? 'Quota increases to request: none at this rate.' : 'Quota increases to request:');
  for (const increase of plan.quotaIncreases) {
    lines.push(`  ${increase.quota}: ${whole(increase.current)} → at least ${whole(increase.request)} ${increase.unit} (${increase.where})`);
  }
  if (plan.ceilings.length > 0) {
    lines.push('', 'Not lifted by these settings or quota increases:');
    for (const ceiling of plan.ceilings) lines.push(`  ${ceiling.name}, at ${perSecond(ceiling.reachedAt)}: ${ceiling.action}`);
  }
  lines.push(
    '',
    plan.carried
      ? `Carried: ${asked(request.rate)} deliveries/s with the settings above${plan.quotaIncreases.length > 0 ? ' and the quota increases' : ''}.`
      : `Not carried: ${asked(request.rate)} deliveries/s is above what the settings or the conversations allow (above).`,
    '',
    'Growing from idle:',
    ...plan.ramps.map((ramp) => `  ${ramp.name} (${ramp.limit}): ${ramp.atThisRate}`),
    '',
    `Monthly cost at this rate: about ${dollars(cost.monthly)}; ${dollars(cost.busy)} with full batches, ${dollars(cost.trickle)} if every event comes alone ` +
      `(${whole(cost.deliveries)} deliveries in 730 hours at $${cost.busyPerMillion.toFixed(2)} to $${cost.tricklePerMillion.toFixed(2)} per million, plus $${cost.fixed.toFixed(2)} a month; the cost model, npm run cost).`,
    '',
    'Assumptions:',
    ...plan.assumptions.map((assumption) => `  - ${assumption}`),
    '',
    'Sources:',
  );
  const seen = new Set<string>();
  for (const item of [...plan.limits, ...plan.ramps]) {
    if (!item.source || seen.has(item.source.url)) continue;
    seen.add(item.source.url);
    lines.push(`  - ${item.name}: ${item.source.url} (read ${item.source.read})`);
  }
  return `${lines.join('\n')}\n`;
}

/** One plan as a row of the docs table. */
function docsRow(plan: CapacityPlan): string[] {
  const changes = plan.settings
    .filter((setting) => setting.change)
    .map((setting) => `\`${setting.key}\` ${setting.suggested === null ? 'unset' : whole(setting.suggested)}`);
  const increases = plan.quotaIncreases.map((increase) => `${increase.quota}: ${whole(increase.request)} ${increase.unit}`);
  const carried = plan.carried ? 'yes' : `no: ${plan.ceilings.map((ceiling) => `${ceiling.name} (${perSecond(ceiling.reachedAt)})`).join('; ')}`;
  const used = plan.limits.find((limit) => limit.id === plan.firstQuota.id)?.used ?? null;
  return [
    whole(plan.request.rate),
    `${plan.firstQuota.name}, at ${perSecond(plan.firstQuota.reachedAt)} (${percent(used)} used)`,
    `${plan.concurrency.receivers.toFixed(1)} + ${plan.concurrency.worker.toFixed(1)}`,
    changes.length === 0 ? 'none' : changes.join(', '),
    increases.length === 0 ? 'none' : increases.join('; '),
    carried,
    `${dollars(plan.cost.busy)} – ${dollars(plan.cost.trickle)}`,
  ];
}

/** The markdown table of docs/capacity.md, one row per plan. */
export function formatDocsTable(plans: readonly CapacityPlan[]): string {
  const header = [
    'deliveries/s',
    'first AWS quota reached',
    'concurrency: receivers + worker',
    'settings to change',
    'quota increases to request',
    'carried',
    'a month: full batches – events alone',
  ];
  const rows = [header, header.map(() => '---'), ...plans.map(docsRow)];
  return `${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`;
}
