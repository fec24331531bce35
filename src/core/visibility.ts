// Who may see which conversation: the one rule behind REST lists, single reads and live events.
// It is a small predicate (an OR of ANDed conditions) that core checks in memory and the store turns into SQL.

import { roleAtLeast } from './users.js';
import type { UserRole } from './users.js';

export { roleAtLeast };

export type VisibilityMode = 'all' | 'own_team_unassigned';
export const VISIBILITY_MODES: readonly VisibilityMode[] = ['all', 'own_team_unassigned'];

export interface Viewer { userId: string; role: UserRole; teamIds: string[] }
export interface ConversationScope { assigneeId: string | null; teamId: string | null }

/** One condition on a conversation's scope. `in` with an empty list matches nothing. */
export type ScopeCondition =
  | { field: keyof ConversationScope; op: 'eq'; value: string }
  | { field: keyof ConversationScope; op: 'in'; values: string[] }
  | { field: keyof ConversationScope; op: 'null' };

/** `true` = every conversation; otherwise it matches when ANY clause has ALL its conditions true. */
export type ScopePredicate = true | ScopeCondition[][];

/**
 * What `viewer` may see under `mode`: an API key (null), supervisors and up, and everyone in mode 'all'
 * see everything; an agent in 'own_team_unassigned' sees chats assigned to them, to one of their teams
 * (whoever the assignee), and unassigned ones (no assignee and no team).
 */
export function visibilityPredicate(viewer: Viewer | null, mode: VisibilityMode): ScopePredicate {
  if (viewer === null || mode === 'all' || roleAtLeast(viewer.role, 'supervisor')) return true;
  const clauses: ScopeCondition[][] = [
    [{ field: 'assigneeId', op: 'eq', value: viewer.userId }],
    [{ field: 'assigneeId', op: 'null' }, { field: 'teamId', op: 'null' }],
  ];
  if (viewer.teamIds.length > 0) clauses.push([{ field: 'teamId', op: 'in', values: [...viewer.teamIds] }]);
  return clauses;
}

export type Folder = 'mine' | 'unassigned' | 'teams' | 'all';

/** The folders of the inbox as predicates: they narrow what the visibility rule already allows. */
export function folderPredicate(folder: Folder, viewer: Viewer | null): ScopePredicate {
  switch (folder) {
    case 'all': return true;
    case 'unassigned': return [[{ field: 'assigneeId', op: 'null' }]];
    // An API key has no user, so nothing is "mine" or "my teams'".
    case 'mine': return viewer === null ? [] : [[{ field: 'assigneeId', op: 'eq', value: viewer.userId }]];
    case 'teams': return viewer === null ? [] : [[{ field: 'teamId', op: 'in', values: [...viewer.teamIds] }]];
  }
}

function conditionHolds(c: ScopeCondition, conv: ConversationScope): boolean {
  const value = conv[c.field];
  if (c.op === 'null') return value === null;
  if (value === null) return false;
  return c.op === 'eq' ? value === c.value : c.values.includes(value);
}

export function matchesPredicate(predicate: ScopePredicate, conv: ConversationScope): boolean {
  if (predicate === true) return true;
  return predicate.some((clause) => clause.every((c) => conditionHolds(c, conv)));
}

export function canSeeConversation(viewer: Viewer | null, mode: VisibilityMode, conv: ConversationScope): boolean {
  return matchesPredicate(visibilityPredicate(viewer, mode), conv);
}

export type AssignmentDecision = { allow: true } | { allow: false; reason: 'agent_assigns_only_self' | 'taken_by_other' | 'other_team' };

/**
 * May `viewer` (null = API key) change the assignment of `conv` to `next`? Supervisors and up: anything.
 * An agent may take (or release) an unassigned chat or one of their teams' chats, for themselves only.
 */
export function decideAssignment(viewer: Viewer | null, conv: ConversationScope, next: { assigneeId?: string | null; teamId?: string | null }): AssignmentDecision {
  if (viewer === null || roleAtLeast(viewer.role, 'supervisor')) return { allow: true };
  const teamChange = next.teamId !== undefined && next.teamId !== conv.teamId;
  const selfOrRelease = next.assigneeId === viewer.userId || (next.assigneeId === null && conv.assigneeId === viewer.userId);
  if (teamChange || next.assigneeId === undefined || !selfOrRelease) return { allow: false, reason: 'agent_assigns_only_self' };
  if (conv.assigneeId !== null && conv.assigneeId !== viewer.userId) return { allow: false, reason: 'taken_by_other' };
  if (conv.teamId !== null && !viewer.teamIds.includes(conv.teamId)) return { allow: false, reason: 'other_team' };
  return { allow: true };
}

/** Only the assignee (or a supervisor and up, or an API key) replies in an assigned chat. */
export function mayReply(viewer: Viewer | null, conv: ConversationScope): boolean {
  if (viewer === null || roleAtLeast(viewer.role, 'supervisor')) return true;
  return conv.assigneeId === null || conv.assigneeId === viewer.userId;
}
