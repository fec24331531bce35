// Inbox search as one small store (useSyncExternalStore): the query typed, debounced 250 ms, sent to
// GET /search with stale requests aborted; older messages paged with the answer's nextCursor.

import { useSyncExternalStore } from 'react';
import { api, apiError } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';

type SearchResult = paths['/search']['get']['responses'][200]['content']['application/json'];
export type MessageHit = SearchResult['messages'][number];
export type ContactHit = SearchResult['contacts'][number];

export interface SearchState {
  query: string;
  /** idle: no query (the list shows); hint: the query has no letters or digits. */
  status: 'idle' | 'loading' | 'ready' | 'error' | 'hint';
  terms: string[];
  messages: MessageHit[];
  contacts: ContactHit[];
  hasOlder: boolean;
  /** The server's cursor for older messages (null: no more). */
  nextCursor: string | null;
  loadingOlder: boolean;
  /** A failure: the server's message, '' for a network failure (the UI says it in words); null: none. */
  error: string | null;
}

export const PAGE = 20;
export const DEBOUNCE_MS = 250;

const IDLE: SearchState = { query: '', status: 'idle', terms: [], messages: [], contacts: [], hasOlder: false, nextCursor: null, loadingOlder: false, error: null };
let state: SearchState = IDLE;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let inflight: AbortController | null = null;

function set(patch: Partial<SearchState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

function cancel(): void {
  clearTimeout(timer);
  timer = undefined;
  inflight?.abort();
  inflight = null;
}

async function fetchPage(q: string, cursor: string | undefined, signal: AbortSignal) {
  const query = { q, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) };
  try {
    const res = await api.GET('/search', { params: { query }, signal });
    if (res.data) return { ok: true as const, data: res.data };
    return { ok: false as const, status: res.response.status, error: apiError(res.error) };
  } catch (err) {
    if (signal.aborted) return null;
    return { ok: false as const, status: 0, error: apiError(err) };
  }
}

async function run(q: string): Promise<void> {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const res = await fetchPage(q, undefined, controller.signal);
  if (res === null || controller.signal.aborted || inflight !== controller) return;
  inflight = null;
  if (!res.ok) {
    if (res.error.code === 'search_query_empty' || (res.status === 400 && res.error.code === 'validation_failed')) return set({ status: 'hint' });
    return set({ status: 'error', error: res.error.code === 'network_error' ? '' : res.error.message });
  }
  set({ status: 'ready', terms: res.data.terms, messages: res.data.messages, contacts: res.data.contacts, hasOlder: res.data.nextCursor !== null, nextCursor: res.data.nextCursor, error: null });
}

/** The text in the box changed: search it after a pause (an empty box shows the list again). */
export function setQuery(query: string): void {
  cancel();
  if (query.trim() === '') {
    state = IDLE;
    for (const l of listeners) l();
    return;
  }
  set({ query, status: 'loading', loadingOlder: false, error: null });
  timer = setTimeout(() => { timer = undefined; void run(query); }, DEBOUNCE_MS);
}

export function clearSearch(): void {
  setQuery('');
}

export function retrySearch(): void {
  if (state.query.trim() === '') return;
  cancel();
  set({ status: 'loading', error: null });
  void run(state.query);
}

/** The next page of messages, older than the last one shown. */
export async function loadOlder(): Promise<void> {
  const cursor = state.nextCursor;
  if (cursor === null || state.loadingOlder || state.status !== 'ready' || inflight) return;
  const { query } = state;
  const controller = new AbortController();
  inflight = controller;
  set({ loadingOlder: true });
  const res = await fetchPage(query, cursor, controller.signal);
  if (res === null || inflight !== controller || state.query !== query) return;
  inflight = null;
  if (!res.ok) return set({ loadingOlder: false, error: res.error.code === 'network_error' ? '' : res.error.message });
  const seen = new Set(state.messages.map((m) => m.id));
  const more = res.data.messages.filter((m) => !seen.has(m.id));
  set({ loadingOlder: false, messages: [...state.messages, ...more], hasOlder: res.data.nextCursor !== null, nextCursor: res.data.nextCursor, error: null });
}

/** The contact's most recent conversation (any state), or null when they have none. */
export async function latestConversationOf(contactId: string): Promise<{ ok: true; id: string | null } | { ok: false; message: string }> {
  try {
    const res = await api.GET('/conversations', { params: { query: { contactId, limit: 1 } } });
    if (!res.data) return { ok: false, message: apiError(res.error).message };
    return { ok: true, id: res.data.items[0]?.id ?? null };
  } catch (err) {
    return { ok: false, message: apiError(err).message };
  }
}

export function getSearch(): SearchState {
  return state;
}

export function useSearch(): SearchState {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, getSearch, getSearch);
}
