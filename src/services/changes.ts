// Resync after a reconnect or a gap in live events: what changed since a time, filtered by the same
// visibility rule as lists and live events, capped, with the `next` time to ask from. `next` reaches
// a few seconds back, so a write still committing while we read is picked up next time (ids repeat, none is lost).

import { canSeeConversation } from '../core/visibility.js';
import type { AppDeps } from '../http/deps.js';
import { CHANGES_CAP, conversationsChangedSince, messagesChangedSince } from '../store/queries/changes.js';
import { getConversationView, type ConversationView } from '../store/queries/conversation-views.js';
import type { MessageRecord } from '../store/queries/messages.js';
import type { ViewingUser } from './visibility.js';
import { viewerOf } from './visibility.js';

/** How far back `next` reaches behind the read: longer than any transaction that writes messages. */
export const COMMIT_LAG_MS = 5_000;

export interface Changes {
  now: number;
  /** Pass as `since` next time. */
  next: number;
  conversations: ConversationView[];
  messages: MessageRecord[];
  /** Capped: ask again with `next` right away. */
  more: boolean;
}

export async function changesSince(deps: AppDeps, workspaceId: string, user: ViewingUser | null, since: number, cap = CHANGES_CAP): Promise<Changes> {
  const now = deps.now();
  const { db } = deps.database;
  const { viewer, mode } = await viewerOf(deps, user);
  const [convRows, msgRows] = await Promise.all([
    conversationsChangedSince(db, workspaceId, since, cap),
    messagesChangedSince(db, workspaceId, since, cap),
  ]);
  const convMore = convRows.length > cap;
  const msgMore = msgRows.length > cap;
  const convPage = convRows.slice(0, cap);
  const msgPage = msgRows.slice(0, cap);

  const conversations: ConversationView[] = [];
  for (const row of convPage) {
    if (!canSeeConversation(viewer, mode, row.scope)) continue;
    const view = await getConversationView(db, workspaceId, row.id, deps.now());
    if (view) conversations.push(view);
  }
  const messages = msgPage.filter((m) => canSeeConversation(viewer, mode, m.scope)).map((m) => m.message);

  let next = Math.min(Math.max(since, now - COMMIT_LAG_MS), now);
  if (convMore || msgMore) {
    // Resume at the last change read; the same millisecond is read again (at most a few repeats).
    const ends = [convMore ? convPage.at(-1)!.updatedAt : Infinity, msgMore ? msgPage.at(-1)!.message.updatedAt : Infinity];
    const end = Math.min(...ends);
    next = end - 1 > since ? end - 1 : end;
  }
  return { now, next, conversations, messages, more: convMore || msgMore };
}
