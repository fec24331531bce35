// Sending from the pane through POST /api/v1/messages (session cookie + X-CSRF-Token from the
// client): the queued message, or the policy's refusal with its reason (stored, never retried).

import { api, apiError } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';
import type { Conversation, Message } from './conversation-store.js';

export type SendContent = paths['/messages']['post']['requestBody']['content']['application/json']['content'];

export type SendResult =
  | { ok: true; message: Message }
  | { ok: false; denied: true; reason: string; message: Message | null }
  | { ok: false; denied: false; code: string; text: string };

export async function sendToConversation(conversation: Pick<Conversation, 'inboxId' | 'contactId'>, content: SendContent, replyToMessageId?: string): Promise<SendResult> {
  const res = await api.POST('/messages', {
    body: { inboxId: conversation.inboxId, contactId: conversation.contactId, content, ...(replyToMessageId ? { replyToMessageId } : {}) },
  });
  const response: Response = res.response;
  if (res.data) return { ok: true, message: res.data };
  const e = apiError(res.error ?? { error: { code: `http_${response.status}`, message: response.statusText || String(response.status) } });
  if (e.code === 'policy_denied') {
    const details = (e.details ?? {}) as { reason?: unknown; message?: unknown };
    return { ok: false, denied: true, reason: typeof details.reason === 'string' ? details.reason : 'unknown', message: (details.message as Message | undefined) ?? null };
  }
  return { ok: false, denied: false, code: e.code, text: e.message };
}

const DRAFT_PREFIX = 'parley.draft.';

/** The draft of a conversation, kept in this browser (localStorage) until sent. */
export function readDraft(conversationId: string): string {
  try {
    return localStorage.getItem(DRAFT_PREFIX + conversationId) ?? '';
  } catch {
    return '';
  }
}

export function writeDraft(conversationId: string, text: string): void {
  try {
    if (text === '') localStorage.removeItem(DRAFT_PREFIX + conversationId);
    else localStorage.setItem(DRAFT_PREFIX + conversationId, text);
  } catch {
    // storage full or disabled: the draft lives only in the box
  }
}
