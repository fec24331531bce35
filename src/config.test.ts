import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeConfig, ensureEncryptionKey, loadConfig } from './config.js';

const HEX_KEY = 'ab'.repeat(32);
const B64_KEY = Buffer.alloc(32, 7).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      databaseUrl: 'sqlite:./data/parley.db',
      redisUrl: undefined,
      encryptionKey: undefined,
      logLevel: 'info',
      cloudApiBaseUrl: undefined,
      cloudApiVersion: 'v23.0',
      sandbox: true,
      sandboxPort: 4010,
      sandboxReset: false,
      mediaDir: './data/media',
      mediaMaxBytes: 100 * 1024 * 1024,
      demo: true,
      sendMaxAttempts: 8,
      sendRetryBaseMs: 1000,
      metricsToken: undefined,
    });
    expect(config.webhookVerifyToken.length).toBeGreaterThan(0);
  });

  it('reads every kind of value from the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://p@db:5432/parley',
      REDIS_URL: 'redis://cache:6379',
      ENCRYPTION_KEY: HEX_KEY,
      LOG_LEVEL: 'DEBUG',
      CLOUD_API_BASE_URL: 'https://graph.facebook.com/',
      SANDBOX: 'false',
      DEMO: 'no',
      SEND_MAX_ATTEMPTS: '3',
    });
    expect(config).toMatchObject({ port: 8080, publicUrl: 'http://localhost:8080', redisUrl: 'redis://cache:6379', logLevel: 'debug' });
    expect(config).toMatchObject({ cloudApiBaseUrl: 'https://graph.facebook.com', sandbox: false, demo: false, sendMaxAttempts: 3 });
    expect(config.encryptionKey?.toString('hex')).toBe(HEX_KEY);
    expect(loadConfig({ ENCRYPTION_KEY: B64_KEY }).encryptionKey).toEqual(Buffer.alloc(32, 7));
    expect(loadConfig({ PUBLIC_URL: 'https://parley.example.com/' }).publicUrl).toBe('https://parley.example.com');
    expect(loadConfig({ METRICS_TOKEN: ' 3f9c2a7b1e4d8f60a5c3 ' }).metricsToken).toBe('3f9c2a7b1e4d8f60a5c3');
    expect(loadConfig({ SANDBOX_RESET: 'true' }).sandboxReset).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected an integer 0–65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT: expected an integer 0–65535, got "70000"'],
    [{ PORT: '80.5' }, 'PORT: expected an integer 0–65535, got "80.5"'],
    [{ SANDBOX_PORT: '-1' }, 'SANDBOX_PORT: expected an integer 0–65535, got "-1"'],
    [{ PUBLIC_URL: 'parley.local' }, 'PUBLIC_URL: expected a http:// or https:// URL, got "parley.local"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: expected sqlite:<file> or postgres://…, got "mysql://x"'],
    [{ REDIS_URL: 'http://cache' }, 'REDIS_URL: expected a redis:// or rediss:// URL, got "http://cache"'],
    [{ ENCRYPTION_KEY: 'c2hvcnQ=' }, 'ENCRYPTION_KEY: expected 32 bytes as base64 or 64 hex characters, got base64 of 5 bytes'],
    [{ ENCRYPTION_KEY: 'not a key!' }, 'ENCRYPTION_KEY: expected 32 bytes as base64 or 64 hex characters, got 10 characters that are neither'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ CLOUD_API_BASE_URL: 'ftp://x' }, 'CLOUD_API_BASE_URL: expected a http:// or https:// URL, got "ftp://x"'],
    [{ CLOUD_API_VERSION: '23' }, 'CLOUD_API_VERSION: expected a Graph API version like v23.0, got "23"'],
    [{ SANDBOX: 'maybe' }, 'SANDBOX: expected true or false, got "maybe"'],
    [{ DEMO: '2' }, 'DEMO: expected true or false, got "2"'],
    [{ MEDIA_MAX_BYTES: '-1' }, 'MEDIA_MAX_BYTES: expected an integer 1–2147483648, got "-1"'],
    [{ SENDER_CONCURRENCY: '0' }, 'SENDER_CONCURRENCY: expected an integer 1–1000, got "0"'],
    [{ WORKER_POLL_MS: 'fast' }, 'WORKER_POLL_MS: expected an integer 1–60000, got "fast"'],
    [{ SEND_MAX_ATTEMPTS: '0' }, 'SEND_MAX_ATTEMPTS: expected an integer 1–100, got "0"'],
    [{ SEND_RETRY_BASE_MS: '1s' }, 'SEND_RETRY_BASE_MS: expected an integer 1–3600000, got "1s"'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN: expected at least 16 characters without spaces'],
    [{ METRICS_TOKEN: 'two words that are long' }, 'got 23 characters'],
  ])('rejects %j', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('lists every problem at once and never echoes a secret', () => {
    const secret = 'p4ssw0rd-not-a-key';
    const error = (() => {
      try {
        loadConfig({ PORT: 'x', LOG_LEVEL: 'y', ENCRYPTION_KEY: secret, DATABASE_URL: 'mysql://u:hunter2@h/db' });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'ENCRYPTION_KEY', 'LOG_LEVEL']);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('hunter2');
  });

  it('reads a JSON file (UPPER_SNAKE or camelCase keys) under the environment', () => {
    const file = join(dir, 'parley.json');
    writeFileSync(file, JSON.stringify({ PORT: 4000, logLevel: 'warn', sandbox: false, MEDIA_DIR: '/srv/media' }));
    const config = loadConfig({ PARLEY_CONFIG_FILE: file, PORT: '5000' });
    expect(config).toMatchObject({ port: 5000, logLevel: 'warn', sandbox: false, mediaDir: '/srv/media' });
  });

  it('names a bad file, a bad value in it and an unknown key', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ PORT: 'many', colour: 'blue' }));
    expect(problemsOf({ PARLEY_CONFIG_FILE: file })).toEqual([
      `PARLEY_CONFIG_FILE: unknown key "colour" in "${file}"`,
      'PORT: expected an integer 0–65535, got "many"',
    ]);
    expect(problemsOf({ PARLEY_CONFIG_FILE: join(dir, 'missing.json') })[0]).toMatch(/^PARLEY_CONFIG_FILE: cannot read JSON/);
    writeFileSync(file, '[1]');
    expect(problemsOf({ PARLEY_CONFIG_FILE: file })).toEqual([`PARLEY_CONFIG_FILE: expected a JSON object in "${file}"`]);
  });

  it('describes itself without secrets', () => {
    const text = JSON.stringify(describeConfig(loadConfig({ ENCRYPTION_KEY: HEX_KEY, DATABASE_URL: 'postgres://u:pw@h/db', WEBHOOK_VERIFY_TOKEN: 'vt-123', METRICS_TOKEN: 'mt-0123456789abcdef' })));
    expect(text).not.toContain(HEX_KEY);
    expect(text).not.toContain(':pw@');
    expect(text).not.toContain('vt-123');
    expect(text).not.toContain('mt-0123456789abcdef');
  });
});

describe('ensureEncryptionKey', () => {
  it('uses the configured key', () => {
    expect(ensureEncryptionKey(loadConfig({ ENCRYPTION_KEY: HEX_KEY })).toString('hex')).toBe(HEX_KEY);
  });

  it('creates a key beside the SQLite file on first start and reuses it', () => {
    const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db', 'parley.db')}` });
    const first = ensureEncryptionKey(config);
    const second = ensureEncryptionKey(config);
    expect(first).toHaveLength(32);
    expect(second).toEqual(first);
    expect(readFileSync(join(dir, 'db', 'encryption.key'), 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('requires a configured key on PostgreSQL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/parley' });
    expect(() => ensureEncryptionKey(config)).toThrow(/ENCRYPTION_KEY: required when DATABASE_URL selects PostgreSQL/);
  });

  it('refuses a corrupt key file', () => {
    const keyFile = join(dir, 'corrupt.key');
    writeFileSync(keyFile, 'short');
    expect(() => ensureEncryptionKey(loadConfig({}), keyFile)).toThrow(/ENCRYPTION_KEY: the key file .* is invalid/);
  });
});
