// Messages in and out. Inbound rows are idempotent by (inbox, wamid); outbound rows enter the outbox
// in the same transaction; statuses only move forward, whatever order webhooks arrive in.

import { sql, type Insertable, type SqlBool } from 'kysely';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import { fromFlag, fromJson, toFlag, toJson } from '../codec.js';
import { withTransaction, type Db } from '../db.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../prepared.js';
import type { Direction, MessageRow, MessageStatus } from '../rows.js';
import { touchConversation } from './conversations.js';

export interface MessageRecord {
  id: string;
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  contactId: string;
  direction: Direction;
  type: string;
  content: unknown;
  template: { name: string; language: string | null; params: unknown; category: string | null } | null;
  replyToMessageId: string | null;
  replyToWamid: string | null;
  wamid: string | null;
  status: MessageStatus;
  queuedAt: number | null;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
  error: { code: number | null; title: string | null; details: string | null } | null;
  policy: unknown;
  pricing: { category: string | null; type: string | null; billable: boolean | null; costMicros: number | null };
  outsideWindow: boolean;
  mediaId: string | null;
  createdAt: number;
  updatedAt: number;
}

export function toMessageRecord(row: MessageRow): MessageRecord {
  const hasError = row.error_code !== null || row.error_title !== null;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    inboxId: row.inbox_id,
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    direction: row.direction,
    type: row.type,
    content: fromJson<unknown>(row.content),
    template:
      row.template_name === null
        ? null
        : { name: row.template_name, language: row.template_language, params: fromJson<unknown>(row.template_params), category: row.template_category },
    replyToMessageId: row.reply_to_message_id,
    replyToWamid: row.reply_to_wamid,
    wamid: row.wamid,
    status: row.status,
    queuedAt: row.queued_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    failedAt: row.failed_at,
    error: hasError ? { code: row.error_code, title: row.error_title, details: row.error_details } : null,
    policy: fromJson<unknown>(row.policy),
    pricing: {
      category: row.pricing_category,
      type: row.pricing_type,
      billable: fromFlag(row.pricing_billable),
      costMicros: row.cost_micros,
    },
    outsideWindow: fromFlag(row.outside_window),
    mediaId: row.media_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

interface MessageBase {
  id?: string;
  inboxId: string;
  conversationId: string;
  contactId: string;
  type: string;
  content: unknown;
  replyToMessageId?: string | null;
  replyToWamid?: string | null;
  mediaId?: string | null;
  now?: number;
}

function baseRow(workspaceId: string, input: MessageBase, direction: Direction, status: MessageStatus, createdAt: number, now: number): Insertable<MessageRow> {
  return {
    id: input.id ?? newId('msg', now),
    workspace_id: workspaceId,
    inbox_id: input.inboxId,
    conversation_id: input.conversationId,
    contact_id: input.contactId,
    direction,
    type: input.type,
    content: toJson(input.content),
    reply_to_message_id: input.replyToMessageId ?? null,
    reply_to_wamid: input.replyToWamid ?? null,
    media_id: input.mediaId ?? null,
    status,
    outside_window: 0,
    created_at: createdAt,
    updated_at: now,
  };
}

export interface NewInboundMessage extends MessageBase {
  wamid: string;
  /** Meta's timestamp of the message; orders it in the thread. Defaults to now. */
  sentAt?: number;
}

/** Stores an inbound message once per (inbox, wamid); a redelivered webhook returns inserted: false. */
export async function insertInboundMessage(
  db: Db,
  workspaceId: string,
  input: NewInboundMessage,
): Promise<{ message: MessageRecord; inserted: boolean }> {
  const now = input.now ?? Date.now();
  const row = { ...baseRow(workspaceId, input, 'in', 'received', input.sentAt ?? now, now), wamid: input.wamid };
  const inserted = await INSERT_INBOUND.first(db, row);
  if (inserted) return { message: toMessageRecord(inserted), inserted: true };
  const existing = await findInboundByWamid(db, workspaceId, input.inboxId, input.wamid);
  if (!existing) throw new Error(`wamid ${input.wamid} exists in inbox ${input.inboxId} but not in this workspace`);
  return { message: existing, inserted: false };
}

export interface NewOutboundMessage extends MessageBase {
  template?: { name: string; language: string; params?: unknown; category?: string | null } | null;
  /** The policy decision (allow or deny with its reason), stored as JSON. */
  policy?: unknown;
  /** Sent while the service window was closed: counts toward the messaging limit. */
  outsideWindow?: boolean;
  pricing?: { category?: string | null; type?: string | null; billable?: boolean | null; costMicros?: number | null };
}

/**
 * Stores an outbound message and, when `enqueue` is given, its outbox row (status queued), touching
 * the conversation — all in one transaction. Without `enqueue` the message is stored as `denied`.
 */
export async function insertOutboundMessage(
  db: Db,
  workspaceId: string,
  input: NewOutboundMessage,
  enqueue: { recipient: string; notBefore?: number } | null,
): Promise<{ message: MessageRecord; outboxId: string | null }> {
  const now = input.now ?? Date.now();
  const row: Insertable<MessageRow> = {
    ...baseRow(workspaceId, input, 'out', enqueue ? 'queued' : 'denied', now, now),
    template_name: input.template?.name ?? null,
    template_language: input.template?.language ?? null,
    template_params: input.template?.params === undefined ? null : toJson(input.template.params),
    template_category: input.template?.category ?? null,
    policy: input.policy === undefined ? null : toJson(input.policy),
    outside_window: toFlag(input.outsideWindow ?? false),
    queued_at: enqueue ? now : null,
    pricing_category: input.pricing?.category ?? null,
    pricing_type: input.pricing?.type ?? null,
    pricing_billable: input.pricing?.billable == null ? null : toFlag(input.pricing.billable),
    cost_micros: input.pricing?.costMicros ?? null,
  };
  return withTransaction(db, async (trx) => {
    const stored = await trx.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow();
    let outboxId: string | null = null;
    if (enqueue) {
      outboxId = newId('obx', now);
      await trx
        .insertInto('outbox')
        .values({
          id: outboxId,
          workspace_id: workspaceId,
          message_id: stored.id,
          inbox_id: stored.inbox_id,
          recipient: enqueue.recipient,
          not_before: enqueue.notBefore ?? now,
          attempts: 0,
          created_at: now,
        })
        .execute();
    }
    if (enqueue && row.outside_window === 1) {
      // Counted toward the portfolio's messaging limit from now (see outOfWindowRecipients).
      await trx
        .updateTable('contacts')
        .set((eb) => ({
          limit_counted_at: eb.case().when(eb.or([eb('limit_counted_at', 'is', null), eb('limit_counted_at', '<', now)])).then(now).else(eb.ref('limit_counted_at')).end(),
        }))
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', stored.contact_id)
        .execute();
    }
    await touchConversation(trx, workspaceId, stored.conversation_id, now);
    return { message: toMessageRecord(stored), outboxId };
  });
}

export async function getMessage(db: Db, workspaceId: string, messageId: string): Promise<MessageRecord | undefined> {
  const row = await MESSAGE_BY_ID.first(db, { workspaceId, messageId });
  return row && toMessageRecord(row);
}

const MESSAGE_BY_ID = preparedQuery('messages.byId', (db, p: { workspaceId: string; messageId: string }) =>
  db.selectFrom('messages').selectAll().where('workspace_id', '=', p.workspaceId).where('id', '=', p.messageId));

/**
 * Only inbound wamids are indexed (unique per inbox, partial index `messages_inbound_wamid`). The
 * predicate is literal SQL: a bound parameter would not let SQLite prove the partial index applies.
 */
const INBOUND = sql<SqlBool>`direction = 'in'`;
const OUTBOUND = sql<SqlBool>`direction = 'out'`;

/** Every inbound message runs it: compiled once (store/prepared.ts). */
const INSERT_INBOUND = preparedQuery('messages.insertInbound', (db, p: Insertable<MessageRow>) => db
  .insertInto('messages')
  .values(p)
  .onConflict((oc) => oc.columns(['inbox_id', 'wamid']).where(INBOUND).doNothing())
  .returningAll());

/** A received message by its wamid. */
export async function findInboundByWamid(db: Db, workspaceId: string, inboxId: string, wamid: string): Promise<MessageRecord | undefined> {
  const row = await INBOUND_BY_WAMID.first(db, { workspaceId, inboxId, wamid });
  return row && toMessageRecord(row);
}

const INBOUND_BY_WAMID = preparedQuery('messages.inboundByWamid', (db, p: { workspaceId: string; inboxId: string; wamid: string }) => db
  .selectFrom('messages')
  .selectAll()
  .where('inbox_id', '=', p.inboxId)
  .where('wamid', '=', p.wamid)
  .where(INBOUND)
  .where('workspace_id', '=', p.workspaceId));

/**
 * A message sent to `contactId` from this inbox, by its wamid. Outbound wamids are not indexed (random
 * keys made every recorded send write a random page), so the contact's messages are searched;
 * statuses find theirs by our id first.
 */
export async function findSentByWamid(
  db: Db, workspaceId: string, inboxId: string, wamid: string, contactId: string,
): Promise<MessageRecord | undefined> {
  const row = await SENT_BY_WAMID.first(db, { workspaceId, inboxId, wamid, contactId });
  return row && toMessageRecord(row);
}

const SENT_BY_WAMID = preparedQuery('messages.sentByWamid', (db, p: { workspaceId: string; inboxId: string; wamid: string; contactId: string }) => db
  .selectFrom('messages')
  .selectAll()
  .where('workspace_id', '=', p.workspaceId)
  .where('contact_id', '=', p.contactId)
  .where('wamid', '=', p.wamid)
  .where('inbox_id', '=', p.inboxId)
  .where(OUTBOUND));

/** A message of this inbox by its wamid, received or sent to `contactId` (a reply's or reaction's target). */
export async function findMessageByWamid(
  db: Db, workspaceId: string, inboxId: string, wamid: string, contactId: string,
): Promise<MessageRecord | undefined> {
  return (await findInboundByWamid(db, workspaceId, inboxId, wamid)) ?? findSentByWamid(db, workspaceId, inboxId, wamid, contactId);
}

/** Links a stored media row to a message (e.g. after an inbound download finished). */
export async function setMessageMedia(db: Db, workspaceId: string, messageId: string, mediaId: string, now = Date.now()): Promise<void> {
  await db.updateTable('messages').set({ media_id: mediaId, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', messageId).execute();
}

/** A conversation's messages, newest first by default: keyset on (created_at, id). */
export async function listConversationMessages(
  db: Db,
  workspaceId: string,
  conversationId: string,
  opts: { limit?: number; cursor?: string; order?: 'asc' | 'desc' } = {},
): Promise<Page<MessageRecord>> {
  const limit = pageSize(opts.limit);
  const order = opts.order ?? 'desc';
  const cmp = order === 'desc' ? '<' : '>';
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
  let query = db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId);
  if (after) {
    query = query.where((eb) => eb.or([eb('created_at', cmp, after.at), eb.and([eb('created_at', '=', after.at), eb('id', cmp, after.id)])]));
  }
  const rows = await query.orderBy('created_at', order).orderBy('id', order).limit(limit + 1).execute();
  return toPage(rows.map(toMessageRecord), limit, (m) => ({ at: m.createdAt, id: m.id }));
}

/** Outbound statuses that count toward the messaging limit: queued (reserved) or on its way. */
const COUNTED: MessageStatus[] = ['queued', 'sent', 'delivered', 'read'];

/**
 * Unique recipients of out-of-window outbound messages created since `since` (now − 24 h for the
 * moving window), for the messaging-limit budget, and the earliest of their latest such messages
 * (when the budget is used up, the first slot frees 24 h after it). Queued messages count as
 * reservations. Each contact keeps the time of its latest such message (`limit_counted_at`, kept by
 * insertOutboundMessage and recountLimitRecipient), so this is one index range over contacts.
 * https://developers.facebook.com/docs/whatsapp/messaging-limits
 */
export async function outOfWindowRecipients(db: Db, workspaceId: string, since: number): Promise<{ count: number; oldestAt: number | null }> {
  const row = await db
    .selectFrom('contacts')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('limit_counted_at').as('oldest')])
    .where('workspace_id', '=', workspaceId)
    .where('limit_counted_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldestAt: row.oldest == null ? null : Number(row.oldest) };
}

/**
 * The lock (withLock) under which a workspace's messaging-limit slots are counted and taken, and given
 * back when a message fails: one per workspace, held across processes on PostgreSQL.
 */
export const messagingLimitLock = (workspaceId: string): string => `messaging-limit:${workspaceId}`;

/** Whether this contact already counts toward the budget since `since` (a repeat costs nothing). */
export async function isOutOfWindowRecipient(db: Db, workspaceId: string, contactId: string, since: number): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .where('limit_counted_at', '>=', since)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sets a contact's `limit_counted_at` back to its latest counted message (none: null), after one of
 * its out-of-window messages failed: a failed message does not count toward the messaging limit.
 */
export async function recountLimitRecipient(db: Db, workspaceId: string, contactId: string): Promise<void> {
  await db
    .updateTable('contacts')
    .set((eb) => ({
      limit_counted_at: eb
        .selectFrom('messages')
        .select((m) => m.fn.max('created_at').as('at'))
        .where('workspace_id', '=', workspaceId)
        .where('contact_id', '=', contactId)
        .where(OUTBOUND)
        .where('outside_window', '=', 1)
        .where('status', 'in', COUNTED),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .execute();
}
