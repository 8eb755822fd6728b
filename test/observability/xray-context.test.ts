/**
 * `lib/observability/xray-context.ts` stands in for `cls-hooked/context` under the AWS X-Ray SDK in every bundle.
 * These tests pin the `cls-hooked` semantics the SDK and Powertools Tracer rely on; the end-to-end check of the
 * trace a bundle sends is `test/observability/tracing.test.ts`.
 */
import { setImmediate as nextImmediate, setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { gte } from '../../lib/observability/semver-gte.js';
import {
  type Context,
  createNamespace,
  destroyNamespace,
  ERROR_SYMBOL,
  getNamespace,
  type Namespace,
} from '../../lib/observability/xray-context.js';

/** A promise with its resolve function outside, to order two async chains against each other. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('xray-context (cls-hooked/context on AsyncLocalStorage)', () => {
  // Namespaces are process-wide (the SDK finds its own by name): every test gets a name of its own, and
  // leaves nothing behind for the next.
  const created: string[] = [];
  let counter = 0;
  function freshNamespace(): Namespace {
    const name = `xray-context-test-${++counter}`;
    created.push(name);
    return createNamespace(name);
  }
  afterEach(() => {
    // `cls-hooked` throws on destroying a namespace twice; a test may have destroyed its own already.
    for (const name of created.splice(0)) if (getNamespace(name)) destroyNamespace(name);
  });

  it('creates, finds and destroys namespaces by name', () => {
    // Prepare
    const namespace = freshNamespace();

    // Act
    const found = getNamespace(namespace.name);
    destroyNamespace(namespace.name);

    // Assess
    expect(found).toBe(namespace);
    // The SDK's `getNamespace() || createNamespace()` relies on a destroyed or unknown name giving nothing
    // (`cls-hooked` gives null for a destroyed one, undefined for an unknown one).
    expect(getNamespace(namespace.name)).toBeFalsy();
    expect(getNamespace('xray-context-test-never-created')).toBeUndefined();
    // A namespace created again under the same name is a new one, which the SDK then finds.
    const again = createNamespace(namespace.name);
    expect(again).not.toBe(namespace);
    expect(getNamespace(namespace.name)).toBe(again);
  });

  it('refuses to set a value when no context is active, and reads nothing', () => {
    // Prepare
    const namespace = freshNamespace();

    // Act & Assess
    expect(namespace.active).toBeNull();
    expect(() => namespace.set('segment', 'orphan')).toThrow(/No context available/);
    expect(namespace.get('segment')).toBeUndefined();
  });

  it('runs a function in a child context that inherits the values of its parent through the prototype', () => {
    // Prepare
    const namespace = freshNamespace();
    const seen: Record<string, unknown> = {};

    // Act
    const outer = namespace.run((outerContext) => {
      namespace.set('segment', 'outer');
      namespace.run((innerContext) => {
        seen.prototype = Object.getPrototypeOf(innerContext);
        seen.inherited = namespace.get('segment');
        namespace.set('segment', 'inner');
        seen.innerOwn = Object.hasOwn(innerContext, 'segment');
      });
      // The child wrote into its own context, not into the parent's.
      seen.afterInner = namespace.get('segment');
      seen.activeAfterInner = namespace.active === outerContext;
    });

    // Assess
    expect(seen).toEqual({ prototype: outer, inherited: 'outer', innerOwn: true, afterInner: 'outer', activeAfterInner: true });
    expect(outer.segment).toBe('outer');
    // Once `run` returned, nothing is active any more.
    expect(namespace.active).toBeNull();
  });

  it('follows a run into what it starts: after await, setTimeout, setImmediate and promise callbacks', async () => {
    // Prepare
    const namespace = freshNamespace();
    const seen: Record<string, unknown> = {};

    // Act
    const done = namespace.runAndReturn(() => {
      namespace.set('segment', 'request-1');
      const afterAwait = (async () => {
        await Promise.resolve();
        await sleep(1);
        seen.afterAwait = namespace.get('segment');
        // A value set after an await is seen further down the same chain.
        namespace.set('late', 'set-after-await');
        await nextImmediate();
        seen.late = namespace.get('late');
      })();
      const timeout = new Promise<void>((resolve) =>
        setTimeout(() => {
          seen.setTimeout = namespace.get('segment');
          resolve();
        }, 1),
      );
      const immediate = new Promise<void>((resolve) =>
        setImmediate(() => {
          seen.setImmediate = namespace.get('segment');
          resolve();
        }),
      );
      const then = Promise.resolve().then(() => {
        seen.then = namespace.get('segment');
      });
      return Promise.all([afterAwait, timeout, immediate, then]);
    });
    await done;

    // Assess
    expect(seen).toEqual({ afterAwait: 'request-1', late: 'set-after-await', setTimeout: 'request-1', setImmediate: 'request-1', then: 'request-1' });
    expect(namespace.get('segment')).toBeUndefined();
  });

  it('keeps two concurrent runs apart, even when their awaits interleave', async () => {
    // Prepare
    const namespace = freshNamespace();
    const aSet = deferred();
    const bSet = deferred();

    // Act: A sets its value, then waits until B has set its own; B waits for A first. Each then reads back.
    const a = namespace.runAndReturn(async () => {
      namespace.set('segment', 'a');
      aSet.resolve();
      await bSet.promise;
      await nextImmediate();
      return namespace.get('segment');
    });
    const b = namespace.runAndReturn(async () => {
      await aSet.promise;
      namespace.set('segment', 'b');
      bSet.resolve();
      await sleep(1);
      return namespace.get('segment');
    });

    // Assess
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
  });

  it('runs a bound function in the context captured at bind time, wherever it is called from later', async () => {
    // Prepare
    const namespace = freshNamespace();
    let bound: (() => unknown) | undefined;
    namespace.run(() => {
      namespace.set('segment', 'binder');
      bound = namespace.bind(() => namespace.get('segment'));
    });
    if (!bound) throw new Error('bind returned nothing');
    const call = bound;

    // Act
    const fromOutside = await new Promise((resolve) => setImmediate(() => resolve(call())));
    const fromAnotherRun = namespace.runAndReturn(() => {
      namespace.set('segment', 'caller');
      const inside = call();
      // The caller's own context is back once the bound function returned.
      return { inside, after: namespace.get('segment') };
    });

    // Assess
    expect(fromOutside).toBe('binder');
    expect(fromAnotherRun).toEqual({ inside: 'binder', after: 'caller' });
  });

  it('binds to a context given explicitly, and makes one when nothing is active', () => {
    // Prepare
    const namespace = freshNamespace();
    const given: Context = namespace.createContext();
    given.segment = 'given';

    // Act
    const explicit = namespace.bind(() => namespace.get('segment'), given)();
    // With nothing active, bind creates a context: `set` inside works instead of throwing.
    const created = namespace.bind(() => namespace.set('segment', 'created'))();

    // Assess
    expect(explicit).toBe('given');
    expect(created).toBe('created');
    expect(namespace.active).toBeNull();
  });

  it('makes an entered context process-wide, visible to an async chain that started before enter (as Lambda invokes the handler)', async () => {
    // Prepare: what the Lambda runtime does. The chain that will invoke the handler is set up before the function's
    // module is imported; the X-Ray SDK enters its context holding the facade segment during that import.
    const namespace = freshNamespace();
    let start!: () => void;
    const ready = new Promise<void>((resolve) => (start = resolve));
    const invocation = ready.then(async () => {
      const facade = namespace.get('segment');
      // Powertools' middleware sets the handler subsegment as current, then awaits the handler.
      namespace.set('segment', 'handler-subsegment');
      await nextImmediate();
      return { facade, afterAwait: namespace.get('segment') };
    });
    const timer = new Promise((resolve) => setTimeout(() => resolve(namespace.get('segment')), 1));

    // Act
    const root = namespace.createContext();
    namespace.enter(root);
    namespace.set('segment', 'facade');
    start();
    const seen = await invocation;

    // Assess
    expect(seen).toEqual({ facade: 'facade', afterAwait: 'handler-subsegment' });
    expect(await timer).toBe('handler-subsegment');
    // The chain wrote into the entered context in place: every reader sees it, as the SDK expects.
    expect(root.segment).toBe('handler-subsegment');
    expect(namespace.get('segment')).toBe('handler-subsegment');
    // A run started now inherits from the entered context (`captureAsyncFunc` under the handler subsegment).
    const child = namespace.run(() => undefined);
    expect(Object.getPrototypeOf(child)).toBe(root);
  });

  it('clears the process-wide context on exit', () => {
    // Prepare
    const namespace = freshNamespace();
    const root = namespace.createContext();
    namespace.enter(root);
    namespace.set('segment', 'facade');

    // Act
    namespace.exit(root);

    // Assess
    expect(namespace.active).toBeNull();
    expect(namespace.get('segment')).toBeUndefined();
    expect(() => namespace.set('segment', 'again')).toThrow(/No context available/);
  });


  it('restores the context an enter replaced when that enter is exited, as cls-hooked does', () => {
    // Prepare
    const namespace = freshNamespace();
    const outer = namespace.createContext();
    namespace.enter(outer);
    const inner = namespace.createContext();
    namespace.enter(inner);

    // Act
    namespace.exit(inner);

    // Assess
    expect(namespace.active).toBe(outer);
  });

  it('marks an error thrown by a bound function with the context it was bound to', () => {
    // Prepare
    const namespace = freshNamespace();
    const context = namespace.createContext();
    const bound = namespace.bind(() => {
      throw new Error('boom');
    }, context);

    // Act
    const thrown = (() => {
      try {
        bound();
      } catch (error) {
        return error as Record<string, unknown>;
      }
      return undefined;
    })();

    // Assess
    expect(thrown?.['error@context']).toBe(context);
  });
  it('marks an error thrown inside run with the context it was thrown in', () => {
    // Prepare
    const namespace = freshNamespace();
    let inner: Context | undefined;

    // Act
    let thrown: unknown;
    try {
      namespace.run((context) => {
        inner = context;
        namespace.set('segment', 'failing');
        throw new Error('boom');
      });
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(ERROR_SYMBOL).toBe('error@context');
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Record<string, unknown>)[ERROR_SYMBOL]).toBe(inner);
    expect(inner?.segment).toBe('failing');
    expect(namespace.active).toBeNull();
  });

  it('returns the value of the function from runAndReturn', () => {
    // Prepare
    const namespace = freshNamespace();

    // Act
    const value = namespace.runAndReturn(() => {
      namespace.set('segment', 'inside');
      return { segment: namespace.get('segment') };
    });

    // Assess
    expect(value).toEqual({ segment: 'inside' });
    expect(namespace.get('segment')).toBeUndefined();
  });

  it('resolves runPromise with the value, and marks a rejection with its context', async () => {
    // Prepare
    const namespace = freshNamespace();
    let failingContext: Context | undefined;

    // Act
    const value = await namespace.runPromise(async () => {
      namespace.set('segment', 'promised');
      await nextImmediate();
      return namespace.get('segment');
    });
    const rejection = await namespace
      .runPromise(async (context) => {
        failingContext = context;
        await nextImmediate();
        throw new Error('rejected');
      })
      .catch((error: unknown) => error);

    // Assess
    expect(value).toBe('promised');
    expect((rejection as Record<string, unknown>)[ERROR_SYMBOL]).toBe(failingContext);
    expect(() => namespace.runPromise((() => 'not a promise') as unknown as () => Promise<string>)).toThrow(/must return a promise/);
  });
});

describe('semver-gte (the semver.gte the X-Ray SDK calls)', () => {
  it.each([
    ['1.2.3', '1.2.3', true],
    ['2.0.0', '1.9.9', true],
    ['1.9.9', '2.0.0', false],
    ['1.3.0', '1.2.9', true],
    ['1.2.9', '1.3.0', false],
    ['1.2.4', '1.2.3', true],
    ['1.2.3', '1.2.4', false],
    // Numeric, not lexical: the AWS SDK v2 version the patcher checks against its minimum.
    ['2.1000.0', '2.0.0', true],
    ['2.10.0', '2.9.0', true],
    ['v1.2.3', '1.2.3', true],
    ['1.2.3', 'v1.2.4', false],
    // Pre-release and build suffixes are ignored, as the module documents (semver itself orders 3.0.0-rc.1
    // before 3.0.0; the SDK only ever compares release versions).
    ['3.0.0-rc.1', '3.0.0', true],
    ['3.0.0+build.7', '3.0.1', false],
  ])('gte(%s, %s) is %s', (version, minimum, expected) => {
    // Act & Assess
    expect(gte(version, minimum)).toBe(expected);
  });
});
