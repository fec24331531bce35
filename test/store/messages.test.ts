import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from './fixtures.js';
import { dialectOf, withTransaction } from '../../src/store/db.js';
import { sql } from 'kysely';
import {
  outOfWindowRecipients,
  findMessageByWamid,
  getMessage,
  insertInboundMessage,
  insertOutboundMessage,
  isOutOfWindowRecipient,
  listConversationMessages,
} from '../../src/store/queries/messages.js';
import { applyStatus } from '../../src/store/queries/message-statuses.js';
import { countOutbox } from '../../src/store/queries/outbox.js';
import { getConversation } from '../../src/store/queries/conversations.js';
import { upsertContact, findContactByWaId } from '../../src/store/queries/contacts.js';

forEachDatabase('messages', (get) => {
  it('stores an inbound message once per wamid, and a redelivery returns the first', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const input = { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, wamid: 'wamid.IN1', type: 'text', content: { body: 'hola' }, sentAt: 1_700_000_000_000 };
    const first = await insertInboundMessage(db, tenant.workspaceId, input);
    const second = await insertInboundMessage(db, tenant.workspaceId, { ...input, content: { body: 'changed' } });
    expect(first.inserted).toBe(true);
    expect(second.inserted).toBe(false);
    expect(second.message.id).toBe(first.message.id);
    expect(second.message.content).toEqual({ body: 'hola' });
    expect(first.message).toMatchObject({ direction: 'in', status: 'received', createdAt: 1_700_000_000_000, wamid: 'wamid.IN1' });
    const page = await listConversationMessages(db, tenant.workspaceId, conversation.id);
    expect(page.items.map((m) => m.id)).toEqual([first.message.id]);
  });

  it('stores the same wamid separately in two inboxes', async () => {
    const { db } = get();
    const a = await createTenant(db);
    const b = await createTenant(db);
    const ta = await createThread(db, a, '34611000001');
    const tb = await createThread(db, b, '34611000001');
    const base = { wamid: 'wamid.SHARED', type: 'text', content: {} };
    const ra = await insertInboundMessage(db, a.workspaceId, { ...base, inboxId: a.inbox.id, conversationId: ta.conversation.id, contactId: ta.contact.id });
    const rb = await insertInboundMessage(db, b.workspaceId, { ...base, inboxId: b.inbox.id, conversationId: tb.conversation.id, contactId: tb.contact.id });
    expect([ra.inserted, rb.inserted]).toEqual([true, true]);
  });

  it('inserts an outbound message with its outbox row, or a denied one without', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const base = { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'text', content: { body: 'hi' } };
    const queued = await insertOutboundMessage(db, tenant.workspaceId, { ...base, policy: { allow: true }, now: 5_000_000 }, { recipient: contact.waId });
    expect(queued.outboxId).not.toBeNull();
    expect(queued.message).toMatchObject({ status: 'queued', queuedAt: 5_000_000, policy: { allow: true } });
    const denied = await insertOutboundMessage(db, tenant.workspaceId, { ...base, policy: { allow: false, reason: 'outside_service_window' } }, null);
    expect(denied.outboxId).toBeNull();
    expect(denied.message.status).toBe('denied');
    expect((await getMessage(db, tenant.workspaceId, denied.message.id))?.policy).toEqual({ allow: false, reason: 'outside_service_window' });
    expect(await countOutbox(db, tenant.workspaceId)).toBe(1);
    expect((await getConversation(db, tenant.workspaceId, conversation.id))?.lastMessageAt).toBeGreaterThanOrEqual(denied.message.createdAt);
  });

  it('rolls back everything written in a failed transaction', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    await expect(
      withTransaction(db, async (trx) => {
        await upsertContact(trx, tenant.workspaceId, { waId: '34699999999' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await findContactByWaId(db, tenant.workspaceId, '34699999999')).toBeUndefined();
  });

  it('merges statuses monotonically: read then a late sent stays read, gaining sent_at', async () => {
    const { db } = get();
    const { workspaceId, messageId } = await queuedMessage(get);
    await applyStatus(db, workspaceId, messageId, { status: 'read', readAt: 300, deliveredAt: 300, wamid: 'wamid.OUT1' });
    const after = await applyStatus(db, workspaceId, messageId, {
      status: 'sent',
      sentAt: 100,
      wamid: 'wamid.OTHER',
      pricing: { category: 'utility', type: 'regular', billable: true, costMicros: 8000 },
    });
    expect(after).toMatchObject({ status: 'read', sentAt: 100, readAt: 300, deliveredAt: 300, wamid: 'wamid.OUT1' });
    expect(after?.pricing).toEqual({ category: 'utility', type: 'regular', billable: true, costMicros: 8000 });
    const late = await applyStatus(db, workspaceId, messageId, { status: 'delivered', deliveredAt: 999 });
    expect(late).toMatchObject({ status: 'read', deliveredAt: 300 });
  });

  it('keeps failed final with its reason', async () => {
    const { db } = get();
    const { workspaceId, messageId } = await queuedMessage(get);
    await applyStatus(db, workspaceId, messageId, { status: 'sent', sentAt: 10 });
    const failed = await applyStatus(db, workspaceId, messageId, { status: 'failed', failedAt: 20, error: { code: 131026, title: 'Message undeliverable' } });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 131026, title: 'Message undeliverable', details: null } });
    const later = await applyStatus(db, workspaceId, messageId, { status: 'read', readAt: 30 });
    expect(later?.status).toBe('failed');
    const again = await applyStatus(db, workspaceId, messageId, { status: 'failed', failedAt: 40, error: { code: 1, title: 'other' } });
    expect(again).toMatchObject({ failedAt: 20, error: { code: 131026 } });
  });

  it('ignores a failure after the message reached the phone (delivered or read stays)', async () => {
    const { db } = get();
    const { workspaceId, messageId } = await queuedMessage(get);
    await applyStatus(db, workspaceId, messageId, { status: 'read', readAt: 30 });
    const after = await applyStatus(db, workspaceId, messageId, { status: 'failed', failedAt: 40, error: { code: 131026, title: 'Message undeliverable' } });
    expect(after).toMatchObject({ status: 'read', error: null, failedAt: null });
  });

  it('applies concurrent statuses to the highest one whatever the order', async () => {
    const { db } = get();
    const { workspaceId, messageId } = await queuedMessage(get);
    await Promise.all([
      applyStatus(db, workspaceId, messageId, { status: 'read', readAt: 3 }),
      applyStatus(db, workspaceId, messageId, { status: 'sent', sentAt: 1 }),
      applyStatus(db, workspaceId, messageId, { status: 'delivered', deliveredAt: 2 }),
    ]);
    expect(await getMessage(db, workspaceId, messageId)).toMatchObject({ status: 'read', sentAt: 1, deliveredAt: 2, readAt: 3 });
  });

  it('finds a message by wamid after reconciling it by our id, among its contact\'s messages only', async () => {
    const { db } = get();
    const { workspaceId, messageId, inboxId, contactId } = await queuedMessage(get);
    expect(await findMessageByWamid(db, workspaceId, inboxId, 'wamid.REC', contactId)).toBeUndefined();
    await applyStatus(db, workspaceId, messageId, { status: 'delivered', wamid: 'wamid.REC', deliveredAt: 5 });
    expect((await findMessageByWamid(db, workspaceId, inboxId, 'wamid.REC', contactId))?.id).toBe(messageId);
    expect(await findMessageByWamid(db, workspaceId, inboxId, 'wamid.REC', 'ct_someone_else')).toBeUndefined();
  });

  it('indexes only received wamids: a sent message may carry the wamid of a received one, which is still found first', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const thread = { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id };
    const sent = await insertOutboundMessage(db, tenant.workspaceId, { ...thread, type: 'text', content: { body: 'out' } }, { recipient: contact.waId });
    await applyStatus(db, tenant.workspaceId, sent.message.id, { status: 'sent', wamid: 'wamid.SAME', sentAt: 1 });
    const received = await insertInboundMessage(db, tenant.workspaceId, { ...thread, wamid: 'wamid.SAME', type: 'text', content: { body: 'in' } });
    expect(received.inserted).toBe(true);
    expect((await findMessageByWamid(db, tenant.workspaceId, tenant.inbox.id, 'wamid.SAME', contact.id))?.id).toBe(received.message.id);
    // …and a received wamid is still stored once.
    expect((await insertInboundMessage(db, tenant.workspaceId, { ...thread, wamid: 'wamid.SAME', type: 'text', content: { body: 'again' } })).inserted).toBe(false);
  });

  it('never touches another workspace or inbound messages', async () => {
    const { db } = get();
    const { messageId } = await queuedMessage(get);
    const other = await createTenant(db, 'Other');
    expect(await applyStatus(db, other.workspaceId, messageId, { status: 'read', readAt: 1 })).toBeUndefined();
    expect(await getMessage(db, other.workspaceId, messageId)).toBeUndefined();
  });

  it('pages a conversation every message exactly once, both orders', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const at = 1000 + Math.floor(i / 4); // ties on created_at
      const { message } = await insertInboundMessage(db, tenant.workspaceId, {
        inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, wamid: `wamid.P${i}`, type: 'text', content: { i }, sentAt: at,
      });
      ids.push(message.id);
    }
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listConversationMessages(db, tenant.workspaceId, conversation.id, { limit: 5, cursor, order });
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen)).toEqual(new Set(ids));
      const times = seen.map((id) => ids.indexOf(id));
      const sorted = [...times].sort((a, b) => (order === 'asc' ? a - b : b - a));
      expect(times.map((i) => Math.floor(i / 4))).toEqual(sorted.map((i) => Math.floor(i / 4)));
    }
  });

  it('counts unique out-of-window recipients in the moving window', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const now = 10 * 86_400_000;
    const since = now - 86_400_000;
    const threads = [await createThread(db, tenant), await createThread(db, tenant), await createThread(db, tenant), await createThread(db, tenant)];
    const send = async (i: number, at: number, outsideWindow: boolean, enqueue = true) => {
      const t = threads[i]!;
      return insertOutboundMessage(
        db,
        tenant.workspaceId,
        { inboxId: tenant.inbox.id, conversationId: t.conversation.id, contactId: t.contact.id, type: 'template', content: {}, outsideWindow, now: at },
        enqueue ? { recipient: t.contact.waId } : null,
      );
    };
    await send(0, now - 1000, true);
    await send(0, now - 500, true); // same recipient twice: counts once
    await send(1, now - 2000, true);
    await send(2, now - 1000, false); // inside the window: free
    await send(3, since - 1, true); // older than 24 h
    const denied = await send(3, now - 10, true, false); // denied: never sent
    expect(denied.message.status).toBe('denied');
    const failed = await send(1, now - 10, true);
    await applyStatus(db, tenant.workspaceId, failed.message.id, { status: 'failed', failedAt: now });
    expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).count).toBe(2);
    expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).oldestAt).toBe(now - 2000); // contact 1's earlier message, the failed one left out
    expect(await isOutOfWindowRecipient(db, tenant.workspaceId, threads[0]!.contact.id, since)).toBe(true);
    expect(await isOutOfWindowRecipient(db, tenant.workspaceId, threads[2]!.contact.id, since)).toBe(false);
    const other = await createTenant(db, 'Other');
    expect((await outOfWindowRecipients(db, other.workspaceId, since)).count).toBe(0);
    expect((await outOfWindowRecipients(db, other.workspaceId, since)).oldestAt).toBeNull();
    // The only counted message of a recipient fails: it no longer counts.
    const only = await send(2, now - 5, true);
    expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).count).toBe(3);
    await applyStatus(db, tenant.workspaceId, only.message.id, { status: 'sent', sentAt: now - 4 });
    await applyStatus(db, tenant.workspaceId, only.message.id, { status: 'failed', failedAt: now - 3 });
    expect(await isOutOfWindowRecipient(db, tenant.workspaceId, threads[2]!.contact.id, since)).toBe(false);
    expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).count).toBe(2);
    // A failure arriving after delivery does not take, so the recipient stays counted.
    const delivered = await send(3, now - 2, true);
    await applyStatus(db, tenant.workspaceId, delivered.message.id, { status: 'delivered', deliveredAt: now - 1 });
    await applyStatus(db, tenant.workspaceId, delivered.message.id, { status: 'failed', failedAt: now });
    expect((await outOfWindowRecipients(db, tenant.workspaceId, since)).count).toBe(3);
  });

  it('fails a message and gives back its messaging-limit slot in one transaction: neither happens alone', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const now = 10 * 86_400_000;
    const { message } = await insertOutboundMessage(db, tenant.workspaceId, {
      inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'template', content: {}, outsideWindow: true, now,
    }, { recipient: contact.waId });
    const counted = () => isOutOfWindowRecipient(db, tenant.workspaceId, contact.id, now - 86_400_000);
    expect(await counted()).toBe(true);
    // The database refuses the recount of this one contact (a trigger: the write fails like a crash would cut it).
    const postgres = dialectOf(db) === 'postgres';
    if (postgres) {
      await sql.raw(`create function refuse_recount() returns trigger language plpgsql as $$ begin raise exception 'recount refused'; end $$`).execute(db);
      await sql.raw(`create trigger refuse_recount before update of limit_counted_at on contacts for each row when (old.id = '${contact.id}') execute function refuse_recount()`).execute(db);
    } else {
      await sql.raw(`create trigger refuse_recount before update of limit_counted_at on contacts when old.id = '${contact.id}' begin select raise(abort, 'recount refused'); end`).execute(db);
    }
    await expect(applyStatus(db, tenant.workspaceId, message.id, { status: 'failed', failedAt: now + 1, error: { code: 131026, title: 'Message undeliverable' } }))
      .rejects.toThrow(/recount refused/);
    expect((await getMessage(db, tenant.workspaceId, message.id))!.status).toBe('queued');
    expect(await counted()).toBe(true);

    await sql.raw(postgres ? 'drop trigger refuse_recount on contacts' : 'drop trigger refuse_recount').execute(db);
    if (postgres) await sql.raw('drop function refuse_recount()').execute(db);
    const failed = await applyStatus(db, tenant.workspaceId, message.id, { status: 'failed', failedAt: now + 2, error: { code: 131026, title: 'Message undeliverable' } });
    expect(failed!.status).toBe('failed');
    expect(await counted()).toBe(false);
  });
});

async function queuedMessage(get: () => { db: import('../../src/store/db.js').Db }) {
  const { db } = get();
  const tenant = await createTenant(db);
  const { contact, conversation } = await createThread(db, tenant);
  const { message } = await insertOutboundMessage(
    db,
    tenant.workspaceId,
    { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'text', content: { body: 'x' } },
    { recipient: contact.waId },
  );
  return { workspaceId: tenant.workspaceId, messageId: message.id, inboxId: tenant.inbox.id, contactId: contact.id };
}
