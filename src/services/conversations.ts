// Conversations as an operator sees them: lists and single reads filtered by the visibility rule
// (core/visibility.ts; a hidden conversation is 404, as if it did not exist), status and priority
// changes with their live event, and marking read: Meta's read receipt for the newest customer
// message (the customer sees blue ticks on it and every earlier one), then Parley's read mark.

import { canSeeConversation, folderPredicate, visibilityPredicate, type Folder } from '../core/visibility.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import type { Page } from '../store/cursor.js';
import { getConversation, updateConversationStatus, wakeSnoozedConversations, type ConversationFilter, type ConversationRecord } from '../store/queries/conversations.js';
import {
  countConversationViews, getConversationView, lastInboundMessage, listConversationViews, recordRead, type ConversationView,
} from '../store/queries/conversation-views.js';
import { getInbox, getInboxCredentials } from '../store/queries/inboxes.js';
import type { ConversationPriority, ConversationState } from '../store/rows.js';
import { publishConversation } from './live.js';
import { askForRating } from './csat.js';
import { viewerOf, type ViewingUser } from './visibility.js';

/**
 * Meta refuses a read receipt for a message older than 30 days (error 131009), so those are only
 * marked read in Parley. https://developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
 */
export const READ_RECEIPT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export interface ReadOutcome { conversation: ConversationView; receiptSent: boolean }

export type ListQuery = Omit<ConversationFilter, 'scopes' | 'now'> & { folder?: Folder };

/** The list `user` may see (null = API key: everything), narrowed by folder and filters. */
export async function listVisibleConversations(deps: AppDeps, workspaceId: string, user: ViewingUser | null, query: ListQuery): Promise<Page<ConversationView>> {
  const { viewer, mode } = await viewerOf(deps, user);
  const { folder, ...filter } = query;
  const scopes = [visibilityPredicate(viewer, mode), ...(folder ? [folderPredicate(folder, viewer)] : [])];
  return listConversationViews(deps.database.db, workspaceId, { ...filter, scopes, now: deps.now() });
}

export type FolderCounts = Record<Folder, { total: number; unread: number }>;

/** Per folder: conversations `user` may see (optionally of one state and inbox) and how many have unread messages. */
export async function folderCounts(deps: AppDeps, workspaceId: string, user: ViewingUser | null, filter: { state?: ConversationState; inboxId?: string }): Promise<FolderCounts> {
  const { viewer, mode } = await viewerOf(deps, user);
  const visible = visibilityPredicate(viewer, mode);
  const out = {} as FolderCounts;
  for (const folder of ['mine', 'unassigned', 'teams', 'all'] as const) {
    out[folder] = await countConversationViews(deps.database.db, workspaceId, { ...filter, scopes: [visible, folderPredicate(folder, viewer)] });
  }
  return out;
}

/** One conversation, 404 conversation_not_found when it does not exist OR `user` may not see it. */
export async function visibleConversation(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string): Promise<ConversationView> {
  const conversation = await getConversationView(deps.database.db, workspaceId, conversationId, deps.now());
  if (!conversation) throw new AppError('conversation_not_found');
  if (user !== null) {
    const { viewer, mode } = await viewerOf(deps, user);
    if (!canSeeConversation(viewer, mode, conversation)) throw new AppError('conversation_not_found');
  }
  return conversation;
}

/** The bare conversation (no joins: for routes that only need to know it is visible), or 404. */
export async function visibleConversationRecord(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string): Promise<ConversationRecord> {
  const conversation = await getConversation(deps.database.db, workspaceId, conversationId);
  if (!conversation) throw new AppError('conversation_not_found');
  if (user !== null) {
    const { viewer, mode } = await viewerOf(deps, user);
    if (!canSeeConversation(viewer, mode, conversation)) throw new AppError('conversation_not_found');
  }
  return conversation;
}

export interface StatusPatch { state?: ConversationState; snoozedUntil?: number | null; untilReply?: boolean; priority?: ConversationPriority }

/**
 * Snoozing needs a time in the future or `untilReply` (then a customer message wakes it); any other
 * state clears the snooze time. `snoozedUntil` alone means state 'snoozed'.
 */
export async function changeConversationStatus(
  deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string, patch: StatusPatch,
  /** csat: ask the customer for a rating when this resolves it (services/csat.ts); an auto-resolve may pass false. */
  opts: { csat?: boolean } = {},
): Promise<ConversationView> {
  const before = await visibleConversation(deps, workspaceId, user, conversationId);
  const now = deps.now();
  const snoozing = patch.state === 'snoozed' || (patch.state === undefined && (typeof patch.snoozedUntil === 'number' || patch.untilReply === true));
  let change: { state?: ConversationState; snoozedUntil?: number | null; priority?: ConversationPriority } = {};
  if (snoozing) {
    const until = typeof patch.snoozedUntil === 'number' ? patch.snoozedUntil : null;
    if (until === null ? patch.untilReply !== true : until <= now) {
      throw new AppError('snooze_time_required', until === null ? undefined : `snoozedUntil (${until}) is not in the future (now ${now}): give a later time or untilReply: true.`, { field: 'snoozedUntil' });
    }
    change = { state: 'snoozed', snoozedUntil: until };
  } else if (patch.state !== undefined) {
    change = { state: patch.state, snoozedUntil: null };
  }
  if (patch.priority !== undefined) change.priority = patch.priority;
  const { db } = deps.database;
  // Resolving: the survey goes once even when two resolves arrive together (a double click, two
  // operators) — only the update that changed the state asks.
  const resolving = change.state === 'resolved' && before.state !== 'resolved';
  const changed = resolving ? await updateConversationStatus(db, workspaceId, conversationId, change, now, { onlyIfChanging: true }) : undefined;
  const updated = changed ?? await updateConversationStatus(db, workspaceId, conversationId, change, now);
  if (!updated) throw new AppError('conversation_not_found');
  await publishConversation(deps, updated);
  if (changed) await askForRating(deps, workspaceId, changed, { byOperator: opts.csat ?? true });
  return visibleConversation(deps, workspaceId, null, conversationId);
}

/** Opens the workspace's snoozed conversations whose time has come, each with its live event (for a timer worker). */
export async function wakeSnoozed(deps: AppDeps, workspaceId: string): Promise<number> {
  const woken = await wakeSnoozedConversations(deps.database.db, workspaceId, deps.now());
  for (const conversation of woken) await publishConversation(deps, conversation);
  return woken.length;
}

export async function markConversationRead(deps: AppDeps, workspaceId: string, conversationId: string, user: ViewingUser | null = null): Promise<ReadOutcome> {
  const { db } = deps.database;
  const before = await visibleConversation(deps, workspaceId, user, conversationId);
  const last = await lastInboundMessage(db, workspaceId, conversationId);
  const now = deps.now();
  if (!last || (before.lastReadAt !== null && last.createdAt <= before.lastReadAt)) return { conversation: before, receiptSent: false };
  const receiptSent = now - last.createdAt < READ_RECEIPT_MAX_AGE_MS;
  // Meta first: if the receipt fails, nothing is recorded, so the caller can retry and both sides agree.
  if (receiptSent) await sendReadReceipt(deps, workspaceId, before.inboxId, last.wamid);
  await recordRead(db, workspaceId, conversationId, last.createdAt, now);
  const after = await getConversationView(db, workspaceId, conversationId, deps.now());
  if (after) await publishConversation(deps, after);
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
