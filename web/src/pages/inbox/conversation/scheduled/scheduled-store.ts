// A conversation's messages to send later (GET …/scheduled-messages): loaded when it opens, refreshed
// on live events for it (a scheduled message sent or refused publishes conversation.updated), plus
// scheduling and cancelling through the typed client.

import { useEffect, useSyncExternalStore } from 'react';
import { api, apiError, type ApiError } from '../../../../api/client.js';
import type { paths } from '../../../../api/schema.js';
import { subscribeLive, type LiveMessage } from '../../../../live/socket.js';
import type { SendContent } from '../send-message.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Scheduled = Json<paths['/conversations/{id}/scheduled-messages']['get']['responses'][200]>['items'][number];

const byConversation = new Map<string, Scheduled[]>();
const listeners = new Set<() => void>();
const EMPTY: Scheduled[] = [];

function put(conversationId: string, items: Scheduled[]): void {
  byConversation.set(conversationId, items);
  for (const l of listeners) l();
}

async function load(conversationId: string): Promise<void> {
  const res = await api.GET('/conversations/{id}/scheduled-messages', { params: { path: { id: conversationId } } }).catch(() => null);
  if (res?.data) put(conversationId, res.data.items);
}

export async function scheduleLater(conversationId: string, content: SendContent, sendAt: number, replyToMessageId?: string): Promise<{ ok: true } | { ok: false; error: ApiError }> {
  const res = await api.POST('/conversations/{id}/scheduled-messages', {
    params: { path: { id: conversationId } }, body: { content, sendAt, ...(replyToMessageId ? { replyToMessageId } : {}) },
  }).catch((err: unknown) => ({ data: undefined, error: err }));
  if (res.data) {
    const mine = res.data;
    put(conversationId, [...(byConversation.get(conversationId) ?? []).filter((s) => s.id !== mine.id), mine].sort((a, b) => a.sendAt - b.sendAt));
    return { ok: true };
  }
  return { ok: false, error: apiError(res.error) };
}

export async function cancelLater(item: Scheduled): Promise<{ ok: true } | { ok: false; error: ApiError }> {
  const res = await api.DELETE('/scheduled-messages/{id}', { params: { path: { id: item.id } } }).catch((err: unknown) => ({ data: undefined, error: err }));
  if (res.data) {
    put(item.conversationId, (byConversation.get(item.conversationId) ?? []).filter((s) => s.id !== item.id));
    return { ok: true };
  }
  const error = apiError(res.error);
  // Sent (or cancelled in another tab) a moment ago: the list is read again, and the caller says so.
  if (error.code === 'scheduled_not_pending') void load(item.conversationId);
  return { ok: false, error };
}

/** What waits (and what failed) in `conversationId`, by send time, kept current while mounted. */
export function useScheduled(conversationId: string): Scheduled[] {
  useEffect(() => {
    void load(conversationId);
    return subscribeLive((event: LiveMessage) => {
      const kind = event.kind as string;
      const about = (event as { conversationId?: string }).conversationId;
      if (kind === 'resync' || ((kind === 'conversation.updated' || kind === 'message.created') && about === conversationId)) void load(conversationId);
    });
  }, [conversationId]);
  return useSyncExternalStore(
    (l) => { listeners.add(l); return () => { listeners.delete(l); }; },
    () => byConversation.get(conversationId) ?? EMPTY,
  );
}
