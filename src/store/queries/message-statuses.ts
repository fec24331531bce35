// Persists an outbound message's status. The merge rule lives in core; this write is the safety net
// that keeps concurrent or out-of-order applies monotonic: sent < delivered < read, failed final.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object

import { withLock, type Db } from '../db.js';
import { toFlag } from '../codec.js';
import type { MessageStatus } from '../rows.js';
import { messagingLimitLock, recountLimitRecipient, toMessageRecord, type MessageRecord } from './messages.js';

export type OutboundStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** Rank of every outbound status; a status may replace only a lower-ranked one. */
const RANK: Record<MessageStatus, number> = {
  pending: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  denied: 5, // never sent: final
  received: 5, // inbound: statuses never apply
};

/**
 * Statuses `status` may replace. `failed` replaces only what has not reached the phone: once
 * delivered or read, a failure (late, or from a second worker) changes nothing — as in core/statuses.
 */
export function replaceableBy(status: OutboundStatus): MessageStatus[] {
  if (status === 'failed') return ['pending', 'queued', 'sent'];
  return (Object.keys(RANK) as MessageStatus[]).filter((s) => RANK[s] < RANK[status]);
}

export interface StatusUpdate {
  status: OutboundStatus;
  /** Recorded if the message has none yet (send result lost in a crash, reconciled by webhook). */
  wamid?: string;
  queuedAt?: number;
  sentAt?: number;
  deliveredAt?: number;
  readAt?: number;
  failedAt?: number;
  /** Meta's error, written only when the message becomes failed. */
  error?: { code: number | null; title: string | null; details?: string | null };
  /** Written when given, whatever the status (pricing arrives with sent or delivered). */
  pricing?: { category?: string | null; type?: string | null; billable?: boolean | null; costMicros?: number | null };
  now?: number;
}

/**
 * Applies a merged status to an outbound message in one UPDATE. `status` changes only if the stored
 * one ranks lower; each `*_at` keeps the earliest time given; so a late `sent` after `read` changes
 * nothing but an empty sent_at, and concurrent applies cannot move a message backwards.
 * Returns the stored message afterwards, or undefined if the workspace has no such outbound message.
 */
export async function applyStatus(db: Db, workspaceId: string, messageId: string, update: StatusUpdate): Promise<MessageRecord | undefined> {
  if (update.status !== 'failed') {
    const row = await updateStatus(db, workspaceId, messageId, update);
    return row && toMessageRecord(row);
  }
  // A failed message outside the service window no longer counts toward the messaging limit: the
  // failure and the recount are one transaction (a crash cannot leave the contact counted), under the
  // lock that sends outside the window take (a send cannot interleave between the count and the write).
  return withLock(db, messagingLimitLock(workspaceId), async (trx) => {
    const row = await updateStatus(trx, workspaceId, messageId, update);
    if (row && row.status === 'failed' && row.outside_window === 1) await recountLimitRecipient(trx, workspaceId, row.contact_id);
    return row && toMessageRecord(row);
  });
}

/** The merging UPDATE itself; the stored row afterwards. */
async function updateStatus(db: Db, workspaceId: string, messageId: string, update: StatusUpdate) {
  const now = update.now ?? Date.now();
  const lower = replaceableBy(update.status);
  return db
    .updateTable('messages')
    .set((eb) => {
      const advancing = eb('status', 'in', lower);
      const ifAdvancing = <C extends 'error_code' | 'error_title' | 'error_details'>(column: C, value: unknown) =>
        eb.case().when(advancing).then(eb.val(value)).else(eb.ref(column)).end();
      // Earliest wins: an implied timestamp (read arriving before delivered) is replaced by an earlier real one.
      const fill = (column: 'queued_at' | 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at', value: number | undefined) =>
        value === undefined ? undefined
          : eb.case().when(eb.or([eb(column, 'is', null), eb(column, '>', value)])).then(eb.val(value)).else(eb.ref(column)).end();
      const failing = update.status === 'failed' && update.error !== undefined;
      return {
        status: eb.case().when(advancing).then(update.status).else(eb.ref('status')).end(),
        wamid: update.wamid === undefined ? undefined : eb.fn.coalesce('wamid', eb.val(update.wamid)),
        queued_at: fill('queued_at', update.queuedAt),
        sent_at: fill('sent_at', update.sentAt),
        delivered_at: fill('delivered_at', update.deliveredAt),
        read_at: fill('read_at', update.readAt),
        // A failure that does not take (the message already reached the phone) leaves no failed_at.
        failed_at: update.failedAt === undefined ? undefined
          : eb.case().when(advancing).then(eb.fn.coalesce('failed_at', eb.val(update.failedAt))).else(eb.ref('failed_at')).end(),
        error_code: failing ? ifAdvancing('error_code', update.error?.code ?? null).$castTo<number | null>() : undefined,
        error_title: failing ? ifAdvancing('error_title', update.error?.title ?? null).$castTo<string | null>() : undefined,
        error_details: failing ? ifAdvancing('error_details', update.error?.details ?? null).$castTo<string | null>() : undefined,
        pricing_category: update.pricing?.category ?? undefined,
        pricing_type: update.pricing?.type ?? undefined,
        pricing_billable: update.pricing?.billable == null ? undefined : toFlag(update.pricing.billable),
        cost_micros: update.pricing?.costMicros ?? undefined,
        updated_at: now,
      };
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('direction', '=', 'out')
    .returningAll()
    .executeTakeFirst();
}
