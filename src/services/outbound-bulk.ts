// The bulk send path (campaigns): many messages from one inbox, each decided by the same policy as a
// single send, stored in batched transactions on the campaign lane of the outbox. Per chunk: a few
// `IN (…)` reads for contacts, threads and history, one messaging-limit lock, multi-row inserts.

import { parseLimitTier, tierLimit, consumesNewSlot } from '../core/limits.js';
import { checkOutboundContent, type OutboundContent } from '../core/message-content.js';
import type { PolicyDecision } from '../core/policy.js';
import { SERVICE_WINDOW_MS, isWindowOpen } from '../core/window.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { withLock, type Db } from '../store/db.js';
import {
  contactsById, contactsByWaId, conversationsOf, createContacts, createConversations, limitCountedAt,
} from '../store/queries/bulk-recipients.js';
import { upsertContact, type ContactRecord } from '../store/queries/contacts.js';
import { extendEntryPoint, type ConversationRecord } from '../store/queries/conversations.js';
import type { InboxRecord } from '../store/queries/inboxes.js';
import { marketingHistoryOf } from '../store/queries/marketing.js';
import { messagingLimitLock, outOfWindowRecipients, type MessageRecord } from '../store/queries/messages.js';
import { LANE_CAMPAIGN, insertOutboundBatch } from '../store/queries/outbound-batch.js';
import type { TemplateRecord } from '../store/queries/templates.js';
import { publishMessage } from './live.js';
import { findOrSyncTemplate, planSend, policyFacts, type PlannedSend } from './outbound.js';
import { changesContact, contactFieldsOfPhone, resolveInbox, type PhoneContactFields } from './recipients.js';

export interface BulkItem {
  /** Recipient phone number (E.164 or wa_id), or… */
  to?: string;
  /** …an existing contact. */
  contactId?: string;
  content: OutboundContent;
}

export type BulkOutcome =
  | { index: number; message: MessageRecord; decision: PolicyDecision }
  | { index: number; error: { code: string; message: string } };

/** Messages decided and stored per transaction: small enough that other work waits at most a few ms for the database. */
const CHUNK = 128;

/**
 * Queues `items` from one inbox on the campaign lane (sent after replies and automation). Each item
 * gets the policy's decision (denied ones are stored with their reason, like a single send); an item
 * that is not valid (bad number, unknown contact, bad content) gets an error and nothing is stored for it.
 */
export async function queueMessages(deps: AppDeps, workspaceId: string, inboxId: string, items: BulkItem[]): Promise<BulkOutcome[]> {
  const inbox = await resolveInbox(deps.database.db, workspaceId, inboxId);
  const templates = new Map<string, Promise<TemplateRecord | undefined>>();
  const outcomes: BulkOutcome[] = [];
  for (let start = 0; start < items.length; start += CHUNK) {
    outcomes.push(...(await queueChunk(deps, inbox, items.slice(start, start + CHUNK), start, templates)));
    // Let HTTP and the workers have the event loop between chunks (better-sqlite3 is synchronous).
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (outcomes.some((o) => 'decision' in o && o.decision.allow)) deps.nudge?.sender();
  return outcomes;
}

interface Resolved { index: number; item: BulkItem; contact: ContactRecord; conversation: ConversationRecord; template: TemplateRecord | undefined }

async function queueChunk(
  deps: AppDeps, inbox: InboxRecord, items: BulkItem[], offset: number, templates: Map<string, Promise<TemplateRecord | undefined>>,
): Promise<BulkOutcome[]> {
  const now = deps.now();
  const { resolved, errors } = await resolveChunk(deps, inbox, items, offset, now, templates);
  const stored = resolved.length === 0 ? [] : await withLock(deps.database.db, messagingLimitLock(inbox.workspaceId), (tx) => decideAndStore(tx, inbox, resolved, now));
  const outcomes: BulkOutcome[] = [...errors];
  for (const { r, planned, message } of stored) {
    const expires = planned.entryPointExpiresAt;
    if (expires !== null && expires !== r.conversation.entryPointExpiresAt) {
      await extendEntryPoint(deps.database.db, inbox.workspaceId, r.conversation.id, expires, now);
    }
    if (!planned.decision.allow) deps.metrics.messagesSent.inc({ outcome: 'denied' });
    await publishMessage(deps, message);
    outcomes.push({ index: r.index, message, decision: planned.decision });
  }
  return outcomes.sort((a, b) => a.index - b.index);
}

/** Contacts (created when new), threads (opened when new) and templates of a chunk; invalid items become errors. */
async function resolveChunk(
  deps: AppDeps, inbox: InboxRecord, items: BulkItem[], offset: number, now: number, templates: Map<string, Promise<TemplateRecord | undefined>>,
): Promise<{ resolved: Resolved[]; errors: BulkOutcome[] }> {
  const { db } = deps.database;
  const workspaceId = inbox.workspaceId;
  const errors: BulkOutcome[] = [];
  const fail = (index: number, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    errors.push({ index, error: { code: err.code, message: err.message } });
  };
  const targets: Array<{ index: number; item: BulkItem; phone?: PhoneContactFields }> = [];
  items.forEach((item, i) => {
    const index = offset + i;
    try {
      const issues = checkOutboundContent(item.content);
      if (issues.length > 0) throw new AppError('validation_failed', issues.map((x) => x.message).join('; '), { issues });
      if (item.contactId !== undefined) targets.push({ index, item });
      else if (item.to !== undefined) targets.push({ index, item, phone: contactFieldsOfPhone(item.to, now) });
      else throw new AppError('validation_failed', 'Say who the message is for: "to" (a phone number) or "contactId".');
    } catch (err) { fail(index, err); }
  });
  const contacts = await contactsOf(db, workspaceId, targets, now);
  const found = targets.filter((t) => {
    if (contacts.has(t.phone?.waId ?? `id:${t.item.contactId}`)) return true;
    fail(t.index, new AppError('contact_not_found'));
    return false;
  });
  const contactOf = (t: (typeof found)[number]) => contacts.get(t.phone?.waId ?? `id:${t.item.contactId}`)!;
  const threads = await threadsOf(db, workspaceId, inbox.id, found.map((t) => contactOf(t).id), now);
  const resolved: Resolved[] = [];
  for (const t of found) {
    const content = t.item.content;
    let template: TemplateRecord | undefined;
    if (content.type === 'template') {
      const key = `${content.name}\u0000${content.language}`;
      if (!templates.has(key)) templates.set(key, findOrSyncTemplate(deps, inbox, content.name, content.language));
      template = await templates.get(key);
    }
    const contact = contactOf(t);
    resolved.push({ index: t.index, item: t.item, contact, conversation: threads.get(contact.id)!, template });
  }
  return { resolved, errors };
}

/** Contacts keyed by wa_id (phone targets) or `id:<id>` (contactId targets); new numbers are created, changed facts refreshed. */
async function contactsOf(
  db: Db, workspaceId: string, targets: Array<{ item: BulkItem; phone?: PhoneContactFields }>, now: number,
): Promise<Map<string, ContactRecord>> {
  const byKey = new Map<string, ContactRecord>();
  const phones = new Map(targets.filter((t) => t.phone).map((t) => [t.phone!.waId, t.phone!]));
  for (const c of await contactsByWaId(db, workspaceId, [...phones.keys()])) {
    const fields = phones.get(c.waId)!;
    byKey.set(c.waId, changesContact(c, fields) ? await upsertContact(db, workspaceId, { ...fields, now }) : c);
  }
  const missing = [...phones.values()].filter((p) => !byKey.has(p.waId));
  if (missing.length > 0) for (const c of await createContacts(db, workspaceId, missing, now)) byKey.set(c.waId, c);
  const ids = targets.filter((t) => !t.phone).map((t) => t.item.contactId!);
  if (ids.length > 0) for (const c of await contactsById(db, workspaceId, ids)) byKey.set(`id:${c.id}`, c);
  return byKey;
}

async function threadsOf(db: Db, workspaceId: string, inboxId: string, contactIds: string[], now: number): Promise<Map<string, ConversationRecord>> {
  const byContact = new Map((await conversationsOf(db, workspaceId, inboxId, contactIds)).map((c) => [c.contactId, c]));
  const missing = contactIds.filter((id) => !byContact.has(id));
  if (missing.length > 0) for (const c of await createConversations(db, workspaceId, inboxId, missing, now)) byContact.set(c.contactId, c);
  return byContact;
}

/**
 * Under the workspace's messaging-limit lock: the chunk's history in a few reads, then each message
 * decided in order — a slot taken by one message counts for the next — and all stored together.
 */
async function decideAndStore(tx: Db, inbox: InboxRecord, resolved: Resolved[], now: number) {
  const workspaceId = inbox.workspaceId;
  const since = now - SERVICE_WINDOW_MS;
  const messagingLimit = parseLimitTier(inbox.messagingLimit) ?? 'TIER_250';
  const ids = resolved.map((r) => r.contact.id);
  const counted = await limitCountedAt(tx, workspaceId, ids);
  const marketingIds = resolved.filter((r) => r.template?.category === 'MARKETING').map((r) => r.contact.id);
  const marketing = marketingIds.length > 0 ? await marketingHistoryOf(tx, workspaceId, marketingIds, since) : new Map();
  const finite = Number.isFinite(tierLimit(messagingLimit));
  const anyOutside = resolved.some((r) => !isWindowOpen(r.conversation.lastInboundAt, now));
  const budget = finite && anyOutside ? await outOfWindowRecipients(tx, workspaceId, since) : { count: 0, oldestAt: null as number | null };
  const planned: Array<{ r: Resolved; planned: PlannedSend }> = [];
  for (const r of resolved) {
    const windowOpen = isWindowOpen(r.conversation.lastInboundAt, now);
    const countedAt = counted.get(r.contact.id) ?? null;
    const countedSince = countedAt !== null && countedAt >= since;
    const history = { countedSince, ...(marketing.get(r.contact.id) ?? { marketing: { count: 0, oldestAt: null }, lastEcosystemFailureAt: null }) };
    const fact = { inbox, contact: r.contact, conversation: r.conversation, windowOpen, content: r.item.content, template: r.template, now };
    const p = planSend({ ...fact, workspaceId, replyTo: undefined }, policyFacts(fact, messagingLimit, history, budget), LANE_CAMPAIGN);
    if (p.decision.allow && !windowOpen) {
      if (consumesNewSlot({ serviceWindowOpen: windowOpen, contactAlreadyCounted: countedSince })) {
        budget.count++;
        budget.oldestAt ??= now;
      }
      counted.set(r.contact.id, now);
    }
    planned.push({ r, planned: p });
  }
  const messages = await insertOutboundBatch(tx, workspaceId, planned.map((p) => p.planned.insert), now);
  return planned.map((p, i) => ({ ...p, message: messages[i]! }));
}
