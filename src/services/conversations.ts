// Marking a conversation read: Meta's read receipt for the newest customer message (the customer
// sees blue ticks on it and every earlier one), then the read mark Parley's unread counts start from.

import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { getConversationView, lastInboundMessage, recordRead, type ConversationView } from '../store/queries/conversation-views.js';
import { getInbox, getInboxCredentials } from '../store/queries/inboxes.js';

/**
 * Meta refuses a read receipt for a message older than 30 days (error 131009), so those are only
 * marked read in Parley. https://developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
 */
export const READ_RECEIPT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export interface ReadOutcome { conversation: ConversationView; receiptSent: boolean }

export async function markConversationRead(deps: AppDeps, workspaceId: string, conversationId: string): Promise<ReadOutcome> {
  const { db } = deps.database;
  const before = await getConversationView(db, workspaceId, conversationId);
  if (!before) throw new AppError('conversation_not_found');
  const last = await lastInboundMessage(db, workspaceId, conversationId);
  const now = deps.now();
  if (!last || (before.lastReadAt !== null && last.createdAt <= before.lastReadAt)) return { conversation: before, receiptSent: false };
  const receiptSent = now - last.createdAt < READ_RECEIPT_MAX_AGE_MS;
  // Meta first: if the receipt fails, nothing is recorded, so the caller can retry and both sides agree.
  if (receiptSent) await sendReadReceipt(deps, workspaceId, before.inboxId, last.wamid);
  await recordRead(db, workspaceId, conversationId, last.createdAt, now);
  const after = await getConversationView(db, workspaceId, conversationId);
  return { conversation: after ?? before, receiptSent };
}

async function sendReadReceipt(deps: AppDeps, workspaceId: string, inboxId: string, wamid: string): Promise<void> {
  const { db } = deps.database;
  const inbox = await getInbox(db, workspaceId, inboxId);
  if (!inbox) throw new AppError('inbox_not_found');
  const credentials = await getInboxCredentials(db, workspaceId, inboxId, deps.secretKey);
  if (!credentials?.accessToken) throw new AppError('conflict', 'This inbox has no access token, so Meta cannot be told the message was read; set one on the inbox.');
  await deps.cloudApi.markRead(inbox.phoneNumberId, wamid, false, { accessToken: credentials.accessToken });
}
