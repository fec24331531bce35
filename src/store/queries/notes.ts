// Private notes and their @mentions: add a note with its mentioned users, list a conversation's notes
// (with author name and mentions), the conversations where a user has unseen mentions, mark them seen.

import type { Kysely } from 'kysely';
import { withTransaction, type Db } from '../db.js';
import { newId } from '../ids.js';

interface NoteRow { id: string; workspace_id: string; conversation_id: string; author_id: string | null; body: string; created_at: number }
interface NoteMentionRow { note_id: string; user_id: string; workspace_id: string; conversation_id: string; created_at: number; seen_at: number | null }
/** These tables are not in rows.ts Tables (owned elsewhere), so the queries here type them themselves. */
interface NoteTables { notes: NoteRow; note_mentions: NoteMentionRow; users: { id: string; workspace_id: string; name: string } }

const notesDb = (db: Db) => db as unknown as Kysely<NoteTables>;

export interface NoteMention { userId: string; name: string; start: number; end: number }
export interface NoteRecord {
  id: string; conversationId: string; authorId: string | null; authorName: string | null; body: string;
  mentions: NoteMention[]; createdAt: number;
}

export async function insertNote(
  db: Db, workspaceId: string, input: { conversationId: string; authorId: string | null; body: string; mentionedUserIds: string[] }, now: number,
): Promise<string> {
  const id = newId('note', now);
  await withTransaction(db, async (trx) => {
    const t = notesDb(trx);
    await t.insertInto('notes').values({ id, workspace_id: workspaceId, conversation_id: input.conversationId, author_id: input.authorId, body: input.body, created_at: now }).execute();
    if (input.mentionedUserIds.length > 0) {
      await t.insertInto('note_mentions').values(input.mentionedUserIds.map((userId) => ({
        note_id: id, user_id: userId, workspace_id: workspaceId, conversation_id: input.conversationId, created_at: now, seen_at: null,
      }))).execute();
    }
  });
  return id;
}

/** Oldest first, the last `limit` of them; `mentions` is filled by the caller (it needs the text's spans). */
export async function listNotes(db: Db, workspaceId: string, conversationId: string, limit = 200): Promise<Array<Omit<NoteRecord, 'mentions'>>> {
  const rows = await notesDb(db).selectFrom('notes')
    .leftJoin('users', (j) => j.onRef('users.id', '=', 'notes.author_id').onRef('users.workspace_id', '=', 'notes.workspace_id'))
    .select(['notes.id', 'notes.conversation_id', 'notes.author_id', 'notes.body', 'notes.created_at', 'users.name as author_name'])
    .where('notes.workspace_id', '=', workspaceId).where('notes.conversation_id', '=', conversationId)
    .orderBy('notes.created_at', 'desc').orderBy('notes.id', 'desc').limit(limit).execute();
  return rows.reverse().map((r) => ({
    id: r.id, conversationId: r.conversation_id, authorId: r.author_id, authorName: r.author_name ?? null, body: r.body, createdAt: Number(r.created_at),
  }));
}

/** The conversations where `userId` has unseen mentions, newest mention first (up to `limit`). */
export async function unseenMentionConversations(db: Db, workspaceId: string, userId: string, limit = 200): Promise<Array<{ conversationId: string; lastMentionAt: number; count: number }>> {
  const rows = await notesDb(db).selectFrom('note_mentions')
    .select((eb) => ['conversation_id', eb.fn.max('created_at').as('last_at'), eb.fn.countAll().as('n')])
    .where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('seen_at', 'is', null)
    .groupBy('conversation_id').orderBy('last_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ conversationId: r.conversation_id, lastMentionAt: Number(r.last_at), count: Number(r.n) }));
}

/** Marks `userId`'s mentions in the conversation seen; returns how many were unseen. */
export async function markMentionsSeen(db: Db, workspaceId: string, conversationId: string, userId: string, now: number): Promise<number> {
  const result = await notesDb(db).updateTable('note_mentions').set({ seen_at: now })
    .where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId).where('user_id', '=', userId).where('seen_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
