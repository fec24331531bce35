// Outbound messages stored in batches: the messages, the outbox rows of those allowed, the
// messaging-limit mark of contacts sent to outside the window, and the threads' last_message_at —
// a few multi-row statements per batch (SQL text cached per chunk size) instead of four built
// statements per message. The single send is a batch of one; campaigns queue thousands at a time.

import type { Db } from '../db.js';
import { withTransaction } from '../db.js';
import { newId } from '../ids.js';
import { placeholderRows, powerOfTwoChunks, runRawSql } from '../raw-sql.js';
import { toFlag, toJson } from '../codec.js';
import type { MessageRow } from '../rows.js';
import { toMessageRecord, type MessageRecord, type NewOutboundMessage } from './messages.js';

/** Outbox lanes: lower is claimed first (ARCHITECTURE: replies and automation before campaigns). */
export const LANE_REPLY = 0;
export const LANE_CAMPAIGN = 1;

export interface OutboundInsert {
  /** The full message row (status queued or denied). */
  row: MessageRow;
  /** Set for an allowed message: its outbox row. */
  enqueue: { recipient: string; notBefore: number; priority: number } | null;
}

/** The complete row of an outbound message, queued or denied (what insertOutboundMessage stores). */
export function outboundMessageRow(workspaceId: string, input: NewOutboundMessage, queued: boolean, now: number): MessageRow {
  return {
    id: input.id ?? newId('msg', now), workspace_id: workspaceId, inbox_id: input.inboxId, conversation_id: input.conversationId,
    contact_id: input.contactId, direction: 'out', type: input.type, content: toJson(input.content),
    template_name: input.template?.name ?? null, template_language: input.template?.language ?? null,
    template_params: input.template?.params === undefined ? null : toJson(input.template.params),
    template_category: input.template?.category ?? null,
    reply_to_message_id: input.replyToMessageId ?? null, reply_to_wamid: input.replyToWamid ?? null, wamid: null,
    status: queued ? 'queued' : 'denied', queued_at: queued ? now : null,
    sent_at: null, delivered_at: null, read_at: null, failed_at: null, error_code: null, error_title: null, error_details: null,
    policy: input.policy === undefined ? null : toJson(input.policy),
    pricing_category: input.pricing?.category ?? null, pricing_type: input.pricing?.type ?? null,
    pricing_billable: input.pricing?.billable == null ? null : toFlag(input.pricing.billable), cost_micros: input.pricing?.costMicros ?? null,
    outside_window: toFlag(input.outsideWindow ?? false), media_id: input.mediaId ?? null, created_at: now, updated_at: now,
  };
}

const MESSAGE_COLUMNS = [
  'id', 'workspace_id', 'inbox_id', 'conversation_id', 'contact_id', 'direction', 'type', 'content',
  'template_name', 'template_language', 'template_params', 'template_category', 'reply_to_message_id', 'reply_to_wamid',
  'wamid', 'status', 'queued_at', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'error_code', 'error_title', 'error_details',
  'policy', 'pricing_category', 'pricing_type', 'pricing_billable', 'cost_micros', 'outside_window', 'media_id', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof MessageRow>;

const OUTBOX_COLUMNS = ['id', 'workspace_id', 'message_id', 'inbox_id', 'recipient', 'not_before', 'attempts', 'created_at', 'priority'] as const;
const tuple = (n: number): string => `(${Array.from({ length: n }, () => '?').join(', ')})`;
/** Chunks of at most this many rows (33 parameters each: well under both databases' limits). */
const MAX_CHUNK = 256;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_CHUNK) out.push(...powerOfTwoChunks(items.slice(i, i + MAX_CHUNK)));
  return out;
}

/**
 * Stores the messages and the outbox rows of the allowed ones in one transaction (joins the caller's),
 * marks contacts of allowed out-of-window messages as counted toward the messaging limit from `now`,
 * and moves the threads of the allowed ones' last_message_at forward — writing a contact or thread only when its value changes.
 */
export async function insertOutboundBatch(db: Db, workspaceId: string, items: OutboundInsert[], now: number): Promise<MessageRecord[]> {
  if (items.length === 0) return [];
  await withTransaction(db, async (trx) => {
    for (const part of chunks(items)) {
      await runRawSql(trx, `outbound-messages:${part.length}`,
        () => `insert into messages (${MESSAGE_COLUMNS.join(', ')}) values ${placeholderRows(part.length, tuple(MESSAGE_COLUMNS.length))}`,
        part.flatMap((item) => MESSAGE_COLUMNS.map((c) => item.row[c])));
    }
    const queued = items.filter((item) => item.enqueue !== null);
    for (const part of chunks(queued)) {
      await runRawSql(trx, `outbound-outbox:${part.length}`,
        () => `insert into outbox (${OUTBOX_COLUMNS.join(', ')}) values ${placeholderRows(part.length, tuple(OUTBOX_COLUMNS.length))}`,
        part.flatMap(({ row, enqueue }) => [newId('obx', now), workspaceId, row.id, row.inbox_id, enqueue!.recipient, enqueue!.notBefore, 0, now, enqueue!.priority]));
    }
    // Counted toward the portfolio's messaging limit from now (see outOfWindowRecipients in messages.ts).
    await updateByIds(trx, 'limit-counted', unique(queued.filter((i) => i.row.outside_window === 1).map((i) => i.row.contact_id)),
      (n) => `update contacts set limit_counted_at = ? where (workspace_id || '') = ? and id in (${placeholderRows(n, '?')}) and (limit_counted_at is null or limit_counted_at < ?)`,
      (ids) => [now, workspaceId, ...ids, now]);
    // Only what goes out answers the customer: a message the policy refused moves no thread (the SLA
    // wait goes on, the list order stays), though it is stored and shown with its reason.
    await updateByIds(trx, 'touch-threads', unique(queued.map((i) => i.row.conversation_id)),
      (n) => `update conversations set last_message_at = ?, updated_at = ? where (workspace_id || '') = ? and id in (${placeholderRows(n, '?')}) and last_message_at < ?`,
      (ids) => [now, now, workspaceId, ...ids, now]);
  });
  return items.map((item) => toMessageRecord(item.row));
}

const unique = (ids: string[]): string[] => [...new Set(ids)];

/**
 * One UPDATE per chunk of ids. `(workspace_id || '')` keeps SQLite on the primary key (it has no
 * statistics and would otherwise walk the tenant's index); the tenancy check still applies per row.
 */
async function updateByIds(
  db: Db, key: string, ids: string[], text: (n: number) => string, params: (ids: string[]) => unknown[],
): Promise<void> {
  for (const part of chunks(ids)) await runRawSql(db, `${key}:${part.length}`, () => text(part.length), params(part));
}
