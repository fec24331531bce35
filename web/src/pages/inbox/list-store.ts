// The conversation list as one small store (useSyncExternalStore): pages from GET /conversations
// for the chosen folder, state, priority, team and sort, patched by live events (each changed item is
// refetched); the folder counts (GET /conversations/counts) refreshed on live events, debounced.

import { useSyncExternalStore } from 'react';
import { api, apiError } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { subscribeLive, type LiveMessage } from '../../live/socket.js';
import { getSession } from '../../session.js';

type ListOp = paths['/conversations']['get'];
type ListQuery = NonNullable<ListOp['parameters']['query']>;
type ApiItem = ListOp['responses'][200]['content']['application/json']['items'][number];
export type ConversationItem = ApiItem & {
  assignee?: { id: string; name: string } | null;
  team?: { id: string; name: string } | null;
  priority?: string;
};

export type Folder = 'mine' | 'unassigned' | 'my_teams' | 'all' | 'mentions';
export type StateFilter = 'open' | 'pending' | 'snoozed' | 'resolved';
export type PriorityFilter = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export type SortOrder = 'last_activity' | 'waiting' | 'priority';
/** priority / teamId absent = any; sort absent = last activity. */
export interface ListFilter { folder: Folder; state: StateFilter; priority?: PriorityFilter; teamId?: string; sort?: SortOrder }
export interface FolderCount { total: number; unread: number }
export type FolderCounts = Record<'mine' | 'unassigned' | 'teams' | 'all', FolderCount> & { mentions?: FolderCount };

export interface ListState {
  status: 'loading' | 'ready' | 'error';
  items: ConversationItem[];
  error: string | null;
  nextCursor: string | null;
  /** false when the server has no `folder` filter yet: only "All" is offered. */
  foldersSupported: boolean;
  filter: ListFilter;
  /** Per folder for the current state; null until loaded. */
  counts: FolderCounts | null;
}

const PAGE = 100;
let state: ListState = { status: 'loading', items: [], error: null, nextCursor: null, foldersSupported: true, filter: { folder: 'all', state: 'open' }, counts: null };
const listeners = new Set<() => void>();
let generation = 0;
let loadingMore = false;

function set(patch: Partial<ListState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

function activity(c: ConversationItem): number {
  return c.lastMessage?.createdAt ?? c.lastMessageAt ?? c.updatedAt;
}

const PRIORITY_RANK: Record<string, number> = { urgent: 4, high: 3, medium: 2, low: 1, none: 0 };

/** In the API's order: newest activity first; or longest waiting first; or most urgent first (then newest). */
export function sortItems(items: ConversationItem[], sort: SortOrder = 'last_activity'): ConversationItem[] {
  const newest = (a: ConversationItem, b: ConversationItem) => activity(b) - activity(a) || (a.id < b.id ? 1 : -1);
  const waiting = (c: ConversationItem) => (c as { waitingSince?: number | null }).waitingSince ?? Number.POSITIVE_INFINITY;
  if (sort === 'waiting') return [...items].sort((a, b) => (waiting(a) - waiting(b)) || newest(a, b));
  if (sort === 'priority') return [...items].sort((a, b) => (PRIORITY_RANK[b.priority ?? 'none']! - PRIORITY_RANK[a.priority ?? 'none']!) || newest(a, b));
  return [...items].sort(newest);
}

function query(filter: ListFilter, cursor: string | null): ListQuery {
  const q: Record<string, string | number> = { limit: PAGE, state: filter.state };
  // The server calls "my teams" `teams`.
  if (filter.folder !== 'all') q['folder'] = filter.folder === 'my_teams' ? 'teams' : filter.folder;
  if (filter.priority) q['priority'] = filter.priority;
  if (filter.teamId) q['teamId'] = filter.teamId;
  if (filter.sort && filter.sort !== 'last_activity') q['sort'] = filter.sort;
  if (cursor) q['cursor'] = cursor;
  return q as unknown as ListQuery;
}

async function fetchPage(filter: ListFilter, cursor: string | null) {
  if (filter.folder === 'mentions') {
    // Notes (N): conversations where a note mentions me that I have not opened since; one page.
    const m = await api.GET('/conversations/mentions');
    return m.data ? { ok: true as const, data: { items: m.data.items, nextCursor: null } } : { ok: false as const, status: m.response.status, error: apiError(m.error) };
  }
  const res = await api.GET('/conversations', { params: { query: query(filter, cursor) } });
  return res.data ? { ok: true as const, data: res.data } : { ok: false as const, status: res.response.status, error: apiError(res.error) };
}

export async function loadList(filter: ListFilter): Promise<void> {
  const mine = ++generation;
  const stateChanged = filter.state !== state.filter.state;
  set({ status: 'loading', filter, items: [], nextCursor: null, error: null, ...(stateChanged ? { counts: null } : {}) });
  void loadCounts();
  let res = await fetchPage(filter, null).catch((err: unknown) => ({ ok: false as const, status: 0, error: apiError(err) }));
  if (mine !== generation) return;
  if (!res.ok && res.status === 400 && filter.folder !== 'all') {
    // The server does not know `folder` (yet): fall back to everything.
    set({ foldersSupported: false, filter: { ...filter, folder: 'all' } });
    return loadList({ ...filter, folder: 'all' });
  }
  if (!res.ok) return set({ status: 'error', error: res.error.message });
  set({ status: 'ready', items: res.data.items as ConversationItem[], nextCursor: res.data.nextCursor ?? null });
}

export async function loadMore(): Promise<void> {
  if (loadingMore || !state.nextCursor || state.status !== 'ready') return;
  loadingMore = true;
  const mine = generation;
  try {
    const res = await fetchPage(state.filter, state.nextCursor);
    if (mine !== generation || !res.ok) return;
    const seen = new Set(state.items.map((c) => c.id));
    const more = (res.data.items as ConversationItem[]).filter((c) => !seen.has(c.id));
    set({ items: [...state.items, ...more], nextCursor: res.data.nextCursor ?? null });
  } finally {
    loadingMore = false;
  }
}

/** Whether an item belongs in the list under the current filter (the folder is the server's to judge). */
function fits(c: ConversationItem, filter: ListFilter): boolean {
  const assigneeId = c.assignee?.id ?? (c as { assigneeId?: string | null }).assigneeId ?? null;
  if (filter.folder === 'unassigned' && assigneeId !== null) return false;
  const session = getSession();
  if (filter.folder === 'mine' && session.status === 'signed-in' && assigneeId !== session.user.id) return false;
  if (filter.priority && (c.priority ?? 'none') !== filter.priority) return false;
  if (filter.teamId && c.team?.id !== filter.teamId && (c as { teamId?: string | null }).teamId !== filter.teamId) return false;
  return c.state === filter.state;
}

let countsGeneration = 0;

/** The folder counts for the current state. */
export async function loadCounts(): Promise<void> {
  const mine = ++countsGeneration;
  const res = await api.GET('/conversations/counts', { params: { query: { state: state.filter.state } } }).catch(() => null);
  if (mine === countsGeneration && res?.data) set({ counts: res.data });
}

let countsTimer: ReturnType<typeof setTimeout> | undefined;
/** Live events come in bursts: the counts are read again at most every 500 ms. */
/** Refreshes the folder counts shortly (debounced): after a live event, or mentions seen. */
export function countsSoon(): void {
  countsTimer ??= setTimeout(() => { countsTimer = undefined; void loadCounts(); }, 500);
}

/** Puts fresh versions of conversations into the list (or takes them out when they no longer fit). */
export function upsertItems(fresh: ConversationItem[]): void {
  if (fresh.length === 0) return;
  const byId = new Map(state.items.map((c) => [c.id, c]));
  for (const c of fresh) {
    if (fits(c, state.filter)) byId.set(c.id, c);
    else byId.delete(c.id);
  }
  set({ items: sortItems([...byId.values()], state.filter.sort) });
}

const pending = new Set<string>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** Refetches changed conversations, batched per 50 ms so a burst of events costs one round of reads. */
function refetchSoon(id: string): void {
  pending.add(id);
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    const ids = [...pending];
    pending.clear();
    void Promise.all(ids.map(async (cid) => {
      const res = await api.GET('/conversations/{id}', { params: { path: { id: cid } } });
      if (res.data) return res.data as ConversationItem;
      if (res.response.status === 404 || res.response.status === 403) removeItem(cid);
      return null;
    })).then((list) => upsertItems(list.filter((c): c is ConversationItem => c !== null)));
  }, 50);
}

function removeItem(id: string): void {
  if (state.items.some((c) => c.id === id)) set({ items: state.items.filter((c) => c.id !== id) });
}

export function onLive(event: LiveMessage): void {
  const kind = event.kind as string;
  if (kind === 'resync' || kind === 'message.created' || kind === 'message.updated' || kind === 'conversation.updated' || kind === 'note.created') countsSoon();
  if (state.status !== 'ready') return;
  if (event.kind === 'resync') {
    const ids = new Set<string>(event.changes.conversations.map((c) => c.id));
    for (const m of event.changes.messages) ids.add(m.conversationId);
    for (const id of ids) refetchSoon(id);
    return;
  }
  if ((event.kind === 'message.created' || event.kind === 'message.updated' || event.kind === 'conversation.updated') && event.conversationId) {
    refetchSoon(event.conversationId);
  }
}

let unsubscribe: (() => void) | null = null;

export function useList(): ListState {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    unsubscribe ??= subscribeLive(onLive);
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) { unsubscribe?.(); unsubscribe = null; }
    };
  }, () => state, () => state);
}

/** The item the list shows for an id (for the header of the open conversation). */
export function itemById(id: string): ConversationItem | undefined {
  return state.items.find((c) => c.id === id);
}
