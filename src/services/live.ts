// Live updates for inbox UIs: every stored or changed message, conversation change, typing and viewing
// notice is published on the workspace's bus topic as a small event (ids, kinds, times; never text).
// Best effort — the database is the truth; a lost event is only a stale view until the next resync.

import type { ConversationScope } from '../core/visibility.js';
import type { AppDeps } from '../http/deps.js';
import type { MessageRecord } from '../store/queries/messages.js';

export function workspaceTopic(workspaceId: string): string {
  return `ws:${workspaceId}`;
}

export type LiveKind = 'message.created' | 'message.updated' | 'conversation.updated' | 'typing' | 'presence' | 'viewing' | 'sla.breached' | 'note.created';
export type PresenceStatus = 'online' | 'away' | 'offline';

/** What a browser receives over GET /api/v1/live (besides `{ kind: 'hello', now }` on connect). */
export interface LiveEvent {
  kind: LiveKind;
  conversationId?: string | null;
  messageId?: string;
  userId?: string;
  /** presence events only */
  status?: PresenceStatus;
  at: number;
}

/** What travels on the bus topic `ws:<workspaceId>`: a LiveEvent plus what filtering per socket needs. */
export interface BusLiveEvent {
  kind: Exclude<LiveKind, 'presence'> | 'access.changed';
  conversationId?: string | null;
  messageId?: string;
  userId?: string;
  at: number;
  /** The conversation's assignee and team now; absent → the receiving process looks it up once per event. */
  scope?: ConversationScope;
  /** Before an assignment change, so whoever could see it before hears that it moved away. */
  previousScope?: ConversationScope;
  /** A message event's ids and state (no content), for in-process consumers such as metrics and tests. */
  message?: { id: string; conversationId: string; contactId: string; direction: 'in' | 'out'; status: string; wamid: string | null };
  /** access.changed: the users whose teams or role changed; sla.breached: who is told. Absent = everybody in the workspace. */
  userIds?: string[];
  /** viewing: the user just opened the conversation, so those already in it answer with their own viewing (live-hub.ts). */
  arrived?: boolean;
}

type PublishDeps = Pick<AppDeps, 'bus' | 'logger' | 'now'>;

async function publish(deps: Pick<AppDeps, 'bus' | 'logger'>, workspaceId: string, event: BusLiveEvent): Promise<void> {
  try {
    await deps.bus.publish(workspaceTopic(workspaceId), event);
  } catch (err) {
    deps.logger.warn({ err }, 'live update not published');
  }
}

/** A private note was added (ids only: the browser fetches the note). */
export async function publishNote(deps: PublishDeps, workspaceId: string, conversationId: string, userId: string | undefined, scope: ConversationScope): Promise<void> {
  await publish(deps, workspaceId, { kind: 'note.created', conversationId, ...(userId ? { userId } : {}), at: deps.now(), scope });
}

/** A conversation went past its response target: told to the named supervisors only (services/sla.ts). */
export async function publishSlaBreached(deps: PublishDeps, workspaceId: string, conversationId: string, userIds: string[]): Promise<void> {
  await publish(deps, workspaceId, { kind: 'sla.breached', conversationId, userIds, at: deps.now() });
}

/**
 * A message stored ('message.created') or changed: status, media ('message.updated'). Without an
 * explicit kind, a message still in its first state (received, queued, denied) counts as created.
 */
export async function publishMessage(
  deps: Pick<AppDeps, 'bus' | 'logger'> & Partial<Pick<AppDeps, 'now'>>, message: MessageRecord,
  opts: { kind?: 'message.created' | 'message.updated'; scope?: ConversationScope } = {},
): Promise<void> {
  const first = message.status === 'received' || message.status === 'queued' || message.status === 'denied';
  const kind = opts.kind ?? (first ? 'message.created' : 'message.updated');
  await publish(deps, message.workspaceId, {
    kind, conversationId: message.conversationId, messageId: message.id, at: deps.now?.() ?? Date.now(),
    ...(opts.scope ? { scope: opts.scope } : {}),
    message: {
      id: message.id, conversationId: message.conversationId, contactId: message.contactId,
      direction: message.direction, status: message.status, wamid: message.wamid,
    },
  });
}

/** A conversation's assignment, team, state, priority or read mark changed (S2 calls this). */
export async function publishConversation(
  deps: PublishDeps, conversation: { id: string; workspaceId: string } & ConversationScope, previous?: ConversationScope,
): Promise<void> {
  await publish(deps, conversation.workspaceId, {
    kind: 'conversation.updated', conversationId: conversation.id, at: deps.now(),
    scope: { assigneeId: conversation.assigneeId, teamId: conversation.teamId },
    ...(previous ? { previousScope: { assigneeId: previous.assigneeId, teamId: previous.teamId } } : {}),
  });
}

/** Team membership, a role or the workspace's visibility mode changed: sockets re-read who may see what. */
export async function publishAccessChanged(deps: PublishDeps, workspaceId: string, userIds?: string[]): Promise<void> {
  await publish(deps, workspaceId, { kind: 'access.changed', at: deps.now(), ...(userIds ? { userIds } : {}) });
}

/** Typing and viewing notices from one socket, relayed to the workspace's other sockets. */
export async function publishActivity(
  deps: Pick<AppDeps, 'bus' | 'logger'>, workspaceId: string,
  event: { kind: 'typing' | 'viewing'; conversationId: string | null; userId: string; at: number; scope?: ConversationScope; arrived?: boolean },
): Promise<void> {
  await publish(deps, workspaceId, event);
}

/** The browser's copy of a bus event: ids, kind and time only. */
export function toLiveEvent(event: BusLiveEvent): LiveEvent {
  const out: LiveEvent = { kind: event.kind as LiveKind, at: event.at };
  if (event.conversationId !== undefined) out.conversationId = event.conversationId;
  if (event.messageId !== undefined) out.messageId = event.messageId;
  if (event.userId !== undefined) out.userId = event.userId;
  return out;
}
