// Workspaces: the tenant every other row belongs to, and its settings (agent visibility, issue 14).

import type { VisibilityMode } from '../../core/visibility.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { WorkspaceRow } from '../rows.js';

export interface WorkspaceRecord {
  id: string;
  name: string;
  /** IANA zone, e.g. Europe/Madrid: reports and quiet hours use it. */
  timezone: string;
  createdAt: number;
}

function toRecord(row: WorkspaceRow): WorkspaceRecord {
  return { id: row.id, name: row.name, timezone: row.timezone, createdAt: row.created_at };
}

export async function createWorkspace(
  db: Db,
  input: { id?: string; name: string; timezone?: string; now?: number },
): Promise<WorkspaceRecord> {
  const now = input.now ?? Date.now();
  const row: WorkspaceRow = { id: input.id ?? newId('ws', now), name: input.name, timezone: input.timezone ?? 'UTC', created_at: now, agent_visibility: 'all' };
  await db.insertInto('workspaces').values(row).execute();
  return toRecord(row);
}

export async function getWorkspace(db: Db, workspaceId: string): Promise<WorkspaceRecord | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
  return row && toRecord(row);
}

export async function listWorkspaces(db: Db): Promise<WorkspaceRecord[]> {
  const rows = await db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}

export interface WorkspaceSettings { agentVisibility: VisibilityMode }

export async function getWorkspaceSettings(db: Db, workspaceId: string): Promise<WorkspaceSettings | undefined> {
  const row = await db.selectFrom('workspaces').select('agent_visibility').where('id', '=', workspaceId).executeTakeFirst();
  return row && { agentVisibility: row.agent_visibility };
}

export async function updateWorkspaceSettings(db: Db, workspaceId: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings | undefined> {
  if (patch.agentVisibility !== undefined) {
    await db.updateTable('workspaces').set({ agent_visibility: patch.agentVisibility }).where('id', '=', workspaceId).execute();
  }
  return getWorkspaceSettings(db, workspaceId);
}
