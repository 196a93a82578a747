import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/tooling/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests spawn git, buildah and the bundles; forks isolate cwd/env changes per file.
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
  },
});
