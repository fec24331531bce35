// Builds the inbound message a simulated customer sends, in Meta's webhook shape, from the control
// API's input; checks that replies, reactions and taps refer to a real business message.
// Shapes: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages

import type {
  InboundMediaObject, InboundMessage, InboundReferral, MediaType, WireContactCard,
} from '../cloudapi/wire.js';
import type { Customer, OutboundMessage, PhoneNumber, SandboxState } from './state.js';
import { webhookError } from './graph-errors.js';
import { invalid, notFound } from './control-error.js';
import { storeMedia } from './media-route.js';

export type CustomerMessageType =
  | 'text' | MediaType | 'location' | 'contacts' | 'reaction' | 'button' | 'button_reply' | 'list_reply'
  | 'order' | 'system' | 'unsupported';

export const CUSTOMER_MESSAGE_TYPES: readonly CustomerMessageType[] = [
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'reaction',
  'button', 'button_reply', 'list_reply', 'order', 'system', 'unsupported',
];

/** Control API body for `POST /_sandbox/customers/:waId/messages` (camelCase: our own API). */
export interface CustomerMessageInput {
  type: CustomerMessageType;
  phoneNumberId?: string;
  /** text body; for `button`, the quick-reply button text. */
  text?: string;
  /** wamid of the business message this replies to (text/media), or reacts to / taps on. */
  replyTo?: string;
  messageId?: string;
  /** Click-to-WhatsApp ad referral (opens the free entry point); `true` for a default ad. */
  referral?: Partial<InboundReferral> | true;
  caption?: string; filename?: string; mimeType?: string; dataBase64?: string; voice?: boolean;
  latitude?: number; longitude?: number; name?: string; address?: string;
  contacts?: WireContactCard[];
  emoji?: string;
  /** Reply button / list row id (`button_reply`, `list_reply`); quick-reply index (`button`). */
  id?: string;
  index?: number;
  catalogId?: string;
  productItems?: Array<{ productRetailerId: string; quantity: number; itemPrice: number; currency: string }>;
  newWaId?: string;
  unsupportedType?: string;
}

const DEFAULT_MIME: Record<MediaType, string> = {
  image: 'image/png', video: 'video/mp4', audio: 'audio/ogg', document: 'application/pdf', sticker: 'image/webp',
};
/** A valid 1×1 PNG, so a downloaded placeholder image opens. */
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const INBOUND_MEDIA_TTL_MS = 7 * 24 * 3600_000;

export function buildInbound(state: SandboxState, customer: Customer, number: PhoneNumber, input: CustomerMessageInput): InboundMessage {
  const base = { from: customer.waId, id: state.newWamid(), timestamp: String(state.clock.nowSeconds()) };
  const context = input.replyTo !== undefined ? contextOf(state, number, customer, input.replyTo) : undefined;
  const withContext = context ? { context } : {};
  switch (input.type) {
    case 'text': {
      const body = requireText(input.text, 'text');
      const referral = input.referral ? referralOf(input.referral, body) : undefined;
      return { ...base, type: 'text', ...withContext, ...(referral ? { referral } : {}), text: { body } };
    }
    case 'image': case 'video': case 'audio': case 'document': case 'sticker':
      return { ...base, type: input.type, ...withContext, [input.type]: storeInboundMedia(state, number, input.type, input) };
    case 'location': return { ...base, type: 'location', ...withContext, location: locationOf(input) };
    case 'contacts': return { ...base, type: 'contacts', ...withContext, contacts: contactsOf(input) };
    case 'reaction': return { ...base, type: 'reaction', reaction: reactionOf(state, number, customer, input) };
    case 'button': return buttonTap(state, number, customer, input, base);
    case 'button_reply': case 'list_reply': return interactiveReply(state, number, customer, input, base);
    case 'order': return { ...base, type: 'order', order: orderOf(input) };
    case 'system': return systemMessage(customer, input, base);
    case 'unsupported':
      return {
        ...base, type: 'unsupported', unsupported: { type: input.unsupportedType ?? 'edit' },
        errors: [webhookError(131051, 'Message type is currently not supported.')],
      };
    default:
      return invalid('invalid_type', `type must be one of ${CUSTOMER_MESSAGE_TYPES.join(', ')}`);
  }
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) invalid('missing_field', `${field} is required (a non-empty string)`);
  if (value.length > 4096) invalid('too_long', `${field} is longer than 4096 characters`);
  return value;
}

/** A business message sent from this number to this customer (replies, reactions, taps refer to it). */
function businessMessage(state: SandboxState, number: PhoneNumber, customer: Customer, wamid: unknown): OutboundMessage {
  if (typeof wamid !== 'string' || wamid === '') invalid('missing_field', 'messageId (a business message wamid) is required');
  const msg = state.outbound.get(wamid);
  if (!msg || msg.phoneNumberId !== number.id || msg.to.replace(/\D/g, '') !== customer.waId) {
    notFound('business message', wamid);
  }
  return msg;
}

function contextOf(state: SandboxState, number: PhoneNumber, customer: Customer, wamid: string): { from: string; id: string } {
  const inbound = state.inbound.get(wamid);
  if (inbound && inbound.from === customer.waId && inbound.phoneNumberId === number.id) return { from: customer.waId, id: wamid };
  businessMessage(state, number, customer, wamid);
  return { from: number.displayPhoneNumber, id: wamid };
}

function referralOf(given: Partial<InboundReferral> | true, body: string): InboundReferral {
  const extra = given === true ? {} : given;
  return {
    source_url: 'https://fb.me/sandbox-ad', source_id: '120000000000001', source_type: 'ad',
    headline: 'Sandbox ad', body, media_type: 'image', image_url: 'https://example.com/ad.png',
    ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
    ...extra,
  };
}

/** Stores the customer's media so Parley can download it through the media endpoints. */
function storeInboundMedia(state: SandboxState, number: PhoneNumber, type: MediaType, input: CustomerMessageInput): InboundMediaObject {
  const mimeType = input.mimeType ?? (type === 'audio' && input.voice ? 'audio/ogg; codecs=opus' : DEFAULT_MIME[type]);
  const bytes = input.dataBase64 !== undefined
    ? Buffer.from(input.dataBase64, 'base64')
    : type === 'image' && mimeType === 'image/png' ? Buffer.from(PIXEL_PNG, 'base64') : Buffer.from(`sandbox ${type} ${state.random.token(8)}`);
  if (bytes.length === 0) invalid('invalid_media', 'dataBase64 decodes to no bytes');
  const stored = storeMedia(state, {
    phoneNumberId: number.id, mimeType, bytes, ttlMs: INBOUND_MEDIA_TTL_MS,
    ...(input.filename !== undefined ? { filename: input.filename } : {}),
  });
  // Webhooks carry the hash base64-encoded, as the media record keeps it.
  const media: InboundMediaObject = { id: stored.id, mime_type: mimeType, sha256: stored.sha256 };
  if (input.caption !== undefined && type !== 'audio' && type !== 'sticker') media.caption = input.caption;
  if (type === 'document') media.filename = input.filename ?? 'document.pdf';
  if (type === 'audio') media.voice = input.voice ?? false;
  if (type === 'sticker') media.animated = false;
  return media;
}

function locationOf(input: CustomerMessageInput): NonNullable<InboundMessage['location']> {
  const { latitude, longitude } = input;
  if (typeof latitude !== 'number' || latitude < -90 || latitude > 90) invalid('invalid_location', 'latitude must be a number in [-90, 90]');
  if (typeof longitude !== 'number' || longitude < -180 || longitude > 180) invalid('invalid_location', 'longitude must be a number in [-180, 180]');
  return {
    latitude, longitude,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
  };
}

function contactsOf(input: CustomerMessageInput): WireContactCard[] {
  const cards = input.contacts;
  if (!Array.isArray(cards) || cards.length === 0) invalid('missing_field', 'contacts must be a non-empty array of contact cards');
  for (const c of cards) {
    if (typeof c?.name?.formatted_name !== 'string') invalid('invalid_contacts', 'each contact needs name.formatted_name');
  }
  return cards;
}

function reactionOf(state: SandboxState, number: PhoneNumber, customer: Customer, input: CustomerMessageInput): { message_id: string; emoji?: string } {
  const target = businessMessage(state, number, customer, input.messageId);
  if (input.emoji !== undefined && typeof input.emoji !== 'string') invalid('invalid_emoji', 'emoji must be a string');
  // An empty emoji removes the reaction; Meta then omits `emoji`.
  return input.emoji ? { message_id: target.wamid, emoji: input.emoji } : { message_id: target.wamid };
}

type Base = { from: string; id: string; timestamp: string };

/** A quick-reply button of a template send: `type:"button"` with the button's payload and text. */
function buttonTap(state: SandboxState, number: PhoneNumber, customer: Customer, input: CustomerMessageInput, base: Base): InboundMessage {
  const msg = businessMessage(state, number, customer, input.messageId);
  const template = msg.templateId ? state.templates.get(msg.templateId) : undefined;
  if (!template) invalid('not_a_template', `Message ${msg.wamid} is not a template message with buttons`);
  const buttons = template.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  const index = buttons.findIndex((b, i) => b.type === 'QUICK_REPLY' && (input.text !== undefined ? b.text === input.text : input.index === i));
  if (index === -1) {
    const texts = buttons.filter((b) => b.type === 'QUICK_REPLY').map((b) => b.text);
    invalid('unknown_button', `Give text (or index) of a quick-reply button of that template: ${JSON.stringify(texts)}`);
  }
  const text = buttons[index]!.text ?? '';
  const param = msg.request.template?.components?.find((c) => c.type === 'button' && Number(c.index) === index);
  const payload = param?.parameters?.find((p) => p.type === 'payload')?.payload ?? text;
  return { ...base, type: 'button', context: { from: number.displayPhoneNumber, id: msg.wamid }, button: { payload, text } };
}

/** A tap on a reply button or a list row of an interactive business message. */
function interactiveReply(state: SandboxState, number: PhoneNumber, customer: Customer, input: CustomerMessageInput, base: Base): InboundMessage {
  const msg = businessMessage(state, number, customer, input.messageId);
  const interactive = msg.request.interactive;
  const context = { from: number.displayPhoneNumber, id: msg.wamid };
  if (input.type === 'button_reply') {
    if (interactive?.type !== 'button') invalid('not_reply_buttons', `Message ${msg.wamid} has no reply buttons`);
    const button = interactive.action.buttons?.find((b) => b.reply.id === input.id);
    if (!button) invalid('unknown_button', `No reply button with id '${String(input.id)}' in message ${msg.wamid}`);
    return { ...base, type: 'interactive', context, interactive: { type: 'button_reply', button_reply: { id: button.reply.id, title: button.reply.title } } };
  }
  if (interactive?.type !== 'list') invalid('not_a_list', `Message ${msg.wamid} is not a list message`);
  const row = (interactive.action.sections ?? []).flatMap((s) => s.rows ?? []).find((r) => r.id === input.id);
  if (!row) invalid('unknown_row', `No list row with id '${String(input.id)}' in message ${msg.wamid}`);
  const listReply = { id: row.id, title: row.title, ...(row.description !== undefined ? { description: row.description } : {}) };
  return { ...base, type: 'interactive', context, interactive: { type: 'list_reply', list_reply: listReply } };
}

function orderOf(input: CustomerMessageInput): NonNullable<InboundMessage['order']> {
  if (typeof input.catalogId !== 'string' || input.catalogId === '') invalid('missing_field', 'catalogId is required');
  const items = input.productItems;
  if (!Array.isArray(items) || items.length === 0) invalid('missing_field', 'productItems must be a non-empty array');
  return {
    catalog_id: input.catalogId,
    ...(input.text !== undefined ? { text: input.text } : {}),
    product_items: items.map((p) => {
      if (typeof p?.productRetailerId !== 'string' || !(p.quantity > 0) || typeof p.itemPrice !== 'number' || typeof p.currency !== 'string') {
        invalid('invalid_order', 'each product item needs productRetailerId, quantity > 0, itemPrice and currency');
      }
      return { product_retailer_id: p.productRetailerId, quantity: p.quantity, item_price: p.itemPrice, currency: p.currency };
    }),
  };
}

/** `user_changed_number`: a system notice from the old number naming the new one (no contacts[]). */
function systemMessage(customer: Customer, input: CustomerMessageInput, base: Base): InboundMessage {
  const newWaId = input.newWaId;
  if (typeof newWaId !== 'string' || !/^\d{6,15}$/.test(newWaId)) invalid('invalid_wa_id', 'newWaId must be 6–15 digits');
  return {
    ...base, type: 'system',
    system: { body: `User ${customer.name} changed from ${customer.waId} to ${newWaId}`, wa_id: newWaId, type: 'user_changed_number' },
  };
}
