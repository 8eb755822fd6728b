// Layering rules for `npm run lint:layers`. lib/ holds only code that ships in a Lambda bundle, layered from the
// event up (issue 13, item 1); everything that helps (dev/, bench/, scripts/, infra/, test/) sits beside it.
// Rules name folders of the planned layout that may not exist yet: they then simply match nothing.

/** Any module of ours (as opposed to node_modules and Node's built-ins). */
const OURS = '^(lib|functions|infra|dev|bench|test|scripts)/|^[^/]+[.][cm]?[jt]s$';

/** Layer by layer, bottom-up: each layer may import the ones listed before it, and itself. */
const L0 = ['events'];
const L1 = [...L0, 'providers'];
const L2 = [...L1, 'normalise'];
const L3 = [...L2, 'secrets', 'queue', 'observability', 'verification', 'archive', 'parking', 'net'];
const L4 = [...L3, 'destinations', 'media', 'receiver', 'worker', 'handlers'];
const under = (folders) => `^lib/(${folders.join('|')})/`;

/** @typedef {import('dependency-cruiser').IForbiddenRuleType} Rule */

/** @type {(name: string, comment: string, from: Rule['from'], to: Rule['to']) => Rule} */
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

/** Modules under `from` may import, of ours, only the lib/ folders in `allowed`. */
const layer = (name, comment, from, allowed) => forbid(name, comment, { path: from }, { path: OURS, pathNot: under(allowed) });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    layer(
      'layer-0-events',
      'lib/events is the event contract (CloudEvent schema, delivery and recognition types): it imports nothing of ours.',
      under(L0),
      L0,
    ),
    layer('layer-1-providers', 'lib/providers (and its kit) builds on lib/events only.', under(['providers']), L1),
    layer('layer-2-normalise', 'lib/normalise builds on lib/providers and lib/events only.', under(['normalise']), L2),
    layer(
      'layer-3-services',
      'secrets, queue, observability, verification, parking (the park store and resumes) and net (outbound requests under an address policy) build on layers 0-2 and on each other.',
      under(['secrets', 'queue', 'observability', 'verification', 'parking', 'net']),
      L3,
    ),
    layer(
      'layer-3-archive',
      'lib/archive (the event archive in S3: format, redactions, writer) builds on layers 0-2 and the other layer-3 services.',
      under(['archive']),
      L3,
    ),
    layer(
      'lib-is-shipped-code',
      'Layered lib/ code imports nothing outside the layers (no dev/, bench/, infra/, test/, scripts/, functions/).',
      under(L4),
      L4,
    ),
    forbid(
      'lib-folder-is-a-layer',
      `Every module in lib/ belongs to a layer (${L4.join(', ')}); dev-only code lives in dev/.`,
      { path: '^lib/', pathNot: under(L4) },
      { path: OURS },
    ),
    forbid(
      'functions-are-thin',
      'functions/ holds thin Lambda entry points that wire up lib/ and nothing else of ours.',
      { path: '^functions/' },
      { path: OURS, pathNot: '^lib/' },
    ),
    forbid(
      'only-infra-and-tests-import-the-cdk-app',
      'Tools take the bundles `cdk synth` builds instead of importing the CDK app.',
      { path: OURS, pathNot: '^(infra|test)/' },
      { path: '^infra/' },
    ),
    forbid(
      'dev-stays-beside-the-tools',
      'dev/ (local runtime, CLIs, fakes) builds on lib/; it does not import the bench or the tests.',
      { path: '^dev/' },
      { path: '^(bench|test)/' },
    ),
    forbid(
      'bench-does-not-import-tests',
      'The benchmark is its own tool: it builds on lib/ and dev/, never on the tests.',
      { path: '^bench/' },
      { path: '^test/' },
    ),
    forbid(
      'tests-do-not-import-the-bench',
      'Shared helpers belong in dev/ (fakes) or test/support, not in the benchmark.',
      { path: '^test/' },
      { path: '^bench/' },
    ),
    forbid(
      'no-circular-in-lib',
      'A cycle inside shipped code means two modules are one, or a layer is missing.',
      { path: '^lib/' },
      { path: '^lib/', circular: true },
    ),
    forbid(
      'shipped-code-uses-dependencies',
      'Shipped code imports runtime packages from "dependencies" (type-only imports of devDependencies are fine).',
      { path: '^(lib|functions)/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    ),
    forbid('no-undeclared-package', 'Every package imported is declared in package.json.', {}, { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] }),
    forbid('no-unresolvable', 'An import that does not resolve would let every rule above pass unseen.', {}, { couldNotResolve: true }),
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Anchored: packages ship `dist/` folders of their own, which must stay in the graph.
    exclude: { path: '^(cdk[.]out|[.]bench-build|coverage|[.]local|dist)/' },
    // Type-only imports are dependencies too: a layer may not even name a higher layer's types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
