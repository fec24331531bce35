// Parley's one configuration schema: env vars (UPPER_SNAKE) over an optional JSON file
// (PARLEY_CONFIG_FILE), validated at boot. The only module that reads process.env.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDatabaseUrl, redactUrl } from './store/database-url.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Where people and Meta reach Parley; defaults to http://{host}:{port}. No trailing slash. */
  publicUrl: string;
  /** `sqlite:<file>` (default `sqlite:./data/parley.db`) or `postgres://…[?schema=name]`. */
  databaseUrl: string;
  /** Absent: in-process bus and limiter (one process only). */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel: isolates deployments (and tests) sharing one Redis. */
  redisPrefix: string;
  /** 32-byte key for secrets at rest. Absent on SQLite: see ensureEncryptionKey. */
  encryptionKey: Buffer | undefined;
  logLevel: LogLevel;
  /** Absent: the embedded sandbox (http://127.0.0.1:{sandboxPort}) is the Cloud API. */
  cloudApiBaseUrl: string | undefined;
  cloudApiVersion: string;
  /** Run the embedded sandbox inside `npm start`. */
  sandbox: boolean;
  sandboxPort: number;
  /** Start the embedded sandbox afresh, discarding the state it keeps in `<data dir>/sandbox.db`. */
  sandboxReset: boolean;
  webhookVerifyToken: string;
  mediaDir: string;
  mediaMaxBytes: number;
  /** Seed a demo workspace and number on start. */
  demo: boolean;
  /** On the demo workspace's first start, let the sandbox's customers write in (a few sample conversations). */
  demoConversations: boolean;
  senderConcurrency: number;
  workerPollMs: number;
  sendMaxAttempts: number;
  sendRetryBaseMs: number;
  sendRetryMaxMs: number;
  /** How long a message whose send may have reached Meta (crash mid-call) waits for a reconciling webhook. */
  sendReconcileMs: number;
  /** Set: GET /metrics requires `Authorization: Bearer <token>`. Absent: /metrics is open. */
  metricsToken: string | undefined;
}

/** Thrown by loadConfig with every problem found, one per line, each naming its key. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Parser<T> = (raw: unknown) => T;
interface Spec<T> {
  env: string;
  parse: Parser<T>;
  default: T | (() => T);
}
class Invalid extends Error {}

const shown = (raw: unknown): string => (typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw));

function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new Invalid(`expected an integer ${min}–${max}, got ${shown(raw)}`);
    }
    return value;
  };
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };
const boolean: Parser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  const value = typeof raw === 'string' ? BOOLEANS[raw.trim().toLowerCase()] : undefined;
  if (value === undefined) throw new Invalid(`expected true or false, got ${shown(raw)}`);
  return value;
};

const text: Parser<string> = (raw) => {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Invalid(`expected a non-empty string, got ${shown(raw)}`);
  return raw.trim();
};

function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    if (typeof raw === 'string' && (values as readonly string[]).includes(raw.trim().toLowerCase())) {
      return raw.trim().toLowerCase() as T;
    }
    throw new Invalid(`expected one of ${values.join(', ')}, got ${shown(raw)}`);
  };
}

function url(protocols: string[]): Parser<string> {
  return (raw) => {
    const value = text(raw);
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      const list = protocols.map((p) => `${p}//`).join(' or ');
      throw new Invalid(`expected a ${list} URL, got "${redactUrl(value)}"`);
    }
    return value.replace(/\/+$/, '');
  };
}

function optional<T>(parse: Parser<T>): Parser<T | undefined> {
  return (raw) => (raw === undefined ? undefined : parse(raw));
}

const databaseUrl: Parser<string> = (raw) => {
  const value = text(raw);
  try {
    parseDatabaseUrl(value);
  } catch (err) {
    throw new Invalid((err as Error).message);
  }
  return value;
};

/** 32 bytes as 64 hex characters or base64 (standard or url-safe). Never echoes the key. */
export function parseEncryptionKey(raw: string): Buffer {
  const value = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length === 32) return bytes;
    throw new Invalid(`expected 32 bytes as base64 or 64 hex characters, got base64 of ${bytes.length} bytes`);
  }
  throw new Invalid(`expected 32 bytes as base64 or 64 hex characters, got ${value.length} characters that are neither`);
}

const encryptionKey: Parser<Buffer | undefined> = (raw) => (raw === undefined ? undefined : parseEncryptionKey(text(raw)));

const SPECS = {
  port: { env: 'PORT', parse: integer(0, 65535), default: 3000 },
  host: { env: 'HOST', parse: text, default: '127.0.0.1' },
  publicUrl: { env: 'PUBLIC_URL', parse: optional(url(['http:', 'https:'])), default: undefined },
  databaseUrl: { env: 'DATABASE_URL', parse: databaseUrl, default: 'sqlite:./data/parley.db' },
  redisUrl: { env: 'REDIS_URL', parse: optional(url(['redis:', 'rediss:'])), default: undefined },
  redisPrefix: { env: 'REDIS_PREFIX', parse: text, default: 'parley:' },
  encryptionKey: { env: 'ENCRYPTION_KEY', parse: encryptionKey, default: undefined },
  logLevel: { env: 'LOG_LEVEL', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), default: 'info' },
  cloudApiBaseUrl: { env: 'CLOUD_API_BASE_URL', parse: optional(url(['http:', 'https:'])), default: undefined },
  cloudApiVersion: { env: 'CLOUD_API_VERSION', parse: version, default: 'v23.0' },
  sandbox: { env: 'SANDBOX', parse: boolean, default: true },
  sandboxPort: { env: 'SANDBOX_PORT', parse: integer(0, 65535), default: 4010 },
  sandboxReset: { env: 'SANDBOX_RESET', parse: boolean, default: false },
  webhookVerifyToken: { env: 'WEBHOOK_VERIFY_TOKEN', parse: text, default: 'parley-dev-verify-token' },
  mediaDir: { env: 'MEDIA_DIR', parse: text, default: './data/media' },
  mediaMaxBytes: { env: 'MEDIA_MAX_BYTES', parse: integer(1, 2 ** 31), default: 100 * 1024 * 1024 },
  demo: { env: 'DEMO', parse: boolean, default: true },
  demoConversations: { env: 'DEMO_CONVERSATIONS', parse: boolean, default: true },
  senderConcurrency: { env: 'SENDER_CONCURRENCY', parse: integer(1, 1000), default: 16 },
  workerPollMs: { env: 'WORKER_POLL_MS', parse: integer(1, 60_000), default: 100 },
  sendMaxAttempts: { env: 'SEND_MAX_ATTEMPTS', parse: integer(1, 100), default: 8 },
  sendRetryBaseMs: { env: 'SEND_RETRY_BASE_MS', parse: integer(1, 3_600_000), default: 1000 },
  sendRetryMaxMs: { env: 'SEND_RETRY_MAX_MS', parse: integer(1, 86_400_000), default: 300_000 },
  sendReconcileMs: { env: 'SEND_RECONCILE_MS', parse: integer(0, 3_600_000), default: 30_000 },
  metricsToken: { env: 'METRICS_TOKEN', parse: optional(secretToken), default: undefined },
} satisfies { [K in keyof Config]: Spec<K extends 'publicUrl' ? string | undefined : Config[K]> };

/** A shared secret someone types into a scraper's config: at least 16 characters, no spaces. */
function secretToken(raw: unknown): string {
  const value = text(raw);
  if (!/^\S{16,}$/.test(value)) throw new Invalid(`expected at least 16 characters without spaces (make one with \`openssl rand -hex 24\`), got ${value.length} characters`);
  return value;
}

function version(raw: unknown): string {
  const value = text(raw);
  if (!/^v\d+\.\d+$/.test(value)) throw new Invalid(`expected a Graph API version like v23.0, got ${shown(raw)}`);
  return value;
}

type Source = Record<string, unknown>;
const CONFIG_FILE_ENV = 'PARLEY_CONFIG_FILE';

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const file = readConfigFile(env[CONFIG_FILE_ENV], problems);
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SPECS) as [string, Spec<unknown>][]) {
    const fromEnv = env[spec.env];
    const raw = fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : file[spec.env];
    try {
      values[key] = raw === undefined ? resolveDefault(spec) : spec.parse(raw);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      problems.push(`${spec.env}: ${err.message}`);
    }
  }
  const config = values as unknown as Config;
  if (problems.length > 0) throw new ConfigError(problems);
  config.publicUrl ??= derivePublicUrl(config.host, config.port);
  return config;
}

function resolveDefault<T>(spec: Spec<T>): T {
  return typeof spec.default === 'function' ? (spec.default as () => T)() : spec.default;
}

/** The file's keys may be UPPER_SNAKE (like the env) or camelCase; unknown keys are problems. */
function readConfigFile(path: string | undefined, problems: string[]): Source {
  if (path === undefined || path.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${CONFIG_FILE_ENV}: cannot read JSON from "${path}": ${(err as Error).message}`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`${CONFIG_FILE_ENV}: expected a JSON object in "${path}"`);
    return {};
  }
  const byName = new Map<string, string>();
  for (const [key, spec] of Object.entries(SPECS)) byName.set(key, spec.env).set(spec.env, spec.env);
  const source: Source = {};
  for (const [key, value] of Object.entries(parsed)) {
    const envName = byName.get(key);
    if (envName === undefined) problems.push(`${CONFIG_FILE_ENV}: unknown key "${key}" in "${path}"`);
    else if (value !== null) source[envName] = value;
  }
  return source;
}

function derivePublicUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * `npm run admin -- create-user`: the new account's password, from PARLEY_ADMIN_PASSWORD when set
 * (so it never sits in argv or shell history); undefined → the command asks for it.
 */
export function adminPasswordFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env['PARLEY_ADMIN_PASSWORD'];
  return value === undefined || value === '' ? undefined : value;
}

/** The config with secrets removed, for a boot log line. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: redactUrl(config.databaseUrl),
    redisUrl: config.redisUrl === undefined ? undefined : redactUrl(config.redisUrl),
    encryptionKey: config.encryptionKey === undefined ? undefined : '***',
    webhookVerifyToken: '***',
    metricsToken: config.metricsToken === undefined ? undefined : '***',
  };
}

/**
 * The encryption key for secrets at rest. Configured → that key. Absent on SQLite → read
 * `encryption.key` beside the database file (./data by default), creating it on first start.
 * Absent on PostgreSQL → ConfigError.
 * Called by the composition root, never at import.
 */
export function ensureEncryptionKey(config: Config, keyFile = defaultKeyFile(config)): Buffer {
  if (config.encryptionKey !== undefined) return config.encryptionKey;
  if (parseDatabaseUrl(config.databaseUrl).dialect === 'postgres') {
    // Several servers share a PostgreSQL database: a key generated on one disk would not reach the others.
    throw new ConfigError(['ENCRYPTION_KEY: required when DATABASE_URL selects PostgreSQL (make one with `openssl rand -base64 32`)']);
  }
  try {
    return readKeyFile(keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(keyFile), { recursive: true });
  try {
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process won the race
  }
  return readKeyFile(keyFile);
}

function readKeyFile(keyFile: string): Buffer {
  const content = readFileSync(keyFile, 'utf8');
  try {
    return parseEncryptionKey(content);
  } catch (err) {
    if (err instanceof Invalid) throw new ConfigError([`ENCRYPTION_KEY: the key file "${keyFile}" is invalid: ${err.message}`]);
    throw err;
  }
}

function defaultKeyFile(config: Config): string {
  const target = parseDatabaseUrl(config.databaseUrl);
  const dir = target.dialect === 'sqlite' && target.file !== ':memory:' ? dirname(target.file) : './data';
  return join(dir, 'encryption.key');
}
