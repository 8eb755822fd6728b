/**
 * The context API of `cls-hooked/context` (the module the AWS X-Ray SDK, under Powertools Tracer, keeps the
 * current segment in) on Node.js's `AsyncLocalStorage`. The bundles of every function substitute it for
 * `cls-hooked/context` (`infra/bundling.ts`, esbuild `alias`).
 *
 * Why: `cls-hooked` installs an `async_hooks` hook with a destroy callback for the whole process as soon as
 * the X-Ray SDK is imported, tracing on or not. Every promise, timer and socket of every request then pays for
 * it: in the receiver benchmark the bare baseline, timed in the same process, went from about 600 to 930 µs
 * per request once a receiver bundle had been loaded beside it (BENCHMARKS.md). `AsyncLocalStorage` on
 * Node.js 24 propagates through the async context frame V8 carries anyway, with no hook at all.
 *
 * Only what the X-Ray SDK 3.x and Powertools Tracer call is here: `createNamespace`, `getNamespace`,
 * `destroyNamespace`, `reset`, and on a namespace `active`, `get`, `set`, `createContext`, `run`,
 * `runAndReturn`, `runPromise`, `bind`, `enter` and `exit`, with `cls-hooked`'s semantics:
 * - a context is an object; `createContext` inherits from the active one (prototype chain);
 * - `set` writes into the active context in place, and throws when there is none;
 * - `run` runs a function in a new child context, which follows it into every callback and promise it starts;
 * - `enter` outside any `run` makes the context the process-wide current one. That is what the X-Ray SDK does
 *   once, at import, inside Lambda: it enters a context holding the facade segment that every invocation then
 *   reads and writes, whichever async chain the runtime invokes the handler from. `cls-hooked` gets the same
 *   result from its hook: a resource created outside any context keeps whatever context is current.
 * `test/observability/xray-context.test.ts` checks these; `test/observability/tracing.test.ts` checks the
 * trace a bundled receiver sends with it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The key `run` and `runPromise` set on an error thrown inside, pointing to the context it was thrown in. */
export const ERROR_SYMBOL = 'error@context';

/** A context: the values set in it, and through its prototype those of the context it was created in. */
export type Context = Record<string, unknown>;

export class Namespace {
  readonly name: string;
  readonly #storage = new AsyncLocalStorage<Context>();
  /** The process-wide context `enter` set outside any `run`; used wherever no `run` is in progress. */
  #root: Context | null = null;
  /** The process-wide contexts an `enter` replaced, restored by the matching `exit`, as `cls-hooked` does. */
  readonly #entered: (Context | null)[] = [];

  constructor(name: string) {
    this.name = name;
  }

  /** The current context: that of the innermost `run` or `bind` in progress, else the entered one. */
  get active(): Context | null {
    return this.#storage.getStore() ?? this.#root;
  }

  set<T>(key: string, value: T): T {
    const context = this.active;
    if (!context) throw new Error('No context available. ns.run() or ns.bind() must be called first.');
    context[key] = value;
    return value;
  }

  get(key: string): unknown {
    return this.active?.[key];
  }

  createContext(): Context {
    const context = Object.create(this.active ?? Object.prototype) as Context;
    context._ns_name = this.name;
    return context;
  }

  run(fn: (context: Context) => void): Context {
    const context = this.createContext();
    try {
      this.#storage.run(context, fn, context);
    } catch (error) {
      throw markError(error, context);
    }
    return context;
  }

  runAndReturn<T>(fn: (context: Context) => T): T {
    let value: T | undefined;
    this.run((context) => {
      value = fn(context);
    });
    return value as T;
  }

  runPromise<T>(fn: (context: Context) => Promise<T>): Promise<T> {
    const context = this.createContext();
    const promise = this.#storage.run(context, fn, context);
    if (!promise || typeof promise.then !== 'function') throw new Error('fn must return a promise.');
    return promise.catch((error: unknown) => {
      throw markError(error, context);
    });
  }

  bind<A extends unknown[], R>(fn: (...args: A) => R, context?: Context): (...args: A) => R {
    const bound = context ?? this.active ?? this.createContext();
    const storage = this.#storage;
    return function (this: unknown, ...args: A): R {
      try {
        return storage.run(bound, () => fn.apply(this, args));
      } catch (error) {
        throw markError(error, bound);
      }
    };
  }

  enter(context: Context): void {
    if (this.#storage.getStore() === undefined) {
      this.#entered.push(this.#root);
      this.#root = context;
    } else this.#storage.enterWith(context);
  }

  exit(context: Context): void {
    if (this.#root !== context) return;
    this.#root = this.#entered.pop() ?? null;
  }
}

function markError(error: unknown, context: Context): unknown {
  if (error !== null && typeof error === 'object') Object.assign(error, { [ERROR_SYMBOL]: context });
  return error;
}

const namespaces = new Map<string, Namespace>();

export function getNamespace(name: string): Namespace | undefined {
  return namespaces.get(name);
}

export function createNamespace(name: string): Namespace {
  const namespace = new Namespace(name);
  namespaces.set(name, namespace);
  return namespace;
}

export function destroyNamespace(name: string): void {
  namespaces.delete(name);
}

export function reset(): void {
  namespaces.clear();
}
