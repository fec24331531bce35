// Who is who for team work: the workspace's operators (GET /users) and teams (GET /teams), loaded once
// per page; presence (GET /presence, then live `presence` events); and per conversation who views or types.

import { useSyncExternalStore } from 'react';
import { api } from '../../../../api/client.js';
import { subscribeLive, type LiveMessage } from '../../../../live/socket.js';

export interface Operator { id: string; name: string; role: string; disabled: boolean }
export interface Team { id: string; name: string; memberIds: string[] }
export type PresenceStatus = 'online' | 'away' | 'offline';

export interface TeamData {
  users: Operator[];
  teams: Team[];
  presence: Record<string, PresenceStatus>;
  /** conversationId → userId → when they were last seen viewing (live `viewing`). */
  viewing: Record<string, Record<string, number>>;
  /** conversationId → userId → when they last typed (live `typing`). */
  typing: Record<string, Record<string, number>>;
}

/** Typing shows for this long after the last event (the composer repeats it every 3 s while typing). */
export const TYPING_MS = 6_000;

let data: TeamData = { users: [], teams: [], presence: {}, viewing: {}, typing: {} };
const listeners = new Set<() => void>();
let loaded: Promise<void> | null = null;
let unsubscribe: (() => void) | null = null;
let expiry: ReturnType<typeof setTimeout> | undefined;

function set(patch: Partial<TeamData>): void {
  data = { ...data, ...patch };
  for (const l of listeners) l();
}

async function loadDirectory(): Promise<void> {
  const [users, teams, presence] = await Promise.all([api.GET('/users'), api.GET('/teams'), api.GET('/presence')]);
  set({
    users: (users.data?.items ?? []).map((u) => ({ id: u.id, name: u.name, role: u.role, disabled: u.disabled })),
    teams: (teams.data?.items ?? []).map((t) => ({ id: t.id, name: t.name, memberIds: t.memberIds })),
    presence: { ...Object.fromEntries((presence.data ?? []).map((p) => [p.userId, p.status])), ...data.presence },
  });
}

/** (Re)loads users, teams and presence; the first caller starts it, the rest share it. */
export function ensureTeamData(force = false): Promise<void> {
  if (!loaded || force) loaded = loadDirectory().catch(() => { loaded = null; });
  return loaded;
}

function withUser(map: Record<string, Record<string, number>>, conversationId: string | null, userId: string, at: number): Record<string, Record<string, number>> {
  const next: Record<string, Record<string, number>> = {};
  // A user views one conversation at a time: drop them from every other.
  for (const [cid, users] of Object.entries(map)) {
    const { [userId]: _gone, ...rest } = users;
    if (Object.keys(rest).length) next[cid] = rest;
  }
  if (conversationId) next[conversationId] = { ...(next[conversationId] ?? {}), [userId]: at };
  return next;
}

function scheduleTypingExpiry(): void {
  clearTimeout(expiry);
  expiry = setTimeout(() => set({ typing: { ...data.typing } }), TYPING_MS + 100);
}

function onLive(event: LiveMessage): void {
  if (event.kind === 'presence' && typeof event.userId === 'string') {
    const status = (event as { status?: unknown }).status;
    if (status === 'online' || status === 'away' || status === 'offline') set({ presence: { ...data.presence, [event.userId]: status } });
  } else if (event.kind === 'viewing' && typeof event.userId === 'string') {
    const cid = typeof event.conversationId === 'string' ? event.conversationId : null;
    set({ viewing: withUser(data.viewing, cid, event.userId, Date.now()) });
  } else if (event.kind === 'typing' && typeof event.userId === 'string' && typeof event.conversationId === 'string') {
    const cid = event.conversationId;
    set({ typing: { ...data.typing, [cid]: { ...(data.typing[cid] ?? {}), [event.userId]: Date.now() } } });
    scheduleTypingExpiry();
  } else if (event.kind === 'hello') {
    // A (re)connect: presence may have changed while away.
    void api.GET('/presence').then((res) => {
      if (res.data) set({ presence: Object.fromEntries(res.data.map((p) => [p.userId, p.status])) });
    });
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  unsubscribe ??= subscribeLive(onLive);
  void ensureTeamData();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) { unsubscribe?.(); unsubscribe = null; }
  };
}

export function useTeamData(): TeamData {
  return useSyncExternalStore(subscribe, () => data, () => data);
}

export function userName(d: TeamData, id: string | null | undefined): string | null {
  if (!id) return null;
  return d.users.find((u) => u.id === id)?.name ?? null;
}

/** The others (not `me`) viewing and typing in `conversationId` now. */
export function othersIn(d: TeamData, conversationId: string, me: string | null, now: number): { viewing: string[]; typing: string[] } {
  const typing = Object.entries(d.typing[conversationId] ?? {}).filter(([u, at]) => u !== me && now - at < TYPING_MS).map(([u]) => u);
  const viewing = Object.keys(d.viewing[conversationId] ?? {}).filter((u) => u !== me && !typing.includes(u));
  return { viewing, typing };
}
