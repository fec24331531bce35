// Applying one inbound customer message: upsert the contact, open or extend the 24-hour window,
// store the message once by its wamid (replies linked to the quoted message, reactions to their
// target), download its media, and publish it live. Idempotent: a redelivered webhook changes nothing;
// a "redelivery" whose content differs is logged, since Meta never reuses a wamid for another message.

import { CloudApiError } from '../cloudapi/graph-codes.js';
import type { InboundMessageEvent } from '../core/inbound.js';
import { inboundMessageTime } from '../core/inbound-message.js';
import { windowExpiresAt } from '../core/window.js';
import type { AppDeps } from '../http/deps.js';
import { openOrExtendWindow, setConversationState } from '../store/queries/conversations.js';
import type { InboxRecord } from '../store/queries/inboxes.js';
import { upsertContactFromWaId } from './recipients.js';
import type { WebhookScope } from './webhook-scope.js';
import { findMessageByWamid, insertInboundMessage, setMessageMedia, type MessageRecord } from '../store/queries/messages.js';
import type { InboxCache } from './inbox-cache.js';
import { publishMessage } from './live.js';
import { downloadInboundMedia } from './media.js';
import { csatReplyOf } from '../core/csat.js';
import { applyCsatAnswer } from './csat.js';

/** `defer` (in a batch): the media download runs after the batch committed, with the deps it is given. */
export async function applyInboundMessage(
  deps: AppDeps, scope: WebhookScope, inboxes: InboxCache, e: InboundMessageEvent,
  defer?: (task: (deps: AppDeps) => Promise<void>) => void,
): Promise<void> {
  const inbox = await scope.inboxByNumber(e.phoneNumberId);
  if (!inbox) {
    deps.logger.warn({ phoneNumberId: e.phoneNumberId, wamid: e.wamid }, 'inbound message for an unknown number; ignored');
    return;
  }
  const { db } = deps.database;
  const ws = inbox.workspaceId;
  const now = deps.now();
  const contact = await upsertContactFromWaId(db, ws, { waId: e.contact.waId, name: e.contact.profileName, inboundAt: e.timestamp, now });
  // A tap on a CSAT rating (id `csat:…`, pure check, no query) answers the survey and does not
  // reopen the conversation (services/csat.ts); every other message reopens it as before.
  const rating = csatReplyOf(e.content);
  // Every inbound message (text, tap, reaction…) opens or extends the customer service window.
  const conversation = await openOrExtendWindow(db, ws, {
    inboxId: inbox.id, contactId: contact.id, inboundAt: e.timestamp,
    windowExpiresAt: windowExpiresAt(e.timestamp)!, state: rating ? undefined : 'open', now,
    ...(e.referral?.isEntryPoint ? { entryPointInboundAt: e.timestamp } : {}),
  });
  const targetWamid = e.content.type === 'reaction' ? e.content.targetWamid : e.replyToWamid;
  const target = targetWamid ? await findMessageByWamid(db, ws, inbox.id, targetWamid, contact.id) : undefined;
  const { message, inserted } = await insertInboundMessage(db, ws, {
    inboxId: inbox.id, conversationId: conversation.id, contactId: contact.id, wamid: e.wamid,
    type: e.content.type, content: contentOf(e),
    replyToWamid: targetWamid ?? null, replyToMessageId: target?.id ?? null, sentAt: inboundMessageTime(e.timestamp, now), now,
  });
  if (!inserted) warnIfDifferent(deps, e, message);
  // An unassigned chat may wait for the router (workers/timers.ts): nudged after the batch commits, no query here.
  if (inserted && conversation.assigneeId === null) { if (defer) defer(async (later) => later.nudge?.timers()); else deps.nudge?.timers(); }
  // A new message in the same second as the customer's last one is not "newer" to the window update
  // (Meta's timestamps have whole seconds), so it did not reopen the thread there; it does here. A
  // late older message (or a redelivery, not inserted) still leaves what an operator did alone.
  if (inserted && !rating && conversation.state !== 'open' && e.timestamp >= (conversation.lastInboundAt ?? 0)) {
    await setConversationState(db, ws, conversation.id, 'open', now);
  }
  if (inserted && rating) await applyCsatAnswer(deps, ws, conversation, message, rating, e.timestamp);
  if (defer && needsMedia(e, message)) {
    if (inserted) await publishMessage(deps, message);
    defer(async (later) => {
      const stored = await attachMedia(later, inboxes, inbox, e, message);
      if (stored !== message) await publishMessage(later, stored, { kind: 'message.updated' });
    });
    return;
  }
  const stored = await attachMedia(deps, inboxes, inbox, e, message);
  if (inserted || stored !== message) await publishMessage(deps, stored, { kind: inserted ? 'message.created' : 'message.updated' });
}

/**
 * A wamid already stored with other content is not a redelivery: ids reused (a Cloud API emulator
 * restarted without its state, a bug upstream). The stored message is kept; the conflict is logged
 * without the customer's text. https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */
function warnIfDifferent(deps: AppDeps, e: InboundMessageEvent, stored: MessageRecord): void {
  if (stored.type === e.content.type && JSON.stringify(stored.content) === JSON.stringify(contentOf(e))) return;
  deps.logger.warn({
    wamid: e.wamid, messageId: stored.id, inboxId: stored.inboxId, storedType: stored.type, type: e.content.type,
    storedTimestamp: stored.createdAt, timestamp: e.timestamp,
  }, 'inbound message reuses a stored wamid with different content; kept the stored one, dropped this one');
}

const needsMedia = (e: InboundMessageEvent, message: MessageRecord): boolean => 'mediaId' in e.content && !message.mediaId;

/** The content plus what else the webhook said about the message (context, referral, errors). */
function contentOf(e: InboundMessageEvent): unknown {
  return {
    ...e.content,
    ...(e.referral ? { referral: e.referral } : {}),
    ...(e.forwarded || e.frequentlyForwarded ? { forwarded: true, frequentlyForwarded: e.frequentlyForwarded } : {}),
    ...(e.referredProduct ? { referredProduct: e.referredProduct } : {}),
    ...(e.errors.length > 0 ? { errors: e.errors } : {}),
  };
}

/**
 * Downloads the media of a media message not downloaded yet. A transient failure (network, 5xx,
 * throttling) throws, so the webhook event is retried with back-off and the download with it (the
 * message itself is already stored once); a permanent one is logged and the message stays without its file.
 */
async function attachMedia(
  deps: AppDeps, inboxes: InboxCache, inbox: InboxRecord, e: InboundMessageEvent, message: MessageRecord,
): Promise<MessageRecord> {
  const c = e.content;
  if (!('mediaId' in c) || message.mediaId) return message;
  try {
    const withToken = await inboxes.get(inbox.workspaceId, inbox.id);
    const media = await downloadInboundMedia(deps, inbox.workspaceId, withToken, c.mediaId, c.filename);
    await setMessageMedia(deps.database.db, inbox.workspaceId, message.id, media.id, deps.now());
    return { ...message, mediaId: media.id };
  } catch (err) {
    if (err instanceof CloudApiError && err.retryable) throw err;
    deps.logger.warn({ err, wamid: e.wamid }, 'inbound media not downloaded');
    return message;
  }
}
