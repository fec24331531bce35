// The viewer behind a request: its role, its teams and the workspace's agent visibility mode, for
// core/visibility.ts to decide with. An API key (no user) is no viewer and sees everything.

import type { UserRole } from '../core/users.js';
import type { Viewer, VisibilityMode } from '../core/visibility.js';
import type { AppDeps } from '../http/deps.js';
import { teamIdsOfUser } from '../store/queries/teams.js';
import { getWorkspaceSettings } from '../store/queries/workspaces.js';

/** What of a session user this needs (services/sessions.ts SessionUser fits it). */
export interface ViewingUser { id: string; workspaceId: string; role: UserRole }

export async function viewerOf(deps: Pick<AppDeps, 'database'>, user: ViewingUser | null): Promise<{ viewer: Viewer | null; mode: VisibilityMode }> {
  if (user === null) return { viewer: null, mode: 'all' };
  const { db } = deps.database;
  const [teamIds, settings] = await Promise.all([teamIdsOfUser(db, user.workspaceId, user.id), getWorkspaceSettings(db, user.workspaceId)]);
  return { viewer: { userId: user.id, role: user.role, teamIds }, mode: settings?.agentVisibility ?? 'all' };
}
