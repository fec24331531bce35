// Canned replies of a workspace: list (optionally only workspace-wide ones and some teams'), read,
// create, update, delete. A taken shortcut raises the database's unique violation (isUniqueViolation).

import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { CannedReplyRow } from '../rows.js';


export interface CannedReplyRecord {
  id: string;
  workspaceId: string;
  shortcut: string;
  title: string;
  body: string;
  teamId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface CannedReplyInput { shortcut: string; title: string; body: string; teamId: string | null }

/** Who may see which: `teamIds` null = every reply (supervisors and up, API keys). */
export interface CannedScope { teamIds: string[] | null }


function toRecord(row: CannedReplyRow): CannedReplyRecord {
  return {
    id: row.id, workspaceId: row.workspace_id, shortcut: row.shortcut, title: row.title, body: row.body,
    teamId: row.team_id, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

/** By shortcut. A workspace keeps a few hundred at most; the ?q= search filters them in core (Unicode-aware). */
export async function listCannedReplies(db: Db, workspaceId: string, scope: CannedScope): Promise<CannedReplyRecord[]> {
  let query = db.selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId);
  const teamIds = scope.teamIds;
  if (teamIds !== null) {
    query = query.where((eb) => teamIds.length > 0
      ? eb.or([eb('team_id', 'is', null), eb('team_id', 'in', teamIds)])
      : eb('team_id', 'is', null));
  }
  const rows = await query.orderBy('shortcut').limit(2000).execute();
  return rows.map(toRecord);
}

export async function getCannedReply(db: Db, workspaceId: string, id: string): Promise<CannedReplyRecord | undefined> {
  const row = await db.selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function createCannedReply(db: Db, workspaceId: string, input: CannedReplyInput, now: number): Promise<CannedReplyRecord> {
  const row: CannedReplyRow = {
    id: newId('cr', now), workspace_id: workspaceId, shortcut: input.shortcut, title: input.title, body: input.body,
    team_id: input.teamId, created_at: now, updated_at: now,
  };
  await db.insertInto('canned_replies').values(row).execute();
  return toRecord(row);
}

export async function updateCannedReply(db: Db, workspaceId: string, id: string, input: CannedReplyInput, now: number): Promise<CannedReplyRecord | undefined> {
  await db.updateTable('canned_replies')
    .set({ shortcut: input.shortcut, title: input.title, body: input.body, team_id: input.teamId, updated_at: now })
    .where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  return getCannedReply(db, workspaceId, id);
}

export async function deleteCannedReply(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('canned_replies').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
