import { defineConfig } from 'vitest/config';

// Integration tests share PostgreSQL and Redis; files run in parallel forks, each with its own
// database schema or key prefix, so nothing here needs to run serially.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
