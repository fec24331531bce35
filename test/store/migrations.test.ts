import { expect, it } from 'vitest';
import { forEachDatabase, openTestDatabase } from '../helpers/databases.js';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/store/migrate.js';
import * as appendOnly from '../../src/store/migrations/0006_webhook_events_append_only.js';
import * as inboundWamidIndex from '../../src/store/migrations/0007_inbound_wamid_index.js';
import * as contactLimitCounted from '../../src/store/migrations/0009_contact_limit_counted.js';
import * as search from '../../src/store/migrations/0017_search.js';
import { searchContacts, searchMessages } from '../../src/store/queries/search.js';
import { createWorkspace, getWorkspace } from '../../src/store/queries/workspaces.js';
import { outOfWindowRecipients, getMessage, insertInboundMessage, insertOutboundMessage, isOutOfWindowRecipient } from '../../src/store/queries/messages.js';
import { applyStatus } from '../../src/store/queries/message-statuses.js';
import { createTenant, createThread } from './fixtures.js';

forEachDatabase('migrations', (get) => {
  it('applies the chain once, and a second run applies nothing and keeps data', async () => {
    const t = await openTestDatabase(get().kind, { migrate: false, label: 'migrations_fresh' });
    try {
      const first = await migrateToLatest(t.database.db);
      expect(first).toEqual(['0001_initial', '0002_messages_by_contact', '0003_marketing_preference_time', '0004_webhook_event_signer', '0005_entry_point_inbound', '0006_webhook_events_append_only', '0007_inbound_wamid_index', '0008_outbox_workspace_index', '0009_contact_limit_counted', '0010_webhook_events_claim_order', '0011_outbox_lanes_contact_history', '0012_read_api_indexes', '0013_users', '0014_sessions', '0015_teams_assignment', '0016_changes_index', '0017_search', '0018_canned_replies', '0019_sla', '0020_notes', '0021_window_index', '0022_routing', '0023_csat', '0024_scheduled_messages', '0025_business_hours', '0026_languages']);
      const ws = await createWorkspace(t.database.db, { name: 'Kept' });
      const second = await migrateToLatest(t.database.db);
      expect(second).toEqual([]);
      expect((await getWorkspace(t.database.db, ws.id))?.name).toBe('Kept');
    } finally {
      await t.dispose();
    }
  });

  it('0006 keeps every stored webhook event and then accepts identical payloads twice; its down keeps one of each', async () => {
    const t = await openTestDatabase(get().kind, { migrate: true, label: 'migrations_0006' });
    try {
      const db = t.database.db;
      // Back to 0005's table (unique payload_hash), with two events in it.
      await appendOnly.down(db);
      const row = (id: string, hash: string) => ({
        id, received_at: 1, signature_ok: 1, payload: `{"n":"${id}"}`, payload_hash: hash, status: 'pending' as const, attempts: 0, signer_hash: 'sig',
      });
      await db.insertInto('webhook_events').values([row('evt_a', 'h1'), row('evt_b', 'h2')]).execute();
      await expect(db.insertInto('webhook_events').values(row('evt_c', 'h1')).execute()).rejects.toThrow();
      await appendOnly.up(db);
      const kept = await db.selectFrom('webhook_events').select(['id', 'payload', 'signer_hash']).orderBy('id').execute();
      expect(kept).toEqual([{ id: 'evt_a', payload: '{"n":"evt_a"}', signer_hash: 'sig' }, { id: 'evt_b', payload: '{"n":"evt_b"}', signer_hash: 'sig' }]);
      await db.insertInto('webhook_events').values(row('evt_c', 'h1')).execute();
      await appendOnly.down(db);
      const { rows } = await sql<{ id: string }>`select id from webhook_events order by id`.execute(db);
      expect(rows.map((r) => r.id)).toEqual(['evt_a', 'evt_b']);
      await appendOnly.up(db);
    } finally {
      await t.dispose();
    }
  });

  it('0007 rebuilds messages without losing a row or cascading into the outbox; received wamids stay unique, sent ones may repeat', async () => {
    const t = await openTestDatabase(get().kind, { migrate: true, label: 'migrations_0007' });
    try {
      const db = t.database.db;
      const tenant = await createTenant(db);
      const { contact, conversation } = await createThread(db, tenant);
      const thread = { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id };
      const queue = () => insertOutboundMessage(db, tenant.workspaceId, { ...thread, type: 'text', content: { body: 'out' } }, { recipient: contact.waId });
      const queued = await queue();
      await insertInboundMessage(db, tenant.workspaceId, { ...thread, wamid: 'wamid.IN', type: 'text', content: { body: 'in' } });
      const counts = async () => ({
        messages: Number((await db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
        outbox: Number((await db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      });
      expect(await counts()).toEqual({ messages: 2, outbox: 1 });

      await inboundWamidIndex.down(db);
      expect(await counts()).toEqual({ messages: 2, outbox: 1 });
      const other = await queue();
      await applyStatus(db, tenant.workspaceId, queued.message.id, { status: 'sent', wamid: 'wamid.DUP', sentAt: 1 });
      // Before 0007 a wamid was unique per inbox in both directions.
      await expect(applyStatus(db, tenant.workspaceId, other.message.id, { status: 'sent', wamid: 'wamid.DUP', sentAt: 1 })).rejects.toThrow();

      await inboundWamidIndex.up(db);
      expect(await counts()).toEqual({ messages: 3, outbox: 2 });
      await applyStatus(db, tenant.workspaceId, other.message.id, { status: 'sent', wamid: 'wamid.DUP', sentAt: 1 });
      expect((await getMessage(db, tenant.workspaceId, other.message.id))?.wamid).toBe('wamid.DUP');
      expect((await insertInboundMessage(db, tenant.workspaceId, { ...thread, wamid: 'wamid.IN', type: 'text', content: { body: 'again' } })).inserted).toBe(false);
      // Foreign keys are enforced again, and deleting a message still cascades to its outbox row.
      await expect(db.insertInto('outbox').values({
        id: 'obx_x', workspace_id: tenant.workspaceId, message_id: 'missing', inbox_id: tenant.inbox.id, recipient: 'x', not_before: 0, attempts: 0, created_at: 0,
      }).execute()).rejects.toThrow();
      await db.deleteFrom('messages').where('id', '=', other.message.id).execute();
      expect(await counts()).toEqual({ messages: 2, outbox: 1 });
    } finally {
      await t.dispose();
    }
  });

  it('0009 counts the messaging-limit recipients of messages stored before it', async () => {
    const t = await openTestDatabase(get().kind, { migrate: true, label: 'migrations_0009' });
    try {
      const db = t.database.db;
      const tenant = await createTenant(db);
      const threads = [await createThread(db, tenant), await createThread(db, tenant), await createThread(db, tenant)];
      await contactLimitCounted.down(db);
      const now = 5 * 86_400_000;
      // History written as before 0009: plain rows, no limit_counted_at to keep.
      const send = async (i: number, at: number, outsideWindow: boolean) => {
        const { contact, conversation } = threads[i]!;
        const message = { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'template', content: {}, outsideWindow, now: at };
        return (await insertOutboundMessage(db, tenant.workspaceId, message, { recipient: contact.waId })).message;
      };
      await expect(send(0, now - 1000, true)).rejects.toThrow(/limit_counted_at/); // the column is gone
      await contactLimitCounted.up(db);
      await contactLimitCounted.down(db);
      await sql`insert into messages (id, workspace_id, inbox_id, conversation_id, contact_id, direction, type, content, status, outside_window, created_at, updated_at)
        values ('msg_a', ${tenant.workspaceId}, ${tenant.inbox.id}, ${threads[0]!.conversation.id}, ${threads[0]!.contact.id}, 'out', 'template', '{}', 'delivered', 1, ${now - 1000}, ${now - 1000}),
               ('msg_b', ${tenant.workspaceId}, ${tenant.inbox.id}, ${threads[1]!.conversation.id}, ${threads[1]!.contact.id}, 'out', 'template', '{}', 'failed', 1, ${now - 900}, ${now - 900}),
               ('msg_c', ${tenant.workspaceId}, ${tenant.inbox.id}, ${threads[2]!.conversation.id}, ${threads[2]!.contact.id}, 'out', 'text', '{}', 'read', 0, ${now - 800}, ${now - 800})`.execute(db);
      await contactLimitCounted.up(db);
      const since = now - 86_400_000;
      expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).count).toBe(1);
      expect(await isOutOfWindowRecipient(db, tenant.workspaceId, threads[0]!.contact.id, since)).toBe(true);
      expect(await isOutOfWindowRecipient(db, tenant.workspaceId, threads[1]!.contact.id, since)).toBe(false); // failed: not counted
      expect(await isOutOfWindowRecipient(db, tenant.workspaceId, threads[2]!.contact.id, since)).toBe(false); // inside the window
      await send(1, now - 10, true);
      expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).count).toBe(2);
    } finally {
      await t.dispose();
    }
  });

  it('creates every table of the model', async () => {
    const tables = (await get().db.introspection.getTables()).map((t) => t.name);
    for (const table of ['workspaces', 'api_keys', 'inboxes', 'contacts', 'conversations', 'messages', 'media', 'webhook_events', 'outbox', 'templates']) {
      expect(tables).toContain(table);
    }
  });

  it('enforces foreign keys', async () => {
    await expect(
      get().db.insertInto('api_keys').values({ id: 'k1', workspace_id: 'missing', name: 'x', prefix: 'p1', hash: 'h', created_at: 1 }).execute(),
    ).rejects.toThrow();
  });

  it('0017 indexes the messages and contacts stored before it, and what is stored after', async () => {
    const t = await openTestDatabase(get().kind, { migrate: true, label: 'migrations_0017' });
    try {
      const db = t.database.db;
      await search.down(db);
      const tenant = await createTenant(db);
      const { contact, conversation } = await createThread(db, tenant);
      const thread = { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id };
      await insertInboundMessage(db, tenant.workspaceId, { ...thread, wamid: 'wamid.before', type: 'text', content: { body: 'Привет, где ЗАКАЗ?' } });
      await search.up(db);
      await insertInboundMessage(db, tenant.workspaceId, { ...thread, wamid: 'wamid.after', type: 'image', content: { caption: 'фото заказа', mediaId: 'm1' } });
      const found = await searchMessages(db, tenant.workspaceId, ['заказ'], { limit: 10, scope: true });
      expect(found.hits.map((m) => m.preview).sort()).toEqual(['Привет, где ЗАКАЗ?', 'фото заказа']);
      expect(await searchMessages(db, tenant.workspaceId, ['привет'], { limit: 10, scope: [] })).toEqual({ hits: [], nextCursor: null });
      const contacts = await searchContacts(db, tenant.workspaceId, [contact.waId.slice(0, 6)], { limit: 10, scope: true });
      expect(contacts.map((c) => c.id)).toEqual([contact.id]);
    } finally {
      await t.dispose();
    }
  });
});
