// Applying a status webhook to our outbound message, found by biz_opaque_callback_data (our message
// id, which Parley puts on every send and Meta echoes on every status; it also finds a message whose
// send result was lost in a crash), else by wamid among the recipient's messages. Statuses merge
// monotonically (core/statuses) whatever order they arrive in; Meta's pricing is recorded with its cost.

import type { StatusEvent } from '../core/inbound.js';
import type { PricingMarket } from '../core/markets.js';
import { costOfReportedPricing } from '../core/pricing.js';
import { mergeStatus, type MessageStatus as CoreStatus } from '../core/statuses.js';
import type { AppDeps } from '../http/deps.js';
import { findContactByWaId, getContact } from '../store/queries/contacts.js';
import type { WebhookScope } from './webhook-scope.js';
import { applyStatus, type OutboundStatus, type StatusUpdate } from '../store/queries/message-statuses.js';
import { findSentByWamid, getMessage, type MessageRecord } from '../store/queries/messages.js';
import { publishMessage } from './live.js';

export async function applyStatusEvent(deps: AppDeps, scope: WebhookScope, e: StatusEvent): Promise<void> {
  const { db } = deps.database;
  const inbox = await scope.inboxByNumber(e.phoneNumberId);
  if (!inbox) {
    deps.logger.warn({ phoneNumberId: e.phoneNumberId, wamid: e.wamid }, 'status for an unknown number; ignored');
    return;
  }
  const ws = inbox.workspaceId;
  const message = await findStatusTarget(deps, ws, inbox.id, e);
  if (!message || message.direction !== 'out' || message.inboxId !== inbox.id) {
    deps.logger.info({ wamid: e.wamid }, 'status for a message Parley did not send; ignored');
    return;
  }
  const update = await statusUpdate(deps, ws, message, e);
  if (!update) return;
  const stored = await applyStatus(db, ws, message.id, update);
  if (stored) await publishMessage(deps, stored);
}

/**
 * By our id (even under another wamid: a send retried after an ambiguous failure can reach Meta twice,
 * and both copies are this message), else by wamid among the recipient's messages.
 */
async function findStatusTarget(deps: AppDeps, ws: string, inboxId: string, e: StatusEvent): Promise<MessageRecord | undefined> {
  const { db } = deps.database;
  if (e.bizOpaqueCallbackData) {
    const ours = await getMessage(db, ws, e.bizOpaqueCallbackData);
    if (ours && ours.direction === 'out' && ours.inboxId === inboxId) return ours;
  }
  const contact = await findContactByWaId(db, ws, e.recipientId);
  return contact && findSentByWamid(db, ws, inboxId, e.wamid, contact.id);
}

async function statusUpdate(deps: AppDeps, ws: string, message: MessageRecord, e: StatusEvent): Promise<StatusUpdate | undefined> {
  const current = {
    status: (message.status === 'denied' || message.status === 'received' ? 'failed' : message.status) as CoreStatus,
    timestamps: { sentAt: message.sentAt, deliveredAt: message.deliveredAt, readAt: message.readAt, failedAt: message.failedAt },
  };
  const merge = mergeStatus(current, { status: e.status, at: e.timestamp });
  const pricing = e.pricing ? await priced(deps, ws, message, e) : undefined;
  if (!merge.changed && !pricing && message.wamid) return undefined;
  // 'played' (voice notes) is stored as read: the store's ladder ends at read.
  const status: OutboundStatus = merge.status === 'played' ? 'read' : (merge.status as OutboundStatus);
  const error = merge.recordFailure ? e.errors[0] : undefined;
  return {
    status, wamid: e.wamid, now: deps.now(),
    ...(merge.set.sentAt != null ? { sentAt: merge.set.sentAt } : {}),
    ...(merge.set.deliveredAt != null ? { deliveredAt: merge.set.deliveredAt } : {}),
    ...(merge.set.readAt != null || merge.set.playedAt != null ? { readAt: merge.set.readAt ?? merge.set.playedAt! } : {}),
    ...(merge.set.failedAt != null ? { failedAt: merge.set.failedAt } : {}),
    ...(error ? { error: { code: error.code, title: error.title, details: error.details ?? error.message } } : {}),
    ...(pricing ? { pricing } : {}),
  };
}

async function priced(deps: AppDeps, ws: string, message: MessageRecord, e: StatusEvent) {
  const contact = await getContact(deps.database.db, ws, message.contactId);
  const p = e.pricing!;
  const price = costOfReportedPricing({ category: p.category, type: p.type ?? undefined, billable: p.billable }, (contact?.market ?? 'other') as PricingMarket, e.timestamp);
  return { category: price.category, type: price.type, billable: price.billable, costMicros: price.costMicros };
}
