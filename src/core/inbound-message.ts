// One inbound `messages[]` item → Parley's normalised content: every type Meta sends, kept faithfully.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
import type { ContactCard } from './message-content.js';
import { arr, bool, isObject, need, num, obj, str, type Json } from './json-read.js';
import { isEntryPointReferral } from './window.js';

export interface WebhookErrorInfo { code: number; title: string; message: string | null; details: string | null }

export interface InboundMedia {
  type: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mediaId: string;
  mimeType: string | null;
  sha256: string | null;
  url: string | null;
  caption: string | null;
  filename: string | null;
  /** Audio recorded in the WhatsApp client (a voice note). */
  voice: boolean;
  /** Animated sticker. */
  animated: boolean;
}

export type InboundContent =
  | { type: 'text'; body: string }
  | InboundMedia
  | { type: 'location'; latitude: number; longitude: number; name: string | null; address: string | null; url: string | null }
  | { type: 'contacts'; contacts: ContactCard[] }
  /** `emoji: null` means the customer removed their reaction. */
  | { type: 'reaction'; targetWamid: string; emoji: string | null }
  /** A template quick-reply tap. */
  | { type: 'button'; payload: string; text: string }
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description: string | null }
  /** A Flow (or address message) response; `response` is `responseJson` parsed, or null if it is not JSON. */
  | { type: 'nfm_reply'; name: string; body: string; responseJson: string; response: unknown }
  | { type: 'order'; catalogId: string; text: string | null; items: Array<{ productRetailerId: string; quantity: number; itemPrice: number; currency: string }> }
  | { type: 'system'; systemType: string; body: string; newWaId: string | null }
  /** Anything WhatsApp cannot deliver to the API (polls, edits, unknown), kept with Meta's errors and raw part. */
  | { type: 'unsupported'; unsupportedType: string | null; raw: Json };

export interface InboundReferralInfo {
  sourceUrl: string | null;
  sourceId: string | null;
  sourceType: string | null;
  body: string | null;
  headline: string | null;
  mediaType: string | null;
  imageUrl: string | null;
  videoUrl: string | null;
  thumbnailUrl: string | null;
  ctwaClid: string | null;
  welcomeMessage: string | null;
  /** A Click-to-WhatsApp ad or Page CTA: a reply within 24 h opens a free entry point. */
  isEntryPoint: boolean;
}

export interface MessageContextInfo {
  replyToWamid: string | null;
  replyToFrom: string | null;
  forwarded: boolean;
  frequentlyForwarded: boolean;
  referredProduct: { catalogId: string; productRetailerId: string } | null;
}

export function parseErrors(list: unknown[]): WebhookErrorInfo[] {
  return list.filter(isObject).map((e) => ({
    code: num(e, 'code') ?? 0,
    title: str(e, 'title') ?? str(e, 'message') ?? '',
    message: str(e, 'message') ?? null,
    details: str(obj(e, 'error_data'), 'details') ?? null,
  }));
}

function parseMedia(type: InboundMedia['type'], m: Json): InboundMedia {
  return {
    type,
    mediaId: need(str(m, 'id'), `${type}.id`),
    mimeType: str(m, 'mime_type') ?? null,
    sha256: str(m, 'sha256') ?? null,
    url: str(m, 'url') ?? null,
    caption: str(m, 'caption') ?? null,
    filename: str(m, 'filename') ?? null,
    voice: bool(m, 'voice') ?? false,
    animated: bool(m, 'animated') ?? false,
  };
}

function parseContactCard(c: Json): ContactCard {
  const name = obj(c, 'name');
  const card: ContactCard = {
    name: { formattedName: str(name, 'formatted_name') ?? '' },
  };
  for (const [from, to] of [['first_name', 'firstName'], ['last_name', 'lastName'], ['middle_name', 'middleName'], ['suffix', 'suffix'], ['prefix', 'prefix']] as const) {
    const v = str(name, from);
    if (v !== undefined) card.name[to] = v;
  }
  const pick = (o: Json, keys: Array<[string, string]>) => Object.fromEntries(keys.flatMap(([k, t]) => (str(o, k) === undefined ? [] : [[t, str(o, k)]])));
  const phones = arr(c, 'phones').filter(isObject).map((p) => pick(p, [['phone', 'phone'], ['type', 'type'], ['wa_id', 'waId']]));
  const emails = arr(c, 'emails').filter(isObject).map((p) => pick(p, [['email', 'email'], ['type', 'type']]));
  const urls = arr(c, 'urls').filter(isObject).map((p) => pick(p, [['url', 'url'], ['type', 'type']]));
  const addresses = arr(c, 'addresses').filter(isObject).map((p) =>
    pick(p, [['street', 'street'], ['city', 'city'], ['state', 'state'], ['zip', 'zip'], ['country', 'country'], ['country_code', 'countryCode'], ['type', 'type']]));
  if (phones.length) card.phones = phones;
  if (emails.length) card.emails = emails;
  if (urls.length) card.urls = urls;
  if (addresses.length) card.addresses = addresses;
  const org = obj(c, 'org');
  if (org) card.org = pick(org, [['company', 'company'], ['department', 'department'], ['title', 'title']]);
  const birthday = str(c, 'birthday');
  if (birthday) card.birthday = birthday;
  return card;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function parseInteractive(i: Json): InboundContent {
  const type = str(i, 'type');
  const part = obj(i, type ?? '');
  if (type === 'button_reply') return { type, id: need(str(part, 'id'), 'button_reply.id'), title: str(part, 'title') ?? '' };
  if (type === 'list_reply') {
    return { type, id: need(str(part, 'id'), 'list_reply.id'), title: str(part, 'title') ?? '', description: str(part, 'description') ?? null };
  }
  if (type === 'nfm_reply') {
    const responseJson = str(part, 'response_json') ?? '';
    return { type, name: str(part, 'name') ?? '', body: str(part, 'body') ?? '', responseJson, response: parseJsonText(responseJson) };
  }
  return { type: 'unsupported', unsupportedType: `interactive.${type ?? 'unknown'}`, raw: i };
}

function parseOrder(o: Json): InboundContent {
  const items = arr(o, 'product_items').filter(isObject).map((p) => ({
    productRetailerId: str(p, 'product_retailer_id') ?? '',
    quantity: num(p, 'quantity') ?? 0,
    itemPrice: num(p, 'item_price') ?? 0,
    currency: str(p, 'currency') ?? '',
  }));
  return { type: 'order', catalogId: str(o, 'catalog_id') ?? '', text: str(o, 'text') ?? null, items };
}

export function parseContent(m: Json, type: string): InboundContent {
  const typed = (t: string): Json => need(obj(m, t), `message.${t}`);
  switch (type) {
    case 'text': return { type, body: need(str(typed('text'), 'body'), 'text.body') };
    case 'image': case 'video': case 'audio': case 'document': case 'sticker': return parseMedia(type, typed(type));
    case 'location': {
      const l = typed('location');
      return {
        type, latitude: need(num(l, 'latitude'), 'location.latitude'), longitude: need(num(l, 'longitude'), 'location.longitude'),
        name: str(l, 'name') ?? null, address: str(l, 'address') ?? null, url: str(l, 'url') ?? null,
      };
    }
    case 'contacts': return { type, contacts: arr(m, 'contacts').filter(isObject).map(parseContactCard) };
    case 'reaction': {
      const r = typed('reaction');
      const emoji = str(r, 'emoji');
      return { type, targetWamid: need(str(r, 'message_id'), 'reaction.message_id'), emoji: emoji ? emoji : null };
    }
    case 'button': {
      const b = typed('button');
      return { type, payload: str(b, 'payload') ?? '', text: str(b, 'text') ?? '' };
    }
    case 'interactive': return parseInteractive(typed('interactive'));
    case 'order': return parseOrder(typed('order'));
    case 'system': {
      const s = typed('system');
      return { type, systemType: str(s, 'type') ?? 'unknown', body: str(s, 'body') ?? '', newWaId: str(s, 'wa_id') ?? str(s, 'new_wa_id') ?? null };
    }
    default: {
      const unsupported = obj(m, 'unsupported');
      const unsupportedType = str(unsupported, 'type') ?? (type === 'unsupported' || type === 'unknown' ? null : type);
      return { type: 'unsupported', unsupportedType, raw: m };
    }
  }
}

export function parseContext(m: Json): MessageContextInfo | null {
  const c = obj(m, 'context');
  if (!c) return null;
  const product = obj(c, 'referred_product');
  return {
    replyToWamid: str(c, 'id') ?? null,
    replyToFrom: str(c, 'from') ?? null,
    forwarded: (bool(c, 'forwarded') ?? false) || (bool(c, 'frequently_forwarded') ?? false),
    frequentlyForwarded: bool(c, 'frequently_forwarded') ?? false,
    referredProduct: product ? { catalogId: str(product, 'catalog_id') ?? '', productRetailerId: str(product, 'product_retailer_id') ?? '' } : null,
  };
}

export function parseReferral(m: Json): InboundReferralInfo | null {
  const r = obj(m, 'referral');
  if (!r) return null;
  const info = {
    sourceUrl: str(r, 'source_url') ?? null,
    sourceId: str(r, 'source_id') ?? null,
    sourceType: str(r, 'source_type') ?? null,
    body: str(r, 'body') ?? null,
    headline: str(r, 'headline') ?? null,
    mediaType: str(r, 'media_type') ?? null,
    imageUrl: str(r, 'image_url') ?? null,
    videoUrl: str(r, 'video_url') ?? null,
    thumbnailUrl: str(r, 'thumbnail_url') ?? null,
    ctwaClid: str(r, 'ctwa_clid') ?? null,
    welcomeMessage: str(obj(r, 'welcome_message'), 'text') ?? null,
  };
  return { ...info, isEntryPoint: isEntryPointReferral({ ...(info.sourceType ? { sourceType: info.sourceType } : {}), ...(info.ctwaClid ? { ctwaClid: info.ctwaClid } : {}) }) };
}

/**
 * When an inbound message happened, to the millisecond, for ordering it among Parley's own
 * (millisecond) messages: Meta's `timestamp` has whole seconds, so a customer's reply within the
 * second of a business message would otherwise sort before it. Within that second the time Parley
 * received it is used; a webhook received later (a retry, a backlog) stays in Meta's second, at its end.
 */
export function inboundMessageTime(timestampMs: number, receivedAt: number): number {
  return Math.min(Math.max(receivedAt, timestampMs), timestampMs + 999);
}
