// Private notes («заметки») on a conversation: whoever may see the conversation reads and writes them;
// "@Name" mentions of the workspace's active users are found in core, stored, and make the Mentions
// folder until that user opens the conversation. A live 'note.created' event (ids only) tells the others.

import { findMentions, mentionedUserIds, type MentionSpan } from '../core/mentions.js';
import { canSeeConversation } from '../core/visibility.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { getConversationView, type ConversationView } from '../store/queries/conversation-views.js';
import { insertNote, listNotes, markMentionsSeen, unseenMentionConversations, type NoteRecord } from '../store/queries/notes.js';
import { listUsers } from '../store/queries/users.js';
import { visibleConversationRecord } from './conversations.js';
import { publishNote } from './live.js';
import { viewerOf, type ViewingUser } from './visibility.js';

async function mentionablePeople(deps: AppDeps, workspaceId: string): Promise<Array<{ id: string; name: string }>> {
  const users = await listUsers(deps.database.db, workspaceId);
  return users.filter((u) => u.disabledAt === null).map((u) => ({ id: u.id, name: u.name }));
}

const withMentions = (people: Array<{ id: string; name: string }>) => (note: Omit<NoteRecord, 'mentions'>): NoteRecord => ({
  ...note, mentions: findMentions(note.body, people).map(({ userId, name, start, end }: MentionSpan) => ({ userId, name, start, end })),
});

export async function listConversationNotes(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string): Promise<NoteRecord[]> {
  await visibleConversationRecord(deps, workspaceId, user, conversationId);
  const [notes, people] = await Promise.all([listNotes(deps.database.db, workspaceId, conversationId), mentionablePeople(deps, workspaceId)]);
  return notes.map(withMentions(people));
}

export async function addNote(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string, body: string): Promise<NoteRecord> {
  const conversation = await visibleConversationRecord(deps, workspaceId, user, conversationId);
  const text = body.trim();
  if (text.length === 0) throw new AppError('note_body_empty', undefined, { field: 'body' });
  const people = await mentionablePeople(deps, workspaceId);
  const spans = findMentions(text, people);
  const now = deps.now();
  const id = await insertNote(deps.database.db, workspaceId, { conversationId, authorId: user?.id ?? null, body: text, mentionedUserIds: mentionedUserIds(spans) }, now);
  await publishNote(deps, workspaceId, conversationId, user?.id, { assigneeId: conversation.assigneeId, teamId: conversation.teamId });
  const author = user ? people.find((p) => p.id === user.id) : undefined;
  return {
    id, conversationId, authorId: user?.id ?? null, authorName: author?.name ?? null, body: text, createdAt: now,
    mentions: spans.map(({ userId, name, start, end }) => ({ userId, name, start, end })),
  };
}

/** The conversations where `user` was mentioned and has not opened them since, that they may still see. */
export async function mentionedConversations(deps: AppDeps, workspaceId: string, user: ViewingUser | null): Promise<Array<ConversationView & { unseenMentions: number }>> {
  if (user === null) return [];
  const { db } = deps.database;
  const { viewer, mode } = await viewerOf(deps, user);
  const out: Array<ConversationView & { unseenMentions: number }> = [];
  for (const row of await unseenMentionConversations(db, workspaceId, user.id)) {
    const view = await getConversationView(db, workspaceId, row.conversationId);
    if (view && canSeeConversation(viewer, mode, view)) out.push({ ...view, unseenMentions: row.count });
  }
  return out;
}

export async function markConversationMentionsSeen(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string): Promise<number> {
  await visibleConversationRecord(deps, workspaceId, user, conversationId);
  if (user === null) return 0;
  return markMentionsSeen(deps.database.db, workspaceId, conversationId, user.id, deps.now());
}
