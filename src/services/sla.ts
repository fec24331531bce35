// SLA: reading and replacing the workspace's response-time policies and business hours, and the
// timers-worker step that escalates each wait once when it turns red (priority → urgent, supervisors
// told live, team handover) — at the business-time due moment for a policy that counts open hours only.

import { businessHoursProblem, defaultBusinessHours, isTimeZone, WEEKDAYS, type BusinessHours } from '../core/business-hours.js';
import { DEFAULT_SLA_POLICY, slaPolicyProblem, type SlaPolicy } from '../core/sla.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { getConversation } from '../store/queries/conversations.js';
import {
  forgetAnsweredBreaches, raisePriorityToUrgent, readBusinessHours, readSlaPolicies, recordBreach, replaceSlaSettings, slaStateOfRow,
  unescalatedWaits, type SlaCandidate, type SlaPolicies, type WaitCursor,
} from '../store/queries/sla.js';
import { activeUserIds, getTeam } from '../store/queries/teams.js';
import { getWorkspace } from '../store/queries/workspaces.js';
import { assign } from './assignment.js';
import { publishConversation, publishSlaBreached } from './live.js';

export interface SlaSettings {
  /** The workspace default (the built-in one — 2 h first, 30 min next, amber at 75 % — until saved). */
  default: SlaPolicy;
  teams: Array<SlaPolicy & { teamId: string }>;
  /** The timetable policies with businessHoursOnly count in (Mon–Fri 09:00–18:00 in the workspace's zone until saved). */
  businessHours: BusinessHours;
}

/** What PUT /sla takes: businessHoursOnly absent = keep the saved switch (off for a new policy); businessHours absent = keep the saved timetable. */
type PolicyInput = Omit<SlaPolicy, 'businessHoursOnly'> & { businessHoursOnly?: boolean };
export interface SlaInput {
  default: PolicyInput;
  teams: Array<PolicyInput & { teamId: string }>;
  businessHours?: BusinessHours;
}

/** Used when a workspace's own zone is not a usable IANA zone. */
const FALLBACK_ZONE = 'Europe/Moscow';

export async function readSla(deps: AppDeps, workspaceId: string): Promise<SlaSettings> {
  const { db } = deps.database;
  const stored = await readSlaPolicies(db, workspaceId);
  return { default: stored.default ?? DEFAULT_SLA_POLICY, teams: stored.teams, businessHours: (await readBusinessHours(db, workspaceId)) ?? (await defaultHours(deps, workspaceId)) };
}

async function defaultHours(deps: AppDeps, workspaceId: string): Promise<BusinessHours> {
  const zone = (await getWorkspace(deps.database.db, workspaceId))?.timezone;
  return defaultBusinessHours(zone !== undefined && isTimeZone(zone) ? zone : FALLBACK_ZONE);
}

/** The timetable as stored: each day's intervals in order, holidays sorted once each. */
function normalHours(hours: BusinessHours): BusinessHours {
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, [...hours.week[d]].sort((a, b) => a.from.localeCompare(b.from)).map(({ from, to }) => ({ from, to }))]));
  return { timeZone: hours.timeZone, week: week as BusinessHours['week'], holidays: [...new Set(hours.holidays)].sort() };
}

export async function saveSla(deps: AppDeps, workspaceId: string, raw: SlaInput): Promise<SlaSettings> {
  const { db } = deps.database;
  // An older client that does not know the switch re-saves its policy without it: keep what is saved.
  const stored = await readSlaPolicies(db, workspaceId);
  const savedSwitch = new Map(stored.teams.map((t) => [t.teamId, t.businessHoursOnly]));
  const input = {
    default: { ...raw.default, businessHoursOnly: raw.default.businessHoursOnly ?? stored.default?.businessHoursOnly ?? false },
    teams: raw.teams.map((t) => ({ ...t, businessHoursOnly: t.businessHoursOnly ?? savedSwitch.get(t.teamId) ?? false })),
  };
  let hours: BusinessHours | null = null;
  if (raw.businessHours !== undefined) {
    const problem = businessHoursProblem(raw.businessHours);
    if (problem) throw new AppError('business_hours_invalid', `Business hours: ${problem.message}.`, { field: `businessHours.${problem.field}` });
    hours = normalHours(raw.businessHours);
  } else if ([input.default, ...input.teams].some((p) => p.businessHoursOnly) && !(await readBusinessHours(db, workspaceId))) {
    hours = await defaultHours(deps, workspaceId); // what GET showed: stored so the conversation views count by it
  }
  const all: Array<[string, SlaPolicy]> = [['default', input.default], ...input.teams.map((t, i): [string, SlaPolicy] => [`teams[${i}]`, t])];
  const seen = new Set<string>();
  for (const [i, t] of input.teams.entries()) {
    if (seen.has(t.teamId)) throw new AppError('sla_policy_invalid', `Team ${t.teamId} has two SLA policies: keep one.`, { field: `teams[${i}].teamId` });
    seen.add(t.teamId);
    if (!(await getTeam(db, workspaceId, t.teamId))) {
      throw new AppError('team_not_found', `No team ${t.teamId} in this workspace: pick one from GET /api/v1/teams.`, { field: `teams[${i}].teamId` });
    }
  }
  for (const [where, policy] of all) {
    const problem = slaPolicyProblem(policy);
    if (problem) throw new AppError('sla_policy_invalid', `SLA policy ${where}: ${problem.message}.`, { field: `${where}.${problem.field}` });
    const ids = [...new Set(policy.escalation.notifyUserIds)];
    const active = await activeUserIds(db, workspaceId, ids);
    const unknown = ids.find((id) => !active.has(id));
    if (unknown !== undefined) throw new AppError('sla_user_invalid', undefined, { field: `${where}.escalation.notifyUserIds`, userId: unknown });
    const team = policy.escalation.reassignTeamId;
    if (team !== null && !(await getTeam(db, workspaceId, team))) {
      throw new AppError('team_not_found', `No team ${team} in this workspace: pick one from GET /api/v1/teams.`, { field: `${where}.escalation.reassignTeamId` });
    }
  }
  const policies: SlaPolicies = { default: input.default, teams: input.teams };
  await replaceSlaSettings(db, workspaceId, policies, hours, deps.now());
  return readSla(deps, workspaceId);
}

/** How a pass reads the waits: pages of this many rows, at most this many pages (the next pass goes on). */
export interface EscalationPaging { pageSize: number; maxPages: number }
const ESCALATION_PAGING: EscalationPaging = { pageSize: 500, maxPages: 20 };

/**
 * One pass of the timers worker: every wait that is red now and was not escalated yet gets its
 * policy's escalation once (the breach row is written first: a second pass or process skips it).
 * The waits are read oldest first, page after page: in business hours the oldest may not be red yet
 * (a weekend backlog) while a 24/7 team's newer ones are. Returns how many breaches were escalated.
 */
export async function escalateBreaches(deps: AppDeps, workspaceId: string, paging: EscalationPaging = ESCALATION_PAGING): Promise<number> {
  const { db } = deps.database;
  const now = deps.now();
  const settings = await readSla(deps, workspaceId);
  const byTeam = new Map(settings.teams.map((t) => [t.teamId, t as SlaPolicy]));
  const shortest = Math.min(...[settings.default, ...settings.teams].flatMap((p) => [p.firstResponseMinutes, p.nextResponseMinutes]));
  await forgetAnsweredBreaches(db, workspaceId);
  let escalated = 0;
  let cursor: WaitCursor | null = null;
  for (let page = 0; page < paging.maxPages; page++) {
    const { candidates, next }: { candidates: SlaCandidate[]; next: WaitCursor | null } = await unescalatedWaits(db, workspaceId, now - shortest * 60_000, paging.pageSize, cursor);
    for (const c of candidates) {
      // The SQL picked waits past their target in wall time; in business hours fewer are red yet.
      if (slaStateOfRow(c.waitingSince, c.targetMinutes, c.amberPercent, c.businessHours, now)?.status !== 'red') continue;
      if (!(await recordBreach(db, workspaceId, c.id, c.waitingSince, now))) continue;
      const policy = (c.teamId !== null ? byTeam.get(c.teamId) : undefined) ?? settings.default;
      await escalate(deps, workspaceId, c.id, c.teamId, policy, now);
      escalated++;
    }
    if (next === null) break;
    cursor = next;
  }
  return escalated;
}

async function escalate(deps: AppDeps, workspaceId: string, conversationId: string, teamId: string | null, policy: SlaPolicy, now: number): Promise<void> {
  const { db } = deps.database;
  const { raisePriority, notifyUserIds, reassignTeamId } = policy.escalation;
  try {
    if (reassignTeamId !== null && reassignTeamId !== teamId) {
      await assign(deps, workspaceId, null, conversationId, { teamId: reassignTeamId, note: 'SLA breached: handed over automatically' });
    }
    if (raisePriority && (await raisePriorityToUrgent(db, workspaceId, conversationId, now))) {
      const after = await getConversation(db, workspaceId, conversationId);
      if (after) await publishConversation(deps, after);
    }
  } catch (err) {
    // The breach stays recorded: a failed handover (team deleted meanwhile) is logged, never retried in a loop.
    deps.logger.warn({ err, conversationId }, 'SLA escalation step failed');
  }
  if (notifyUserIds.length > 0) await publishSlaBreached(deps, workspaceId, conversationId, notifyUserIds);
}
