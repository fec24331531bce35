// SLA response-time targets: anyone signed in reads the workspace default and the team policies;
// admins and up (or an API key) replace them — with the workspace's business hours, which a policy
// may count in instead of around the clock.

import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { BUSINESS_HOURS_LIMITS, WEEKDAYS } from '../../core/business-hours.js';
import { SLA_LIMITS } from '../../core/sla.js';
import { readSla, saveSla, type SlaInput } from '../../services/sla.js';
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

const switchDescription = 'Count only business hours (businessHours); false = around the clock';
// Times and dates are checked by core/business-hours.ts, so a bad one gets business_hours_invalid naming the day.
const Interval = Type.Object({
  from: Type.String({ maxLength: 5, description: "Local opening time 'HH:MM'", examples: ['09:00'] }),
  to: Type.String({ maxLength: 5, description: "Local closing time 'HH:MM', up to '24:00' (the end of the day)", examples: ['18:00'] }),
}, { additionalProperties: false });
const Day = Type.Array(Interval, { maxItems: BUSINESS_HOURS_LIMITS.maxIntervalsPerDay, description: 'Open intervals; empty = closed all day' });
const BusinessHours = Type.Object({
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone the hours are read in, e.g. Europe/Moscow' }),
  week: Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Day])) as Record<(typeof WEEKDAYS)[number], typeof Day>, {
    additionalProperties: false, description: 'Open intervals per weekday (mon … sun); at least one day must be open',
  }),
  holidays: Type.Array(Type.String({ maxLength: 10 }), { maxItems: BUSINESS_HOURS_LIMITS.maxHolidays, description: "Local dates 'YYYY-MM-DD' closed all day" }),
}, { additionalProperties: false, $id: 'BusinessHours', description: 'The workspace timetable policies with businessHoursOnly count in' });

const policy = (extra: TProperties, businessHoursOnly: TSchema, $id: string) =>
  Type.Object({ ...extra, ...policyFields, businessHoursOnly }, { additionalProperties: false, $id });
const SlaPolicy = policy({}, Type.Boolean({ description: switchDescription }), 'SlaPolicy');
const TeamSlaPolicy = policy({ teamId: Id }, Type.Boolean({ description: switchDescription }), 'TeamSlaPolicy');
const SlaPolicyInput = policy({}, Type.Optional(Type.Boolean({ description: `${switchDescription}; absent = keep the saved value (false for a new policy)` })), 'SlaPolicyInput');
const TeamSlaPolicyInput = policy({ teamId: Id }, Type.Optional(Type.Boolean({ description: `${switchDescription}; absent = keep the saved value (false for a new policy)` })), 'TeamSlaPolicyInput');
const teamsDescription = "Teams' own policies; other teams use the default";
const Sla = Type.Object({
  default: SlaPolicy,
  teams: Type.Array(TeamSlaPolicy, { maxItems: 200, description: teamsDescription }),
  businessHours: BusinessHours,
}, { additionalProperties: false, $id: 'SlaSettings' });
const SlaBody = Type.Object({
  default: SlaPolicyInput,
  teams: Type.Array(TeamSlaPolicyInput, { maxItems: 200, description: teamsDescription }),
  businessHours: Type.Optional(BusinessHours),
}, { additionalProperties: false, $id: 'SlaSettingsInput', description: 'businessHours absent = keep the saved timetable' });

export function registerSlaRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.get('/sla', {
    schema: {
      tags: ['sla'], summary: 'The response-time targets: the workspace default, team policies and business hours',
      response: { 200: described(Sla, 'The SLA policies'), ...errors(401) },
    },
  }, async (req) => readSla(deps, req.workspaceId));

  api.put('/sla', {
    schema: {
      tags: ['sla'], summary: 'Replace the response-time targets and business hours (admin and up)', body: SlaBody,
      response: {
        200: described(Sla, 'The SLA policies now'),
        ...errors(400, 401, 403, 'sla_policy_invalid', 'sla_user_invalid', 'business_hours_invalid', 'team_not_found'),
      },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return saveSla(deps, req.workspaceId, req.body as SlaInput);
  });
}
