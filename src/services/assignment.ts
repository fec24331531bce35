// Assignment: who works a conversation (a person, a team, or both), with the rules of core/visibility.ts
// (agents take chats for themselves, supervisors and up assign anything), a history row with the
// transfer note, and a live event. Also the reply guard: only the assignee (or a supervisor) replies.

import { decideAssignment, mayReply } from '../core/visibility.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { assignConversation, type ConversationRecord } from '../store/queries/conversations.js';
import type { ConversationView } from '../store/queries/conversation-views.js';
import { activeUserIds, getTeam } from '../store/queries/teams.js';
import { findUserById } from '../store/queries/users.js';
import { visibleConversation } from './conversations.js';
import { publishConversation } from './live.js';
import { viewerOf, type ViewingUser } from './visibility.js';

export interface AssignmentInput { assigneeId?: string | null; teamId?: string | null; note?: string }

const REFUSALS = {
  agent_assigns_only_self: 'Agents may only assign a chat to themselves (or release their own); ask a supervisor to assign it to someone else or to a team.',
  taken_by_other: 'This chat is already assigned to another operator; ask a supervisor to reassign it.',
  other_team: "This chat belongs to a team you are not in; ask a supervisor or that team's members.",
} as const;

export async function assign(
  deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string, input: AssignmentInput,
): Promise<ConversationView> {
  const { db } = deps.database;
  const before = await visibleConversation(deps, workspaceId, user, conversationId);
  const { viewer } = await viewerOf(deps, user);
  const decision = decideAssignment(viewer, before, input);
  if (!decision.allow) throw new AppError('assignment_forbidden', REFUSALS[decision.reason], { reason: decision.reason });
  if (typeof input.assigneeId === 'string' && !(await activeUserIds(db, workspaceId, [input.assigneeId])).has(input.assigneeId)) {
    throw new AppError('assignee_invalid', `User ${input.assigneeId} is not an active user of this workspace: pick one from GET /api/v1/users.`, { field: 'assigneeId' });
  }
  if (typeof input.teamId === 'string' && !(await getTeam(db, workspaceId, input.teamId))) {
    throw new AppError('team_not_found', `No team ${input.teamId} in this workspace: pick one from GET /api/v1/teams.`, { field: 'teamId' });
  }
  const note = input.note?.trim() ? input.note.trim() : null;
  const updated = await assignConversation(db, workspaceId, conversationId, {
    ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
    ...(input.teamId !== undefined ? { teamId: input.teamId } : {}),
    byUserId: user?.id ?? null, note, now: deps.now(),
  });
  if (!updated) throw new AppError('conversation_not_found');
  await publishConversation(deps, updated, { assigneeId: before.assigneeId, teamId: before.teamId });
  // The caller may no longer see it (an agent handing a chat to another team): answer with what was done.
  return visibleConversation(deps, workspaceId, null, conversationId);
}

/** Throws 403 conversation_assigned_to_other, naming the assignee, when `user` may not reply in `conversation`. */
export async function assertMayReply(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversation: ConversationRecord): Promise<void> {
  if (user === null) return;
  const { viewer } = await viewerOf(deps, user);
  if (mayReply(viewer, conversation)) return;
  const assignee = conversation.assigneeId === null ? undefined : await findUserById(deps.database.db, workspaceId, conversation.assigneeId);
  const name = assignee?.name ?? 'another operator';
  throw new AppError(
    'conversation_assigned_to_other',
    `This conversation is assigned to ${name}: only they or a supervisor can reply. Ask ${name} or a supervisor to reassign it.`,
    { assignee: { id: conversation.assigneeId, name: assignee?.name ?? null } },
  );
}
