// POST /{version}/{phone-number-id}/messages: sends of every type (validated, then the business rules
// in order, then priced) and, on the same endpoint, mark-as-read with an optional typing indicator.
// A customer who blocked the business still gets a 200 here; the message is never delivered and stays
// `sent` (customers.ts), as on WhatsApp, where the business cannot tell it was blocked.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages

import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SendMessageResponse } from '../cloudapi/wire.js';
import { assertWabaAccess, type SandboxContext } from './app.js';
import { fail, unknownObject } from './graph-errors.js';
import { priceMessage } from './pricing.js';
import { evaluateSendRules, isServiceWindowOpen, type SendAttempt } from './rules.js';
import { newCustomer } from './seed.js';
import { isObject, missing, onlyKeys, requireEnum, requireString, type Obj } from './send-validate-common.js';
import { MESSAGE_REACH_MS, validateSend } from './send-validate.js';
import type { Customer, OutboundMessage, PhoneNumber } from './state.js';

const DAY_MS = 24 * 3600_000;
/** A reply within 24 h of a click-to-WhatsApp referral opens a 72 h free entry point window. */
const FEP_REPLY_WITHIN_MS = DAY_MS;
const FEP_LENGTH_MS = 72 * 3600_000;

export function registerSendRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/:version/:phoneNumberId/messages', async (req) => {
    const { phoneNumberId } = req.params as { phoneNumberId: string };
    const phone = ctx.state.phoneNumbers.get(phoneNumberId);
    if (!phone || phone.deleted) unknownObject(phoneNumberId);
    assertWabaAccess(req, phone.wabaId);
    const body = req.body;
    if (!isObject(body)) fail(100, 'The request body must be a JSON object');
    if (body.status !== undefined) return markRead(ctx, phone, body);
    return sendMessage(ctx, phone, body);
  });
}

/** Validates, runs the rules, stores the accepted message and hands it to the customer simulator. */
function sendMessage(ctx: SandboxContext, phone: PhoneNumber, body: Obj): SendMessageResponse {
  const state = ctx.state;
  const now = state.clock.now();
  const send = validateSend(body, { state, phone, now });
  if (send.to === phone.displayPhoneNumber) fail(131021, 'Recipient phone number cannot be the sender phone number');
  const waba = state.wabas.get(phone.wabaId) ?? unknownObject(phone.wabaId);
  // Any syntactically valid number is a (possibly new) customer; it is kept only once accepted.
  const customer = state.customers.get(send.to) ?? newCustomer(state, send.to);
  const inWindow = isServiceWindowOpen(customer, phone.id, now);
  const attempt: SendAttempt = {
    state, templateQuality: ctx.templateQuality, phone, waba, business: state.businesses.get(waba.businessId),
    customer, send, now, inWindow,
  };
  const failure = evaluateSendRules(attempt);
  state.customers.set(customer.waId, customer);
  const fep = freeEntryPoint(customer, phone.id, now, failure === undefined);
  const price = priceMessage({
    at: now, to: send.to, inServiceWindow: inWindow, inFreeEntryPoint: fep !== undefined,
    ...(attempt.template ? { templateCategory: attempt.template.category } : {}),
  });
  const callbackData = send.request.biz_opaque_callback_data;
  const message: OutboundMessage = {
    wamid: state.newWamid(), phoneNumberId: phone.id, to: send.to, type: send.type, request: send.request,
    ...(attempt.template ? { templateId: attempt.template.id } : {}),
    category: price.category, pricingType: price.type, billable: price.billable, priceUsd: price.priceUsd,
    status: 'accepted', statusHistory: [], sentAt: now, outsideWindow: !inWindow,
    ...(callbackData !== undefined ? { bizOpaqueCallbackData: callbackData } : {}),
    ...(failure ? { failure } : {}),
    ...(fep ? { fepConversationId: fep } : {}),
  };
  state.outbound.set(message.wamid, message);
  forgetOldest(state.outbound, state.options.outboundLimit);
  ctx.customers.onAccepted(message);
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: send.input, wa_id: send.to }],
    messages: [{ id: message.wamid, message_status: 'accepted' }],
  };
}

/** Maps keep insertion order: past the limit, drop the oldest tenth in one go. */
function forgetOldest(messages: Map<string, OutboundMessage>, limit: number): void {
  if (messages.size <= limit) return;
  let drop = messages.size - Math.floor(limit * 0.9);
  for (const wamid of messages.keys()) {
    if (drop-- <= 0) break;
    messages.delete(wamid);
  }
}

/**
 * The free entry point: the customer came through a click-to-WhatsApp ad or page button; the
 * business's first reply within 24 h opens a 72 h window in which every message is free.
 * Returns the FEP conversation id when this message falls in (or opens) such a window.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing#free-entry-point-conversations
 */
function freeEntryPoint(customer: Customer, phoneId: string, now: number, accepted: boolean): string | undefined {
  const ep = customer.entryPoint.get(phoneId);
  if (!ep) return undefined;
  if (ep.fepUntil !== undefined) return now < ep.fepUntil ? fepId(phoneId, customer.waId, ep.fepUntil) : undefined;
  if (!accepted || now - ep.referralAt > FEP_REPLY_WITHIN_MS) return undefined;
  ep.fepUntil = now + FEP_LENGTH_MS;
  return fepId(phoneId, customer.waId, ep.fepUntil);
}

function fepId(phoneId: string, waId: string, until: number): string {
  return createHash('sha1').update(`${phoneId}:${waId}:${until}`).digest('hex').slice(0, 32);
}

/**
 * Mark an inbound message (and the earlier ones of that customer) as read, optionally showing a
 * typing indicator. Unknown message → 100; older than 30 days → 131009. No webhook results.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
 */
function markRead(ctx: SandboxContext, phone: PhoneNumber, body: Obj): { success: true } {
  if (body.messaging_product !== 'whatsapp') fail(100, 'Param messaging_product must be "whatsapp"');
  onlyKeys(body, ['messaging_product', 'status', 'message_id', 'typing_indicator'], 'message');
  if (body.status !== 'read') fail(100, 'Param status must be "read"');
  if (body.message_id === undefined) missing('message_id');
  const messageId = requireString(body, 'message_id', 'message');
  if (body.typing_indicator !== undefined) {
    if (!isObject(body.typing_indicator)) fail(100, 'Param typing_indicator must be a JSON object');
    onlyKeys(body.typing_indicator, ['type'], 'typing_indicator');
    requireEnum(body.typing_indicator, 'type', 'typing_indicator', ['text'] as const);
  }
  const state = ctx.state;
  const record = state.inbound.get(messageId);
  if (!record || record.phoneNumberId !== phone.id) fail(100, `Param message_id: message ${messageId} does not exist for this phone number`);
  if (state.clock.now() - record.at > MESSAGE_REACH_MS) fail(131009, `Param message_id refers to a message older than 30 days`);
  for (const other of state.inbound.values()) {
    if (other.phoneNumberId === phone.id && other.from === record.from && other.at <= record.at) other.readByBusiness = true;
  }
  record.readByBusiness = true;
  return { success: true };
}
