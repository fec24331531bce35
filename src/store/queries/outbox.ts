// The outbox: one row per outbound message waiting to be sent. Senders claim rows with a lease
// (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one atomic UPDATE … RETURNING), then complete,
// reschedule or release them. An expired lease makes a row claimable again, so a crashed sender
// loses nothing. Claiming spans workspaces (the sender serves all); per-row calls take the workspace.

import { sql, type Selectable } from 'kysely';
import { dialectOf, type Db } from '../db.js';
import type { MessageRow, OutboxRow } from '../rows.js';
import { placeholderRows, powerOfTwoChunks, runRawSql } from '../raw-sql.js';
import { replaceableBy } from './message-statuses.js';
import { toMessageRecord, type MessageRecord } from './messages.js';

export interface OutboxItem {
  id: string;
  workspaceId: string;
  messageId: string;
  inboxId: string;
  /** The recipient's wa_id. */
  recipient: string;
  notBefore: number;
  /** Times this row has been claimed, this claim included. */
  attempts: number;
  claimedBy: string | null;
  claimedUntil: number | null;
  createdAt: number;
  /** Lane (LANE_REPLY, LANE_CAMPAIGN in outbound-batch.ts): lower lanes are claimed first. */
  priority: number;
}

function toItem(row: Selectable<OutboxRow>): OutboxItem {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    messageId: row.message_id,
    inboxId: row.inbox_id,
    recipient: row.recipient,
    notBefore: row.not_before,
    attempts: row.attempts,
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until,
    createdAt: row.created_at,
    priority: row.priority,
  };
}

export interface ClaimOptions {
  /** Who claims (worker id); later calls must present it. */
  owner: string;
  limit: number;
  leaseMs: number;
  now?: number;
  /**
   * Marks the claimed rows in flight in the same statement: their not_before moves here, so a row
   * whose sender dies mid-call is taken again only after this (the reconcile grace), not sooner.
   */
  inFlightUntil?: number;
  /** Only rows of lanes up to this one (e.g. LANE_REPLY: replies only). */
  maxPriority?: number;
}

/**
 * Claims up to `limit` due rows (not_before ≤ now, unclaimed or lease expired): the lowest lane
 * first, oldest first within it — one walk of the outbox_lanes index in its order.
 */
export async function claimOutbox(db: Db, opts: ClaimOptions): Promise<OutboxItem[]> {
  const now = opts.now ?? Date.now();
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('not_before', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .$if(opts.maxPriority !== undefined, (qb) => qb.where('priority', '<=', opts.maxPriority!))
    .orderBy('priority')
    .orderBy('not_before')
    .orderBy('id')
    .limit(Math.max(1, Math.trunc(opts.limit)))
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate().skipLocked());
  const rows = await db
    .updateTable('outbox')
    .set((eb) => ({
      claimed_by: opts.owner, claimed_until: now + opts.leaseMs, attempts: eb('attempts', '+', 1),
      ...(opts.inFlightUntil !== undefined ? { not_before: opts.inFlightUntil } : {}),
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  // Lane, then ids (time-ordered): oldest first (not_before may just have been overwritten).
  return rows.map(toItem).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
}

function ownRow(db: Db, workspaceId: string, outboxId: string, owner: string) {
  return db.updateTable('outbox').where('workspace_id', '=', workspaceId).where('id', '=', outboxId).where('claimed_by', '=', owner);
}

/** The message went out (or failed for good): the row leaves the outbox. False if the lease was lost. */
export async function completeOutbox(db: Db, workspaceId: string, outboxId: string, owner: string): Promise<boolean> {
  const result = await db
    .deleteFrom('outbox')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', outboxId)
    .where('claimed_by', '=', owner)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Retry later: releases the lease and sets not_before (a failed attempt). False if the lease was lost. */
export function rescheduleOutbox(db: Db, workspaceId: string, outboxId: string, owner: string, notBefore: number): Promise<boolean> {
  return deferOutbox(db, workspaceId, outboxId, owner, notBefore, true);
}

/** Gives the row back untouched (e.g. on shutdown) and undoes this claim's attempt count. */
export async function releaseOutbox(db: Db, workspaceId: string, outboxId: string, owner: string): Promise<boolean> {
  const result = await ownRow(db, workspaceId, outboxId, owner)
    .set((eb) => ({ claimed_by: null, claimed_until: null, attempts: eb('attempts', '-', 1) }))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Clears every lease that ran out before `now` (a crashed sender's rows); returns how many. */
export async function releaseExpiredOutboxLeases(db: Db, now = Date.now()): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ claimed_by: null, claimed_until: null })
    .where('claimed_until', 'is not', null)
    .where('claimed_until', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function getOutboxItem(db: Db, workspaceId: string, outboxId: string): Promise<OutboxItem | undefined> {
  const row = await db.selectFrom('outbox').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', outboxId).executeTakeFirst();
  return row && toItem(row);
}

/** Rows waiting (claimed or not), for metrics and tests; all workspaces unless one is given. */
export async function countOutbox(db: Db, workspaceId?: string): Promise<number> {
  let query = db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n'));
  if (workspaceId !== undefined) query = query.where('workspace_id', '=', workspaceId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Before a Cloud API call: moves not_before to `notBefore` (if this process dies mid-call, the row
 * comes back only after that, giving a status webhook carrying our message id the chance to
 * reconcile the message first) and, with `claimedUntil`, renews the lease. False if the lease was
 * lost to another sender — then this one must not send.
 */
export async function markOutboxInFlight(
  db: Db, workspaceId: string, outboxId: string, owner: string, notBefore: number, claimedUntil?: number,
): Promise<boolean> {
  const result = await ownRow(db, workspaceId, outboxId, owner)
    .set({ not_before: notBefore, ...(claimedUntil !== undefined ? { claimed_until: claimedUntil } : {}) })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Releases the lease and defers the row to `notBefore`. `countsAsAttempt: false` (pacing, not a
 * failure) undoes this claim's attempt count, so only real send failures use up attempts.
 */
export async function deferOutbox(
  db: Db, workspaceId: string, outboxId: string, owner: string, notBefore: number, countsAsAttempt: boolean,
): Promise<boolean> {
  const result = await ownRow(db, workspaceId, outboxId, owner)
    .set((eb) => ({
      not_before: notBefore, claimed_by: null, claimed_until: null,
      attempts: countsAsAttempt ? eb.ref('attempts') : eb('attempts', '-', 1),
    }))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * `workspace_id` as an expression, for `id IN (…)` batches: SQLite has no statistics here and would
 * otherwise walk the workspace's index (every row of the tenant) instead of the primary key. The
 * tenancy check still applies to each row; PostgreSQL plans it by primary key either way.
 */
const tenantOf = sql<string>`(${sql.ref('workspace_id')} || '')`;

/** The messages of claimed outbox rows in one query, by message id (each row's own workspace only). */
export async function getOutboxMessages(db: Db, items: OutboxItem[]): Promise<Map<string, MessageRecord>> {
  if (items.length === 0) return new Map();
  const wanted = new Map(items.map((item) => [item.messageId, item.workspaceId]));
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where(tenantOf, 'in', [...new Set(wanted.values())])
    .where('id', 'in', [...wanted.keys()])
    .execute();
  return new Map(rows.filter((row) => wanted.get(row.id) === row.workspace_id).map((row) => [row.id, toMessageRecord(row)]));
}

/** completeOutbox for many rows of one workspace in one DELETE; returns how many left the outbox. */
export async function completeOutboxBatch(db: Db, workspaceId: string, outboxIds: string[], owner: string): Promise<number> {
  let deleted = 0;
  for (const ids of powerOfTwoChunks(outboxIds)) {
    const result = await runRawSql(
      db, `complete-outbox:${ids.length}`,
      () => `delete from outbox where id in (${placeholderRows(ids.length, '?')}) and workspace_id = ? and claimed_by = ?`,
      [...ids, workspaceId, owner],
    );
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}

export interface SentRecord {
  outboxId: string;
  messageId: string;
  /** Meta's id from the send answer. */
  wamid: string | undefined;
  sentAt: number;
}

/** A message's delivery state after completeSentBatch (merge it onto the record read before sending). */
export type SentState = Pick<MessageRecord, 'status' | 'wamid' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt' | 'updatedAt'>;

/**
 * `sent (id, wamid)` joined to messages by primary key: every message moves to `sent` by applyStatus's
 * rules (only from a lower-ranked status; the wamid filled only while empty; sent_at keeps the
 * earliest time). The status list is a constant of the code, not input.
 */
const sentBatchSql = (rows: number): string => `with sent (id, wamid) as (values ${placeholderRows(rows, '(?, cast(? as text))')})
update messages set
  status = case when status in (${replaceableBy('sent').map((s) => `'${s}'`).join(', ')}) then 'sent' else status end,
  wamid = coalesce(messages.wamid, sent.wamid),
  sent_at = case when sent_at is null or sent_at > ? then ? else sent_at end,
  updated_at = ?
from sent
where messages.id = sent.id and messages.workspace_id = ? and messages.direction = 'out'
returning messages.id, messages.status, messages.wamid, messages.sent_at, messages.delivered_at, messages.read_at, messages.failed_at, messages.updated_at`;

type SentRow = Pick<MessageRow, 'id' | 'status' | 'wamid' | 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at' | 'updated_at'>;

/**
 * Records successful sends of one workspace in two statements instead of two per message: the
 * messages move to `sent` with their wamids (one sent time for the batch, its earliest answer — the
 * answers arrive within milliseconds and Meta's `sent` webhook refines it, earliest wins), then the
 * outbox rows this owner holds are deleted. The statements are SQL text cached per chunk size (powers
 * of two): built through the query builder they cost as much as SQLite's own work. Run it inside a transaction.
 * Returns each updated message's delivery state by id (not the whole wide row).
 */
export async function completeSentBatch(db: Db, workspaceId: string, owner: string, sends: SentRecord[]): Promise<Map<string, SentState>> {
  if (sends.length === 0) return new Map();
  const now = Math.max(...sends.map((s) => s.sentAt));
  const sentAt = Math.min(...sends.map((s) => s.sentAt));
  const rows: SentRow[] = [];
  for (const chunk of powerOfTwoChunks(sends)) {
    const params: unknown[] = chunk.flatMap((s) => [s.messageId, s.wamid ?? null]);
    params.push(sentAt, sentAt, now, workspaceId);
    rows.push(...(await runRawSql<SentRow>(db, `complete-sent:${chunk.length}`, () => sentBatchSql(chunk.length), params)).rows);
  }
  await completeOutboxBatch(db, workspaceId, sends.map((s) => s.outboxId), owner);
  return new Map(rows.map((row) => [row.id, {
    status: row.status, wamid: row.wamid, sentAt: row.sent_at, deliveredAt: row.delivered_at,
    readAt: row.read_at, failedAt: row.failed_at, updatedAt: row.updated_at,
  }]));
}

/**
 * Whether a stored webhook not yet processed — pending, or leased to a worker that may have died
 * with the sender — names this message (our id travels in biz_opaque_callback_data). A re-claimed
 * row whose send may have reached Meta waits for such a webhook instead of sending again.
 */
export async function hasUnprocessedWebhookFor(db: Db, messageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_events')
    .select('id')
    .where('status', 'in', ['pending', 'processing'])
    .where('payload', 'like', `%${messageId}%`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
