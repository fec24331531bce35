// Messages to send later: write one, list a conversation's, cancel one, find what is due, and claim
// one for sending (a conditional update, so with several processes exactly one sends it).

import type { OutboundContent } from '../../core/message-content.js';
import { fromJson, toJson } from '../codec.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { ScheduledMessageRow, ScheduledStatus } from '../rows.js';

export interface ScheduledRecord {
  id: string;
  workspaceId: string;
  conversationId: string;
  content: OutboundContent;
  replyToMessageId: string | null;
  createdByUserId: string | null;
  /** The author's name now (null for an API key, or an account since removed). */
  createdByName: string | null;
  sendAt: number;
  status: ScheduledStatus;
  messageId: string | null;
  error: { code: string; message: string } | null;
  createdAt: number;
  updatedAt: number;
}

export interface ScheduledInput {
  conversationId: string; content: OutboundContent; replyToMessageId: string | null; createdByUserId: string | null; sendAt: number;
}

function toRecord(row: ScheduledMessageRow & { created_by_name: string | null }): ScheduledRecord {
  return {
    id: row.id, workspaceId: row.workspace_id, conversationId: row.conversation_id, content: fromJson<OutboundContent>(row.content),
    replyToMessageId: row.reply_to_message_id, createdByUserId: row.created_by_user_id, createdByName: row.created_by_name, sendAt: Number(row.send_at),
    status: row.status, messageId: row.message_id,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

/** The rows with their author's name (the author's workspace is the row's: a user id of another cannot match). */
function selectScheduled(db: Db) {
  return db.selectFrom('scheduled_messages as s')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 's.created_by_user_id').onRef('u.workspace_id', '=', 's.workspace_id'))
    .selectAll('s').select('u.name as created_by_name');
}

export async function insertScheduled(db: Db, workspaceId: string, input: ScheduledInput & { createdByName: string | null }, now: number): Promise<ScheduledRecord> {
  const row: ScheduledMessageRow = {
    id: newId('sch', now), workspace_id: workspaceId, conversation_id: input.conversationId, content: toJson(input.content),
    reply_to_message_id: input.replyToMessageId, created_by_user_id: input.createdByUserId, send_at: input.sendAt,
    status: 'scheduled', message_id: null, error_code: null, error_message: null, created_at: now, updated_at: now,
  };
  await db.insertInto('scheduled_messages').values(row).execute();
  return toRecord({ ...row, created_by_name: input.createdByName });
}

/** A conversation's messages in `statuses`, by send time. */
export async function listScheduled(db: Db, workspaceId: string, conversationId: string, statuses: ScheduledStatus[], limit = 100): Promise<ScheduledRecord[]> {
  const rows = await selectScheduled(db)
    .where('s.workspace_id', '=', workspaceId).where('s.conversation_id', '=', conversationId).where('s.status', 'in', statuses)
    .orderBy('s.send_at').orderBy('s.id').limit(limit).execute();
  return rows.map(toRecord);
}

export async function countPending(db: Db, workspaceId: string, conversationId: string): Promise<number> {
  const row = await db.selectFrom('scheduled_messages').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId).where('status', '=', 'scheduled')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getScheduled(db: Db, workspaceId: string, id: string): Promise<ScheduledRecord | undefined> {
  const row = await selectScheduled(db).where('s.workspace_id', '=', workspaceId).where('s.id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/**
 * Moves a message from `from` to `to` (with what became of it), only if it is still in `from`;
 * returns whether this call did it.
 */
export async function moveScheduled(
  db: Db, workspaceId: string, id: string, from: ScheduledStatus[], to: ScheduledStatus,
  outcome: { messageId?: string | null; error?: { code: string; message: string } | null }, now: number,
): Promise<boolean> {
  const result = await db.updateTable('scheduled_messages')
    .set({
      status: to, updated_at: now,
      ...(outcome.messageId !== undefined ? { message_id: outcome.messageId } : {}),
      ...(outcome.error !== undefined ? { error_code: outcome.error?.code ?? null, error_message: outcome.error?.message ?? null } : {}),
    })
    .where('workspace_id', '=', workspaceId).where('id', '=', id).where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Messages due at `now` in every workspace, oldest first. */
export async function dueScheduled(db: Db, now: number, limit: number): Promise<ScheduledRecord[]> {
  const rows = await selectScheduled(db)
    .where('s.status', '=', 'scheduled').where('s.send_at', '<=', now)
    .orderBy('s.send_at').orderBy('s.id').limit(limit).execute();
  return rows.map(toRecord);
}
