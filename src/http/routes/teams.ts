// Teams (departments) and their members, and the workspace's agent visibility setting. Anyone signed
// in reads; admins and up (or an API key) change.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth.js';
import { addTeam, changeTeam, changeWorkspaceSettings, listTeams, removeTeam, replaceMembers, workspaceSettings } from '../../services/teams.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';
import { changeWorkspaceRouting, teamRoutings, workspaceRouting, type RoutingSettings } from '../../services/routing.js';
import { AutoResolveHours, DefaultTeamId, TeamRoutingSchema } from './routing.js';

const Team = Type.Object({
  id: Type.String(), name: Type.String(), memberIds: Type.Array(Type.String(), { description: 'User ids of the members' }),
  createdAt: Type.Integer(), updatedAt: Type.Integer(),
  routing: Type.Object(TeamRoutingSchema.properties, { description: 'How waiting chats are given to members (PUT /teams/{id}/routing)' }),
}, { $id: 'Team' });
const TeamName = Type.String({ minLength: 1, maxLength: 80 });
const UserIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 });
const Settings = Type.Object({
  agentVisibility: Type.Union([Type.Literal('all'), Type.Literal('own_team_unassigned')], {
    description: "all: agents see every conversation; own_team_unassigned: agents see their own, their teams' and unassigned ones (supervisors and up always see all)",
  }),
  defaultTeamId: DefaultTeamId,
  autoResolveAfterHours: AutoResolveHours,
}, { $id: 'WorkspaceSettings' });

const present = <T extends { workspaceId: string }>({ workspaceId: _ws, ...team }: T) => team;

export function registerTeamRoutes(api: FastifyInstance, deps: AppDeps): void {
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;
  /** Teams as the API shows them, each with its routing. */
  const shown = async <T extends { id: string; workspaceId: string }>(workspaceId: string, teams: T[]) => {
    const routing = await teamRoutings(deps, workspaceId, teams.map((t) => t.id));
    return teams.map((t) => ({ ...present(t), routing: routing.get(t.id)! }));
  };
  const one = async <T extends { id: string; workspaceId: string }>(workspaceId: string, team: T) => (await shown(workspaceId, [team]))[0]!;

  api.get('/teams', {
    schema: { tags: ['teams'], summary: 'The teams of the workspace with their members', response: { 200: described(Type.Object({ items: Type.Array(Team) }), 'Teams by name'), ...errors(401) } },
  }, async (req) => ({ items: await shown(req.workspaceId, await listTeams(deps.database.db, req.workspaceId)) }));

  api.post('/teams', {
    schema: {
      tags: ['teams'], summary: 'Create a team (admin and up)',
      body: Type.Object({ name: TeamName, memberIds: Type.Optional(UserIds) }, { additionalProperties: false }),
      response: { 201: described(Team, 'The new team'), ...errors(400, 401, 403, 'team_name_taken') },
    },
  }, async (req, reply) => {
    requireRole(req, 'admin');
    const team = await addTeam(deps, req.workspaceId, req.body as { name: string; memberIds?: string[] });
    return reply.code(201).send(await one(req.workspaceId, team));
  });

  api.patch('/teams/:id', {
    schema: {
      tags: ['teams'], summary: 'Rename a team (admin and up)', params: IdParams,
      body: Type.Object({ name: Type.Optional(TeamName) }, { additionalProperties: false }),
      response: { 200: described(Team, 'The team'), ...errors(400, 401, 403, 'team_not_found', 'team_name_taken') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return one(req.workspaceId, await changeTeam(deps, req.workspaceId, idOf(req), req.body as { name?: string }));
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
    return one(req.workspaceId, await replaceMembers(deps, req.workspaceId, idOf(req), (req.body as { userIds: string[] }).userIds));
  });

  api.get('/workspace/settings', {
    schema: { tags: ['teams'], summary: "The workspace's settings", response: { 200: described(Settings, 'Settings'), ...errors(401) } },
  }, async (req) => ({ ...(await workspaceSettings(deps, req.workspaceId)), ...(await workspaceRouting(deps, req.workspaceId)) }));

  api.patch('/workspace/settings', {
    schema: {
      tags: ['teams'], summary: 'Change who agents see, the default team for new conversations and auto-resolve (admin and up)',
      body: Type.Object({
        agentVisibility: Type.Optional(Settings.properties.agentVisibility),
        defaultTeamId: Type.Optional(DefaultTeamId), autoResolveAfterHours: Type.Optional(AutoResolveHours),
      }, { additionalProperties: false }),
      response: { 200: described(Settings, 'Settings'), ...errors(400, 401, 403, 'routing_invalid', 'team_not_found') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    const { agentVisibility, ...routing } = req.body as { agentVisibility?: 'all' | 'own_team_unassigned' } & Partial<RoutingSettings>;
    // Routing first: it is the part that can be refused, and then nothing was changed.
    const routed = await changeWorkspaceRouting(deps, req.workspaceId, routing);
    return { ...(await changeWorkspaceSettings(deps, req.workspaceId, agentVisibility !== undefined ? { agentVisibility } : {})), ...routed };
  });
}
