// Prometheus metrics at /metrics (prom-client): process defaults, plus Parley's own counters —
// webhooks received, messages sent / failed / denied — and the outbox and webhook-event backlogs.

import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
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

export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
