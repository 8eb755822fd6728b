/**
 * The cost-growth chart of `BENCHMARKS.md`, drawn by the benchmark from its own numbers: time per request by
 * body size (log–log) and throughput by concurrency, each receiver beside the bare baseline. Plain SVG, no
 * dependencies; a pure function of its input, tested in `test/bench/helpers.test.ts`.
 */

interface Series {
  readonly name: string;
  /** One value per x; NaN or undefined leaves a gap. */
  readonly values: readonly (number | undefined)[];
  /** Drawn dashed (the baseline). */
  readonly dashed?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** The x positions' labels, in order; they are spaced evenly (the caller picks sizes that grow by a factor). */
  readonly xTicks: readonly string[];
  readonly series: readonly Series[];
  /** Logarithmic y axis (for values spanning decades). */
  readonly logY?: boolean;
}

const PALETTE = ['#1b6ac9', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#5c940d', '#e67700'];
const BASELINE_COLOUR = '#495057';

/** Text safe inside SVG. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** A number as a tick label: 3 significant digits, thousands as `k`. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(2).replace(/\.?0+$/, '')}k`;
  if (value >= 100) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1).replace(/\.0$/, '');
  if (value >= 1) return value.toFixed(2).replace(/0$/, '').replace(/\.0$/, '');
  return value.toPrecision(2);
}

/** Round tick values covering [min, max]: powers of ten (and 2, 5 between) on a log axis, a nice step on a linear one. */
export function axisTicks(min: number, max: number, log: boolean): number[] {
  if (!(max > 0)) return [0, 1];
  if (log) {
    // 1, 2, 5 per decade, from the last one at or below `min` to the first one at or above `max`.
    const candidates: number[] = [];
    for (let exponent = Math.floor(Math.log10(min)) - 1; exponent <= Math.ceil(Math.log10(max)); exponent++) {
      for (const mantissa of [1, 2, 5]) candidates.push(Number((mantissa * 10 ** exponent).toPrecision(3)));
    }
    const first = candidates.findLastIndex((tick) => tick <= min * 1.0001);
    const last = candidates.findIndex((tick) => tick >= max / 1.0001);
    return candidates.slice(Math.max(0, first), last < 0 ? undefined : last + 1);
  }
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough);
  const ticks: number[] = [];
  for (let tick = 0; tick <= max * 1.0001 + step; tick += step) {
    ticks.push(Number(tick.toPrecision(6)));
    if (tick >= max) break;
  }
  return ticks;
}

function renderPanel(panel: Panel, x0: number, y0: number, width: number, height: number): string {
  const margin = { left: 64, right: 16, top: 36, bottom: 52 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const values = panel.series.flatMap((series) => series.values).filter((v): v is number => v !== undefined && Number.isFinite(v) && (!panel.logY || v > 0));
  const log = panel.logY === true;
  const rawMin = values.length ? Math.min(...values) : 1;
  const rawMax = values.length ? Math.max(...values) : 1;
  const ticks = axisTicks(log ? rawMin : 0, rawMax, log);
  const low = log ? Math.min(rawMin, ticks[0] ?? rawMin) : 0;
  const high = Math.max(rawMax, ticks.at(-1) ?? rawMax);
  const scaleY = (v: number) => {
    const fraction = log ? (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low) || 1) : (v - low) / (high - low || 1);
    return y0 + margin.top + plotHeight - fraction * plotHeight;
  };
  const count = panel.xTicks.length;
  const scaleX = (i: number) => x0 + margin.left + (count <= 1 ? plotWidth / 2 : (i / (count - 1)) * plotWidth);

  const parts: string[] = [];
  parts.push(`<text x="${x0 + width / 2}" y="${y0 + 20}" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(panel.title)}</text>`);
  for (const tick of ticks) {
    const y = scaleY(tick).toFixed(1);
    parts.push(`<line x1="${x0 + margin.left}" x2="${x0 + margin.left + plotWidth}" y1="${y}" y2="${y}" stroke="#dee2e6" stroke-width="1"/>`);
    parts.push(`<text x="${x0 + margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${escapeXml(formatTick(tick))}</text>`);
  }
  panel.xTicks.forEach((label, i) => {
    const x = scaleX(i).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${y0 + margin.top}" y2="${y0 + margin.top + plotHeight}" stroke="#f1f3f5" stroke-width="1"/>`);
    parts.push(`<text x="${x}" y="${y0 + margin.top + plotHeight + 16}" text-anchor="middle" font-size="11">${escapeXml(label)}</text>`);
  });
  parts.push(`<rect x="${x0 + margin.left}" y="${y0 + margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#868e96" stroke-width="1"/>`);
  parts.push(`<text x="${x0 + margin.left + plotWidth / 2}" y="${y0 + height - 10}" text-anchor="middle" font-size="12">${escapeXml(panel.xLabel)}</text>`);
  const yMid = y0 + margin.top + plotHeight / 2;
  parts.push(`<text x="${x0 + 16}" y="${yMid}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 16} ${yMid})">${escapeXml(panel.yLabel)}</text>`);

  let colour = 0;
  panel.series.forEach((series, index) => {
    const stroke = series.dashed ? BASELINE_COLOUR : (PALETTE[colour++ % PALETTE.length] as string);
    const points = series.values
      .map((v, i) => (v !== undefined && Number.isFinite(v) && (!log || v > 0) ? `${scaleX(i).toFixed(1)},${scaleY(v).toFixed(1)}` : undefined))
      .filter((p): p is string => p !== undefined);
    if (points.length > 1) {
      parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${stroke}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    for (const point of points) {
      const [cx = '', cy = ''] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${stroke}"/>`);
    }
    const legendY = y0 + margin.top + 14 + index * 16;
    const legendX = x0 + margin.left + 10;
    parts.push(`<line x1="${legendX}" x2="${legendX + 22}" y1="${legendY}" y2="${legendY}" stroke="${stroke}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${legendX + 28}" y="${legendY}" dominant-baseline="middle" font-size="11">${escapeXml(series.name)}</text>`);
  });
  return parts.join('\n');
}

/**
 * Panels side by side in one SVG document.
 *
 * @param caption - a line under the panels (the machine and the run)
 */
export function renderChart(panels: readonly Panel[], caption: string, panelWidth = 480, panelHeight = 360): string {
  const width = panelWidth * panels.length;
  const height = panelHeight + 24;
  const body = panels.map((panel, i) => renderPanel(panel, i * panelWidth, 0, panelWidth, panelHeight)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" fill="#212529">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    body,
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" font-size="11" fill="#495057">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
