// Resync: what changed in a workspace since a time (conversations and messages by updated_at, index
// 0016), each with its conversation's scope so the caller filters with core/visibility. Also the
// scope of one conversation, which live events need to be filtered per socket.

import type { ConversationScope } from '../../core/visibility.js';
import type { Db } from '../db.js';
import { toMessageRecord, type MessageRecord } from './messages.js';

/** A resync answers at most this many of each kind; `more` says there is more to fetch. */
export const CHANGES_CAP = 500;

export async function conversationScope(db: Db, workspaceId: string, conversationId: string): Promise<ConversationScope | undefined> {
  const row = await db.selectFrom('conversations').select(['assignee_id', 'team_id'])
    .where('workspace_id', '=', workspaceId).where('id', '=', conversationId).executeTakeFirst();
  return row && { assigneeId: row.assignee_id, teamId: row.team_id };
}

export interface ChangedConversation { id: string; updatedAt: number; scope: ConversationScope }

/** Conversations with updated_at > since, oldest change first, at most `limit` (+1 to tell whether there are more). */
export async function conversationsChangedSince(db: Db, workspaceId: string, since: number, limit = CHANGES_CAP): Promise<ChangedConversation[]> {
  const rows = await db.selectFrom('conversations').select(['id', 'updated_at', 'assignee_id', 'team_id'])
    .where('workspace_id', '=', workspaceId).where('updated_at', '>', since)
    .orderBy('updated_at').orderBy('id').limit(limit + 1).execute();
  return rows.map((r) => ({ id: r.id, updatedAt: Number(r.updated_at), scope: { assigneeId: r.assignee_id, teamId: r.team_id } }));
}

export interface ChangedMessage { message: MessageRecord; scope: ConversationScope }

/** Messages created or changed (status, media) with updated_at > since, oldest change first, at most `limit` + 1. */
export async function messagesChangedSince(db: Db, workspaceId: string, since: number, limit = CHANGES_CAP): Promise<ChangedMessage[]> {
  const rows = await db.selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .selectAll('m').select(['c.assignee_id as scope_assignee_id', 'c.team_id as scope_team_id'])
    .where('m.workspace_id', '=', workspaceId).where('m.updated_at', '>', since)
    .orderBy('m.updated_at').orderBy('m.id').limit(limit + 1).execute();
  return rows.map(({ scope_assignee_id, scope_team_id, ...row }) => ({
    message: toMessageRecord(row), scope: { assigneeId: scope_assignee_id, teamId: scope_team_id },
  }));
}
