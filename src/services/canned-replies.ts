// Canned replies («быстрые ответы»): who sees which (workspace-wide ones and their teams'; supervisors,
// admins and API keys all), validation through core/canned-replies.ts, and the shortcut's uniqueness.

import { SHORTCUT_PATTERN, describeCannedProblem, parseCannedText, rankCannedReplies } from '../core/canned-replies.js';
import { roleAtLeast } from '../core/users.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import {
  createCannedReply, deleteCannedReply, getCannedReply, listCannedReplies, updateCannedReply,
  type CannedReplyInput, type CannedReplyRecord, type CannedScope,
} from '../store/queries/canned-replies.js';
import { teamIdsOfUser, teamNames } from '../store/queries/teams.js';
import { isUniqueViolation } from '../store/queries/users.js';
import type { ViewingUser } from './visibility.js';

export interface CannedReplyView extends Omit<CannedReplyRecord, 'workspaceId' | 'teamId'> {
  team: { id: string; name: string } | null;
  /** The {{variables}} and {{?prompts}} of the body, in order of first use. */
  variables: string[];
  prompts: string[];
}

async function scopeOf(deps: AppDeps, workspaceId: string, user: ViewingUser | null): Promise<CannedScope> {
  if (user === null || roleAtLeast(user.role, 'supervisor')) return { teamIds: null };
  return { teamIds: await teamIdsOfUser(deps.database.db, workspaceId, user.id) };
}

const visibleIn = (scope: CannedScope, reply: CannedReplyRecord): boolean =>
  scope.teamIds === null || reply.teamId === null || scope.teamIds.includes(reply.teamId);

async function present(deps: AppDeps, workspaceId: string, replies: CannedReplyRecord[]): Promise<CannedReplyView[]> {
  const names = await teamNames(deps.database.db, workspaceId, [...new Set(replies.flatMap((r) => (r.teamId ? [r.teamId] : [])))]);
  return replies.map(({ workspaceId: _ws, teamId, ...reply }) => {
    const parsed = parseCannedText(reply.body);
    return {
      ...reply,
      team: teamId ? { id: teamId, name: names.get(teamId) ?? teamId } : null,
      variables: parsed.ok ? parsed.variables : [],
      prompts: parsed.ok ? parsed.prompts : [],
    };
  });
}

export async function listReplies(deps: AppDeps, workspaceId: string, user: ViewingUser | null, q?: string): Promise<CannedReplyView[]> {
  const scope = await scopeOf(deps, workspaceId, user);
  const replies = await listCannedReplies(deps.database.db, workspaceId, scope);
  return present(deps, workspaceId, q?.trim() ? rankCannedReplies(replies, q) : replies);
}

async function visibleReply(deps: AppDeps, workspaceId: string, user: ViewingUser | null, id: string): Promise<CannedReplyRecord> {
  const reply = await getCannedReply(deps.database.db, workspaceId, id);
  if (!reply || !visibleIn(await scopeOf(deps, workspaceId, user), reply)) throw new AppError('canned_reply_not_found');
  return reply;
}

export async function readReply(deps: AppDeps, workspaceId: string, user: ViewingUser | null, id: string): Promise<CannedReplyView> {
  return (await present(deps, workspaceId, [await visibleReply(deps, workspaceId, user, id)]))[0]!;
}

async function checkedInput(deps: AppDeps, workspaceId: string, input: CannedReplyInput): Promise<CannedReplyInput> {
  const shortcut = input.shortcut.trim().replace(/^\//, '').toLowerCase();
  if (!SHORTCUT_PATTERN.test(shortcut)) {
    throw new AppError('validation_failed', `The shortcut "${input.shortcut}" may have only letters, digits, - and _ (1 to 40 of them), such as "delivery".`, { field: 'shortcut' });
  }
  const title = input.title.trim();
  if (title.length === 0) throw new AppError('validation_failed', 'The title is empty: give it a title such as "Delivery times".', { field: 'title' });
  if (input.body.trim().length === 0) throw new AppError('validation_failed', 'The text is empty: write the reply the operator will send.', { field: 'body' });
  const parsed = parseCannedText(input.body);
  if (!parsed.ok) throw new AppError('canned_reply_template_invalid', describeCannedProblem(parsed.problem), { field: 'body', ...parsed.problem });
  if (input.teamId !== null) {
    const names = await teamNames(deps.database.db, workspaceId, [input.teamId]);
    if (!names.has(input.teamId)) throw new AppError('team_not_found', `No team ${input.teamId} in this workspace: use an id from GET /api/v1/teams, or null for everyone.`);
  }
  return { shortcut, title, body: input.body, teamId: input.teamId };
}

async function uniquely<T>(shortcut: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('canned_reply_shortcut_taken', `The shortcut "${shortcut}" is already used by another canned reply in this workspace: choose another one.`, { field: 'shortcut' });
    throw err;
  }
}

export async function addReply(deps: AppDeps, workspaceId: string, input: { shortcut: string; title: string; body: string; teamId?: string | null }): Promise<CannedReplyView> {
  const checked = await checkedInput(deps, workspaceId, { ...input, teamId: input.teamId ?? null });
  const reply = await uniquely(checked.shortcut, () => createCannedReply(deps.database.db, workspaceId, checked, deps.now()));
  return (await present(deps, workspaceId, [reply]))[0]!;
}

export async function changeReply(
  deps: AppDeps, workspaceId: string, user: ViewingUser | null, id: string,
  patch: { shortcut?: string; title?: string; body?: string; teamId?: string | null },
): Promise<CannedReplyView> {
  const before = await visibleReply(deps, workspaceId, user, id);
  const checked = await checkedInput(deps, workspaceId, {
    shortcut: patch.shortcut ?? before.shortcut, title: patch.title ?? before.title, body: patch.body ?? before.body,
    teamId: patch.teamId === undefined ? before.teamId : patch.teamId,
  });
  const after = await uniquely(checked.shortcut, () => updateCannedReply(deps.database.db, workspaceId, id, checked, deps.now()));
  if (!after) throw new AppError('canned_reply_not_found');
  return (await present(deps, workspaceId, [after]))[0]!;
}

export async function removeReply(deps: AppDeps, workspaceId: string, user: ViewingUser | null, id: string): Promise<void> {
  await visibleReply(deps, workspaceId, user, id);
  if (!(await deleteCannedReply(deps.database.db, workspaceId, id))) throw new AppError('canned_reply_not_found');
}
