// Simulated customers: what happens to an accepted message (sent → delivered → read, or failed,
// as the recipient's persona behaves) and what customers do on their own (reply, block, report,
// stop marketing, or anything the control API / phone page tells them to send).

import type {
  InboundMessage, StatusUpdate, WebhookMetadata, WirePricing, DeliveryStatus,
} from '../cloudapi/wire.js';
import type { Customer, OutboundMessage, Persona, PhoneNumber, SandboxState } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';
import type { TemplateQuality } from './template-quality.js';
import { webhookError } from './graph-errors.js';
import { newCustomer } from './seed.js';
import { ControlError, notFound } from './control-error.js';
import { buildInbound, type CustomerMessageInput } from './customer-messages.js';

const DAY_MS = 24 * 3600_000;

/** When an accepted message's steps fall due, decided once at acceptance. */
interface Plan { acceptedAt: number; deliverAfter: number; readAfter: number }

export type { CustomerMessageInput } from './customer-messages.js';

export class CustomerSimulator {
  constructor(
    private readonly state: SandboxState,
    private readonly webhooks: WebhookDispatcher,
    private readonly templateQuality: TemplateQuality,
  ) {}

  /** Called by send-route after a message was accepted (200): schedules its statuses and reactions. */
  onAccepted(message: OutboundMessage): void {
    const customer = this.customerFor(message.to);
    const persona = this.personaOf(customer);
    const clock = this.state.clock;
    if (message.failure) {
      const { code, details } = message.failure;
      clock.schedule(this.state.random.between(100, 600), () => {
        this.emitStatus(message, 'failed', { errors: [webhookError(code, details)] });
      });
      return;
    }
    // Each step is due at an absolute time from acceptance, so one long clock advance runs the
    // whole chain (sent → delivered → read → reply) in order.
    const plan: Plan = { acceptedAt: clock.now(), deliverAfter: this.delay(persona.deliverMs), readAfter: this.delay(persona.readMs) };
    clock.schedule(0, () => this.markSent(message, customer, persona, plan));
  }

  /** Act as a customer: builds the inbound message, opens/extends the window, emits the webhook. */
  sendMessage(waId: string, input: CustomerMessageInput): InboundMessage {
    const customer = this.requireCustomer(waId);
    const number = this.numberFor(customer, input.phoneNumberId);
    if (customer.blockedBusiness.has(number.id)) {
      throw new ControlError('business_blocked', `Customer ${waId} has blocked ${number.id}; unblock first`);
    }
    if (number.blockedUsers.has(customer.waId)) {
      throw new ControlError('blocked_by_business', `Business number ${number.id} has blocked ${waId}; its messages are not delivered`);
    }
    const message = buildInbound(this.state, customer, number, input);
    this.deliverInbound(customer, number, message, input.type === 'system');
    if (message.referral) customer.entryPoint.set(number.id, { referralAt: this.state.clock.now() });
    return message;
  }

  /** The customer blocks the business number: later messages stay `sent`; negative template feedback. */
  block(waId: string, phoneNumberId?: string): void {
    const customer = this.requireCustomer(waId);
    const number = this.numberFor(customer, phoneNumberId);
    customer.blockedBusiness.add(number.id);
    this.negativeFeedback(customer, number.id);
  }

  unblock(waId: string, phoneNumberId?: string): void {
    const customer = this.requireCustomer(waId);
    customer.blockedBusiness.delete(this.numberFor(customer, phoneNumberId).id);
  }

  /** Reporting feeds template quality (and, in time, the number's); optionally blocks too. */
  report(waId: string, phoneNumberId?: string, alsoBlock = false): void {
    const customer = this.requireCustomer(waId);
    const number = this.numberFor(customer, phoneNumberId);
    if (alsoBlock) customer.blockedBusiness.add(number.id);
    this.negativeFeedback(customer, number.id);
  }

  /**
   * "Offers and announcements → Stop": marketing templates from this number then fail with 131050.
   * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/user_preferences
   */
  stopMarketing(waId: string, phoneNumberId?: string): void {
    const customer = this.requireCustomer(waId);
    const number = this.numberFor(customer, phoneNumberId);
    customer.marketingStopped.add(number.id);
    this.emitPreference(customer, number, 'stop');
  }

  resumeMarketing(waId: string, phoneNumberId?: string): void {
    const customer = this.requireCustomer(waId);
    const number = this.numberFor(customer, phoneNumberId);
    customer.marketingStopped.delete(number.id);
    this.emitPreference(customer, number, 'resume');
  }

  requireCustomer(waId: string): Customer {
    return this.state.customers.get(waId) ?? notFound('customer', waId);
  }

  /** The explicit number, else the one the customer last talked to, else the first live number. */
  numberFor(customer: Customer, phoneNumberId?: string): PhoneNumber {
    if (phoneNumberId !== undefined) {
      const n = this.state.phoneNumbers.get(phoneNumberId);
      if (!n || n.deleted) notFound('phone number', phoneNumberId);
      return n;
    }
    let best: { id: string; at: number } | undefined;
    for (const [id, at] of customer.lastInboundAt) if (!best || at > best.at) best = { id, at };
    const last = best && this.state.phoneNumbers.get(best.id);
    if (last && !last.deleted) return last;
    for (const n of this.state.phoneNumbers.values()) if (!n.deleted) return n;
    throw new ControlError('no_phone_number', 'The sandbox has no business phone number; seed one first');
  }

  // ---------- status lifecycle ----------

  /** Runs `fn` when virtual time reaches `dueMs` — now if it already has. */
  private at(dueMs: number, fn: () => void): void {
    const now = this.state.clock.now();
    if (dueMs <= now) fn(); else this.state.clock.schedule(dueMs - now, fn);
  }

  private markSent(message: OutboundMessage, customer: Customer, persona: Persona, plan: Plan): void {
    const conversation = this.conversationOf(message, customer, true);
    this.emitStatus(message, 'sent', { pricing: pricingOf(message), ...(conversation ? { conversation } : {}) });
    // A customer who blocked the business never receives it: the message stays `sent`.
    if (customer.blockedBusiness.has(message.phoneNumberId)) return;
    this.at(plan.acceptedAt + plan.deliverAfter, () => this.markDelivered(message, customer, persona, plan));
  }

  private markDelivered(message: OutboundMessage, customer: Customer, persona: Persona, plan: Plan): void {
    if (customer.blockedBusiness.has(message.phoneNumberId)) return;
    const conversation = this.conversationOf(message, customer, false);
    this.emitStatus(message, 'delivered', { pricing: pricingOf(message), ...(conversation ? { conversation } : {}) });
    const now = this.state.clock.now();
    // The per-user marketing cap counts delivered marketing templates; those inside a window the
    // customer opened are exempt. https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates#per-user-marketing-template-message-limits
    if (message.templateId && message.category === 'marketing' && message.outsideWindow) {
      customer.marketingDeliveries = customer.marketingDeliveries.filter((at) => at > now - 7 * DAY_MS);
      customer.marketingDeliveries.push(now);
    }
    this.at(plan.acceptedAt + plan.deliverAfter + plan.readAfter, () => this.react(message, customer, persona, plan));
  }

  /** After the read delay: maybe read, then (marketing) block/report/stop, then maybe reply. */
  private react(message: OutboundMessage, customer: Customer, persona: Persona, plan: Plan): void {
    const random = this.state.random;
    const read = random.chance(persona.read);
    if (read) {
      this.emitStatus(message, 'read', {});
      if (message.templateId) this.templateQuality.recordFeedback(message.templateId, false);
    }
    const number = this.state.phoneNumbers.get(message.phoneNumberId);
    if (!number) return;
    if (message.templateId && message.category === 'marketing') {
      if (random.chance(persona.stopMarketing) && !customer.marketingStopped.has(number.id)) {
        customer.marketingStopped.add(number.id);
        this.emitPreference(customer, number, 'stop');
      }
      const blocks = random.chance(persona.block);
      const reports = random.chance(persona.report);
      if (blocks) customer.blockedBusiness.add(number.id);
      if (blocks || reports) this.templateQuality.recordFeedback(message.templateId, true);
      if (blocks) return;
    }
    if (read && persona.replies.length > 0 && random.chance(persona.reply)) {
      const text = persona.replies[random.int(0, persona.replies.length - 1)]!;
      this.at(plan.acceptedAt + plan.deliverAfter + plan.readAfter + this.delay(persona.replyMs), () => {
        if (customer.blockedBusiness.has(number.id) || number.blockedUsers.has(customer.waId)) return;
        this.deliverInbound(customer, number, buildInbound(this.state, customer, number, { type: 'text', text }), false);
      });
    }
  }

  private emitStatus(message: OutboundMessage, status: DeliveryStatus, extra: Partial<StatusUpdate>): void {
    const number = this.state.phoneNumbers.get(message.phoneNumberId);
    if (!number) return;
    const now = this.state.clock.now();
    message.status = status;
    message.statusHistory.push({ status, at: now });
    const update: StatusUpdate = {
      id: message.wamid, status, timestamp: String(Math.floor(now / 1000)), recipient_id: waIdOf(message.to),
      ...(message.bizOpaqueCallbackData !== undefined ? { biz_opaque_callback_data: message.bizOpaqueCallbackData } : {}),
      ...extra,
    };
    this.webhooks.emit(number.wabaId, {
      field: 'messages',
      value: { messaging_product: 'whatsapp', metadata: metadataOf(number), statuses: [update] },
    });
  }

  /**
   * Since v24 `conversation` appears only for messages inside a free entry point window; its
   * `expiration_timestamp` only on `sent`. https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages/status
   */
  private conversationOf(message: OutboundMessage, customer: Customer, onSent: boolean): StatusUpdate['conversation'] {
    if (!message.fepConversationId) return undefined;
    const fepUntil = customer.entryPoint.get(message.phoneNumberId)?.fepUntil;
    return {
      id: message.fepConversationId,
      ...(onSent && fepUntil !== undefined ? { expiration_timestamp: String(Math.floor(fepUntil / 1000)) } : {}),
      origin: { type: message.category === 'referral_conversion' ? 'referral_conversion' : message.category },
    };
  }

  // ---------- inbound ----------

  private deliverInbound(customer: Customer, number: PhoneNumber, message: InboundMessage, system: boolean): void {
    const now = this.state.clock.now();
    this.state.inbound.set(message.id, {
      wamid: message.id, phoneNumberId: number.id, from: customer.waId, type: message.type, at: now,
      readByBusiness: false, message,
    });
    // Any message from the user opens or resets the 24 h customer service window; system
    // notices are not user messages. https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
    if (!system) customer.lastInboundAt.set(number.id, now);
    this.webhooks.emit(number.wabaId, {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp', metadata: metadataOf(number),
        // System messages carry no contacts[].
        ...(system ? {} : { contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }] }),
        messages: [message],
      },
    });
  }

  private emitPreference(customer: Customer, number: PhoneNumber, value: 'stop' | 'resume'): void {
    this.webhooks.emit(number.wabaId, {
      field: 'user_preferences',
      value: {
        messaging_product: 'whatsapp', metadata: metadataOf(number),
        contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }],
        user_preferences: [{
          wa_id: customer.waId, detail: `User requested to ${value} marketing messages`,
          category: 'marketing_messages', value, timestamp: this.state.clock.nowSeconds(),
        }],
      },
    });
  }

  /** Blocks and reports count against the last template this number sent the customer. */
  private negativeFeedback(customer: Customer, phoneNumberId: string): void {
    let last: OutboundMessage | undefined;
    for (const m of this.state.outbound.values()) {
      if (m.templateId && m.phoneNumberId === phoneNumberId && waIdOf(m.to) === customer.waId
        && (!last || m.sentAt >= last.sentAt)) last = m;
    }
    if (last?.templateId) this.templateQuality.recordFeedback(last.templateId, true);
  }

  private customerFor(to: string): Customer {
    const waId = waIdOf(to);
    let customer = this.state.customers.get(waId);
    if (!customer) {
      customer = newCustomer(this.state, waId);
      this.state.customers.set(waId, customer);
    }
    return customer;
  }

  private personaOf(customer: Customer): Persona {
    return this.state.personas.get(customer.persona)
      ?? this.state.personas.get(this.state.options.defaultPersona)
      ?? this.state.personas.values().next().value!;
  }

  private delay([min, max]: [number, number]): number {
    return max <= min ? min : this.state.random.between(min, max);
  }
}

export function metadataOf(number: PhoneNumber): WebhookMetadata {
  return { display_phone_number: number.displayPhoneNumber, phone_number_id: number.id };
}

/** `pricing` on sent and delivered (never read): PMP, billed per delivered message. */
function pricingOf(message: OutboundMessage): WirePricing {
  return { billable: message.billable, pricing_model: 'PMP', type: message.pricingType, category: message.category };
}

export function waIdOf(to: string): string {
  return to.replace(/\D/g, '');
}
