// Teams (departments): create, rename, delete, set members — admin+ or an API key — and the workspace's
// agent visibility setting. Every change that alters who sees what tells the live sockets to re-read it.

import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import type { VisibilityMode } from '../core/visibility.js';
import {
  activeUserIds, createTeam, deleteTeam, getTeam, listTeams, renameTeam, setTeamMembers, type TeamRecord,
} from '../store/queries/teams.js';
import { isUniqueViolation } from '../store/queries/users.js';
import { getWorkspaceSettings, updateWorkspaceSettings, type WorkspaceSettings } from '../store/queries/workspaces.js';
import { publishAccessChanged } from './live.js';

export { listTeams };

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new AppError('validation_failed', 'The team name is empty: give it a name such as "Sales".', { field: 'name' });
  return trimmed;
}

/**
 * Writes under a name no other team of the workspace has, compared without case ("Sales" and "sales"
 * are one department to the people choosing among them); the unique index catches the exact race.
 */
async function named<T>(deps: AppDeps, workspaceId: string, name: string, write: () => Promise<T>, teamId?: string): Promise<T> {
  const folded = name.toLocaleLowerCase();
  const clash = (await listTeams(deps.database.db, workspaceId)).find((t) => t.id !== teamId && t.name.toLocaleLowerCase() === folded);
  if (clash) throw new AppError('team_name_taken', `A team named "${clash.name}" already exists in this workspace: choose another name.`);
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('team_name_taken', `A team named "${name}" already exists in this workspace: choose another name.`);
    throw err;
  }
}

export async function addTeam(deps: AppDeps, workspaceId: string, input: { name: string; memberIds?: string[] }): Promise<TeamRecord> {
  const name = checkedName(input.name);
  const team = await named(deps, workspaceId, name, () => createTeam(deps.database.db, workspaceId, { name, now: deps.now() }));
  if (input.memberIds && input.memberIds.length > 0) return replaceMembers(deps, workspaceId, team.id, input.memberIds);
  return team;
}

export async function changeTeam(deps: AppDeps, workspaceId: string, teamId: string, patch: { name?: string }): Promise<TeamRecord> {
  const existing = await getTeam(deps.database.db, workspaceId, teamId);
  if (!existing) throw new AppError('team_not_found');
  if (patch.name === undefined) return existing;
  const name = checkedName(patch.name);
  const team = await named(deps, workspaceId, name, () => renameTeam(deps.database.db, workspaceId, teamId, name, deps.now()), teamId);
  if (!team) throw new AppError('team_not_found');
  return team;
}

export async function removeTeam(deps: AppDeps, workspaceId: string, teamId: string): Promise<void> {
  const deleted = await deleteTeam(deps.database.db, workspaceId, teamId, deps.now());
  if (!deleted) throw new AppError('team_not_found');
  // Its conversations lost their team: whoever saw them through it must re-read.
  await publishAccessChanged(deps, workspaceId);
}

/** Members must be active users of the workspace; the list replaces the old one. */
export async function replaceMembers(deps: AppDeps, workspaceId: string, teamId: string, userIds: string[]): Promise<TeamRecord> {
  const { db } = deps.database;
  const before = await getTeam(db, workspaceId, teamId);
  if (!before) throw new AppError('team_not_found');
  const active = await activeUserIds(db, workspaceId, userIds);
  const unknown = [...new Set(userIds)].filter((id) => !active.has(id));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Not active users of this workspace: ${unknown.join(', ')}. Members must be users listed by GET /api/v1/users.`, { field: 'userIds', unknown });
  }
  await setTeamMembers(db, workspaceId, teamId, userIds, deps.now());
  const after = await getTeam(db, workspaceId, teamId);
  const changed = [...new Set([...before.memberIds, ...userIds])].filter((id) => before.memberIds.includes(id) !== userIds.includes(id));
  if (changed.length > 0) await publishAccessChanged(deps, workspaceId, changed);
  return after!;
}

export async function workspaceSettings(deps: AppDeps, workspaceId: string): Promise<WorkspaceSettings> {
  const settings = await getWorkspaceSettings(deps.database.db, workspaceId);
  if (!settings) throw new AppError('not_found', 'No such workspace.');
  return settings;
}

export async function changeWorkspaceSettings(deps: AppDeps, workspaceId: string, patch: { agentVisibility?: VisibilityMode }): Promise<WorkspaceSettings> {
  const before = await workspaceSettings(deps, workspaceId);
  const after = await updateWorkspaceSettings(deps.database.db, workspaceId, patch);
  if (!after) throw new AppError('not_found', 'No such workspace.');
  if (after.agentVisibility !== before.agentVisibility) await publishAccessChanged(deps, workspaceId);
  return after;
}
