// The outbox: one row per outbound message waiting to be sent. Senders claim rows with a lease
// (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one atomic UPDATE … RETURNING), then complete,
// reschedule or release them. An expired lease makes a row claimable again, so a crashed sender
// loses nothing. Claiming spans workspaces (the sender serves all); per-row calls take the workspace.

import { dialectOf, type Db } from '../db.js';
import type { OutboxRow } from '../rows.js';

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
}

function toItem(row: OutboxRow): OutboxItem {
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
  };
}

export interface ClaimOptions {
  /** Who claims (worker id); later calls must present it. */
  owner: string;
  limit: number;
  leaseMs: number;
  now?: number;
}

/** Claims up to `limit` due rows (not_before ≤ now, unclaimed or lease expired), oldest first. */
export async function claimOutbox(db: Db, opts: ClaimOptions): Promise<OutboxItem[]> {
  const now = opts.now ?? Date.now();
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('not_before', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('not_before')
    .orderBy('id')
    .limit(Math.max(1, Math.trunc(opts.limit)))
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate().skipLocked());
  const rows = await db
    .updateTable('outbox')
    .set((eb) => ({ claimed_by: opts.owner, claimed_until: now + opts.leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toItem).sort((a, b) => a.notBefore - b.notBefore || (a.id < b.id ? -1 : 1));
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

/** Retry later: releases the lease and sets not_before. False if the lease was lost. */
export async function rescheduleOutbox(db: Db, workspaceId: string, outboxId: string, owner: string, notBefore: number): Promise<boolean> {
  const result = await ownRow(db, workspaceId, outboxId, owner).set({ not_before: notBefore, claimed_by: null, claimed_until: null }).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
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
 * Keeps the lease but moves not_before to `notBefore` before a Cloud API call: if this process dies
 * mid-call, the row only becomes claimable after that time, giving a status webhook (which carries
 * our message id) the chance to reconcile the message first. False if the lease was lost.
 */
export async function markOutboxInFlight(db: Db, workspaceId: string, outboxId: string, owner: string, notBefore: number): Promise<boolean> {
  const result = await ownRow(db, workspaceId, outboxId, owner).set({ not_before: notBefore }).executeTakeFirst();
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
