// ESLint: typescript-eslint strict type-checked everywhere; shipped code (lib/, functions/) and the CDK app get
// it unrelaxed, tooling and tests relax only what fights their idioms, each with its reason.
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Tooling and tests: the dev runtime, CLIs, benchmark and test suites (planned `dev/` and today's homes). */
const TOOLING = ['dev/**', 'bench/**', 'test/**'];

export default defineConfig(
  globalIgnores(['node_modules/', 'cdk.out/', '.bench-build/', 'coverage/', '.local/', 'dist/']),

  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers in template literals format as expected; nullish values, objects and unions stay flagged.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNever: false, allowNullish: false, allowRegExp: false },
      ],
      // `() => resolve()` and `(done) => server.close(done)` are the callback idiom, not a misread void.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `const { raw, ...rest } = x` is how a field is left out of a copy; `raw` is then deliberately unused.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },

  {
    files: TOOLING,
    rules: {
      // Fakes and stand-ins implement async interfaces (getSecrets, send) with synchronous bodies.
      '@typescript-eslint/require-await': 'off',
    },
  },

  {
    files: ['test/**'],
    rules: {
      // A test that reaches into a template or a map wants the crash when the thing is missing.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Property-based and bad-input tests build malformed payloads by deleting a chosen field.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },

  {
    // Plain JavaScript (this file, the dependency-cruiser config, the bench's cold-start probes) is outside
    // tsconfig.json: lint it untyped, with Node's globals.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [eslint.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
