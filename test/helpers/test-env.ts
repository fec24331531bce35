// The environment the tests read, in one place, each with the default a development machine has.
// Documented in the README ("Tests"); `.ci/run` sets the same names.

const env = (name: string, fallback: string): string => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
};

/** PostgreSQL for the suite: every test file makes (and drops) schemas of its own in this database. */
export const TEST_DATABASE_URL = env('TEST_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test');

/** Redis for the suite: every test uses a key prefix of its own. */
export const TEST_REDIS_URL = env('TEST_REDIS_URL', 'redis://127.0.0.1:6379');

/** The chromium binary that playwright-core drives in the browser tests (Debian's package). */
export const CHROMIUM_PATH = env('CHROMIUM_PATH', '/usr/bin/chromium');
