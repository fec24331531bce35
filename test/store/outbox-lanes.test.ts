// Outbox lanes and the send path's reads, on both databases: replies are claimed before older
// campaign rows; a send to a known contact does not rewrite it; the per-contact history the policy
// reads is bounded by time, and on SQLite each lookup is planned on its partial index.

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from './fixtures.js';
import { resolveContact } from '../../src/services/recipients.js';
import { applyStatus } from '../../src/store/queries/message-statuses.js';
import { contactSendHistory, lastEcosystemFailureAt, marketingDeliveriesSince } from '../../src/store/queries/marketing.js';
import { LANE_CAMPAIGN, LANE_REPLY, insertOutboundBatch, outboundMessageRow } from '../../src/store/queries/outbound-batch.js';
import { claimOutbox } from '../../src/store/queries/outbox.js';
import type { Db } from '../../src/store/db.js';
import type { Tenant } from './fixtures.js';

async function queue(db: Db, tenant: Tenant, lane: number, now: number, category: string | null = null): Promise<string> {
  const { contact, conversation } = await createThread(db, tenant);
  const row = outboundMessageRow(tenant.workspaceId, {
    inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'template', content: {},
    template: { name: 'promo', language: 'en', category },
  }, true, now);
  const [message] = await insertOutboundBatch(db, tenant.workspaceId, [{ row, enqueue: { recipient: contact.waId, notBefore: now, priority: lane } }], now);
  return message!.id;
}

forEachDatabase('outbox lanes and send reads', (get) => {
  it('claims the reply lane before older campaign rows, and only the reply lane when asked', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const campaign = [await queue(db, tenant, LANE_CAMPAIGN, 1_000), await queue(db, tenant, LANE_CAMPAIGN, 1_001)];
    const reply = await queue(db, tenant, LANE_REPLY, 5_000);
    expect((await claimOutbox(db, { owner: 'a', limit: 10, leaseMs: 1_000, now: 4_000, maxPriority: LANE_REPLY }))).toEqual([]);
    const replies = await claimOutbox(db, { owner: 'a', limit: 10, leaseMs: 60_000, now: 6_000, maxPriority: LANE_REPLY });
    expect(replies.map((i) => i.messageId)).toEqual([reply]);
    await db.updateTable('outbox').set({ claimed_by: null, claimed_until: null }).execute();
    const first = await claimOutbox(db, { owner: 'b', limit: 2, leaseMs: 60_000, now: 6_000 });
    expect(first.map((i) => [i.messageId, i.priority])).toEqual([[reply, LANE_REPLY], [campaign[0], LANE_CAMPAIGN]]);
    const next = await claimOutbox(db, { owner: 'b', limit: 5, leaseMs: 60_000, now: 6_000 });
    expect(next.map((i) => i.messageId)).toEqual([campaign[1]]);
    await db.deleteFrom('outbox').execute();
  });

  it('does not rewrite a known contact whose number facts are unchanged', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const first = await resolveContact(db, tenant.workspaceId, { to: '+447911123456' }, 1_000);
    const again = await resolveContact(db, tenant.workspaceId, { to: '447911123456' }, 9_000);
    expect(again.id).toBe(first.id);
    const row = await db.selectFrom('contacts').select(['updated_at']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(Number(row.updated_at)).toBe(1_000);
  });

  it('bounds the policy history by time', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const send = async (at: number) => {
      const row = outboundMessageRow(tenant.workspaceId, {
        inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'template', content: {},
        template: { name: 'promo', language: 'en', category: 'MARKETING' },
      }, true, at);
      await insertOutboundBatch(db, tenant.workspaceId, [{ row, enqueue: { recipient: contact.waId, notBefore: at, priority: LANE_CAMPAIGN } }], at);
      return row.id;
    };
    const old = await send(1_000);
    const recent = await send(50_000);
    await applyStatus(db, tenant.workspaceId, old, { status: 'failed', failedAt: 2_000, error: { code: 131049, title: 'healthy ecosystem' } });
    await applyStatus(db, tenant.workspaceId, recent, { status: 'delivered', deliveredAt: 60_000 });
    expect(await lastEcosystemFailureAt(db, tenant.workspaceId, contact.id)).toBe(2_000);
    expect(await lastEcosystemFailureAt(db, tenant.workspaceId, contact.id, 10_000)).toBeNull();
    expect(await marketingDeliveriesSince(db, tenant.workspaceId, contact.id, 10_000)).toEqual({ count: 1, oldestAt: 60_000 });
    expect(await contactSendHistory(db, tenant.workspaceId, contact.id, 1_500, { marketing: true })).toEqual({
      countedSince: false, marketing: { count: 1, oldestAt: 60_000 }, lastEcosystemFailureAt: 2_000,
    });
    expect((await contactSendHistory(db, tenant.workspaceId, contact.id, 3_000, { marketing: true })).lastEcosystemFailureAt).toBeNull();
  });

  it('plans each history lookup and the claim on an index (SQLite)', async () => {
    const { db, kind } = get() as ReturnType<typeof get> & { kind: string };
    if (kind !== 'sqlite') return;
    const plan = async (text: string) => (await sql.raw<{ detail: string }>(`explain query plan ${text}`).execute(db)).rows.map((r) => r.detail).join(' | ');
    expect(await plan(`select count(*) from messages where workspace_id = 'w' and contact_id = 'c' and direction = 'out' and template_category = 'MARKETING' and delivered_at >= 1`))
      .toContain('USING COVERING INDEX messages_marketing_delivered');
    expect(await plan(`select max(failed_at) from messages where workspace_id = 'w' and contact_id = 'c' and direction = 'out' and error_code = 131049 and failed_at >= 1`))
      .toContain('messages_ecosystem_failed');
    const claim = await plan(`select id from outbox where not_before <= 5 and (claimed_until is null or claimed_until <= 5) order by priority, not_before, id limit 10`);
    expect(claim).toContain('outbox_lanes');
    expect(claim).not.toContain('TEMP B-TREE');
  });
});
