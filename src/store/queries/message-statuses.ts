// Persists an outbound message's status. The merge rule lives in core; this write is the safety net
// that keeps concurrent or out-of-order applies monotonic: sent < delivered < read, failed final.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object

import { withLock, type Db } from '../db.js';
import { toFlag } from '../codec.js';
import { preparedQuery } from '../prepared.js';
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

/** The merging UPDATE itself; the stored row afterwards. Compiled once per shape (store/prepared.ts). */
async function updateStatus(db: Db, workspaceId: string, messageId: string, update: StatusUpdate) {
  const failing = update.status === 'failed' && update.error !== undefined;
  const pricing = update.pricing;
  const params: StatusParams = {
    workspaceId, messageId, status: update.status, wamid: update.wamid ?? null,
    queuedAt: update.queuedAt ?? null, sentAt: update.sentAt ?? null, deliveredAt: update.deliveredAt ?? null,
    readAt: update.readAt ?? null, failedAt: update.failedAt ?? null,
    errorCode: update.error?.code ?? null, errorTitle: update.error?.title ?? null, errorDetails: update.error?.details ?? null,
    pricingCategory: pricing?.category ?? null, pricingType: pricing?.type ?? null,
    pricingBillable: pricing?.billable == null ? null : toFlag(pricing.billable), costMicros: pricing?.costMicros ?? null,
    now: update.now ?? Date.now(),
  };
  // What is given (not its value) decides the SQL: a column not given is left out of the SET.
  const shape: StatusShape = {
    lower: replaceableBy(update.status),
    has: {
      wamid: update.wamid !== undefined, queuedAt: update.queuedAt !== undefined, sentAt: update.sentAt !== undefined,
      deliveredAt: update.deliveredAt !== undefined, readAt: update.readAt !== undefined, failedAt: update.failedAt !== undefined,
      failing, pricingCategory: pricing?.category != null, pricingType: pricing?.type != null,
      pricingBillable: pricing?.billable != null, costMicros: pricing?.costMicros != null,
    },
  };
  const key = `${update.status}:${Object.values(shape.has).map(Number).join('')}`;
  return UPDATE_STATUS.first(db, params, shape, key);
}

interface StatusParams {
  workspaceId: string; messageId: string; status: OutboundStatus; wamid: string | null;
  queuedAt: number | null; sentAt: number | null; deliveredAt: number | null; readAt: number | null; failedAt: number | null;
  errorCode: number | null; errorTitle: string | null; errorDetails: string | null;
  pricingCategory: string | null; pricingType: string | null; pricingBillable: number | null; costMicros: number | null;
  now: number;
}

interface StatusShape {
  lower: MessageStatus[];
  has: Record<'wamid' | 'queuedAt' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt' | 'failing'
    | 'pricingCategory' | 'pricingType' | 'pricingBillable' | 'costMicros', boolean>;
}

const UPDATE_STATUS = preparedQuery('messages.updateStatus', (db, p: StatusParams, { lower, has }: StatusShape) => db
  .updateTable('messages')
  .set((eb) => {
    const advancing = eb('status', 'in', lower);
    const ifAdvancing = <C extends 'error_code' | 'error_title' | 'error_details'>(column: C, value: unknown) =>
      eb.case().when(advancing).then(eb.val(value)).else(eb.ref(column)).end();
    // Earliest wins: an implied timestamp (read arriving before delivered) is replaced by an earlier real one.
    const fill = (column: 'queued_at' | 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at', given: boolean, value: number | null) =>
      !given ? undefined
        : eb.case().when(eb.or([eb(column, 'is', null), eb(column, '>', value)])).then(eb.val(value)).else(eb.ref(column)).end();
    return {
      status: eb.case().when(advancing).then(eb.val(p.status)).else(eb.ref('status')).end(),
      wamid: has.wamid ? eb.fn.coalesce('wamid', eb.val(p.wamid)) : undefined,
      queued_at: fill('queued_at', has.queuedAt, p.queuedAt),
      sent_at: fill('sent_at', has.sentAt, p.sentAt),
      delivered_at: fill('delivered_at', has.deliveredAt, p.deliveredAt),
      read_at: fill('read_at', has.readAt, p.readAt),
      // A failure that does not take (the message already reached the phone) leaves no failed_at.
      failed_at: !has.failedAt ? undefined
        : eb.case().when(advancing).then(eb.fn.coalesce('failed_at', eb.val(p.failedAt))).else(eb.ref('failed_at')).end(),
      error_code: has.failing ? ifAdvancing('error_code', p.errorCode).$castTo<number | null>() : undefined,
      error_title: has.failing ? ifAdvancing('error_title', p.errorTitle).$castTo<string | null>() : undefined,
      error_details: has.failing ? ifAdvancing('error_details', p.errorDetails).$castTo<string | null>() : undefined,
      pricing_category: has.pricingCategory ? p.pricingCategory : undefined,
      pricing_type: has.pricingType ? p.pricingType : undefined,
      pricing_billable: has.pricingBillable ? p.pricingBillable : undefined,
      cost_micros: has.costMicros ? p.costMicros : undefined,
      updated_at: p.now,
    };
  })
  .where('workspace_id', '=', p.workspaceId)
  .where('id', '=', p.messageId)
  .where('direction', '=', 'out')
  .returningAll());
