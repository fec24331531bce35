// Work distribution: teams' routing settings and the workspace's default team and auto-resolve delay
// (read by everyone, changed by admins), and the two timers-worker steps — the router, which gives
// each waiting chat of an auto-routed team to an online member (with "match language", one who speaks
// the customer's), and auto-resolve of idle chats.

import { autoResolveProblem, planAssignments, teamRoutingProblem, type TeamRouting } from '../core/routing.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { withLock } from '../store/db.js';
import type { ConversationRecord } from '../store/queries/conversations.js';
import {
  autoAssignConversation, autoRoutedTeams, openLoads, readRoutingSettings, readTeamRoutings, recordTurn, resolveIdleConversations,
  routingQueue, saveRoutingSettings, saveTeamRouting, teamMemberFacts, type AutoTeam, type QueuedRow, type RoutingSettings,
} from '../store/queries/routing.js';
import { getTeam } from '../store/queries/teams.js';
import { liveHubOf } from './live-hub.js';
import { publishConversation } from './live.js';

export type { RoutingSettings };

const HOUR = 3_600_000;

export async function teamRoutings(deps: AppDeps, workspaceId: string, teamIds: string[]): Promise<Map<string, TeamRouting>> {
  return readTeamRoutings(deps.database.db, workspaceId, teamIds);
}

export async function readTeamRouting(deps: AppDeps, workspaceId: string, teamId: string): Promise<TeamRouting> {
  if (!(await getTeam(deps.database.db, workspaceId, teamId))) throw new AppError('team_not_found');
  return (await teamRoutings(deps, workspaceId, [teamId])).get(teamId)!;
}

/** Replaces the team's routing; matchLanguage left out keeps the team's (clients that predate it). */
export async function changeTeamRouting(
  deps: AppDeps, workspaceId: string, teamId: string, input: Omit<TeamRouting, 'matchLanguage'> & { matchLanguage?: boolean },
): Promise<TeamRouting> {
  const shape = { mode: input.mode, maxOpenPerAgent: input.maxOpenPerAgent ?? null };
  const problem = teamRoutingProblem(shape);
  if (problem) throw new AppError('routing_invalid', `Team routing: ${problem.message}.`, { field: problem.field });
  if (!(await getTeam(deps.database.db, workspaceId, teamId))) throw new AppError('team_not_found');
  const matchLanguage = input.matchLanguage ?? (await teamRoutings(deps, workspaceId, [teamId])).get(teamId)!.matchLanguage;
  const routing: TeamRouting = { ...shape, matchLanguage };
  await saveTeamRouting(deps.database.db, workspaceId, teamId, routing, deps.now());
  // The team's waiting chats need not wait for the next timer pass.
  deps.nudge?.timers();
  return readTeamRouting(deps, workspaceId, teamId);
}

export async function workspaceRouting(deps: AppDeps, workspaceId: string): Promise<RoutingSettings> {
  return readRoutingSettings(deps.database.db, workspaceId);
}

/** Changes the fields given; validated before anything is written. */
export async function changeWorkspaceRouting(deps: AppDeps, workspaceId: string, patch: Partial<RoutingSettings>): Promise<RoutingSettings> {
  const { db } = deps.database;
  const next = { ...(await readRoutingSettings(db, workspaceId)), ...patch };
  const problem = autoResolveProblem(next.autoResolveAfterHours);
  if (problem) throw new AppError('routing_invalid', `${problem.message}.`, { field: problem.field });
  if (next.defaultTeamId !== null && !(await getTeam(db, workspaceId, next.defaultTeamId))) {
    throw new AppError('team_not_found', `No team ${next.defaultTeamId} in this workspace: pick one from GET /api/v1/teams, or null for none.`, { field: 'defaultTeamId' });
  }
  if (patch.defaultTeamId === undefined && patch.autoResolveAfterHours === undefined) return next;
  await saveRoutingSettings(db, workspaceId, next, deps.now());
  deps.nudge?.timers();
  return readRoutingSettings(db, workspaceId);
}

/**
 * The router's pass over a workspace: every open, unassigned conversation of a round_robin or capacity
 * team (or of no team, when that team is the default) to an online member, VIP first then the longest
 * waiting. One team at a time under a lock (turns and loads are read and bumped together, across
 * processes); each assignment is conditional, so nothing is given twice. Returns how many were given.
 */
export async function routeWorkspace(deps: AppDeps, workspaceId: string): Promise<number> {
  const { db } = deps.database;
  const teams = await autoRoutedTeams(db, workspaceId);
  if (teams.length === 0) return 0;
  const { defaultTeamId } = await readRoutingSettings(db, workspaceId);
  let given = 0;
  // Team by team, each its own queue: one team's backlog (nobody online there) never hides another's.
  for (const team of teams) {
    if (!(await anyoneOnline(deps, workspaceId, team.teamId))) continue;
    const waiting = await routingQueue(db, workspaceId, [team.teamId], team.teamId === defaultTeamId, undefined, team.matchLanguage);
    if (waiting.length > 0) given += await routeTeam(deps, workspaceId, team, waiting);
  }
  return given;
}

interface Given { after: ConversationRecord; before: { assigneeId: null; teamId: string | null } }

/** Nobody online (nights, weekends): the team's chats wait, and neither its queue is read nor a lock taken. */
async function anyoneOnline(deps: AppDeps, workspaceId: string, teamId: string): Promise<boolean> {
  const presence = liveHubOf(deps).presence;
  return (await teamMemberFacts(deps.database.db, workspaceId, teamId)).some((m) => presence.statusOf(workspaceId, m.userId) === 'online');
}

async function routeTeam(deps: AppDeps, workspaceId: string, team: AutoTeam, waiting: QueuedRow[]): Promise<number> {
  const presence = liveHubOf(deps).presence;
  const isOnline = (m: { userId: string }) => presence.statusOf(workspaceId, m.userId) === 'online';
  const mode = team.mode === 'capacity' ? 'capacity' : 'round robin';
  // The history says why: "auto (round robin, speaks ru)" when the language chose the agent.
  const noteOf = (matched: string | null) => `auto (${mode}${matched === null ? '' : `, speaks ${matched}`})`;
  // One lock per workspace, not per team: an agent in two teams must not be given chats by two passes
  // that each read their load before the other wrote.
  const given = await withLock(deps.database.db, `routing:${workspaceId}`, async (trx): Promise<Given[]> => {
    // Read again under the lock: the turns another process may just have moved.
    const online = (await teamMemberFacts(trx, workspaceId, team.teamId)).filter(isOnline);
    if (online.length === 0) return [];
    const loads = await openLoads(trx, workspaceId, online.map((m) => m.userId));
    const candidates = online.map((m) => ({ ...m, online: true, openCount: loads.get(m.userId) ?? 0 }));
    const now = deps.now();
    const out: Given[] = [];
    for (const p of planAssignments(team, waiting, candidates)) {
      const fromTeamId = waiting.find((w) => w.id === p.conversationId)?.teamId ?? null;
      const after = await autoAssignConversation(trx, workspaceId, p.conversationId, { assigneeId: p.userId, teamId: team.teamId, note: noteOf(p.matched), now, fromTeamId });
      if (!after) continue; // taken or moved meanwhile (a person, or another process's router)
      await recordTurn(trx, workspaceId, team.teamId, p.userId, p.turn, now);
      out.push({ after, before: { assigneeId: null, teamId: fromTeamId } });
    }
    return out;
  });
  // After the commit: whoever re-reads on the event sees the assignment.
  for (const g of given) await publishConversation(deps, g.after, g.before);
  return given.length;
}

/** Auto-resolve: open and pending conversations idle (no message either way) for the workspace's hours; returns how many. */
export async function autoResolveIdle(deps: AppDeps, workspaceId: string): Promise<number> {
  const { autoResolveAfterHours } = await readRoutingSettings(deps.database.db, workspaceId);
  if (autoResolveAfterHours === null) return 0;
  const now = deps.now();
  const resolved = await resolveIdleConversations(deps.database.db, workspaceId, now - autoResolveAfterHours * HOUR, now);
  for (const c of resolved) await publishConversation(deps, c);
  return resolved.length;
}
