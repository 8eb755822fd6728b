// Layering rules for `npm run lint:layers`. lib/ holds only code that ships in a Lambda bundle, layered from the
// event up (issue 13, item 1); everything that helps (dev/, bench/, scripts/, infra/, test/) sits beside it.
// Rules name folders of the planned layout that may not exist yet: they then simply match nothing.

/** Any module of ours (as opposed to node_modules and Node's built-ins). */
const OURS = '^(lib|functions|infra|dev|bench|test|scripts)/|^[^/]+[.][cm]?[jt]s$';

/** Layer by layer, bottom-up: each layer may import the ones listed before it, and itself. */
const L0 = ['events'];
const L1 = [...L0, 'providers'];
const L2 = [...L1, 'normalise'];
const L3 = [...L2, 'secrets', 'queue', 'observability', 'verification'];
const L4 = [...L3, 'receiver', 'worker', 'handlers'];
const under = (folders) => `^lib/(${folders.join('|')})/`;

/** @type {(name: string, from: string, allowed: string[], comment: string) => import('dependency-cruiser').IForbiddenRuleType} */
const layer = (name, from, allowed, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from },
  to: { path: OURS, pathNot: under(allowed) },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    layer(
      'layer-0-events',
      under(L0),
      L0,
      'lib/events is the event contract (CloudEvent schema, delivery and recognition types): it imports nothing of ours.',
    ),
    layer('layer-1-providers', under(['providers']), L1, 'lib/providers (and its kit) builds on lib/events only.'),
    layer('layer-2-normalise', under(['normalise']), L2, 'lib/normalise builds on lib/providers and lib/events only.'),
    layer(
      'layer-3-services',
      under(['secrets', 'queue', 'observability', 'verification']),
      L3,
      'secrets, queue, observability and verification build on layers 0-2 and on each other.',
    ),
    layer(
      'lib-is-shipped-code',
      under(L4),
      L4,
      'lib/ holds only the layered folders of shipped code; it imports nothing outside them (no dev/, bench/, infra/, test/, scripts/, functions/).',
    ),
    {
      name: 'lib-folder-is-a-layer',
      severity: 'error',
      comment: `Every module in lib/ belongs to a layer (${L4.join(', ')}); dev-only code lives in dev/.`,
      from: { path: '^lib/', pathNot: under(L4) },
      to: { path: OURS },
    },
    {
      name: 'functions-are-thin',
      severity: 'error',
      comment: 'functions/ holds thin Lambda entry points that wire up lib/ and nothing else of ours.',
      from: { path: '^functions/' },
      to: { path: OURS, pathNot: '^lib/' },
    },
    {
      name: 'only-infra-and-tests-import-the-cdk-app',
      severity: 'error',
      comment: 'Tools take the bundles `cdk synth` builds instead of importing the CDK app.',
      from: { path: OURS, pathNot: '^(infra|test)/' },
      to: { path: '^infra/' },
    },
    {
      name: 'dev-stays-beside-the-tools',
      severity: 'error',
      comment: 'dev/ (local runtime, CLIs, fakes) builds on lib/; it does not import the bench or the tests.',
      from: { path: '^dev/' },
      to: { path: '^(bench|test)/' },
    },
    {
      name: 'bench-does-not-import-tests',
      severity: 'error',
      comment: 'The benchmark is its own tool: it builds on lib/ and dev/, never on the tests.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'tests-do-not-import-the-bench',
      severity: 'error',
      comment: 'Shared helpers belong in dev/ (fakes) or test/support, not in the benchmark.',
      from: { path: '^test/' },
      to: { path: '^bench/' },
    },
    {
      name: 'no-circular-in-lib',
      severity: 'error',
      comment: 'A cycle inside shipped code means two modules are one, or a layer is missing.',
      from: { path: '^lib/' },
      to: { path: '^lib/', circular: true },
    },
    {
      name: 'shipped-code-uses-dependencies',
      severity: 'error',
      comment: 'Shipped code imports runtime packages from "dependencies" (type-only imports of devDependencies are fine).',
      from: { path: '^(lib|functions)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'Every package imported is declared in package.json.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would let every rule above pass unseen.',
      from: {},
      to: { couldNotResolve: true },
    },
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
