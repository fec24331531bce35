// Teams (departments) of a workspace and their members. A deleted team leaves its conversations
// without a team in the same transaction (no foreign key from conversations, see migration 0015).

import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { TeamRow } from '../rows.js';

export interface TeamRecord {
  id: string;
  workspaceId: string;
  name: string;
  memberIds: string[];
  createdAt: number;
  updatedAt: number;
}

function toRecord(row: TeamRow, memberIds: string[]): TeamRecord {
  return { id: row.id, workspaceId: row.workspace_id, name: row.name, memberIds, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}

async function membersOf(db: Db, workspaceId: string, teamIds: string[]): Promise<Map<string, string[]>> {
  const byTeam = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return byTeam;
  const rows = await db.selectFrom('team_members').select(['team_id', 'user_id'])
    .where('workspace_id', '=', workspaceId).where('team_id', 'in', teamIds).orderBy('user_id').execute();
  for (const r of rows) byTeam.get(r.team_id)?.push(r.user_id);
  return byTeam;
}

/** A taken name raises the database's unique violation (isUniqueViolation). */
export async function createTeam(db: Db, workspaceId: string, input: { name: string; now: number }): Promise<TeamRecord> {
  const row: TeamRow = { id: newId('team', input.now), workspace_id: workspaceId, name: input.name.trim(), created_at: input.now, updated_at: input.now };
  await db.insertInto('teams').values(row).execute();
  return toRecord(row, []);
}

export async function listTeams(db: Db, workspaceId: string): Promise<TeamRecord[]> {
  const rows = await db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();
  const members = await membersOf(db, workspaceId, rows.map((r) => r.id));
  return rows.map((r) => toRecord(r, members.get(r.id) ?? []));
}

export async function getTeam(db: Db, workspaceId: string, teamId: string): Promise<TeamRecord | undefined> {
  const row = await db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  if (!row) return undefined;
  const members = await membersOf(db, workspaceId, [row.id]);
  return toRecord(row, members.get(row.id) ?? []);
}

export async function renameTeam(db: Db, workspaceId: string, teamId: string, name: string, now: number): Promise<TeamRecord | undefined> {
  await db.updateTable('teams').set({ name: name.trim(), updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', teamId).execute();
  return getTeam(db, workspaceId, teamId);
}

/** Deletes the team; its conversations keep their assignee and lose the team. Returns false when there was none. */
export async function deleteTeam(db: Db, workspaceId: string, teamId: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('conversations').set({ team_id: null, updated_at: now })
      .where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
    await trx.deleteFrom('team_members').where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
    const result = await trx.deleteFrom('teams').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** Replaces the member list (ids already checked to be users of the workspace). */
export async function setTeamMembers(db: Db, workspaceId: string, teamId: string, userIds: string[], now: number): Promise<void> {
  const unique = [...new Set(userIds)];
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('team_members').where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
    if (unique.length > 0) {
      await trx.insertInto('team_members').values(unique.map((userId) => ({ team_id: teamId, user_id: userId, workspace_id: workspaceId }))).execute();
    }
    await trx.updateTable('teams').set({ updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', teamId).execute();
  });
}

export async function teamIdsOfUser(db: Db, workspaceId: string, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('team_id').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).orderBy('team_id').execute();
  return rows.map((r) => r.team_id);
}

export async function teamNames(db: Db, workspaceId: string, teamIds: string[]): Promise<Map<string, string>> {
  if (teamIds.length === 0) return new Map();
  const rows = await db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', teamIds).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of `userIds` are users of the workspace that are not disabled. */
export async function activeUserIds(db: Db, workspaceId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('users').select('id')
    .where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(userIds)]).where('disabled_at', 'is', null).execute();
  return new Set(rows.map((r) => r.id));
}
