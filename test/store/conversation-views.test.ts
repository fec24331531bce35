// The conversation list's filters on both databases: each filter (and their combination) returns
// exactly the right rows in activity order across pages, items carry their contact, last message and
// unread count; on SQLite each filter's query is served by its listing index (migration 0012).

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { TEST_KEY, createTenant, type Tenant } from './fixtures.js';
import { upsertContact } from '../../src/store/queries/contacts.js';
import { ensureConversation, setConversationState, type ConversationRecord } from '../../src/store/queries/conversations.js';
import {
  conversationListQuery, listConversationViews, recordRead, type ConversationView,
} from '../../src/store/queries/conversation-views.js';
import { createInbox } from '../../src/store/queries/inboxes.js';
import { insertInboundMessage } from '../../src/store/queries/messages.js';
import type { ConversationFilter } from '../../src/store/queries/conversations.js';
import type { Db } from '../../src/store/db.js';
import type { ConversationState } from '../../src/store/rows.js';

interface World { tenant: Tenant; inboxB: string; rows: Array<ConversationRecord & { state: ConversationState; name: string }> }

const STATES: ConversationState[] = ['open', 'pending', 'resolved'];

/** 12 contacts, each in inbox A and every third also in inbox B; states rotate; one inbound message each. */
async function buildWorld(db: Db): Promise<World> {
  const tenant = await createTenant(db);
  const inboxB = (await createInbox(db, tenant.workspaceId, { phoneNumberId: `pnb${Date.now()}${Math.random()}`, wabaId: 'wabab', displayPhoneNumber: '+1 555 0199' }, TEST_KEY)).id;
  const rows: World['rows'] = [];
  let n = 0;
  for (let i = 0; i < 12; i++) {
    const contact = await upsertContact(db, tenant.workspaceId, { waId: `3460070${String(i).padStart(4, '0')}`, e164: `+3460070${String(i).padStart(4, '0')}`, name: `Ana ${i}` });
    for (const inboxId of i % 3 === 0 ? [tenant.inbox.id, inboxB] : [tenant.inbox.id]) {
      const at = 1_000_000 + ((n * 7919) % 97) * 1000 + n; // activity order differs from creation order
      const conversation = await ensureConversation(db, tenant.workspaceId, { inboxId, contactId: contact.id, now: at });
      const state = STATES[n % 3]!;
      await setConversationState(db, tenant.workspaceId, conversation.id, state, at);
      await insertInboundMessage(db, tenant.workspaceId, {
        inboxId, conversationId: conversation.id, contactId: contact.id, wamid: `wamid.v.${n}`,
        type: 'text', content: { type: 'text', body: `hello ${n}` }, sentAt: at, now: at,
      });
      rows.push({ ...conversation, state, name: contact.name!, lastMessageAt: at });
      n++;
    }
  }
  return { tenant, inboxB, rows };
}

async function allPages(db: Db, workspaceId: string, filter: ConversationFilter): Promise<ConversationView[]> {
  const items: ConversationView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const result = await listConversationViews(db, workspaceId, { ...filter, limit: 3, ...(cursor ? { cursor } : {}) });
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items;
}

const byActivity = (a: { lastMessageAt: number; id: string }, b: { lastMessageAt: number; id: string }) =>
  b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? 1 : -1);

forEachDatabase('conversation list views', (get) => {
  it('returns exactly the rows of each filter, in activity order, over pages', async () => {
    const { db } = get();
    const w = await buildWorld(db);
    const ws = w.tenant.workspaceId;
    const someContact = w.rows[3]!.contactId;
    const cases: Array<[ConversationFilter, (r: World['rows'][number]) => boolean]> = [
      [{}, () => true],
      [{ inboxId: w.inboxB }, (r) => r.inboxId === w.inboxB],
      [{ inboxId: w.tenant.inbox.id }, (r) => r.inboxId === w.tenant.inbox.id],
      [{ state: 'pending' }, (r) => r.state === 'pending'],
      [{ contactId: someContact }, (r) => r.contactId === someContact],
      [{ inboxId: w.inboxB, state: 'open' }, (r) => r.inboxId === w.inboxB && r.state === 'open'],
      [{ contactId: someContact, state: 'resolved' }, (r) => r.contactId === someContact && r.state === 'resolved'],
      [{ inboxId: 'inb_unknown' }, () => false],
    ];
    for (const [filter, keep] of cases) {
      const expected = w.rows.filter(keep).sort(byActivity).map((r) => r.id);
      const got = await allPages(db, ws, filter);
      expect(got.map((c) => c.id), JSON.stringify(filter)).toEqual(expected);
    }
    // Another workspace sees none of them.
    const other = await createTenant(db, 'Other');
    expect((await listConversationViews(db, other.workspaceId, { contactId: someContact })).items).toEqual([]);
  });

  it('embeds the contact, the last message and the unread count, which a read mark resets', async () => {
    const { db } = get();
    const w = await buildWorld(db);
    const ws = w.tenant.workspaceId;
    const row = w.rows[2]!; // contact 1: one conversation
    const [item] = (await listConversationViews(db, ws, { contactId: row.contactId })).items;
    expect(item).toMatchObject({
      id: row.id, contact: { id: row.contactId, name: row.name },
      lastMessage: { direction: 'in', type: 'text', preview: 'hello 2', status: 'received', createdAt: row.lastMessageAt },
      unreadCount: 1, lastReadAt: null,
    });
    await recordRead(db, ws, row.id, row.lastMessageAt, row.lastMessageAt + 1);
    // An older mark arriving late does not unread anything.
    await recordRead(db, ws, row.id, row.lastMessageAt - 10, row.lastMessageAt + 2);
    const [after] = (await listConversationViews(db, ws, { contactId: row.contactId })).items;
    expect(after).toMatchObject({ unreadCount: 0, lastReadAt: row.lastMessageAt });
  });

  it('serves each filter from its listing index, without sorting (SQLite query plan)', async () => {
    const { db, kind } = get();
    if (kind !== 'sqlite') return;
    const ws = 'ws_plan';
    const plans: Array<[ConversationFilter, string]> = [
      [{ contactId: 'ct_x' }, 'conversations_contact_listing'],
      [{ inboxId: 'inb_x' }, 'conversations_inbox_listing'],
      [{ state: 'open' }, 'conversations_state_listing'],
      [{ inboxId: 'inb_x', state: 'open' }, 'conversations_inbox_state_listing'],
      [{}, 'conversations_listing'],
    ];
    for (const [filter, index] of plans) {
      const compiled = conversationListQuery(db, ws, filter).compile();
      const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${interpolate(compiled.sql, compiled.parameters)}`).execute(db);
      const details = rows.map((r) => r.detail);
      // The page's ids alone (their views follow by primary key): the listing index usually covers them.
      expect(details.some((d) => new RegExp(`SEARCH c USING (COVERING )?INDEX ${index} `).test(d)), `${JSON.stringify(filter)}: ${details.join(' / ')}`).toBe(true);
      expect(details.some((d) => d.includes('TEMP B-TREE')), details.join(' / ')).toBe(false);
    }
  });
});

/** Inlines the parameters (strings and numbers only) so EXPLAIN sees the real query. */
function interpolate(text: string, parameters: readonly unknown[]): string {
  let i = 0;
  return text.replace(/\?/g, () => {
    const value = parameters[i++];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}
