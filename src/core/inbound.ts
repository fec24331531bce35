// A webhook envelope (JSON-parsed, shape unknown) → Parley's domain events. Defensive: a malformed
// part becomes a `malformed` event with a reason; nothing here throws.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
import type { PricingCategory, PricingType } from '../cloudapi/wire.js';
import {
  parseContent, parseContext, parseErrors, parseReferral,
  type InboundContent, type InboundReferralInfo, type MessageContextInfo, type WebhookErrorInfo,
} from './inbound-message.js';
import { arr, isObject, MalformedPart, need, num, obj, secondsToMs, str, type Json } from './json-read.js';
import { parseLimitTier, type LimitTier } from './limits.js';
import type { WebhookStatus } from './statuses.js';

interface Source { wabaId: string | null; phoneNumberId: string | null; displayPhoneNumber: string | null }

export interface InboundMessageEvent extends Source, MessageContextInfo {
  kind: 'message';
  wamid: string;
  /** Epoch ms (Meta sends Unix seconds as a string). */
  timestamp: number;
  contact: { waId: string; profileName: string | null; userId: string | null };
  /** Meta's message type as sent (`text`, `interactive`, `unsupported`…). */
  wireType: string;
  content: InboundContent;
  referral: InboundReferralInfo | null;
  errors: WebhookErrorInfo[];
}

export interface StatusEvent extends Source {
  kind: 'status';
  wamid: string;
  status: WebhookStatus;
  timestamp: number;
  recipientId: string;
  bizOpaqueCallbackData: string | null;
  pricing: { category: PricingCategory; type: PricingType | null; billable: boolean; pricingModel: string | null } | null;
  conversation: { id: string; expiresAt: number | null; originType: string | null } | null;
  errors: WebhookErrorInfo[];
}

interface Management { wabaId: string | null; timestamp: number | null }

export interface TemplateStatusEvent extends Management {
  kind: 'template_status';
  templateId: string; name: string; language: string; event: string;
  reason: string | null; category: string | null;
  otherInfo: { title: string; description: string | null } | null;
  rejectionInfo: { reason: string; recommendation: string | null } | null;
  disableDate: string | null;
}

export interface TemplateQualityEvent extends Management {
  kind: 'template_quality'; templateId: string; name: string; language: string; previousScore: string | null; newScore: string;
}

export interface TemplateCategoryEvent extends Management {
  kind: 'template_category'; templateId: string; name: string; language: string;
  previousCategory: string | null; newCategory: string | null; correctCategory: string | null; categoryUpdateAt: number | null;
}

export interface PhoneQualityEvent extends Management {
  kind: 'phone_quality'; displayPhoneNumber: string | null; event: string; currentLimit: LimitTier | null; oldLimit: LimitTier | null;
}

export interface CapabilityEvent extends Management {
  kind: 'capability'; messagingLimit: LimitTier | null; maxPhoneNumbersPerBusiness: number | null; maxPhoneNumbersPerWaba: number | null;
}

export interface AccountUpdateEvent extends Management {
  kind: 'account_update'; event: string; phoneNumber: string | null;
  restrictions: Array<{ type: string; expiresAt: number | null }>; violationType: string | null; banState: string | null;
  volumeTier: { tier: string; category: string | null; effectiveMonth: string | null; region: string | null } | null;
  raw: Json;
}

export interface UserPreferenceEvent extends Source {
  kind: 'user_preference'; waId: string; category: string; value: 'stop' | 'resume'; detail: string | null; timestamp: number | null;
}

export interface ErrorEvent extends Source { kind: 'error'; errors: WebhookErrorInfo[] }

export interface MalformedEvent { kind: 'malformed'; reason: string; path: string }

/** A field Parley does not handle (yet), e.g. `account_alerts`, kept so the worker can log it. */
export interface UnhandledEvent { kind: 'unhandled'; wabaId: string | null; field: string }

export type InboundEvent =
  | InboundMessageEvent | StatusEvent | TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent | PhoneQualityEvent
  | CapabilityEvent | AccountUpdateEvent | UserPreferenceEvent | ErrorEvent | MalformedEvent | UnhandledEvent;

const STATUSES: readonly WebhookStatus[] = ['sent', 'delivered', 'read', 'played', 'failed'];

function parseMessage(m: Json, source: Source, contacts: Json[]): InboundMessageEvent {
  const from = need(str(m, 'from'), 'message.from');
  const wireType = need(str(m, 'type'), 'message.type');
  const contact = contacts.find((c) => str(c, 'wa_id') === from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const context = parseContext(m);
  return {
    kind: 'message', ...source,
    wamid: need(str(m, 'id'), 'message.id'),
    timestamp: need(secondsToMs(num(m, 'timestamp')), 'message.timestamp'),
    contact: { waId: from, profileName: str(obj(contact, 'profile'), 'name') ?? null, userId: str(contact, 'user_id') ?? null },
    wireType,
    content: parseContent(m, wireType),
    replyToWamid: context?.replyToWamid ?? null,
    replyToFrom: context?.replyToFrom ?? null,
    forwarded: context?.forwarded ?? false,
    frequentlyForwarded: context?.frequentlyForwarded ?? false,
    referredProduct: context?.referredProduct ?? null,
    referral: parseReferral(m),
    errors: parseErrors(arr(m, 'errors')),
  };
}

function parsePricing(p: Json | undefined): StatusEvent['pricing'] {
  if (!p) return null;
  const category = need(str(p, 'category'), 'pricing.category') as PricingCategory;
  const type = (str(p, 'type') ?? null) as PricingType | null;
  const billable = typeof p.billable === 'boolean' ? p.billable : type === 'regular';
  return { category, type, billable, pricingModel: str(p, 'pricing_model') ?? null };
}

function parseStatus(s: Json, source: Source): StatusEvent {
  const status = need(str(s, 'status'), 'status.status');
  if (!STATUSES.includes(status as WebhookStatus)) throw new MalformedPart(`unknown status "${status}"`);
  const conversation = obj(s, 'conversation');
  return {
    kind: 'status', ...source,
    wamid: need(str(s, 'id'), 'status.id'),
    status: status as WebhookStatus,
    timestamp: need(secondsToMs(num(s, 'timestamp')), 'status.timestamp'),
    recipientId: need(str(s, 'recipient_id'), 'status.recipient_id'),
    bizOpaqueCallbackData: str(s, 'biz_opaque_callback_data') ?? null,
    pricing: parsePricing(obj(s, 'pricing')),
    conversation: conversation
      ? { id: str(conversation, 'id') ?? '', expiresAt: secondsToMs(num(conversation, 'expiration_timestamp')) ?? null, originType: str(obj(conversation, 'origin'), 'type') ?? null }
      : null,
    errors: parseErrors(arr(s, 'errors')),
  };
}

/** Run `fn` per item; a MalformedPart (or anything unexpected) becomes a malformed event for that item only. */
function each(items: unknown[], path: string, fn: (item: Json, path: string) => InboundEvent | InboundEvent[]): InboundEvent[] {
  return items.flatMap((item, i) => {
    const here = `${path}[${i}]`;
    if (!isObject(item)) return [{ kind: 'malformed', reason: 'not an object', path: here } as const];
    try {
      return fn(item, here);
    } catch (e) {
      return [{ kind: 'malformed', reason: e instanceof Error ? e.message : 'unreadable', path: here } as const];
    }
  });
}

function parseMessagesValue(value: Json, wabaId: string | null, path: string): InboundEvent[] {
  const metadata = obj(value, 'metadata');
  const source: Source = { wabaId, phoneNumberId: str(metadata, 'phone_number_id') ?? null, displayPhoneNumber: str(metadata, 'display_phone_number') ?? null };
  if (!source.phoneNumberId) return [{ kind: 'malformed', reason: 'metadata.phone_number_id is missing', path: `${path}.metadata` }];
  const contacts = arr(value, 'contacts').filter(isObject);
  const events: InboundEvent[] = [
    ...each(arr(value, 'messages'), `${path}.messages`, (m) => parseMessage(m, source, contacts)),
    ...each(arr(value, 'statuses'), `${path}.statuses`, (s) => parseStatus(s, source)),
  ];
  const errors = parseErrors(arr(value, 'errors'));
  if (errors.length) events.push({ kind: 'error', ...source, errors });
  return events;
}

function parseUserPreferences(value: Json, wabaId: string | null, path: string): InboundEvent[] {
  const metadata = obj(value, 'metadata');
  const source: Source = { wabaId, phoneNumberId: str(metadata, 'phone_number_id') ?? null, displayPhoneNumber: str(metadata, 'display_phone_number') ?? null };
  return each(arr(value, 'user_preferences'), `${path}.user_preferences`, (p) => {
    const v = need(str(p, 'value'), 'user_preferences.value');
    if (v !== 'stop' && v !== 'resume') throw new MalformedPart(`unknown preference value "${v}"`);
    return {
      kind: 'user_preference', ...source, waId: need(str(p, 'wa_id'), 'user_preferences.wa_id'), category: str(p, 'category') ?? 'marketing_messages',
      value: v, detail: str(p, 'detail') ?? null, timestamp: secondsToMs(num(p, 'timestamp')) ?? null,
    };
  });
}

function template(v: Json): { templateId: string; name: string; language: string } {
  return {
    templateId: need(str(v, 'message_template_id'), 'message_template_id'),
    name: str(v, 'message_template_name') ?? '',
    language: str(v, 'message_template_language') ?? '',
  };
}

function parseManagement(field: string, v: Json, m: Management): InboundEvent {
  switch (field) {
    case 'message_template_status_update': {
      const other = obj(v, 'other_info');
      const rejection = obj(v, 'rejection_info');
      return {
        kind: 'template_status', ...m, ...template(v), event: need(str(v, 'event'), 'event'),
        reason: str(v, 'reason') ?? null, category: str(v, 'message_template_category') ?? null,
        otherInfo: other ? { title: str(other, 'title') ?? '', description: str(other, 'description') ?? null } : null,
        rejectionInfo: rejection ? { reason: str(rejection, 'reason') ?? '', recommendation: str(rejection, 'recommendation') ?? null } : null,
        disableDate: str(obj(v, 'disable_info'), 'disable_date') ?? null,
      };
    }
    case 'message_template_quality_update':
      return { kind: 'template_quality', ...m, ...template(v), previousScore: str(v, 'previous_quality_score') ?? null, newScore: need(str(v, 'new_quality_score'), 'new_quality_score') };
    case 'template_category_update':
      return {
        kind: 'template_category', ...m, ...template(v), previousCategory: str(v, 'previous_category') ?? null,
        newCategory: str(v, 'new_category') ?? null, correctCategory: str(v, 'correct_category') ?? null,
        categoryUpdateAt: secondsToMs(num(v, 'category_update_timestamp')) ?? null,
      };
    case 'phone_number_quality_update':
      return {
        kind: 'phone_quality', ...m, displayPhoneNumber: str(v, 'display_phone_number') ?? null, event: need(str(v, 'event'), 'event'),
        currentLimit: parseLimitTier(v.max_daily_conversations_per_business ?? v.current_limit),
        oldLimit: parseLimitTier(v.old_limit),
      };
    case 'business_capability_update':
      return {
        kind: 'capability', ...m,
        messagingLimit: parseLimitTier(v.max_daily_conversations_per_business ?? v.max_daily_conversation_per_phone),
        maxPhoneNumbersPerBusiness: num(v, 'max_phone_numbers_per_business') ?? null,
        maxPhoneNumbersPerWaba: num(v, 'max_phone_numbers_per_waba') ?? null,
      };
    default:
      return parseAccountUpdate(v, m);
  }
}

function parseAccountUpdate(v: Json, m: Management): AccountUpdateEvent {
  const tier = obj(v, 'volume_tier_info');
  return {
    kind: 'account_update', ...m, event: need(str(v, 'event'), 'event'), phoneNumber: str(v, 'phone_number') ?? null,
    restrictions: arr(v, 'restriction_info').filter(isObject).map((r) => ({
      type: str(r, 'restriction_type') ?? '', expiresAt: secondsToMs(num(r, 'expiration')) ?? null,
    })),
    violationType: str(obj(v, 'violation_info'), 'violation_type') ?? null,
    banState: str(obj(v, 'ban_info'), 'waba_ban_state') ?? null,
    volumeTier: tier ? {
      tier: str(tier, 'tier') ?? '', category: str(tier, 'pricing_category') ?? null,
      effectiveMonth: str(tier, 'effective_month') ?? null, region: str(tier, 'region') ?? null,
    } : null,
    raw: v,
  };
}

const MANAGEMENT_FIELDS = new Set([
  'message_template_status_update', 'message_template_quality_update', 'template_category_update',
  'phone_number_quality_update', 'business_capability_update', 'account_update',
]);

function parseChange(change: Json, wabaId: string | null, time: number | null, path: string): InboundEvent[] {
  const field = need(str(change, 'field'), 'change.field');
  const value = obj(change, 'value');
  if (!value) return [{ kind: 'malformed', reason: 'change.value is missing or not an object', path }];
  if (field === 'messages') return parseMessagesValue(value, wabaId, `${path}.value`);
  if (field === 'user_preferences') return parseUserPreferences(value, wabaId, `${path}.value`);
  if (MANAGEMENT_FIELDS.has(field)) return [parseManagement(field, value, { wabaId, timestamp: time })];
  return [{ kind: 'unhandled', wabaId, field }];
}

/** Parse a whole webhook body into events, in the order Meta listed them. */
export function parseWebhook(body: unknown): InboundEvent[] {
  if (!isObject(body)) return [{ kind: 'malformed', reason: 'body is not a JSON object', path: '$' }];
  if (body.object !== 'whatsapp_business_account') {
    return [{ kind: 'malformed', reason: `object is ${JSON.stringify(body.object ?? null)}, not "whatsapp_business_account"`, path: '$.object' }];
  }
  if (!Array.isArray(body.entry)) return [{ kind: 'malformed', reason: 'entry is not an array', path: '$.entry' }];
  return each(body.entry, '$.entry', (entry, path) => {
    const wabaId = str(entry, 'id') ?? null;
    const time = secondsToMs(num(entry, 'time')) ?? null;
    if (!Array.isArray(entry.changes)) return [{ kind: 'malformed', reason: 'changes is not an array', path: `${path}.changes` }];
    return each(entry.changes, `${path}.changes`, (change, p) => parseChange(change, wabaId, time, p));
  });
}

/** A stable key for deduplicating events across webhook retries, or null when the event has none. */
export function eventDedupeKey(event: InboundEvent): string | null {
  switch (event.kind) {
    case 'message': return `message:${event.wamid}`;
    case 'status': return `status:${event.wamid}:${event.status}`;
    case 'user_preference': return `user_preference:${event.phoneNumberId}:${event.waId}:${event.value}:${event.timestamp}`;
    default: return null;
  }
}
