// Composition: config → adapters (SQLite or PostgreSQL; memory or Redis bus and limiter; Meta or
// the embedded sandbox) → buildApp → workers. main.ts and the integration tests use it; it is the
// only place concrete adapters are chosen.

import { join, dirname, resolve } from 'node:path';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory.js';
import { RedisBus } from './bus/redis.js';
import { CloudApiClient } from './cloudapi/client.js';
import { ensureEncryptionKey, type Config } from './config.js';
import { buildApp } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import type { AppDeps } from './http/deps.js';
import type { Limiter } from './limiter/limiter.js';
import { MemoryLimiter } from './limiter/memory.js';
import { RedisLimiter } from './limiter/redis.js';
import { DEFAULT_SEED, DEMO_SEED, type SeedSpec } from './sandbox/seed.js';
import { startSandbox, type RunningSandbox } from './sandbox/server.js';
import { ensureDemo, type Demo } from './services/demo.js';
import { InboxCache } from './services/inbox-cache.js';
import { syncTemplates } from './services/templates.js';
import { openDatabase } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { listInboxes } from './store/queries/inboxes.js';
import { listWorkspaces } from './store/queries/workspaces.js';
import { Sender } from './workers/sender.js';
import { DEFAULT_WEBHOOK_WORKER, WebhookEventsWorker } from './workers/webhook-events.js';
import { TimersWorker } from './workers/timers.js';

export interface Parley {
  config: Config;
  deps: AppDeps;
  app: FastifyInstance;
  sender: Sender;
  webhookWorker: WebhookEventsWorker;
  timers: TimersWorker;
  sandbox: RunningSandbox | undefined;
  demo: Demo | undefined;
  /** Where Parley listens once `listen` resolved. */
  url: string;
  close(): Promise<void>;
}

export interface ComposeOptions {
  /** Start the sender and webhook workers (default true). */
  workers?: boolean;
  logger?: FastifyBaseLogger;
  now?: () => number;
}

/** Opens everything, listens, starts workers; `close()` undoes it in reverse order. */
export async function startParley(config: Config, opts: ComposeOptions = {}): Promise<Parley> {
  const logger = opts.logger ?? (pino({ level: config.logLevel }) as unknown as FastifyBaseLogger);
  const secretKey = ensureEncryptionKey(config);
  const database = await openDatabase(config.databaseUrl, { onCheckpointError: (message) => logger.warn({ err: message }, 'SQLite background checkpoint failed') });
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const { bus, limiter, closeRedis } = openSharedState(config, logger);

  const sandbox = config.sandbox && !config.cloudApiBaseUrl ? await startEmbeddedSandbox(config) : undefined;
  const cloudApi = new CloudApiClient({
    baseUrl: config.cloudApiBaseUrl ?? sandbox?.url ?? `http://127.0.0.1:${config.sandboxPort}`,
    apiVersion: config.cloudApiVersion,
  });
  const metrics = createMetrics(database.db);
  const deps: AppDeps = { config, database, bus, limiter, cloudApi, secretKey, now: opts.now ?? Date.now, logger, metrics };

  const demo = config.demo && sandbox ? await ensureDemo(deps, demoNumber(), join(dataDir(config), 'demo-api-key')) : undefined;
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  const url = listeningUrl(app, config);
  // The sandbox's webhooks go to where Parley really listens (port 0 in tests is known only now).
  if (sandbox) for (const a of sandbox.ctx.state.apps.values()) a.callbackUrl = `${url}/webhooks/whatsapp`;

  const sender = new Sender(deps, {
    owner: `${hostname()}:${process.pid}`, concurrency: config.senderConcurrency, pollMs: config.workerPollMs,
    leaseMs: 60_000, reconcileMs: config.sendReconcileMs, maxAttempts: config.sendMaxAttempts,
    retryBaseMs: config.sendRetryBaseMs, retryMaxMs: config.sendRetryMaxMs,
  });
  const webhookWorker = new WebhookEventsWorker(deps, { ...DEFAULT_WEBHOOK_WORKER, pollMs: config.workerPollMs });
  const timers = new TimersWorker(deps);
  deps.nudge = { sender: () => sender.notify(), webhooks: () => webhookWorker.notify(), timers: () => timers.nudgeRouting() };
  if (opts.workers ?? true) {
    sender.start();
    webhookWorker.start();
    timers.start();
    // Never an unhandled rejection (that ends the process): a database blip at start is only logged.
    syncAllTemplates(deps).catch((err: unknown) => deps.logger.warn({ err }, 'template sync at start failed'));
  }
  return {
    config, deps, app, sender, webhookWorker, timers, sandbox, demo, url,
    async close() {
      await app.close();
      await Promise.all([sender.stop(), webhookWorker.stop(), timers.stop()]);
      await sandbox?.close();
      await cloudApi.close();
      await bus.close();
      await limiter.close();
      await closeRedis();
      await database.close();
    },
  };
}

function openSharedState(config: Config, logger: FastifyBaseLogger): { bus: Bus; limiter: Limiter; closeRedis: () => Promise<void> } {
  if (!config.redisUrl) return { bus: new MemoryBus(), limiter: new MemoryLimiter(), closeRedis: async () => undefined };
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  // ioredis reconnects by itself; without a listener each failure would be an unhandled 'error' event.
  redis.on('error', (err: Error) => logger.warn({ err }, 'redis connection error'));
  return {
    bus: new RedisBus({ connection: redis, prefix: config.redisPrefix + 'bus:' }),
    limiter: new RedisLimiter({ connection: redis, prefix: config.redisPrefix + 'rl:' }),
    closeRedis: async () => { redis.disconnect(); },
  };
}

/** The sandbox as Parley's Cloud API, its demo app's webhooks pointed at Parley. */
async function startEmbeddedSandbox(config: Config): Promise<RunningSandbox> {
  const seed: SeedSpec = {
    ...DEMO_SEED,
    apps: (DEMO_SEED.apps ?? []).map((a) => ({ ...a, verifyToken: config.webhookVerifyToken })),
  };
  // Its state is kept beside Parley's data, so a restart keeps customers' windows and never repeats ids.
  return startSandbox({
    port: config.sandboxPort, host: '127.0.0.1', publicUrl: `http://127.0.0.1:${config.sandboxPort}`,
    options: {}, seed, clockScale: 1, stateFile: join(dataDir(config), 'sandbox.db'), resetState: config.sandboxReset,
  });
}

function demoNumber() {
  const number = DEFAULT_SEED.phoneNumbers![0]!;
  return {
    phoneNumberId: number.id, wabaId: number.wabaId, displayPhoneNumber: number.displayPhoneNumber,
    verifiedName: number.verifiedName ?? 'Demo Shop', accessToken: DEFAULT_SEED.tokens![0]!.token,
    appSecret: DEFAULT_SEED.apps![0]!.secret,
  };
}

function dataDir(config: Config): string {
  return dirname(resolve(config.mediaDir));
}

/** A URL this machine reaches Parley at (wildcard hosts → loopback, IPv6 in brackets). */
function listeningUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}

/** Pulls every inbox's templates at start; failures are logged (webhooks and later syncs catch up). */
async function syncAllTemplates(deps: AppDeps): Promise<void> {
  const cache = new InboxCache(deps);
  for (const workspace of await listWorkspaces(deps.database.db)) {
    for (const inbox of await listInboxes(deps.database.db, workspace.id)) {
      try {
        const n = await syncTemplates(deps, await cache.get(workspace.id, inbox.id));
        deps.logger.info({ inbox: inbox.id, templates: n }, 'templates synced');
      } catch (err) {
        deps.logger.warn({ err, inbox: inbox.id }, 'template sync failed');
      }
    }
  }
}
