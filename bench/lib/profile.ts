/**
 * A CPU profile of chosen stretches of this process (the worker bundle's invocations in `npm run cost -- --profile`):
 * V8's sampling profiler runs throughout, and only the samples taken inside the marked windows are summarised, by
 * function (self and total time, mapped through the bundles' source maps to their TypeScript or package source) and
 * by origin (an npm package or a project folder).
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: readonly number[];
}

/** What `Profiler.stop` returns (the parts summarised here). */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of a summary: milliseconds per window, the function (or origin) it is spent in. */
export interface ProfileRow {
  readonly name: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

/** The sampling profiler of this process; {@link ProcessProfiler.window} marks what counts. */
export class ProcessProfiler {
  readonly #session = new Session();
  readonly #windows: { from: number; to: number }[] = [];

  static async start(intervalMicroseconds = 100): Promise<ProcessProfiler> {
    const profiler = new ProcessProfiler();
    profiler.#session.connect();
    await profiler.#session.post('Profiler.enable');
    await profiler.#session.post('Profiler.setSamplingInterval', { interval: intervalMicroseconds });
    await profiler.#session.post('Profiler.start');
    return profiler;
  }

  /** Runs `act`, counting the samples taken meanwhile. */
  async window<T>(act: () => Promise<T>): Promise<T> {
    // V8's profile timestamps and hrtime read the same monotonic clock, in microseconds here.
    const from = Number(process.hrtime.bigint() / 1000n);
    try {
      return await act();
    } finally {
      this.#windows.push({ from, to: Number(process.hrtime.bigint() / 1000n) });
    }
  }

  /** Stops profiling: the raw profile (for Chrome DevTools) and its windows' summary. */
  async stop(): Promise<{ profile: CpuProfile; windows: number; byFunction: ProfileRow[]; byOrigin: ProfileRow[] }> {
    const { profile } = (await this.#session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    this.#session.disconnect();
    return { profile, windows: this.#windows.length, ...summarise(profile, this.#windows) };
  }
}

/** Source maps of the bundles, read once each. */
const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!url.startsWith('file:') || !url.endsWith('.mjs')) return undefined;
  if (!maps.has(url)) {
    try {
      maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]));
    } catch {
      maps.set(url, undefined);
    }
  }
  return maps.get(url);
}

/** Where a frame's code comes from: `node_modules/<package>` or a project path, with its line. */
function locate(frame: ProfileNode['callFrame']): { name: string; origin: string } {
  const map = sourceMapOf(frame.url);
  const entry: { originalSource?: string; originalLine?: number; name?: string } | undefined = map?.findEntry(frame.lineNumber, frame.columnNumber);
  const source = entry?.originalSource ?? frame.url.replace(/^file:\/\//, '');
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(source);
  const origin = npm?.[1] ?? (source.startsWith('node:') || source === '' ? source || '(native)' : source.replace(/^(?:\.\.\/)+/, '').split('/').slice(0, 2).join('/'));
  const file = npm ? `${npm[1] ?? ''}/${npm[2]?.split('/').pop() ?? ''}` : source.replace(/^(?:\.\.\/)+/, '');
  const line = entry?.originalLine ?? frame.lineNumber;
  const fn = frame.functionName || entry?.name || '(anonymous)';
  return { name: file ? `${fn} ${file}:${String(line + 1)}` : fn, origin };
}

function summarise(profile: CpuProfile, windows: readonly { from: number; to: number }[]): { byFunction: ProfileRow[]; byOrigin: ProfileRow[] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const located = new Map<number, { name: string; origin: string }>();
  const at = (id: number) => {
    let found = located.get(id);
    if (!found) {
      const node = nodes.get(id);
      found = node ? locate(node.callFrame) : { name: '(unknown)', origin: '(unknown)' };
      located.set(id, found);
    }
    return found;
  };
  const fns = new Map<string, { self: number; total: number }>();
  const origins = new Map<string, { self: number; total: number }>();
  const add = (table: Map<string, { self: number; total: number }>, key: string, self: number, total: number) => {
    const row = table.get(key) ?? { self: 0, total: 0 };
    row.self += self;
    row.total += total;
    table.set(key, row);
  };
  let time = profile.startTime;
  for (const [i, sample] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    time += profile.timeDeltas[i] ?? 0;
    if (!windows.some((window) => time >= window.from && time <= window.to)) continue;
    const leaf = nodes.get(sample);
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
    // Self time to the leaf; total time once to each function and origin on its stack.
    const self = at(sample);
    add(fns, self.name, delta, 0);
    add(origins, self.origin, delta, 0);
    const seenFns = new Set<string>();
    const seenOrigins = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parents.get(id)) {
      if (nodes.get(id)?.callFrame.functionName === '(root)') continue;
      const frame = at(id);
      if (!seenFns.has(frame.name)) add(fns, frame.name, 0, delta);
      if (!seenOrigins.has(frame.origin)) add(origins, frame.origin, 0, delta);
      seenFns.add(frame.name);
      seenOrigins.add(frame.origin);
    }
  }
  const perWindow = Math.max(1, windows.length) * 1000;
  const rows = (table: Map<string, { self: number; total: number }>) =>
    [...table].map(([name, { self, total }]) => ({ name, selfMs: self / perWindow, totalMs: total / perWindow })).sort((a, b) => b.selfMs - a.selfMs);
  return { byFunction: rows(fns), byOrigin: rows(origins) };
}
