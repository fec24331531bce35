// Conversations: one thread per (inbox, contact) with its customer service window, assignee, team,
// state and priority. Window times only ever move forward, so webhooks processed out of order cannot
// shorten a window.

import { AppError } from '../../errors.js';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../prepared.js';
import type { ScopePredicate } from '../../core/visibility.js';
import type { ConversationPriority, ConversationRow, ConversationState } from '../rows.js';

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
  assigneeId: string | null;
  teamId: string | null;
  priority: ConversationPriority;
  /** With state 'snoozed': when it wakes; null = until the customer replies. */
  snoozedUntil: number | null;
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
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    priority: row.priority,
    snoozedUntil: row.snoozed_until === null ? null : Number(row.snoozed_until),
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
    assignee_id: null, team_id: null, priority: 'none', snoozed_until: null, waiting_since: null,
    ...fields,
  };
}

/**
 * Opens the conversation for (inbox, contact) or extends its window. Every time column moves
 * forward only (CASE, not GREATEST/MAX, to keep one SQL text for both dialects). A newer customer
 * message reopens a pending, snoozed or resolved thread and starts its wait if the business had
 * answered (last_message_at past last_inbound_at means an outbound message came after it).
 */
export async function openOrExtendWindow(db: Db, workspaceId: string, input: WindowUpdate): Promise<ConversationRecord> {
  const now = input.now ?? Date.now();
  const row = newConversationRow(workspaceId, input.inboxId, input.contactId, now, {
    state: input.state ?? 'open',
    last_inbound_at: input.inboundAt,
    window_expires_at: input.windowExpiresAt,
    last_message_at: input.inboundAt,
    entry_point_expires_at: input.entryPointExpiresAt ?? null,
    entry_point_inbound_at: input.entryPointInboundAt ?? null,
    waiting_since: input.inboundAt,
  });
  const keepState = input.state === undefined;
  const stored = await OPEN_OR_EXTEND.first(db, row, { keepState }, keepState ? 'keep-state' : 'set-state');
  return toConversationRecord(stored!);
}

/** Every inbound message runs it: compiled once per shape (store/prepared.ts). */
const OPEN_OR_EXTEND = preparedQuery('conversations.openOrExtend', (db, p: ConversationRow, shape: { keepState: boolean }) => db
  .insertInto('conversations')
  .values(p)
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
      const newer = eb.or([eb('conversations.last_inbound_at', 'is', null), eb('excluded.last_inbound_at', '>', eb.ref('conversations.last_inbound_at'))]);
      const answered = eb.or([eb('conversations.waiting_since', 'is', null), eb('conversations.last_message_at', '>', eb.ref('conversations.last_inbound_at'))]);
      return {
        last_inbound_at: later('last_inbound_at'),
        window_expires_at: later('window_expires_at'),
        last_message_at: later('last_message_at').$castTo<number>(),
        entry_point_expires_at: later('entry_point_expires_at'),
        entry_point_inbound_at: later('entry_point_inbound_at'),
        // Only a newer inbound message sets the state (reopens a resolved thread): a redelivered or
        // late old one must not undo what an operator did since.
        state: shape.keepState
          ? eb.ref('conversations.state')
          : eb.case().when(newer).then(eb.ref('excluded.state')).else(eb.ref('conversations.state')).end(),
        snoozed_until: shape.keepState
          ? eb.ref('conversations.snoozed_until')
          : eb.case().when(newer).then(null).else(eb.ref('conversations.snoozed_until')).end(),
        waiting_since: eb.case().when(eb.and([newer, answered])).then(eb.ref('excluded.waiting_since'))
          .else(eb.ref('conversations.waiting_since')).end(),
        updated_at: eb.ref('excluded.updated_at'),
      };
    }),
  )
  .returningAll());

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
  return updateConversationStatus(db, workspaceId, conversationId, { state, snoozedUntil: null }, now);
}

/** State (with its snooze time; null when not snoozed or snoozed until the customer replies) and priority. */
export async function updateConversationStatus(
  db: Db, workspaceId: string, conversationId: string,
  patch: { state?: ConversationState; snoozedUntil?: number | null; priority?: ConversationPriority }, now: number,
  /** Only while its state is not yet `patch.state` (undefined when it already was): who made the change, of two at once. */
  opts: { onlyIfChanging?: boolean } = {},
): Promise<ConversationRecord | undefined> {
  let query = db
    .updateTable('conversations')
    .set({
      updated_at: now,
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.snoozedUntil !== undefined ? { snoozed_until: patch.snoozedUntil } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversationId);
  if (opts.onlyIfChanging && patch.state !== undefined) query = query.where('state', '<>', patch.state);
  const row = await query.returningAll().executeTakeFirst();
  return row && toConversationRecord(row);
}

/** Sets assignee and team (each only when given) and records the change with its note, in one transaction. */
export async function assignConversation(
  db: Db, workspaceId: string, conversationId: string,
  input: { assigneeId?: string | null; teamId?: string | null; byUserId: string | null; note: string | null; now: number },
): Promise<ConversationRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('conversations')
      .set({
        updated_at: input.now,
        ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
        ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
      })
      .where('workspace_id', '=', workspaceId).where('id', '=', conversationId)
      .returningAll().executeTakeFirst();
    if (!row) return undefined;
    await trx.insertInto('conversation_assignments').values({
      id: newId('asg', input.now), workspace_id: workspaceId, conversation_id: conversationId,
      assignee_id: row.assignee_id, team_id: row.team_id, by_user_id: input.byUserId, note: input.note, created_at: input.now,
    }).execute();
    return toConversationRecord(row);
  });
}

/** Snoozed conversations whose time has come are open again (for a timer worker); returns them. */
export async function wakeSnoozedConversations(db: Db, workspaceId: string, now: number): Promise<ConversationRecord[]> {
  const rows = await db.updateTable('conversations').set({ state: 'open', snoozed_until: null, updated_at: now })
    .where('workspace_id', '=', workspaceId).where('state', '=', 'snoozed')
    .where('snoozed_until', 'is not', null).where('snoozed_until', '<=', now)
    .returningAll().execute();
  return rows.map(toConversationRecord);
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
  const row = await CONVERSATION_OF_CONTACT.first(db, { workspaceId, inboxId, contactId });
  return row && toConversationRecord(row);
}

/** Every send runs it: compiled once (store/prepared.ts). */
const CONVERSATION_OF_CONTACT = preparedQuery('conversations.ofContact', (db, p: { workspaceId: string; inboxId: string; contactId: string }) => db
  .selectFrom('conversations')
  .selectAll()
  .where('workspace_id', '=', p.workspaceId)
  .where('inbox_id', '=', p.inboxId)
  .where('contact_id', '=', p.contactId));

export interface ConversationFilter {
  inboxId?: string;
  state?: ConversationState;
  contactId?: string;
  limit?: number;
  cursor?: string;
  // The inbox's list (store/queries/conversation-views.ts only):
  assigneeId?: string;
  teamId?: string;
  priority?: ConversationPriority;
  /** Service window open or closed at `now`. */
  window?: 'open' | 'closed';
  now?: number;
  /** last_activity (default): newest first; waiting: oldest unanswered customer message first; priority: highest first. */
  sort?: 'last_activity' | 'waiting' | 'priority';
  /** Visibility rule and folder, from core/visibility.ts; both must hold. */
  scopes?: ScopePredicate[];
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

export interface AssignmentRecord { id: string; assigneeId: string | null; teamId: string | null; byUserId: string | null; note: string | null; createdAt: number }

/** The conversation's assignment history, oldest first (at most `limit`, newest kept). */
export async function listAssignments(db: Db, workspaceId: string, conversationId: string, limit = 100): Promise<AssignmentRecord[]> {
  const rows = await db.selectFrom('conversation_assignments').selectAll()
    .where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.reverse().map((r) => ({ id: r.id, assigneeId: r.assignee_id, teamId: r.team_id, byUserId: r.by_user_id, note: r.note, createdAt: Number(r.created_at) }));
}
