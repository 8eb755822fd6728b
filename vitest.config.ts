import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The benchmark's own unit tests sit beside it (they check its arithmetic and report, never a time).
    include: ['test/**/*.test.ts', 'bench/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Integration tests start an embedded SQS server and HTTP servers on loopback; give them room on a
    // 2-core CI machine without ever asserting wall-clock times.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
