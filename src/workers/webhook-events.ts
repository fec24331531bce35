// The webhook-events worker: claims stored raw events (oldest first, with a lease so a crashed
// worker's events come back), applies them through the inbound processor, and marks them done —
// or retries them with back-off, giving up after `maxAttempts` (kept as failed, never deleted).

import { backoffMs } from '../core/backoff.js';
import type { AppDeps } from '../http/deps.js';
import { InboundProcessor } from '../services/inbound.js';
import { claimWebhookEvents, completeWebhookEvent, failWebhookEvent, purgeWebhookEvents } from '../store/queries/webhook-events.js';
import { PollingLoop } from './polling-loop.js';

export interface WebhookWorkerOptions {
  batch: number;
  pollMs: number;
  leaseMs: number;
  maxAttempts: number;
}

export const DEFAULT_WEBHOOK_WORKER: WebhookWorkerOptions = { batch: 100, pollMs: 100, leaseMs: 60_000, maxAttempts: 10 };

/** Processed raw events are kept a week (to inspect or replay), then deleted; failed ones are kept. */
const RETENTION_MS = 7 * 24 * 3600_000;
const PURGE_EVERY_MS = 3600_000;

export class WebhookEventsWorker {
  private lastPurge = 0;

  readonly processor: InboundProcessor;
  private readonly loop: PollingLoop;

  constructor(private readonly deps: AppDeps, private readonly opts: WebhookWorkerOptions = DEFAULT_WEBHOOK_WORKER) {
    this.processor = new InboundProcessor(deps);
    this.loop = new PollingLoop('webhook-events', () => this.runOnce(), opts.pollMs, deps.logger);
  }

  start(): void { this.loop.start(); }

  private async purgeOld(): Promise<void> {
    const now = this.deps.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    const purged = await purgeWebhookEvents(this.deps.database.db, now - RETENTION_MS);
    if (purged > 0) this.deps.logger.info({ purged }, 'old processed webhook events deleted');
  }
  stop(): Promise<void> { return this.loop.stop(); }
  notify(): void { this.loop.notify(); }

  /** Claims and applies one batch; returns how many events it handled. */
  async runOnce(): Promise<number> {
    const { db } = this.deps.database;
    await this.purgeOld();
    const events = await claimWebhookEvents(db, { limit: this.opts.batch, leaseMs: this.opts.leaseMs, now: this.deps.now() });
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
