// Validation of a send request (`POST /{phone-number-id}/messages`) against every documented limit,
// before any business rule runs. Codes: see send-validate-common.ts (100 shape, 131008 missing,
// 131009 invalid value; 131053 unusable media). Interactive and template bodies have their own files.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages

import type { SendMessageRequest, SendType, WireTemplateSend } from '../cloudapi/wire.js';
import { SEND_TYPES } from '../cloudapi/wire.js';
import { fail } from './graph-errors.js';
import {
  child, invalid, isObject, missing, onlyKeys, optionalBoolean, optionalObject, optionalString,
  requireArray, requireCoordinate, requireObject, requireString, validateMedia, wrongType,
  type Obj, type ValidationScope,
} from './send-validate-common.js';
import { validateInteractive } from './send-validate-interactive.js';
import { validateTemplateSend } from './send-validate-template.js';

export interface ValidatedSend {
  type: SendType;
  /** Recipient digits (the wa_id the answer reports). */
  to: string;
  /** `to` exactly as given (echoed as `contacts[].input`). */
  input: string;
  request: SendMessageRequest;
  template?: WireTemplateSend;
}

const COMMON_KEYS = [
  'messaging_product', 'recipient_type', 'to', 'type', 'context', 'biz_opaque_callback_data',
  'message_activity_sharing',
] as const;

const DAY_MS = 24 * 3600_000;
/** Reactions (and mark-as-read) only reach messages up to 30 days old. */
export const MESSAGE_REACH_MS = 30 * DAY_MS;

/** Validates a send body; throws a GraphFailure on the first problem. */
export function validateSend(body: Obj, scope: ValidationScope): ValidatedSend {
  if (body.messaging_product !== 'whatsapp') {
    fail(100, body.messaging_product === undefined
      ? 'The parameter messaging_product is required.'
      : 'Param messaging_product must be "whatsapp"');
  }
  const type = typeOf(body);
  onlyKeys(body, [...COMMON_KEYS, type], 'message');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    fail(100, body.recipient_type === 'group'
      ? 'Group messaging is not emulated by the sandbox; recipient_type must be "individual"'
      : 'Param recipient_type must be one of {individual, group}');
  }
  optionalBoolean(body, 'message_activity_sharing', 'message');
  const { to, input } = recipientOf(body);
  validateContext(body);
  optionalString(body, 'biz_opaque_callback_data', 'message', { max: 512 });
  const template = validateTypeBody(type, body, scope, to);
  return { type, to, input, request: body as unknown as SendMessageRequest, ...(template ? { template } : {}) };
}

function typeOf(body: Obj): SendType {
  const type = body.type ?? 'text';
  if (typeof type !== 'string') wrongType('type', 'a string');
  if (!(SEND_TYPES as readonly string[]).includes(type)) {
    fail(100, `Param type must be one of {${SEND_TYPES.join(', ')}}; got "${type}"`);
  }
  return type as SendType;
}

/** `to`: a phone number with optional +, spaces, dashes, dots and parentheses → 7–15 digits (E.164). */
function recipientOf(body: Obj): { to: string; input: string } {
  const input = body.to;
  if (input === undefined || input === null || input === '') missing('to');
  if (typeof input !== 'string') wrongType('to', 'a string');
  const digits = input.trim().replace(/^\+/, '').replace(/[\s\-().]/g, '');
  if (!/^\d{7,15}$/.test(digits)) fail(100, `Param to is not a valid phone number: "${input}"`);
  return { to: digits, input };
}

/** Replies: `context.message_id` must be a string. An unknown id is silently ignored (the message is
 *  sent without a quote), which is what the Cloud API does in practice. */
function validateContext(body: Obj): void {
  const context = optionalObject(body, 'context', 'message');
  if (!context) return;
  onlyKeys(context, ['message_id'], 'context');
  requireString(context, 'message_id', 'context');
}

function validateTypeBody(type: SendType, body: Obj, scope: ValidationScope, to: string): WireTemplateSend | undefined {
  const node = requireObjectOrArray(body, type);
  switch (type) {
    case 'text': validateText(node as Obj); return undefined;
    case 'image': case 'video': case 'audio': case 'document': case 'sticker':
      validateMedia(type, node as Obj, scope); return undefined;
    case 'location': validateLocation(node as Obj); return undefined;
    case 'contacts': validateContacts(body); return undefined;
    case 'reaction': validateReaction(node as Obj, scope, to); return undefined;
    case 'interactive': validateInteractive(node as Obj, scope); return undefined;
    case 'template': return validateTemplateSend(node as Obj, scope);
  }
}

function requireObjectOrArray(body: Obj, type: SendType): unknown {
  if (type === 'contacts') return body.contacts;
  return requireObject(body, type, 'message');
}

function validateText(text: Obj): void {
  onlyKeys(text, ['body', 'preview_url'], 'text');
  requireString(text, 'body', 'text', { max: 4096 });
  optionalBoolean(text, 'preview_url', 'text');
}

function validateLocation(location: Obj): void {
  onlyKeys(location, ['latitude', 'longitude', 'name', 'address'], 'location');
  requireCoordinate(location, 'latitude', 'location', 90);
  requireCoordinate(location, 'longitude', 'location', 180);
  optionalString(location, 'name', 'location', { max: 1000 });
  optionalString(location, 'address', 'location', { max: 1000 });
}

const NAME_PARTS = ['first_name', 'last_name', 'middle_name', 'suffix', 'prefix'] as const;
const CARD_LISTS: Record<string, readonly string[]> = {
  addresses: ['street', 'city', 'state', 'zip', 'country', 'country_code', 'type'],
  emails: ['email', 'type'],
  phones: ['phone', 'type', 'wa_id'],
  urls: ['url', 'type'],
};

/** Contact cards: 1–257, each with `name.formatted_name` and at least one other name part. */
function validateContacts(body: Obj): void {
  const cards = requireArray(body, 'contacts', 'message', 1, 257);
  cards.forEach((card, i) => {
    const path = `contacts[${i}]`;
    if (!isObject(card)) wrongType(path, 'a JSON object');
    onlyKeys(card, ['name', 'addresses', 'birthday', 'emails', 'org', 'phones', 'urls'], path);
    const name = requireObject(card, 'name', path);
    onlyKeys(name, ['formatted_name', ...NAME_PARTS], child(path, 'name'));
    requireString(name, 'formatted_name', child(path, 'name'));
    for (const part of NAME_PARTS) optionalString(name, part, child(path, 'name'));
    if (!NAME_PARTS.some((p) => typeof name[p] === 'string' && name[p] !== '')) {
      missing(`${child(path, 'name')}: one of ${NAME_PARTS.join(', ')}`);
    }
    const birthday = optionalString(card, 'birthday', path);
    if (birthday !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(birthday)) invalid(child(path, 'birthday'), 'must be YYYY-MM-DD');
    const org = optionalObject(card, 'org', path);
    if (org) onlyKeys(org, ['company', 'department', 'title'], child(path, 'org'));
    for (const [list, keys] of Object.entries(CARD_LISTS)) validateCardList(card, list, keys, path);
  });
}

function validateCardList(card: Obj, list: string, keys: readonly string[], path: string): void {
  if (card[list] === undefined) return;
  const items = requireArray(card, list, path, 0, 20);
  items.forEach((item, j) => {
    const p = `${child(path, list)}[${j}]`;
    if (!isObject(item)) wrongType(p, 'a JSON object');
    onlyKeys(item, keys, p);
    for (const k of keys) optionalString(item, k, p);
  });
}

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

/** Reactions: a known message of this conversation, ≤30 days old and not itself a reaction; one
 *  emoji, or "" to remove the reaction. */
function validateReaction(reaction: Obj, scope: ValidationScope, to: string): void {
  onlyKeys(reaction, ['message_id', 'emoji'], 'reaction');
  const messageId = requireString(reaction, 'message_id', 'reaction');
  if (reaction.emoji === undefined || reaction.emoji === null) missing("reaction['emoji']");
  if (typeof reaction.emoji !== 'string') wrongType("reaction['emoji']", 'a string');
  const emoji = reaction.emoji;
  if (emoji !== '' && ([...SEGMENTER.segment(emoji)].length !== 1 || !EMOJI.test(emoji))) {
    invalid("reaction['emoji']", 'must be exactly one emoji, or "" to remove a reaction');
  }
  const target = findConversationMessage(scope, messageId);
  if (!target) fail(100, `Param reaction['message_id']: message ${messageId} does not exist`);
  if (target.peer !== to) invalid("reaction['message_id']", 'refers to a message of another conversation');
  if (target.type === 'reaction') invalid("reaction['message_id']", 'cannot react to a reaction');
  if (scope.now - target.at > MESSAGE_REACH_MS) invalid("reaction['message_id']", 'refers to a message older than 30 days');
}

/** A message of this business number, inbound or outbound, with the customer it was exchanged with. */
export function findConversationMessage(scope: ValidationScope, wamid: string): { peer: string; type: string; at: number } | undefined {
  const inbound = scope.state.inbound.get(wamid);
  if (inbound && inbound.phoneNumberId === scope.phone.id) return { peer: inbound.from, type: inbound.type, at: inbound.at };
  const outbound = scope.state.outbound.get(wamid);
  if (outbound && outbound.phoneNumberId === scope.phone.id) return { peer: outbound.to, type: outbound.type, at: outbound.sentAt };
  return undefined;
}
