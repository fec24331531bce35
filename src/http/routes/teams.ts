// Teams (departments) and their members, and the workspace's agent visibility setting. Anyone signed
// in reads; admins and up (or an API key) change.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth.js';
import { addTeam, changeTeam, changeWorkspaceSettings, listTeams, removeTeam, replaceMembers, workspaceSettings } from '../../services/teams.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';

const Team = Type.Object({
  id: Type.String(), name: Type.String(), memberIds: Type.Array(Type.String(), { description: 'User ids of the members' }),
  createdAt: Type.Integer(), updatedAt: Type.Integer(),
}, { $id: 'Team' });
const TeamName = Type.String({ minLength: 1, maxLength: 80 });
const UserIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 });
const Settings = Type.Object({
  agentVisibility: Type.Union([Type.Literal('all'), Type.Literal('own_team_unassigned')], {
    description: "all: agents see every conversation; own_team_unassigned: agents see their own, their teams' and unassigned ones (supervisors and up always see all)",
  }),
}, { $id: 'WorkspaceSettings' });

const present = <T extends { workspaceId: string }>({ workspaceId: _ws, ...team }: T) => team;

export function registerTeamRoutes(api: FastifyInstance, deps: AppDeps): void {
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  api.get('/teams', {
    schema: { tags: ['teams'], summary: 'The teams of the workspace with their members', response: { 200: described(Type.Object({ items: Type.Array(Team) }), 'Teams by name'), ...errors(401) } },
  }, async (req) => ({ items: (await listTeams(deps.database.db, req.workspaceId)).map(present) }));

  api.post('/teams', {
    schema: {
      tags: ['teams'], summary: 'Create a team (admin and up)',
      body: Type.Object({ name: TeamName, memberIds: Type.Optional(UserIds) }, { additionalProperties: false }),
      response: { 201: described(Team, 'The new team'), ...errors(400, 401, 403, 'team_name_taken') },
    },
  }, async (req, reply) => {
    requireRole(req, 'admin');
    const team = await addTeam(deps, req.workspaceId, req.body as { name: string; memberIds?: string[] });
    return reply.code(201).send(present(team));
  });

  api.patch('/teams/:id', {
    schema: {
      tags: ['teams'], summary: 'Rename a team (admin and up)', params: IdParams,
      body: Type.Object({ name: Type.Optional(TeamName) }, { additionalProperties: false }),
      response: { 200: described(Team, 'The team'), ...errors(400, 401, 403, 'team_not_found', 'team_name_taken') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return present(await changeTeam(deps, req.workspaceId, idOf(req), req.body as { name?: string }));
  });

  api.delete('/teams/:id', {
    schema: {
      tags: ['teams'], summary: 'Delete a team (admin and up); its conversations keep their assignee and lose the team', params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(401, 403, 'team_not_found') },
    },
  }, async (req, reply) => {
    requireRole(req, 'admin');
    await removeTeam(deps, req.workspaceId, idOf(req));
    return reply.code(204).send();
  });

  api.put('/teams/:id/members', {
    schema: {
      tags: ['teams'], summary: "Replace the team's members (admin and up)", params: IdParams,
      body: Type.Object({ userIds: UserIds }, { additionalProperties: false }),
      response: { 200: described(Team, 'The team with its members'), ...errors(400, 401, 403, 'team_not_found') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return present(await replaceMembers(deps, req.workspaceId, idOf(req), (req.body as { userIds: string[] }).userIds));
  });

  api.get('/workspace/settings', {
    schema: { tags: ['teams'], summary: "The workspace's settings", response: { 200: described(Settings, 'Settings'), ...errors(401) } },
  }, async (req) => workspaceSettings(deps, req.workspaceId));

  api.patch('/workspace/settings', {
    schema: {
      tags: ['teams'], summary: 'Change who agents see (admin and up)',
      body: Type.Object({ agentVisibility: Type.Optional(Settings.properties.agentVisibility) }, { additionalProperties: false }),
      response: { 200: described(Settings, 'Settings'), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return changeWorkspaceSettings(deps, req.workspaceId, req.body as { agentVisibility?: 'all' | 'own_team_unassigned' });
  });
}
