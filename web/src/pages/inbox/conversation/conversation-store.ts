// The conversation pane's state: one conversation and its messages (oldest first), pages of older
// messages on demand, new/changed messages merged in by id. One small store per open pane
// (useSyncExternalStore); live events and sends patch it, the REST API is the truth.

import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { api, apiError, type ApiError } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Message = Json<paths['/conversations/{id}/messages']['get']['responses'][200]>['items'][number];
export type Conversation = Json<paths['/conversations/{id}']['get']['responses'][200]>;

export interface PaneState {
  conversation: Conversation | null;
  messages: Message[];
  /** Cursor of the next older page; null when the oldest message is loaded. */
  olderCursor: string | null;
  loading: boolean;
  loadingOlder: boolean;
  error: ApiError | null;
}

const PAGE = 50;

const byTime = (a: Message, b: Message): number => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Messages merged by id (the newer `updatedAt` wins), oldest first. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const map = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) {
    const old = map.get(m.id);
    if (!old || m.updatedAt >= old.updatedAt) map.set(m.id, m);
  }
  return [...map.values()].sort(byTime);
}

export class ConversationStore {
  private state: PaneState = { conversation: null, messages: [], olderCursor: null, loading: true, loadingOlder: false, error: null };
  private readonly listeners = new Set<() => void>();
  private closed = false;
  /** Live updates that came before the first page: applied once it is in (the page may miss them, or they may be older than it). */
  private early: Message[] | null = [];

  constructor(readonly conversationId: string) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PaneState => this.state;

  private set(patch: Partial<PaneState>): void {
    if (this.closed) return;
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  close(): void {
    this.closed = true;
  }

  async load(): Promise<void> {
    this.set({ loading: true, error: null });
    const [conv, page] = await Promise.all([
      api.GET('/conversations/{id}', { params: { path: { id: this.conversationId } } }),
      api.GET('/conversations/{id}/messages', { params: { path: { id: this.conversationId }, query: { limit: PAGE, order: 'desc' } } }),
    ]);
    if (!conv.data || !page.data) {
      this.set({ loading: false, error: apiError(conv.error ?? page.error) });
      return;
    }
    this.set({
      loading: false, conversation: conv.data,
      messages: mergeMessages(this.state.messages, page.data.items), olderCursor: page.data.nextCursor,
    });
    const early = this.early ?? [];
    this.early = null;
    for (const message of early) this.upsert(message);
  }

  async loadOlder(): Promise<void> {
    const cursor = this.state.olderCursor;
    if (!cursor || this.state.loadingOlder) return;
    this.set({ loadingOlder: true });
    const page = await api.GET('/conversations/{id}/messages', { params: { path: { id: this.conversationId }, query: { limit: PAGE, order: 'desc', cursor } } });
    if (!page.data) {
      this.set({ loadingOlder: false, error: apiError(page.error) });
      return;
    }
    this.set({ loadingOlder: false, messages: mergeMessages(this.state.messages, page.data.items), olderCursor: page.data.nextCursor });
  }

  /** The newest page again (after a live event without a message id, or a reconnect). */
  async refreshNewest(): Promise<void> {
    const page = await api.GET('/conversations/{id}/messages', { params: { path: { id: this.conversationId }, query: { limit: PAGE, order: 'desc' } } });
    if (page.data) this.set({ messages: mergeMessages(this.state.messages, page.data.items) });
  }

  async refreshMessage(messageId: string): Promise<Message | null> {
    const res = await api.GET('/messages/{id}', { params: { path: { id: messageId } } });
    if (!res.data) return null;
    if (res.data.conversationId === this.conversationId) this.upsert(res.data);
    return res.data;
  }

  async refreshConversation(): Promise<void> {
    const res = await api.GET('/conversations/{id}', { params: { path: { id: this.conversationId } } });
    if (res.data) this.set({ conversation: res.data });
  }

  /**
   * A message changed or arrived. One older than the loaded pages (a late status of an old reply)
   * is updated only if shown: inserting it would show it above a gap of messages never loaded.
   */
  upsert(message: Message): void {
    if (this.early !== null) {
      this.early.push(message);
      return;
    }
    const { messages, olderCursor } = this.state;
    const oldest = messages[0];
    const shown = messages.some((m) => m.id === message.id);
    if (!shown && olderCursor !== null && oldest !== undefined && message.createdAt < oldest.createdAt) return;
    this.set({ messages: mergeMessages(messages, [message]) });
  }

  setConversation(conversation: Conversation): void {
    this.set({ conversation });
  }
}

/** The pane's store for `conversationId`, loaded on mount and closed on unmount. */
export function useConversationStore(conversationId: string): [ConversationStore, PaneState] {
  const store = useMemo(() => new ConversationStore(conversationId), [conversationId]);
  useEffect(() => {
    void store.load();
    return () => store.close();
  }, [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return [store, state];
}
