// Sending a message: check its content, gather the facts (window, template, limits, caps), ask the
// pure policy engine, then store the message — denied with its reason, or queued together with its
// outbox row in one transaction. Nothing is sent from here; the sender worker does that.

import type { TemplateCategory, TemplateStatus, WireTemplateComponent } from '../cloudapi/wire.js';
import { consumesNewSlot, parseLimitTier, tierLimit, type LimitTier } from '../core/limits.js';
import { checkOutboundContent, type OutboundContent } from '../core/message-content.js';
import type { PricingMarket } from '../core/markets.js';
import { DEFAULT_MARKETING_CAP_PER_DAY, evaluatePolicy, type PolicyDecision, type PolicyFacts } from '../core/policy.js';
import { priceMessage, pricingCategoryOfTemplate } from '../core/pricing.js';
import type { StoredTemplate } from '../core/templates.js';
import { SERVICE_WINDOW_MS, entryPointAfterReply, isEntryPointOpen, isWindowOpen } from '../core/window.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { withLock, type Db } from '../store/db.js';
import type { ContactRecord } from '../store/queries/contacts.js';
import { ensureConversation, extendEntryPoint, findConversation, type ConversationRecord } from '../store/queries/conversations.js';
import type { InboxRecord } from '../store/queries/inboxes.js';
import { contactSendHistory, type ContactSendHistory } from '../store/queries/marketing.js';
import { getMessage, messagingLimitLock, outOfWindowRecipients, type MessageRecord } from '../store/queries/messages.js';
import { LANE_REPLY, insertOutboundBatch, outboundMessageRow, type OutboundInsert } from '../store/queries/outbound-batch.js';
import { findTemplate, type TemplateRecord } from '../store/queries/templates.js';
import { assertMayReply } from './assignment.js';
import { InboxCache } from './inbox-cache.js';
import type { ViewingUser } from './visibility.js';
import { publishMessage } from './live.js';
import { syncTemplates } from './templates.js';
import { resolveContact, resolveInbox } from './recipients.js';
import { resolveContentMedia } from './media.js';

export interface SendInput {
  inboxId?: string;
  /** Recipient phone number (E.164 or wa_id), or… */
  to?: string;
  /** …an existing contact. */
  contactId?: string;
  content: OutboundContent;
  /** Quote one of the conversation's messages (our id). */
  replyToMessageId?: string;
}

export interface SendOutcome { message: MessageRecord; decision: PolicyDecision }

/** What the policy and the price are decided from, for one message. */
export interface SendContext {
  workspaceId: string; inbox: InboxRecord; contact: ContactRecord; conversation: ConversationRecord;
  content: OutboundContent; template: TemplateRecord | undefined; replyTo: MessageRecord | undefined; now: number;
}

/** A decided message: its row (queued or denied) and the entry point window it leaves. */
export interface PlannedSend { decision: PolicyDecision; insert: OutboundInsert; entryPointExpiresAt: number | null }


/** `actor.user`: the signed-in operator sending (reply guard, services/assignment.ts); absent or null for an API key. */
export async function sendMessage(deps: AppDeps, workspaceId: string, input: SendInput, actor: { user?: ViewingUser | null } = {}): Promise<SendOutcome> {
  const issues = checkOutboundContent(input.content);
  if (issues.length > 0) throw new AppError('validation_failed', issues.map((i) => i.message).join('; '), { issues });
  const { db } = deps.database;
  const now = deps.now();
  const inbox = await resolveInbox(db, workspaceId, input.inboxId);
  input = { ...input, content: await resolveContentMedia(deps, workspaceId, inbox.id, input.content) };
  const contact = await resolveContact(db, workspaceId, input, now);
  // An existing thread is read, not upserted: a send writes a conversation only when a value changes.
  const conversation = await findConversation(db, workspaceId, inbox.id, contact.id)
    ?? await ensureConversation(db, workspaceId, { inboxId: inbox.id, contactId: contact.id, now });
  if (actor.user) await assertMayReply(deps, workspaceId, actor.user, conversation);
  const replyTo = await resolveReply(deps, workspaceId, conversation, input.replyToMessageId);
  const template = input.content.type === 'template'
    ? await findOrSyncTemplate(deps, inbox, input.content.name, input.content.language)
    : undefined;

  const ctx: SendContext = { workspaceId, inbox, contact, conversation, content: input.content, template, replyTo, now };
  const windowOpen = isWindowOpen(conversation.lastInboundAt, now);
  const decideAndStore = async (tx: Db) => {
    const facts = await gatherFacts(tx, workspaceId, { ...ctx, windowOpen });
    const planned = planSend(ctx, facts, LANE_REPLY);
    const [message] = await insertOutboundBatch(tx, workspaceId, [planned.insert], now);
    return { message: message!, decision: planned.decision, entryPointExpiresAt: planned.entryPointExpiresAt };
  };
  // Outside the window a message may take a slot of the messaging limit: counting the slots and
  // queueing the message are one step per workspace, so concurrent sends cannot all take the last one.
  const { message, decision, entryPointExpiresAt } = windowOpen
    ? await decideAndStore(db) : await withLock(db, messagingLimitLock(workspaceId), decideAndStore);
  if (entryPointExpiresAt !== null && entryPointExpiresAt !== conversation.entryPointExpiresAt) {
    await extendEntryPoint(db, workspaceId, conversation.id, entryPointExpiresAt, now);
  }
  if (decision.allow) deps.nudge?.sender(); else deps.metrics.messagesSent.inc({ outcome: 'denied' });
  await publishMessage(deps, message);
  return { message, decision };
}

/**
 * Decides one message from its facts (pure apart from a new id): the policy's decision, the row to
 * store with its price estimate and, when allowed, its outbox row in `lane`.
 */
export function planSend(ctx: SendContext, facts: PolicyFacts, lane: number): PlannedSend {
  const { conversation, contact, template, content, replyTo, now } = ctx;
  const windowOpen = isWindowOpen(conversation.lastInboundAt, now);
  const decision = evaluatePolicy(facts);
  // A reply within 24 h of a click-to-WhatsApp message opens the 72 h free entry point window.
  const entryPointExpiresAt = decision.allow
    ? entryPointAfterReply({ entryPointInboundAt: conversation.entryPointInboundAt, currentExpiresAt: conversation.entryPointExpiresAt, replyAt: now })
    : conversation.entryPointExpiresAt;
  const price = priceMessage({
    category: template ? pricingCategoryOfTemplate(template.category) : 'service', market: (contact.market ?? 'other') as PricingMarket,
    serviceWindowOpen: windowOpen, entryPointOpen: isEntryPointOpen(entryPointExpiresAt, now), at: now,
  });
  const row = outboundMessageRow(ctx.workspaceId, {
    inboxId: ctx.inbox.id, conversationId: conversation.id, contactId: contact.id, type: content.type, content,
    replyToMessageId: replyTo?.id ?? null, replyToWamid: replyTo?.wamid ?? null,
    template: content.type === 'template'
      ? { name: content.name, language: content.language, params: templateParams(content), category: template?.category ?? null }
      : null,
    policy: decision, outsideWindow: !windowOpen,
    // A denied message is never sent, so it costs nothing; an allowed one carries its estimate until Meta's pricing arrives.
    ...(decision.allow ? { pricing: { category: price.category, type: price.type, billable: price.billable, costMicros: price.costMicros } } : {}),
  }, decision.allow, now);
  return { decision, entryPointExpiresAt, insert: { row, enqueue: decision.allow ? { recipient: contact.waId, notBefore: now, priority: lane } : null } };
}

/** Per inbox, when Parley last pulled its templates because one was missing. */
const lastMissSync = new Map<string, number>();
const MISS_SYNC_EVERY_MS = 30_000;

/**
 * The stored template, or — when it is missing (created in WhatsApp Manager after our last sync, or
 * asked for before the start-up sync finished) — the template after one fresh sync of the inbox's
 * templates, at most every 30 s per inbox so a typo cannot hammer Meta's management API.
 */
export async function findOrSyncTemplate(deps: AppDeps, inbox: InboxRecord, name: string, language: string): Promise<TemplateRecord | undefined> {
  const { db } = deps.database;
  const key = { wabaId: inbox.wabaId, name, language };
  const stored = await findTemplate(db, inbox.workspaceId, key);
  if (stored) return stored;
  const now = deps.now();
  if (now - (lastMissSync.get(inbox.id) ?? -Infinity) < MISS_SYNC_EVERY_MS) return undefined;
  lastMissSync.set(inbox.id, now);
  try {
    await syncTemplates(deps, await new InboxCache(deps).get(inbox.workspaceId, inbox.id));
  } catch (err) {
    deps.logger.warn({ err, inbox: inbox.id }, 'template sync on a missing template failed');
    return undefined;
  }
  return findTemplate(db, inbox.workspaceId, key);
}

async function resolveReply(
  deps: AppDeps, workspaceId: string, conversation: ConversationRecord, replyToMessageId: string | undefined,
): Promise<MessageRecord | undefined> {
  if (replyToMessageId === undefined) return undefined;
  const target = await getMessage(deps.database.db, workspaceId, replyToMessageId);
  if (!target || target.conversationId !== conversation.id) throw new AppError('message_not_found', 'replyToMessageId is not a message of this conversation.');
  if (!target.wamid) throw new AppError('validation_failed', 'That message has no WhatsApp id yet (not sent), so it cannot be quoted.');
  return target;
}

function templateParams(content: Extract<OutboundContent, { type: 'template' }>) {
  return { header: content.header ?? [], body: content.body ?? [], buttons: content.buttons ?? [] };
}

function toStoredTemplate(t: TemplateRecord): StoredTemplate {
  return {
    name: t.name, language: t.language, category: t.category as TemplateCategory, status: t.status as TemplateStatus,
    parameterFormat: t.parameterFormat.toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: t.components as WireTemplateComponent[],
  };
}

export interface FactInput {
  inbox: InboxRecord; contact: ContactRecord; conversation: ConversationRecord;
  /** The customer service window at `now` (isWindowOpen of the conversation), as the caller decided it. */
  windowOpen: boolean;
  content: OutboundContent; template: TemplateRecord | undefined; now: number;
}

/**
 * The policy's facts for one message. History is read only where a rule looks at it: whether the
 * contact already counts toward the messaging limit (outside the window), the marketing caps (a
 * marketing template) — one statement, each lookup an index range of the last 24 h.
 */
async function gatherFacts(db: Db, workspaceId: string, f: FactInput): Promise<PolicyFacts> {
  const since = f.now - SERVICE_WINDOW_MS;
  const messagingLimit = parseLimitTier(f.inbox.messagingLimit) ?? 'TIER_250';
  const marketingTemplate = f.template?.category === 'MARKETING';
  const history = !f.windowOpen || marketingTemplate
    ? await contactSendHistory(db, workspaceId, f.contact.id, since, { marketing: marketingTemplate })
    : { countedSince: false, marketing: { count: 0, oldestAt: null }, lastEcosystemFailureAt: null };
  // The budget is counted only when this message would take a new slot of a finite limit.
  const newSlot = consumesNewSlot({ serviceWindowOpen: f.windowOpen, contactAlreadyCounted: history.countedSince });
  const budget = newSlot && Number.isFinite(tierLimit(messagingLimit)) ? await outOfWindowRecipients(db, workspaceId, since) : { count: 0, oldestAt: null };
  return policyFacts(f, messagingLimit, history, budget);
}

/** PolicyFacts from what was gathered (the bulk path gathers the same facts for many contacts at once). */
export function policyFacts(
  f: FactInput, messagingLimit: LimitTier, history: ContactSendHistory, budget: { count: number; oldestAt: number | null },
): PolicyFacts {
  const counted = history.countedSince;
  const marketing = history.marketing;
  const ecosystem = history.lastEcosystemFailureAt;
  return {
    now: f.now,
    inbox: { status: f.inbox.status, qualityRating: f.inbox.qualityRating },
    contact: {
      waId: f.contact.waId, blocked: f.contact.blocked, marketingOptOut: f.contact.marketingOptOut,
      country: f.contact.country, market: f.contact.market as PricingMarket | null,
    },
    conversation: { lastInboundAt: f.conversation.lastInboundAt, entryPointExpiresAt: f.conversation.entryPointExpiresAt },
    message: f.content.type === 'template'
      ? { kind: 'template', template: f.template ? toStoredTemplate(f.template) : null, params: templateParams(f.content) }
      : { kind: 'session' },
    limits: {
      messagingLimit,
      uniqueOutOfWindowRecipients24h: budget.count, contactAlreadyCounted: counted, oldestCountedAt: budget.oldestAt,
    },
    marketing: {
      deliveredToContactLast24h: marketing.count, capPerDay: DEFAULT_MARKETING_CAP_PER_DAY,
      oldestDeliveredAt: marketing.oldestAt, lastEcosystemFailureAt: ecosystem,
    },
  };
}
