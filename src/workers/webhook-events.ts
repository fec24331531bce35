// The webhook-events worker: applies stored raw events oldest first, in batches of one transaction
// each (services/inbound-batch), bounded by time, yielding to HTTP between batches. A batch that
// fails as a whole is retried event by event with a lease (a crashed worker's events come back),
// each failure retried with back-off and kept as failed after `maxAttempts` (never deleted).

import { backoffMs } from '../core/backoff.js';
import type { AppDeps } from '../http/deps.js';
import { InboundProcessor } from '../services/inbound.js';
import { applyWebhookBatch } from '../services/inbound-batch.js';
import { claimWebhookEvents, completeWebhookEvent, failWebhookEvent, purgeWebhookEvents } from '../store/queries/webhook-events.js';
import { PollingLoop } from './polling-loop.js';

export interface WebhookWorkerOptions {
  /** Most events per batch. */
  batch: number;
  pollMs: number;
  leaseMs: number;
  maxAttempts: number;
  /** A batch stops applying after this long, so HTTP is served at least that often (default 10 ms). */
  budgetMs?: number;
  /** Batches at once (default: 1 on SQLite, one connection; 4 on PostgreSQL). */
  concurrency?: number;
}

export const DEFAULT_WEBHOOK_WORKER: WebhookWorkerOptions = { batch: 256, pollMs: 100, leaseMs: 60_000, maxAttempts: 10, budgetMs: 10 };

/** Processed raw events are kept a week (to inspect or replay), then deleted; failed ones are kept. */
const RETENTION_MS = 7 * 24 * 3600_000;
const PURGE_EVERY_MS = 3600_000;
const MIN_BATCH = 16;

export class WebhookEventsWorker {
  private lastPurge = 0;
  /** Events read per batch: grows while batches finish within the budget, shrinks when they do not. */
  private limit = MIN_BATCH;

  readonly processor: InboundProcessor;
  private readonly loop: PollingLoop;
  private readonly concurrency: number;

  constructor(private readonly deps: AppDeps, private readonly opts: WebhookWorkerOptions = DEFAULT_WEBHOOK_WORKER) {
    this.processor = new InboundProcessor(deps);
    this.concurrency = Math.max(1, opts.concurrency ?? (deps.database.dialect === 'postgres' ? 4 : 1));
    this.loop = new PollingLoop('webhook-events', () => this.runOnce(), opts.pollMs, deps.logger);
  }

  start(): void { this.loop.start(); }
  stop(): Promise<void> { return this.loop.stop(); }
  notify(): void { this.loop.notify(); }

  private async purgeOld(): Promise<void> {
    const now = this.deps.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    const purged = await purgeWebhookEvents(this.deps.database.db, now - RETENTION_MS);
    if (purged > 0) this.deps.logger.info({ purged }, 'old processed webhook events deleted');
  }

  /** Applies up to `concurrency` batches at once; returns how many events they handled. */
  async runOnce(): Promise<number> {
    await this.purgeOld();
    const handled = await Promise.all(Array.from({ length: this.concurrency }, () => this.runBatch()));
    return handled.reduce((a, b) => a + b, 0);
  }

  private async runBatch(): Promise<number> {
    const limit = this.limit;
    try {
      const { read, applied } = await applyWebhookBatch(this.deps, this.processor, {
        limit, budgetMs: this.opts.budgetMs ?? 10, maxAttempts: this.opts.maxAttempts,
      });
      this.limit = applied < read ? Math.max(MIN_BATCH, applied) : read === limit ? Math.min(this.opts.batch, limit * 2) : limit;
      return applied;
    } catch (err) {
      this.deps.logger.warn({ err }, 'webhook batch failed; applying its events one by one');
      this.limit = MIN_BATCH;
      return this.runOneByOne(limit);
    }
  }

  /** The fallback: each event claimed with a lease and applied on its own, failures retried with back-off. */
  async runOneByOne(limit: number): Promise<number> {
    const { db } = this.deps.database;
    const events = await claimWebhookEvents(db, { limit, leaseMs: this.opts.leaseMs, now: this.deps.now() });
    for (const event of events) {
      try {
        await this.processor.process(event.payload, event.signerHash);
        await completeWebhookEvent(db, event.id, this.deps.now());
      } catch (err) {
        const retryAt = event.attempts >= this.opts.maxAttempts ? null : this.deps.now() + backoffMs(event.attempts, 1000, 300_000, Math.random());
        this.deps.logger.warn({ err, eventId: event.id, attempts: event.attempts }, 'webhook event failed; will retry');
        await failWebhookEvent(db, event.id, String((err as Error)?.message ?? err), retryAt);
      }
    }
    return events.length;
  }
}
