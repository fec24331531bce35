// SLA response-time targets: anyone signed in reads the workspace default and the team policies;
// admins and up (or an API key) replace them. 24/7 only: business hours are not supported yet.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SLA_LIMITS } from '../../core/sla.js';
import { readSla, saveSla, type SlaSettings } from '../../services/sla.js';
import { requireRole } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { described, errors } from '../schemas.js';

const Minutes = (description: string) => Type.Integer({ minimum: 1, maximum: SLA_LIMITS.maxMinutes, description });
const Id = Type.String({ minLength: 1, maxLength: 64 });

const policyFields = {
  firstResponseMinutes: Minutes('Minutes the customer may wait for the first answer of a conversation'),
  nextResponseMinutes: Minutes('Minutes the customer may wait for an answer after writing again'),
  amberPercent: Type.Integer({ minimum: SLA_LIMITS.minAmberPercent, maximum: SLA_LIMITS.maxAmberPercent, description: 'Amber from this share of the target' }),
  escalation: Type.Object({
    raisePriority: Type.Boolean({ description: 'Raise the priority to urgent when red' }),
    notifyUserIds: Type.Array(Id, { maxItems: SLA_LIMITS.maxNotify, description: 'Users who get a live sla.breached event' }),
    reassignTeamId: Type.Union([Id, Type.Null()], { description: 'Hand the conversation to this team when red; null = leave it' }),
  }, { additionalProperties: false, description: 'What happens once when a wait turns red' }),
};

const SlaPolicy = Type.Object(policyFields, { additionalProperties: false, $id: 'SlaPolicy' });
const TeamSlaPolicy = Type.Object({ teamId: Id, ...policyFields }, { additionalProperties: false, $id: 'TeamSlaPolicy' });
const Sla = Type.Object({
  default: SlaPolicy,
  teams: Type.Array(TeamSlaPolicy, { maxItems: 200, description: "Teams' own policies; other teams use the default" }),
}, { additionalProperties: false, $id: 'SlaSettings' });

export function registerSlaRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.get('/sla', {
    schema: {
      tags: ['sla'], summary: 'The response-time targets: the workspace default and team policies (24/7)',
      response: { 200: described(Sla, 'The SLA policies'), ...errors(401) },
    },
  }, async (req) => readSla(deps, req.workspaceId));

  api.put('/sla', {
    schema: {
      tags: ['sla'], summary: 'Replace the response-time targets (admin and up)', body: Sla,
      response: { 200: described(Sla, 'The SLA policies now'), ...errors(400, 401, 403, 'sla_policy_invalid', 'sla_user_invalid', 'team_not_found') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return saveSla(deps, req.workspaceId, req.body as SlaSettings);
  });
}
