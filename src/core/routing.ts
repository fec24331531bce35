// Work distribution, the pure part: a team's routing settings and their checks, who counts as VIP,
// the order in which waiting conversations are served, and which online member gets each one (with
// "match language", one who speaks the customer's language when any such member can take it).

import { USER_ROLES, type UserRole } from './users.js';

export const ROUTING_MODES = ['manual', 'round_robin', 'capacity'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

export interface TeamRouting {
  /** manual: nobody is assigned automatically (the default); round_robin: in turns; capacity: the least loaded first. */
  mode: RoutingMode;
  /**
   * Open chats (open or pending) an agent may hold before the router gives them another. Required by
   * capacity; with round_robin a cap when set (null = no cap). Manual ignores it.
   */
  maxOpenPerAgent: number | null;
  /**
   * A waiting chat goes to a member who speaks the customer's language (the contact's, else guessed
   * from their latest text: core/language.ts) when one can take it; otherwise to anyone, as without it.
   */
  matchLanguage: boolean;
}

export const DEFAULT_TEAM_ROUTING: TeamRouting = { mode: 'manual', maxOpenPerAgent: null, matchLanguage: false };

export const ROUTING_LIMITS = { minOpenPerAgent: 1, maxOpenPerAgent: 200, minAutoResolveHours: 1, maxAutoResolveHours: 720 } as const;

export interface RoutingProblem { field: string; message: string }

/** What is wrong with a team's routing settings, or null (the HTTP schema checks the types; this checks the sense). */
export function teamRoutingProblem(routing: Pick<TeamRouting, 'mode' | 'maxOpenPerAgent'>): RoutingProblem | null {
  if (!(ROUTING_MODES as readonly string[]).includes(routing.mode)) {
    return { field: 'mode', message: `mode must be one of ${ROUTING_MODES.join(', ')}` };
  }
  const max = routing.maxOpenPerAgent;
  const { minOpenPerAgent: lo, maxOpenPerAgent: hi } = ROUTING_LIMITS;
  if (max !== null && (!Number.isInteger(max) || max < lo || max > hi)) {
    return { field: 'maxOpenPerAgent', message: `maxOpenPerAgent must be a whole number from ${lo} to ${hi} (or null for no cap)` };
  }
  if (routing.mode === 'capacity' && max === null) {
    return { field: 'maxOpenPerAgent', message: `capacity routing needs maxOpenPerAgent: how many open chats each agent may hold (${lo}–${hi})` };
  }
  return null;
}

/** null = auto-resolve off. */
export function autoResolveProblem(hours: number | null): RoutingProblem | null {
  if (hours === null) return null;
  const { minAutoResolveHours: lo, maxAutoResolveHours: hi } = ROUTING_LIMITS;
  if (!Number.isInteger(hours) || hours < lo || hours > hi) {
    return { field: 'autoResolveAfterHours', message: `autoResolveAfterHours must be a whole number of hours from ${lo} to ${hi}, or null to turn auto-resolve off` };
  }
  return null;
}

export interface VipFacts {
  priority: string;
  /** The contact's tags. */
  tags: readonly string[];
  /** The contact's attributes. */
  attributes: Readonly<Record<string, unknown>>;
}

const YES = new Set(['true', 'yes', '1', 'y', 'да']);

/** High or urgent priority, the contact tag `vip`, or a truthy contact attribute `vip` (any case). */
export function isVip(c: VipFacts): boolean {
  if (c.priority === 'high' || c.priority === 'urgent') return true;
  if (c.tags.some((t) => t.trim().toLowerCase() === 'vip')) return true;
  for (const [key, value] of Object.entries(c.attributes)) {
    if (key.trim().toLowerCase() !== 'vip') continue;
    if (value === true || value === 1) return true;
    if (typeof value === 'string' && YES.has(value.trim().toLowerCase())) return true;
  }
  return false;
}

export interface QueuedConversation extends VipFacts {
  id: string;
  /** First customer message not answered yet; null once answered (a released chat). */
  waitingSince: number | null;
  lastInboundAt: number | null;
  /** The customer's language (ISO 639-1), null or absent = unknown. */
  language?: string | null;
}

/** Served first → last: VIP first, then who has waited longest (waiting since, else the last customer message), then id. */
export function queueOrder<T extends QueuedConversation>(queue: readonly T[]): T[] {
  const since = (c: T) => c.waitingSince ?? c.lastInboundAt ?? Number.MAX_SAFE_INTEGER;
  const keyed = queue.map((c) => ({ c, vip: isVip(c) ? 0 : 1, since: since(c) }));
  keyed.sort((a, b) => a.vip - b.vip || a.since - b.since || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
  return keyed.map((k) => k.c);
}

export interface RoutingCandidate {
  userId: string;
  role: UserRole;
  /** Not disabled. */
  active: boolean;
  /** Presence 'online' (away and offline get nothing). */
  online: boolean;
  /** Open and pending chats assigned to them now. */
  openCount: number;
  /** Their place in the team's turns: higher = given a chat more recently; null = never. */
  lastTurn: number | null;
  /** The languages they answer in (ISO 639-1); absent = none given. */
  languages?: readonly string[];
}

const eligible = (c: RoutingCandidate) => c.active && c.online && (USER_ROLES as readonly string[]).includes(c.role);
const turnOf = (c: RoutingCandidate) => c.lastTurn ?? -1;
const byId = (a: RoutingCandidate, b: RoutingCandidate) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

export interface AgentChoice {
  userId: string;
  /** The customer's language when the chat went to a member who speaks it; null when it went to anyone. */
  matched: string | null;
}

/**
 * Who gets the next chat, or null (manual mode, nobody online, everyone at the cap). round_robin:
 * the member given a chat longest ago; capacity: the least loaded, then the longest ago. With
 * matchLanguage and a known `language`, the same order among the members who speak it and can take
 * a chat now; when none can (nobody online speaks it, or all of them are at the cap), among everyone,
 * so a chat never waits for a language.
 */
export function chooseAgentFor(routing: TeamRouting, candidates: readonly RoutingCandidate[], language: string | null = null): AgentChoice | null {
  if (routing.mode === 'manual') return null;
  const cap = routing.maxOpenPerAgent;
  const open = candidates.filter((c) => eligible(c) && (cap === null || c.openCount < cap));
  if (open.length === 0) return null;
  const order = routing.mode === 'capacity'
    ? (a: RoutingCandidate, b: RoutingCandidate) => a.openCount - b.openCount || turnOf(a) - turnOf(b) || byId(a, b)
    : (a: RoutingCandidate, b: RoutingCandidate) => turnOf(a) - turnOf(b) || byId(a, b);
  const speakers = routing.matchLanguage && language !== null ? open.filter((c) => c.languages?.includes(language) ?? false) : [];
  if (speakers.length > 0) return { userId: [...speakers].sort(order)[0]!.userId, matched: language };
  return { userId: [...open].sort(order)[0]!.userId, matched: null };
}

/** chooseAgentFor's pick, just the user id. */
export function chooseAgent(routing: TeamRouting, candidates: readonly RoutingCandidate[], language: string | null = null): string | null {
  return chooseAgentFor(routing, candidates, language)?.userId ?? null;
}

export interface PlannedAssignment {
  conversationId: string;
  userId: string;
  turn: number;
  /** The language the agent was chosen for (match language), or null. */
  matched: string | null;
}

/**
 * One pass over a team's queue: each conversation in queueOrder to chooseAgent's pick, counting
 * what this pass already gave; stops at the first one nobody can take (the rest wait their turn).
 */
export function planAssignments<T extends QueuedConversation>(
  routing: TeamRouting, queue: readonly T[], candidates: readonly RoutingCandidate[],
): PlannedAssignment[] {
  const pool = candidates.map((c) => ({ ...c }));
  let turn = Math.max(-1, ...pool.map(turnOf));
  const plan: PlannedAssignment[] = [];
  for (const c of queueOrder(queue)) {
    // With a language fallback, nobody can take this chat only when nobody can take any: stopping is right.
    const choice = chooseAgentFor(routing, pool, c.language ?? null);
    if (choice === null) break;
    const chosen = pool.find((p) => p.userId === choice.userId)!;
    chosen.openCount += 1;
    chosen.lastTurn = ++turn;
    plan.push({ conversationId: c.id, userId: choice.userId, turn, matched: choice.matched });
  }
  return plan;
}
