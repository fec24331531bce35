import { defineConfig } from 'vitest/config';

// Integration tests share PostgreSQL and Redis; files run in parallel forks, each with its own
// database schema or key prefix, so nothing here needs to run serially. The global setup builds
// the web app first (only when its sources changed).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'web/src/**/*.test.tsx'],
    globalSetup: ['test/web/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
