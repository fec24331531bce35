// Integration harness: starts the whole of Parley (HTTP, workers, embedded sandbox) on port 0 with
// a fresh database — SQLite in a temp dir or a unique PostgreSQL schema + Redis prefix — and gives
// real-HTTP clients for Parley's API (demo API key), the sandbox's control API and signed webhooks.

import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { loadConfig } from '../../src/config.js';
import { startParley, type Parley } from '../../src/compose.js';
import { POSTGRES_TEST_URL, dropSchema } from '../helpers/databases.js';
import { TEST_REDIS_URL } from '../helpers/test-env.js';

export type DbKind = 'sqlite' | 'postgres';

export const PHONE_NUMBER_ID = '600000000000001';
export const WABA_ID = '700000000000001';
export const APP_SECRET = 'sandbox-app-secret';
export const SANDBOX_TOKEN = 'sandbox-token';
export const REDIS_URL = TEST_REDIS_URL;

export interface Reply<T = any> { status: number; body: T; headers: Record<string, unknown> }

export interface HttpClient {
  get<T = any>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  patch<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  delete<T = any>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
}

export interface Harness {
  parley: Parley;
  /** Parley's REST API, authenticated with the demo API key. */
  api: HttpClient;
  /** Parley without an API key (webhooks, docs, auth failures). */
  raw: HttpClient;
  /** The embedded sandbox (Graph API and /_sandbox control API). */
  sandbox: HttpClient;
  /** POSTs `body` to Parley's webhook endpoint, signed with `secret` (default: the sandbox app's). */
  postWebhook(body: unknown, opts?: { secret?: string | null; rawBody?: string }): Promise<Reply>;
  countWebhookEvents(): Promise<number>;
  /** Redis keys under this harness's prefix (PostgreSQL + Redis runs only; [] otherwise). */
  redisKeys(): Promise<string[]>;
  /** Waits until every stored webhook event is processed; fails if any ended failed. */
  settleWebhooks(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  db?: DbKind;
  env?: Record<string, string>;
  /** PostgreSQL runs: where Parley connects (e.g. through a proxy); the schema is still dropped directly. */
  postgresUrl?: string;
  /** Parley's clock (the sandbox keeps its own); default Date.now. */
  now?: () => number;
}

/** Starts Parley + sandbox on a fresh database; `close()` stops it and removes the database. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const kind = opts.db ?? 'sqlite';
  const dir = await mkdtemp(join(tmpdir(), 'parley-it-'));
  const unique = `it_${process.pid}_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    PORT: '0', SANDBOX_PORT: '0', HOST: '127.0.0.1', MEDIA_DIR: join(dir, 'media'), LOG_LEVEL: 'silent',
    WORKER_POLL_MS: '10', SEND_RETRY_BASE_MS: '50', SEND_RETRY_MAX_MS: '1000',
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ...(kind === 'sqlite'
      ? { DATABASE_URL: `sqlite:${join(dir, 'parley.db')}` }
      : { DATABASE_URL: postgresUrl(unique, opts.postgresUrl), REDIS_URL, REDIS_PREFIX: `${unique}:` }),
    ...opts.env,
  };
  let parley: Parley;
  try {
    parley = await startParley(loadConfig(env), opts.now ? { now: opts.now } : {});
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchema(unique).catch(() => undefined);
    throw err;
  }
  const demo = parley.demo;
  if (!demo || !parley.sandbox) throw new Error('harness: Parley started without its demo workspace or sandbox');
  const auth = { authorization: `Bearer ${demo.apiKey}` };
  const raw = httpClient(parley.url);
  return {
    parley,
    api: httpClient(parley.url, auth),
    raw,
    sandbox: httpClient(parley.sandbox.url),
    postWebhook: (body, o = {}) => {
      const text = o.rawBody ?? JSON.stringify(body);
      const secret = o.secret === undefined ? APP_SECRET : o.secret;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers['x-hub-signature-256'] = signature(text, secret);
      return send(parley.url, 'POST', '/webhooks/whatsapp', text, headers);
    },
    countWebhookEvents: async () => {
      const row = await parley.deps.database.db.selectFrom('webhook_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    settleWebhooks: async () => {
      const { db } = parley.deps.database;
      await eventually(async () => {
        const open = await db.selectFrom('webhook_events').select('id').where('status', 'in', ['pending', 'processing']).execute();
        return open.length === 0;
      }, { what: 'stored webhook events processed' });
      const failed = await db.selectFrom('webhook_events').select(['id', 'last_error']).where('status', '=', 'failed').execute();
      if (failed.length > 0) throw new Error(`webhook events failed: ${JSON.stringify(failed)}`);
    },
    redisKeys: () => (kind === 'postgres' ? redisKeysUnder(`${unique}:`) : Promise.resolve([])),
    async close() {
      await parley.close();
      await rm(dir, { recursive: true, force: true });
      if (kind === 'postgres') {
        await dropSchema(unique);
        await deleteRedisKeys(`${unique}:`);
      }
    },
  };
}

/** Meta's X-Hub-Signature-256: HMAC-SHA256 of the exact body bytes with the app secret. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`;
}

function postgresUrl(schema: string, base = POSTGRES_TEST_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.toString();
}


async function withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

function redisKeysUnder(prefix: string): Promise<string[]> {
  return withRedis(async (redis) => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  });
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const keys = await redisKeysUnder(prefix);
  if (keys.length > 0) await withRedis((redis) => redis.del(...keys));
}

export function httpClient(base: string, defaults: Record<string, string> = {}): HttpClient {
  const call = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const json = body === undefined ? undefined : JSON.stringify(body);
    const h = { ...defaults, ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers };
    return send(base, method, path, json, h);
  };
  return {
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body, headers) => call('POST', path, body, headers),
    patch: (path, body, headers) => call('PATCH', path, body, headers),
    delete: (path, headers) => call('DELETE', path, undefined, headers),
  };
}

async function send(base: string, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<Reply> {
  const res = await request(`${base}${path}`, { method: method as 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.body.text();
  let parsed: unknown = text;
  if (String(res.headers['content-type'] ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

/** Polls `check` until it returns a truthy value (returned) or throws after the deadline with the last problem. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`eventually: ${opts.what ?? 'condition'} not met within ${opts.timeoutMs ?? 10_000} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 25));
  }
}
