// Conversations as the read API shows them: each row with its contact, its last message and how
// much of it is unread — one query per page (joins and correlated subqueries served by indexes),
// never a query per row. Also recording how far an operator has read.

import { sql, type ExpressionBuilder } from 'kysely';
import { previewOf } from '../../core/message-preview.js';
import { fromJson } from '../codec.js';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import type { Db } from '../db.js';
import type { MessageStatus, Tables } from '../rows.js';
import { toConversationRecord, type ConversationFilter, type ConversationRecord } from './conversations.js';

/** Unread counts stop here (a list shows "100+"): counting stays bounded however long the backlog. */
export const UNREAD_CAP = 100;

export interface ConversationView extends ConversationRecord {
  contact: { id: string; name: string | null; e164: string | null; waId: string };
  lastMessage: { id: string; direction: 'in' | 'out'; type: string; preview: string | null; status: MessageStatus; createdAt: number } | null;
  lastReadAt: number | null;
  /** Customer messages after lastReadAt (all of them if never read), at most UNREAD_CAP. */
  unreadCount: number;
}

type Eb = ExpressionBuilder<Tables & { c: Tables['conversations'] }, 'c'>;

/** The newest message of the conversation (messages_conversation index: one seek). */
const lastMessageId = (eb: Eb) => eb.selectFrom('messages as lm').select('lm.id')
  .whereRef('lm.conversation_id', '=', 'c.id').orderBy('lm.created_at', 'desc').orderBy('lm.id', 'desc').limit(1);

/** Inbound messages newer than the read mark, counted over at most UNREAD_CAP rows. */
const unreadCount = sql<number>`(select count(*) from (
  select 1 from messages um
  where um.conversation_id = c.id and um.direction = 'in' and um.created_at > coalesce(c.last_read_at, -1)
  limit ${sql.lit(UNREAD_CAP)}) unread)`;

function viewQuery(db: Db, workspaceId: string) {
  return db.selectFrom('conversations as c')
    .innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('messages as m', (join) => join.on((eb) => eb('m.id', '=', lastMessageId(eb as unknown as Eb))))
    .selectAll('c')
    .select([
      'ct.name as contact_name', 'ct.e164 as contact_e164', 'ct.wa_id as contact_wa_id',
      'm.id as m_id', 'm.direction as m_direction', 'm.type as m_type', 'm.content as m_content',
      'm.status as m_status', 'm.created_at as m_created_at', unreadCount.as('unread_count'),
    ])
    .where('c.workspace_id', '=', workspaceId);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];

function toView(row: ViewRow): ConversationView {
  const { contact_name, contact_e164, contact_wa_id, m_id, m_direction, m_type, m_content, m_status, m_created_at, unread_count, ...conversation } = row;
  return {
    ...toConversationRecord(conversation),
    contact: { id: conversation.contact_id, name: contact_name, e164: contact_e164, waId: contact_wa_id },
    lastMessage: m_id === null || m_type === null
      ? null
      : { id: m_id, direction: m_direction!, type: m_type, preview: previewOf(m_type, fromJson(m_content!)), status: m_status!, createdAt: Number(m_created_at) },
    lastReadAt: conversation.last_read_at === null ? null : Number(conversation.last_read_at),
    unreadCount: Number(unread_count),
  };
}

/** Most recently active first: keyset on (last_message_at desc, id desc); each filter has an index in that order (0012). */
export async function listConversationViews(db: Db, workspaceId: string, filter: ConversationFilter = {}): Promise<Page<ConversationView>> {
  const limit = pageSize(filter.limit);
  const rows = await conversationListQuery(db, workspaceId, filter).execute();
  return toPage(rows.map(toView), limit, (c) => ({ at: c.lastMessageAt, id: c.id }));
}

/** The page's one query (exported so a test can check its plan). */
export function conversationListQuery(db: Db, workspaceId: string, filter: ConversationFilter) {
  const limit = pageSize(filter.limit);
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  let query = viewQuery(db, workspaceId);
  if (filter.inboxId !== undefined) query = query.where('c.inbox_id', '=', filter.inboxId);
  if (filter.state !== undefined) query = query.where('c.state', '=', filter.state);
  if (filter.contactId !== undefined) query = query.where('c.contact_id', '=', filter.contactId);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('c.last_message_at', '<', after.at), eb.and([eb('c.last_message_at', '=', after.at), eb('c.id', '<', after.id)])]),
    );
  }
  return query.orderBy('c.last_message_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1);
}

export async function getConversationView(db: Db, workspaceId: string, conversationId: string): Promise<ConversationView | undefined> {
  const row = await viewQuery(db, workspaceId).where('c.id', '=', conversationId).executeTakeFirst();
  return row && toView(row);
}

/** The conversation's newest customer message that carries a wamid (what a read receipt names). */
export async function lastInboundMessage(db: Db, workspaceId: string, conversationId: string): Promise<{ id: string; wamid: string; createdAt: number } | undefined> {
  const row = await db.selectFrom('messages').select(['id', 'wamid', 'created_at'])
    .where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId)
    .where('direction', '=', 'in').where('wamid', 'is not', null)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && row.wamid !== null ? { id: row.id, wamid: row.wamid, createdAt: Number(row.created_at) } : undefined;
}

/** Moves the read mark forward to `readAt` (never back: a late request cannot unread newer messages). */
export async function recordRead(db: Db, workspaceId: string, conversationId: string, readAt: number, now: number): Promise<void> {
  await db.updateTable('conversations').set({ last_read_at: readAt, updated_at: now })
    .where('workspace_id', '=', workspaceId).where('id', '=', conversationId)
    .where((eb) => eb.or([eb('last_read_at', 'is', null), eb('last_read_at', '<', readAt)]))
    .execute();
}
