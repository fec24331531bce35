// The conversation list as one small store (useSyncExternalStore): pages from GET /conversations
// for the chosen folder and state, patched by live events (each changed item is refetched).

import { useSyncExternalStore } from 'react';
import { api, apiError } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { subscribeLive, type LiveMessage } from '../../live/socket.js';

type ListOp = paths['/conversations']['get'];
type ListQuery = NonNullable<ListOp['parameters']['query']>;
type ApiItem = ListOp['responses'][200]['content']['application/json']['items'][number];
export type ConversationItem = ApiItem & {
  assignee?: { id: string; name: string } | null;
  team?: { id: string; name: string } | null;
  priority?: string;
};

export type Folder = 'mine' | 'unassigned' | 'my_teams' | 'all';
export type StateFilter = 'open' | 'pending' | 'snoozed' | 'resolved';
export interface ListFilter { folder: Folder; state: StateFilter }

export interface ListState {
  status: 'loading' | 'ready' | 'error';
  items: ConversationItem[];
  error: string | null;
  nextCursor: string | null;
  /** false when the server has no `folder` filter yet: only "All" is offered. */
  foldersSupported: boolean;
  filter: ListFilter;
}

const PAGE = 100;
let state: ListState = { status: 'loading', items: [], error: null, nextCursor: null, foldersSupported: true, filter: { folder: 'all', state: 'open' } };
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

/** Newest activity first, as the API orders them. */
export function sortItems(items: ConversationItem[]): ConversationItem[] {
  return [...items].sort((a, b) => activity(b) - activity(a) || (a.id < b.id ? 1 : -1));
}

function query(filter: ListFilter, cursor: string | null): ListQuery {
  const q: Record<string, string | number> = { limit: PAGE, state: filter.state };
  // The server calls "my teams" `teams`.
  if (filter.folder !== 'all') q['folder'] = filter.folder === 'my_teams' ? 'teams' : filter.folder;
  if (cursor) q['cursor'] = cursor;
  return q as unknown as ListQuery;
}

async function fetchPage(filter: ListFilter, cursor: string | null) {
  const res = await api.GET('/conversations', { params: { query: query(filter, cursor) } });
  return res.data ? { ok: true as const, data: res.data } : { ok: false as const, status: res.response.status, error: apiError(res.error) };
}

export async function loadList(filter: ListFilter): Promise<void> {
  const mine = ++generation;
  set({ status: 'loading', filter, items: [], nextCursor: null, error: null });
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
  return c.state === filter.state;
}

/** Puts fresh versions of conversations into the list (or takes them out when they no longer fit). */
export function upsertItems(fresh: ConversationItem[]): void {
  if (fresh.length === 0) return;
  const byId = new Map(state.items.map((c) => [c.id, c]));
  for (const c of fresh) {
    if (fits(c, state.filter)) byId.set(c.id, c);
    else byId.delete(c.id);
  }
  set({ items: sortItems([...byId.values()]) });
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
