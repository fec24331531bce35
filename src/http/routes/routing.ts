// A team's routing (work distribution): anyone signed in reads it; admins and up (or an API key)
// change it. The workspace's default team and auto-resolve delay are in /workspace/settings (teams.ts).

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ROUTING_LIMITS } from '../../core/routing.js';
import { changeTeamRouting, readTeamRouting } from '../../services/routing.js';
import { requireRole } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';

const { minOpenPerAgent, maxOpenPerAgent, minAutoResolveHours, maxAutoResolveHours } = ROUTING_LIMITS;

// Ranges are checked by the service (routing_invalid naming the field), so a mistake is told in words.
export const TeamRoutingSchema = Type.Object({
  mode: Type.Union([Type.Literal('manual'), Type.Literal('round_robin'), Type.Literal('capacity')], {
    description: 'manual (default): nobody is assigned automatically. round_robin: each waiting chat goes to the online member given one longest ago. '
      + 'capacity: to the online member with the fewest open chats, below maxOpenPerAgent. VIP chats (priority high or urgent, contact tag or attribute "vip") '
      + 'first, then the longest waiting. Only members online in the inbox (not away or offline) get chats; an agent who goes offline keeps theirs.',
  }),
  maxOpenPerAgent: Type.Union([Type.Integer(), Type.Null()], {
    description: `Open or pending chats an agent may hold (${minOpenPerAgent}–${maxOpenPerAgent}). Required by capacity; with round_robin a cap when set, null = no cap.`,
  }),
  matchLanguage: Type.Boolean({
    description: "Give a waiting chat to an online member who speaks the customer's language (the contact's language, else a guess from their latest text: "
      + 'Cyrillic → ru, plain Latin letters → en), in the same turns or capacity order among them; when none of them can take it (nobody online speaks it, '
      + 'all at maxOpenPerAgent, or the language is unknown), to anyone as without it. Members\' languages: PATCH /users/{id}. Off by default.',
  }),
}, { additionalProperties: false, $id: 'TeamRouting' });

const TeamRoutingBody = Type.Object({
  ...TeamRoutingSchema.properties,
  matchLanguage: Type.Optional(TeamRoutingSchema.properties.matchLanguage),
}, { additionalProperties: false, description: 'matchLanguage left out keeps what the team has' });

type TeamRoutingInput = Static<typeof TeamRoutingBody>;

export const AutoResolveHours = Type.Union([Type.Integer(), Type.Null()], {
  description: `Resolve open and pending conversations with no message either way for this many hours (${minAutoResolveHours}–${maxAutoResolveHours}); null = off. Snoozed ones are left alone.`,
});

export const DefaultTeamId = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
  description: 'The team whose queue new conversations without a team join (it routes them when it is round_robin or capacity); null = none',
});

export function registerRoutingRoutes(api: FastifyInstance, deps: AppDeps): void {
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  api.get('/teams/:id/routing', {
    schema: {
      tags: ['teams'], summary: "The team's routing: how waiting chats are given to its members", params: IdParams,
      response: { 200: described(TeamRoutingSchema, 'The routing'), ...errors(401, 'team_not_found') },
    },
  }, async (req) => readTeamRouting(deps, req.workspaceId, idOf(req)));

  api.put('/teams/:id/routing', {
    schema: {
      tags: ['teams'], summary: "Set the team's routing (admin and up)", params: IdParams, body: TeamRoutingBody,
      response: { 200: described(TeamRoutingSchema, 'The routing now'), ...errors(400, 401, 403, 'routing_invalid', 'team_not_found') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return changeTeamRouting(deps, req.workspaceId, idOf(req), req.body as TeamRoutingInput);
  });
}
