// Conversations: one thread per (inbox, contact) with its customer service window. Window times
// only ever move forward, so webhooks processed out of order cannot shorten a window.

import { AppError } from '../../errors.js';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { ConversationRow, ConversationState } from '../rows.js';

export interface ConversationRecord {
  id: string;
  workspaceId: string;
  inboxId: string;
  contactId: string;
  state: ConversationState;
  lastInboundAt: number | null;
  /** End of the 24 h customer service window; null before the customer ever wrote. */
  windowExpiresAt: number | null;
  lastMessageAt: number;
  /** End of a free entry point window (click-to-WhatsApp ad or CTA), if any. */
  entryPointExpiresAt: number | null;
  /** The customer's last message through a free entry point; a reply within 24 h opens the window. */
  entryPointInboundAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export function toConversationRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    inboxId: row.inbox_id,
    contactId: row.contact_id,
    state: row.state,
    lastInboundAt: row.last_inbound_at,
    windowExpiresAt: row.window_expires_at,
    lastMessageAt: row.last_message_at,
    entryPointExpiresAt: row.entry_point_expires_at,
    entryPointInboundAt: row.entry_point_inbound_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type LaterColumn = 'last_inbound_at' | 'window_expires_at' | 'last_message_at' | 'entry_point_expires_at' | 'entry_point_inbound_at';

export interface WindowUpdate {
  inboxId: string;
  contactId: string;
  /** When the customer's message was sent (Meta's timestamp). */
  inboundAt: number;
  /** Computed by core (inboundAt + 24 h). */
  windowExpiresAt: number;
  entryPointExpiresAt?: number | null;
  /** Set when this inbound message came through a free entry point. */
  entryPointInboundAt?: number | null;
  /** State to set (e.g. 'open' when a customer writes); omitted keeps the current state. */
  state?: ConversationState;
  now?: number;
}

/** A conversation row for (inbox, contact) created `now`: open, window closed, unless `fields` say otherwise. */
function newConversationRow(workspaceId: string, inboxId: string, contactId: string, now: number, fields: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id: newId('cv', now), workspace_id: workspaceId, inbox_id: inboxId, contact_id: contactId, state: 'open',
    last_inbound_at: null, window_expires_at: null, last_message_at: now,
    entry_point_expires_at: null, entry_point_inbound_at: null, last_read_at: null, created_at: now, updated_at: now,
    ...fields,
  };
}

/**
 * Opens the conversation for (inbox, contact) or extends its window. Every time column moves
 * forward only (CASE, not GREATEST/MAX, to keep one SQL text for both dialects).
 */
export async function openOrExtendWindow(db: Db, workspaceId: string, input: WindowUpdate): Promise<ConversationRecord> {
  const now = input.now ?? Date.now();
  const row = await db
    .insertInto('conversations')
    .values(newConversationRow(workspaceId, input.inboxId, input.contactId, now, {
      state: input.state ?? 'open',
      last_inbound_at: input.inboundAt,
      window_expires_at: input.windowExpiresAt,
      last_message_at: input.inboundAt,
      entry_point_expires_at: input.entryPointExpiresAt ?? null,
      entry_point_inbound_at: input.entryPointInboundAt ?? null,
    }))
    .onConflict((oc) =>
      oc.columns(['inbox_id', 'contact_id']).doUpdateSet((eb) => {
        const later = (column: LaterColumn) =>
          eb
            .case()
            .when(`conversations.${column}`, 'is', null)
            .then(eb.ref(`excluded.${column}`))
            .when(`excluded.${column}`, '>', eb.ref(`conversations.${column}`))
            .then(eb.ref(`excluded.${column}`))
            .else(eb.ref(`conversations.${column}`))
            .end();
        return {
          last_inbound_at: later('last_inbound_at'),
          window_expires_at: later('window_expires_at'),
          last_message_at: later('last_message_at').$castTo<number>(),
          entry_point_expires_at: later('entry_point_expires_at'),
          entry_point_inbound_at: later('entry_point_inbound_at'),
          // Only a newer inbound message sets the state (reopens a resolved thread): a redelivered or
          // late old one must not undo what an operator did since.
          state: input.state === undefined
            ? eb.ref('conversations.state')
            : eb.case()
              .when(eb.or([eb('conversations.last_inbound_at', 'is', null), eb('excluded.last_inbound_at', '>', eb.ref('conversations.last_inbound_at'))]))
              .then(eb.ref('excluded.state')).else(eb.ref('conversations.state')).end(),
          updated_at: eb.ref('excluded.updated_at'),
        };
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConversationRecord(row);
}

/** The conversation for (inbox, contact), created (window closed) if missing — for outbound-first threads. */
export async function ensureConversation(
  db: Db,
  workspaceId: string,
  input: { inboxId: string; contactId: string; now?: number },
): Promise<ConversationRecord> {
  const now = input.now ?? Date.now();
  await db
    .insertInto('conversations')
    .values(newConversationRow(workspaceId, input.inboxId, input.contactId, now))
    .onConflict((oc) => oc.columns(['inbox_id', 'contact_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('inbox_id', '=', input.inboxId)
    .where('contact_id', '=', input.contactId)
    .executeTakeFirst();
  if (!row) throw new AppError('conversation_not_found', 'The inbox and contact belong to another workspace.');
  return toConversationRecord(row);
}

/** Moves last_message_at forward (a message was stored in the thread). */
export async function touchConversation(db: Db, workspaceId: string, conversationId: string, at: number): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ last_message_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversationId)
    .where('last_message_at', '<', at)
    .execute();
}

export async function setConversationState(
  db: Db,
  workspaceId: string,
  conversationId: string,
  state: ConversationState,
  now = Date.now(),
): Promise<ConversationRecord | undefined> {
  const row = await db
    .updateTable('conversations')
    .set({ state, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversationId)
    .returningAll()
    .executeTakeFirst();
  return row && toConversationRecord(row);
}

export async function getConversation(db: Db, workspaceId: string, conversationId: string): Promise<ConversationRecord | undefined> {
  const row = await db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', conversationId).executeTakeFirst();
  return row && toConversationRecord(row);
}

export async function findConversation(
  db: Db,
  workspaceId: string,
  inboxId: string,
  contactId: string,
): Promise<ConversationRecord | undefined> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('inbox_id', '=', inboxId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return row && toConversationRecord(row);
}

export interface ConversationFilter {
  inboxId?: string;
  state?: ConversationState;
  contactId?: string;
  limit?: number;
  cursor?: string;
}

/** Most recently active first: keyset on (last_message_at desc, id desc). */
export async function listConversations(db: Db, workspaceId: string, filter: ConversationFilter = {}): Promise<Page<ConversationRecord>> {
  const limit = pageSize(filter.limit);
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  let query = db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.inboxId !== undefined) query = query.where('inbox_id', '=', filter.inboxId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.contactId !== undefined) query = query.where('contact_id', '=', filter.contactId);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('last_message_at', '<', after.at), eb.and([eb('last_message_at', '=', after.at), eb('id', '<', after.id)])]),
    );
  }
  const rows = await query.orderBy('last_message_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  return toPage(rows.map(toConversationRecord), limit, (c) => ({ at: c.lastMessageAt, id: c.id }));
}

/** Moves the free entry point window's end forward (a reply opened it); never backwards. */
export async function extendEntryPoint(db: Db, workspaceId: string, conversationId: string, expiresAt: number, now = Date.now()): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ entry_point_expires_at: expiresAt, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversationId)
    .where((eb) => eb.or([eb('entry_point_expires_at', 'is', null), eb('entry_point_expires_at', '<', expiresAt)]))
    .execute();
}
