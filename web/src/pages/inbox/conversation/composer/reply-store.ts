// The message an operator is replying to, per conversation: set by a bubble's "Reply" action,
// shown and sent by the composer (replyToMessageId), cleared after sending or with ✕.

import { useSyncExternalStore } from 'react';
import type { Message } from '../conversation-store.js';

const targets = new Map<string, Message>();
const listeners = new Set<() => void>();

export function setReplyTarget(conversationId: string, message: Message | null): void {
  if (message) targets.set(conversationId, message);
  else targets.delete(conversationId);
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => { listeners.delete(l); };
};

export function useReplyTarget(conversationId: string): Message | null {
  return useSyncExternalStore(subscribe, () => targets.get(conversationId) ?? null, () => null);
}
