// Prometheus metrics at /metrics (prom-client): process defaults, plus Parley's own counters —
// webhooks received, messages sent / failed / denied — and the outbox and webhook-event backlogs.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { AppError } from '../errors.js';
import { bearerToken } from './auth.js';
import type { Db } from '../store/db.js';
import { countOutbox } from '../store/queries/outbox.js';
import { countWebhookEvents } from '../store/queries/webhook-events.js';

export interface Metrics {
  registry: Registry;
  webhooksReceived: Counter<'outcome'>;
  messagesSent: Counter<'outcome'>;
}

/** One registry per app (tests build several apps in one process). */
export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const webhooksReceived = new Counter({
    name: 'parley_webhooks_received_total', help: 'Webhook POSTs by outcome (stored, duplicate, bad_signature, unavailable)',
    labelNames: ['outcome'], registers: [registry],
  });
  const messagesSent = new Counter({
    name: 'parley_messages_total', help: 'Outbound messages by outcome (sent, failed, denied, retried)',
    labelNames: ['outcome'], registers: [registry],
  });
  new Gauge({
    name: 'parley_outbox_depth', help: 'Messages waiting to be sent', registers: [registry],
    async collect() { this.set(await countOutbox(db)); },
  });
  new Gauge({
    name: 'parley_webhook_events_pending', help: 'Stored webhook events not processed yet', registers: [registry],
    async collect() { this.set(await countWebhookEvents(db, 'pending')); },
  });
  return { registry, webhooksReceived, messagesSent };
}

/** /metrics; with a token (METRICS_TOKEN), only for `Authorization: Bearer <token>` — Prometheus's `authorization` scrape setting. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  const expected = token === undefined ? undefined : digest(token);
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (expected !== undefined && !presents(req, expected)) {
      throw new AppError('unauthorized', 'Metrics need the METRICS_TOKEN, sent as "Authorization: Bearer <token>".');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compared as digests of equal length, so the time taken says nothing about the token. */
function presents(req: FastifyRequest, expected: Buffer): boolean {
  const token = bearerToken(req);
  return token !== undefined && timingSafeEqual(digest(token), expected);
}
