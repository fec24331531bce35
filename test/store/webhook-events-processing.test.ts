// Webhook-event processing on both databases: each conversation's events are applied in received
// order under parallel workers, a claim on a large backlog returns the oldest events (through the
// index of migration 0010), and a reused wamid with different content is logged, not dropped silently.

import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { MemoryBus } from '../../src/bus/memory.js';
import { CloudApiClient } from '../../src/cloudapi/client.js';
import { secretFingerprint } from '../../src/cloudapi/signature.js';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/http/deps.js';
import { createMetrics } from '../../src/http/metrics.js';
import { MemoryLimiter } from '../../src/limiter/memory.js';
import { InboundProcessor } from '../../src/services/inbound.js';
import { workspaceTopic } from '../../src/services/live.js';
import type { Database } from '../../src/store/db.js';
import { findContactByWaId } from '../../src/store/queries/contacts.js';
import { getMessage, insertOutboundMessage, type MessageRecord } from '../../src/store/queries/messages.js';
import { claimWebhookEvents, storeWebhookEvents, type IncomingEvent } from '../../src/store/queries/webhook-events.js';
import { WebhookEventsWorker } from '../../src/workers/webhook-events.js';
import { forEachDatabase } from '../helpers/databases.js';
import { TEST_KEY, createTenant, createThread, type Tenant } from './fixtures.js';

const SIGNER = secretFingerprint('secret'); // fixtures' inbox app secret

function testDeps(database: Database, logged: Array<Record<string, unknown>> = []): AppDeps {
  const logger = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line) as Record<string, unknown>); } });
  return {
    config: loadConfig({}), database, bus: new MemoryBus(), limiter: new MemoryLimiter(),
    cloudApi: new CloudApiClient({ baseUrl: 'http://127.0.0.1:9', apiVersion: 'v23.0' }), secretKey: TEST_KEY, now: Date.now,
    logger: logger as unknown as FastifyBaseLogger, metrics: createMetrics(database.db),
  };
}

const envelope = (tenant: Tenant, value: Record<string, unknown>): string => JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [{ id: tenant.inbox.wabaId, changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550100', phone_number_id: tenant.inbox.phoneNumberId }, ...value,
  } }] }],
});

const textBody = (tenant: Tenant, waId: string, wamid: string, name: string, text: string, at: number): string => envelope(tenant, {
  contacts: [{ profile: { name }, wa_id: waId }],
  messages: [{ from: waId, id: wamid, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } }],
});

const statusBody = (tenant: Tenant, message: MessageRecord, waId: string, status: string, at: number): string => envelope(tenant, {
  statuses: [{ id: message.wamid, status, timestamp: String(Math.floor(at / 1000)), recipient_id: waId, biz_opaque_callback_data: message.id }],
});

async function waitForBacklog(database: Database, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const row = await database.db.selectFrom('webhook_events').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', ['pending', 'processing']).executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`backlog not drained: ${row.n} left`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

forEachDatabase('webhook_processing', (get) => {
  it('applies each conversation in received order with two workers running batches in parallel', { timeout: 120_000 }, async () => {
    const { database, db } = get();
    const logged: Array<Record<string, unknown>> = [];
    const deps = testDeps(database, logged);
    const tenant = await createTenant(db);
    const customers = Array.from({ length: 6 }, (_, k) => `3460070${k}${Date.now() % 10000}`);
    const perCustomer = 25;
    const t0 = Date.now() - 3600_000;
    // A sent message per customer, whose statuses arrive read first, then delivered, then sent.
    const sent = new Map<string, MessageRecord>();
    for (const waId of customers) {
      const { contact, conversation } = await createThread(db, tenant, waId);
      const { message } = await insertOutboundMessage(db, tenant.workspaceId, {
        inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'template', content: {}, now: t0,
      }, null);
      await db.updateTable('messages').set({ status: 'sent', wamid: `wamid.out-${waId}`, sent_at: t0 }).where('id', '=', message.id).execute();
      sent.set(waId, { ...message, wamid: `wamid.out-${waId}` });
    }
    const events: IncomingEvent[] = [];
    for (let j = 0; j < perCustomer; j++) {
      for (const waId of customers) {
        const at = t0 + (j + 1) * 1000;
        events.push({ payload: textBody(tenant, waId, `wamid.in-${waId}-${j}`, `Name ${j}`, `text ${j}`, at), signerHash: SIGNER, receivedAt: at });
        if (j < 3) events.push({ payload: statusBody(tenant, sent.get(waId)!, waId, ['read', 'delivered', 'sent'][j]!, at + 500), signerHash: SIGNER, receivedAt: at + 1 });
      }
    }
    await storeWebhookEvents(db, events);

    const published = new Map<string, string[]>();
    await deps.bus.subscribe(workspaceTopic(tenant.workspaceId), (event) => {
      const m = (event as { message: MessageRecord }).message;
      if (m.direction !== 'in') return;
      published.set(m.contactId, [...(published.get(m.contactId) ?? []), m.wamid!]);
    });
    const opts = { batch: 8, pollMs: 5, leaseMs: 60_000, maxAttempts: 3, budgetMs: 10, concurrency: 2 };
    const workers = [new WebhookEventsWorker(deps, opts), new WebhookEventsWorker(deps, opts)];
    workers.forEach((w) => w.start());
    try {
      await waitForBacklog(database);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // publishes run after each commit

    expect(logged.filter((l) => Number(l['level']) >= 40)).toEqual([]);
    for (const waId of customers) {
      const contact = (await findContactByWaId(db, tenant.workspaceId, waId))!;
      // The last message applied names the contact: the newest one only if applied in order.
      expect(contact.name).toBe(`Name ${perCustomer - 1}`);
      expect(published.get(contact.id)).toEqual(Array.from({ length: perCustomer }, (_, j) => `wamid.in-${waId}-${j}`));
      const message = (await getMessage(db, tenant.workspaceId, sent.get(waId)!.id))!;
      expect(message.status).toBe('read');
      expect(message.deliveredAt).not.toBeNull();
    }
  });

  it('claims the oldest events of a 20,000-event backlog, through the (status, received_at, id) index', { timeout: 120_000 }, async () => {
    const { database, db } = get();
    await db.deleteFrom('webhook_events').execute();
    const base = 1_700_000_000_000;
    const total = 20_000;
    for (let start = 0; start < total; start += 500) {
      // received_at out of insertion order: a permutation of base … base + total − 1.
      await storeWebhookEvents(db, Array.from({ length: 500 }, (_, j) => {
        const i = start + j;
        return { payload: `{"n":${i}}`, receivedAt: base + ((i * 7919) % total) };
      }));
    }
    if (database.dialect === 'postgres') await sql`analyze webhook_events`.execute(db);
    else {
      const plan = await sql<{ detail: string }>`explain query plan select * from webhook_events where status = 'pending' and (claimed_until is null or claimed_until <= 1) order by received_at, id limit 50`.execute(db);
      expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(/USING INDEX webhook_events_claim_order/);
      expect(plan.rows.map((r) => r.detail).join(' | ')).not.toMatch(/TEMP B-TREE/);
    }
    const claimed = await claimWebhookEvents(db, { limit: 50, leaseMs: 60_000, now: Date.now() });
    expect(claimed.map((e) => e.receivedAt)).toEqual(Array.from({ length: 50 }, (_, i) => base + i));
    const next = await claimWebhookEvents(db, { limit: 50, leaseMs: 60_000, now: Date.now() });
    expect(next.map((e) => e.receivedAt)).toEqual(Array.from({ length: 50 }, (_, i) => base + 50 + i));
    await db.deleteFrom('webhook_events').execute();
  });

  it('logs a warning when a stored wamid arrives again with different content, and none for a true redelivery', async () => {
    const { database } = get();
    const logged: Array<Record<string, unknown>> = [];
    const deps = testDeps(database, logged);
    const tenant = await createTenant(database.db);
    const processor = new InboundProcessor(deps);
    const at = Date.now();
    const waId = `3460099${at % 100000}`;
    const first = textBody(tenant, waId, 'wamid.reused-1', 'Ana', 'first message', at);
    await processor.process(first, SIGNER);
    await processor.process(first, SIGNER);
    const reuses = () => logged.filter((l) => String(l['msg']).includes('reuses a stored wamid'));
    expect(reuses()).toEqual([]);
    await processor.process(textBody(tenant, waId, 'wamid.reused-1', 'Ana', 'a different message', at + 60_000), SIGNER);
    expect(reuses()).toHaveLength(1);
    expect(reuses()[0]).toMatchObject({ level: 40, wamid: 'wamid.reused-1', type: 'text', storedType: 'text' });
    expect(JSON.stringify(reuses()[0])).not.toContain('a different message');
  });
});
