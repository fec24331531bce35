import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from './fixtures.js';
import { upsertContact } from '../../src/store/queries/contacts.js';
import {
  ensureConversation,
  findConversation,
  getConversation,
  listConversations,
  openOrExtendWindow,
  setConversationState,
  touchConversation,
} from '../../src/store/queries/conversations.js';
import type { Db } from '../../src/store/db.js';

const H24 = 86_400_000;

forEachDatabase('conversations', (get) => {
  it('opens a window on the first inbound and only ever extends it', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const contact = await upsertContact(db, tenant.workspaceId, { waId: '34600111222' });
    const key = { inboxId: tenant.inbox.id, contactId: contact.id };
    const opened = await openOrExtendWindow(db, tenant.workspaceId, { ...key, inboundAt: 1_000, windowExpiresAt: 1_000 + H24, state: 'open' });
    expect(opened).toMatchObject({ lastInboundAt: 1_000, windowExpiresAt: 1_000 + H24, lastMessageAt: 1_000, state: 'open' });
    const extended = await openOrExtendWindow(db, tenant.workspaceId, { ...key, inboundAt: 5_000, windowExpiresAt: 5_000 + H24, entryPointExpiresAt: 5_000 + 3 * H24 });
    expect(extended).toMatchObject({ id: opened.id, lastInboundAt: 5_000, windowExpiresAt: 5_000 + H24, entryPointExpiresAt: 5_000 + 3 * H24 });
    // A webhook processed late (older message) must not shorten anything.
    const late = await openOrExtendWindow(db, tenant.workspaceId, { ...key, inboundAt: 2_000, windowExpiresAt: 2_000 + H24, entryPointExpiresAt: null });
    expect(late).toMatchObject({ id: opened.id, lastInboundAt: 5_000, windowExpiresAt: 5_000 + H24, lastMessageAt: 5_000, entryPointExpiresAt: 5_000 + 3 * H24 });
  });

  it('keeps the state unless asked, and reopens a resolved thread when asked', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    await setConversationState(db, tenant.workspaceId, conversation.id, 'resolved');
    const key = { inboxId: tenant.inbox.id, contactId: contact.id };
    const kept = await openOrExtendWindow(db, tenant.workspaceId, { ...key, inboundAt: 1, windowExpiresAt: 1 + H24 });
    expect(kept.state).toBe('resolved');
    const reopened = await openOrExtendWindow(db, tenant.workspaceId, { ...key, inboundAt: 2, windowExpiresAt: 2 + H24, state: 'open' });
    expect(reopened.state).toBe('open');
  });

  it('keeps one conversation per inbox and contact', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const again = await ensureConversation(db, tenant.workspaceId, { inboxId: tenant.inbox.id, contactId: contact.id });
    expect(again.id).toBe(conversation.id);
    expect((await findConversation(db, tenant.workspaceId, tenant.inbox.id, contact.id))?.id).toBe(conversation.id);
  });

  it('moves last_message_at forward only', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { conversation } = await createThread(db, tenant);
    const at = conversation.lastMessageAt;
    await touchConversation(db, tenant.workspaceId, conversation.id, at + 50);
    await touchConversation(db, tenant.workspaceId, conversation.id, at + 10);
    expect((await getConversation(db, tenant.workspaceId, conversation.id))?.lastMessageAt).toBe(at + 50);
  });

  it('pages every conversation exactly once, most recent first, with filters', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const ids = await seedConversations(db, tenant.workspaceId, tenant.inbox.id, 27);
    const seen: string[] = [];
    let cursor: string | undefined;
    let last = Infinity;
    do {
      const page = await listConversations(db, tenant.workspaceId, { limit: 4, cursor });
      for (const c of page.items) {
        expect(c.lastMessageAt).toBeLessThanOrEqual(last);
        last = c.lastMessageAt;
      }
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(27);
    expect(new Set(seen)).toEqual(new Set(ids));

    await setConversationState(db, tenant.workspaceId, ids[3]!, 'pending');
    const pending = await listConversations(db, tenant.workspaceId, { state: 'pending' });
    expect(pending.items.map((c) => c.id)).toEqual([ids[3]]);
    expect(pending.nextCursor).toBeNull();
    const byInbox = await listConversations(db, tenant.workspaceId, { inboxId: 'inb_none' });
    expect(byInbox.items).toEqual([]);
  });

  it('shows nothing to another workspace', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { conversation } = await createThread(db, tenant);
    const other = await createTenant(db, 'Other');
    expect((await listConversations(db, other.workspaceId)).items).toEqual([]);
    expect(await getConversation(db, other.workspaceId, conversation.id)).toBeUndefined();
    expect(await setConversationState(db, other.workspaceId, conversation.id, 'resolved')).toBeUndefined();
    expect((await getConversation(db, tenant.workspaceId, conversation.id))?.state).toBe('open');
  });

  it('rejects a forged cursor with validation_failed', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    await expect(listConversations(db, tenant.workspaceId, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

async function seedConversations(db: Db, workspaceId: string, inboxId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const contact = await upsertContact(db, workspaceId, { waId: `3460000${String(i).padStart(4, '0')}` });
    const at = 10_000 + Math.floor(i / 3) * 100; // groups of three share last_message_at
    const conversation = await openOrExtendWindow(db, workspaceId, { inboxId, contactId: contact.id, inboundAt: at, windowExpiresAt: at + H24 });
    ids.push(conversation.id);
  }
  return ids;
}
