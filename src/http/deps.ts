// What buildApp and the workers need, chosen by the composition root (main.ts) or a test:
// concrete adapters behind small interfaces, and the clock as a function.

import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/bus.js';
import type { CloudApiClient } from '../cloudapi/client.js';
import type { Config } from '../config.js';
import type { Limiter } from '../limiter/limiter.js';
import type { Metrics } from './metrics.js';
import type { Database } from '../store/db.js';

export interface AppDeps {
  config: Config;
  database: Database;
  bus: Bus;
  limiter: Limiter;
  /** One client per base URL; the access token is passed per call (one per inbox). */
  cloudApi: CloudApiClient;
  /** Key for secrets at rest (inbox access tokens, app secrets). */
  secretKey: Buffer;
  /** Epoch milliseconds. Services read time only through this. */
  now: () => number;
  logger: FastifyBaseLogger;
  /** Prometheus counters served at /metrics. */
  metrics: Metrics;
  /** Wakes this process's idle workers when work was just stored (set by the composition root). */
  nudge?: { sender(): void; webhooks(): void; /** A conversation may be waiting for the router (workers/timers.ts). */ timers(): void };
}
