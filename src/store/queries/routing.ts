// Work distribution: teams' routing settings, members' turns, the workspace's default team and
// auto-resolve delay, the routing queue (open, unassigned conversations of auto-routed teams), the
// conditional assignment the router makes, and the idle conversations auto-resolve closes. With
// "match language", the queue carries each customer's language and the members theirs.

import { sql } from 'kysely';
import { contactLanguage } from '../../core/language.js';
import { DEFAULT_TEAM_ROUTING, type RoutingMode, type TeamRouting } from '../../core/routing.js';
import type { UserRole } from '../../core/users.js';
import { fromJson } from '../codec.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import { toConversationRecord, type ConversationRecord } from './conversations.js';

export interface AutoTeam extends TeamRouting { teamId: string }

/** Each team's routing (manual for teams without a row). */
export async function readTeamRoutings(db: Db, workspaceId: string, teamIds: string[]): Promise<Map<string, TeamRouting>> {
  const out = new Map<string, TeamRouting>(teamIds.map((id) => [id, { ...DEFAULT_TEAM_ROUTING }]));
  if (teamIds.length === 0) return out;
  const rows = await db.selectFrom('team_routing').select(['team_id', 'mode', 'max_open_per_agent', 'match_language'])
    .where('workspace_id', '=', workspaceId).where('team_id', 'in', teamIds).execute();
  for (const r of rows) out.set(r.team_id, routingOf(r));
  return out;
}

function routingOf(r: { mode: string; max_open_per_agent: number | null; match_language?: number | null }): TeamRouting {
  return {
    mode: r.mode as RoutingMode, maxOpenPerAgent: r.max_open_per_agent === null ? null : Number(r.max_open_per_agent),
    matchLanguage: Number(r.match_language ?? 0) === 1,
  };
}

export async function saveTeamRouting(db: Db, workspaceId: string, teamId: string, routing: TeamRouting, now: number): Promise<void> {
  const values = { mode: routing.mode, max_open_per_agent: routing.maxOpenPerAgent, match_language: routing.matchLanguage ? 1 : 0, updated_at: now };
  await db.insertInto('team_routing').values({ team_id: teamId, workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
    .execute();
}

/** Teams of the workspace routed automatically (round_robin or capacity). */
export async function autoRoutedTeams(db: Db, workspaceId: string): Promise<AutoTeam[]> {
  const rows = await db.selectFrom('team_routing as r').innerJoin('teams as t', 't.id', 'r.team_id')
    .select(['r.team_id', 'r.mode', 'r.max_open_per_agent', 'r.match_language'])
    .where('r.workspace_id', '=', workspaceId).where('r.mode', '!=', 'manual').orderBy('r.team_id').execute();
  return rows.map((r) => ({ teamId: r.team_id, ...routingOf(r) }));
}

export interface RoutingSettings { defaultTeamId: string | null; autoResolveAfterHours: number | null }

/** The workspace's routing settings; a default team deleted since reads as none. */
export async function readRoutingSettings(db: Db, workspaceId: string): Promise<RoutingSettings> {
  const row = await db.selectFrom('routing_settings as s').leftJoin('teams as t', (j) => j.onRef('t.id', '=', 's.default_team_id').onRef('t.workspace_id', '=', 's.workspace_id'))
    .select(['t.id as team_id', 's.auto_resolve_after_hours']).where('s.workspace_id', '=', workspaceId).executeTakeFirst();
  return {
    defaultTeamId: row?.team_id ?? null,
    autoResolveAfterHours: row?.auto_resolve_after_hours === null || row?.auto_resolve_after_hours === undefined ? null : Number(row.auto_resolve_after_hours),
  };
}

export async function saveRoutingSettings(db: Db, workspaceId: string, settings: RoutingSettings, now: number): Promise<void> {
  const values = { default_team_id: settings.defaultTeamId, auto_resolve_after_hours: settings.autoResolveAfterHours, updated_at: now };
  await db.insertInto('routing_settings').values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values)).execute();
}

export interface QueuedRow {
  id: string;
  teamId: string | null;
  priority: string;
  waitingSince: number | null;
  lastInboundAt: number | null;
  tags: string[];
  attributes: Record<string, unknown>;
  /** With `withLanguage`: the contact's language, else guessed from the latest inbound text; null = unknown. */
  language: string | null;
}

/**
 * The routing queue: open, unassigned conversations a customer has written in, of these teams (and
 * without a team when `withoutTeam`, for the default team). Read through the partial index
 * conversations_routing_queue; likely VIPs (priority, a "vip" in tags or attributes) and the longest
 * waiting come first, so the limit keeps the ones served first (core/routing.ts queueOrder decides).
 */
export async function routingQueue(
  db: Db, workspaceId: string, teamIds: string[], withoutTeam: boolean, limit = 500, withLanguage = false,
): Promise<QueuedRow[]> {
  if (teamIds.length === 0 && !withoutTeam) return [];
  const likelyVip = sql<number>`(case when c.priority in ('high', 'urgent') or lower(ct.tags) like '%vip%' or lower(ct.attributes) like '%"vip"%' then 0 else 1 end)`;
  const rows = await db.selectFrom('conversations as c').innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .select(['c.id', 'c.team_id', 'c.priority', 'c.waiting_since', 'c.last_inbound_at', 'ct.tags', 'ct.attributes', 'ct.language'])
    // The customer's latest text (through messages_conversation), read only for teams that match language.
    .select((eb) => (withLanguage
      ? sql<string | null>`(${eb.selectFrom('messages as m').select('m.content').where('m.workspace_id', '=', workspaceId)
        .whereRef('m.conversation_id', '=', 'c.id').where('m.direction', '=', 'in').where('m.type', '=', 'text').orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(1)})`
      : sql<string | null>`null`).as('last_text'))
    // Literal, as the partial index's condition: SQLite uses the index only for the very same terms.
    .where('c.workspace_id', '=', workspaceId).where(sql<boolean>`c.state = 'open' and c.assignee_id is null`)
    .where('c.last_inbound_at', 'is not', null)
    .where((eb) => eb.or([
      ...(teamIds.length > 0 ? [eb('c.team_id', 'in', teamIds)] : []),
      ...(withoutTeam ? [eb('c.team_id', 'is', null)] : []),
    ]))
    .orderBy(likelyVip).orderBy(sql`coalesce(c.waiting_since, c.last_inbound_at)`).orderBy('c.id')
    .limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, teamId: r.team_id, priority: r.priority,
    waitingSince: r.waiting_since === null ? null : Number(r.waiting_since),
    lastInboundAt: r.last_inbound_at === null ? null : Number(r.last_inbound_at),
    tags: parsed(r.tags, [] as string[], Array.isArray), attributes: parsed(r.attributes, {}, (v) => v !== null && typeof v === 'object' && !Array.isArray(v)),
    language: withLanguage ? contactLanguage(r.language ?? null, textOf(r.last_text)) : null,
  }));
}

function textOf(content: string | null | undefined): string | null {
  if (!content) return null;
  const body = parsed<Record<string, unknown>>(content, {}, (v) => v !== null && typeof v === 'object').body;
  return typeof body === 'string' ? body : null;
}

function parsed<T>(text: string, fallback: T, ok: (v: unknown) => boolean): T {
  try {
    const v = fromJson<unknown>(text);
    return ok(v) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

export interface MemberFacts { userId: string; role: UserRole; active: boolean; lastTurn: number | null; languages: string[] }

/** The team's members with their role, whether active, their turn in this team and the languages they answer in. */
export async function teamMemberFacts(db: Db, workspaceId: string, teamId: string): Promise<MemberFacts[]> {
  const rows = await db.selectFrom('team_members as m').innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('team_routing_turns as r', (j) => j.onRef('r.team_id', '=', 'm.team_id').onRef('r.user_id', '=', 'm.user_id'))
    .select(['m.user_id', 'u.role', 'u.disabled_at', 'r.turn', 'u.languages'])
    .where('m.workspace_id', '=', workspaceId).where('m.team_id', '=', teamId).orderBy('m.user_id').execute();
  return rows.map((r) => ({
    userId: r.user_id, role: r.role, active: r.disabled_at === null, lastTurn: r.turn === null ? null : Number(r.turn),
    languages: parsed(r.languages, [] as string[], Array.isArray),
  }));
}

/** Open and pending conversations assigned to each of `userIds` (snoozed and resolved ones do not count). */
export async function openLoads(db: Db, workspaceId: string, userIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return out;
  const rows = await db.selectFrom('conversations').select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId).where('assignee_id', 'in', userIds).where('state', 'in', ['open', 'pending'])
    .groupBy('assignee_id').execute();
  for (const r of rows) if (r.assignee_id !== null) out.set(r.assignee_id, Number(r.n));
  return out;
}

/**
 * The router's assignment: like assignConversation (the same history row, by nobody, with the note)
 * but only while the conversation is still open and unassigned — the update's condition, so two
 * routers (or a person taking it at that moment) never both get it. Undefined when it was taken.
 */
export async function autoAssignConversation(
  db: Db, workspaceId: string, conversationId: string,
  input: { assigneeId: string; teamId: string; note: string; now: number; /** The team it was queued in (null: none, for the default team). */ fromTeamId: string | null },
): Promise<ConversationRecord | undefined> {
  const row = await db.updateTable('conversations')
    .set({ assignee_id: input.assigneeId, team_id: input.teamId, updated_at: input.now })
    .where('workspace_id', '=', workspaceId).where('id', '=', conversationId)
    .where('assignee_id', 'is', null).where('state', '=', 'open')
    // Still in the team it was queued in: a transfer meanwhile is not undone.
    .where('team_id', input.fromTeamId === null ? 'is' : '=', input.fromTeamId)
    .returningAll().executeTakeFirst();
  if (!row) return undefined;
  await db.insertInto('conversation_assignments').values({
    id: newId('asg', input.now), workspace_id: workspaceId, conversation_id: conversationId,
    assignee_id: input.assigneeId, team_id: input.teamId, by_user_id: null, note: input.note, created_at: input.now,
  }).execute();
  return toConversationRecord(row);
}

export async function recordTurn(db: Db, workspaceId: string, teamId: string, userId: string, turn: number, now: number): Promise<void> {
  await db.insertInto('team_routing_turns').values({ team_id: teamId, user_id: userId, workspace_id: workspaceId, turn, assigned_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ turn, assigned_at: now })).execute();
}

/**
 * Resolves open and pending conversations whose last message (either side) is older than `before`
 * (snoozed ones are left alone), at most `limit` per call; returns them.
 */
export async function resolveIdleConversations(db: Db, workspaceId: string, before: number, now: number, limit = 500): Promise<ConversationRecord[]> {
  const idle = await db.selectFrom('conversations as c').select('c.id')
    .where('c.workspace_id', '=', workspaceId).where('c.state', 'in', ['open', 'pending']).where('c.last_message_at', '<', before)
    // Not a customer nobody has taken or answered (their question would be closed unread), nor a chat
    // with a message still to be sent later.
    .where((eb) => eb.not(eb.and([eb('c.assignee_id', 'is', null), eb('c.last_inbound_at', 'is not', null), eb('c.last_message_at', '<=', eb.ref('c.last_inbound_at'))])))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('scheduled_messages as s').select('s.id')
      .where('s.workspace_id', '=', workspaceId).whereRef('s.conversation_id', '=', 'c.id').where('s.status', '=', 'scheduled'))))
    .orderBy('c.last_message_at').limit(limit).execute();
  if (idle.length === 0) return [];
  const rows = await db.updateTable('conversations').set({ state: 'resolved', snoozed_until: null, updated_at: now })
    .where('workspace_id', '=', workspaceId).where('id', 'in', idle.map((r) => r.id))
    .where('state', 'in', ['open', 'pending']).where('last_message_at', '<', before)
    .returningAll().execute();
  return rows.map(toConversationRecord);
}
