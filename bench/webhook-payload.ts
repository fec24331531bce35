// A realistic status webhook (≈1.5 KB) as Meta posts it for outbound messages: one `messages` change
// carrying four statuses (sent, delivered ×2 with conversation and pricing, then read), compact JSON.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status

export const BENCH_WABA_ID = '102290129340398';
export const BENCH_PHONE_NUMBER_ID = '106540352242922';
export const BENCH_DISPLAY_NUMBER = '15550783881';

function wamid(n: string): string {
  return `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI${Buffer.from(n).toString('base64').replace(/=+$/, '')}QjZCMzlEQUE4OTJBMTE4RTUA`;
}

function status(kind: 'sent' | 'delivered' | 'read', n: string, recipient: string, at: number): Record<string, unknown> {
  const base = {
    id: wamid(n), status: kind, timestamp: String(Math.floor(at / 1000)), recipient_id: recipient,
    biz_opaque_callback_data: `msg_${n}`,
  };
  if (kind === 'read') return base;
  return {
    ...base,
    conversation: {
      id: `c${n.padStart(31, '0').slice(-31)}`,
      ...(kind === 'sent' ? { expiration_timestamp: String(Math.floor(at / 1000) + 86_400) } : {}),
      origin: { type: 'utility' },
    },
    pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
  };
}

/** The body of webhook number `i` of a run: unique per (prefix, i), so none is a redelivery. */
export function statusWebhookBody(prefix: string, i: number, at = Date.now()): string {
  const recipient = String(447700900000 + (i % 1000));
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: BENCH_DISPLAY_NUMBER, phone_number_id: BENCH_PHONE_NUMBER_ID },
    statuses: [
      status('sent', `${prefix}${i}a`, recipient, at),
      status('delivered', `${prefix}${i}b`, recipient, at),
      status('delivered', `${prefix}${i}c`, recipient, at),
      status('read', `${prefix}${i}d`, recipient, at),
    ],
  };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: BENCH_WABA_ID, changes: [{ value, field: 'messages' }] }],
  });
}

/** One customer's text message as Meta posts it (≈ 0.6 KB). */
export function inboundTextWebhookBody(prefix: string, i: number, customers: number, at = Date.now()): string {
  const from = String(447800000000 + (i % customers));
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: BENCH_DISPLAY_NUMBER, phone_number_id: BENCH_PHONE_NUMBER_ID },
    contacts: [{ profile: { name: `Customer ${i % customers}` }, wa_id: from }],
    messages: [{ from, id: wamid(`${prefix}${i}in`), timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: `Hello, this is message ${i}` } }],
  };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: BENCH_WABA_ID, changes: [{ value, field: 'messages' }] }] });
}

/** A status (sent, delivered, read in turn) of one of the messages Parley sent (`messageIds`, ours). */
export function sentMessageStatusBody(i: number, message: { id: string; wamid: string; to: string }, at = Date.now()): string {
  const kind = (['sent', 'delivered', 'read'] as const)[i % 3]!;
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: BENCH_DISPLAY_NUMBER, phone_number_id: BENCH_PHONE_NUMBER_ID },
    statuses: [{
      id: message.wamid, status: kind, timestamp: String(Math.floor(at / 1000) + (i % 3)), recipient_id: message.to, biz_opaque_callback_data: message.id,
      ...(kind === 'read' ? {} : { pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' } }),
    }],
  };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: BENCH_WABA_ID, changes: [{ value, field: 'messages' }] }] });
}

/** The processing bench's mix: even bodies are customers' texts, odd ones statuses of sent messages. */
export function mixedWebhookBody(prefix: string, i: number, sent: Array<{ id: string; wamid: string; to: string }>, at = Date.now()): string {
  if (i % 2 === 0 || sent.length === 0) return inboundTextWebhookBody(prefix, i >> 1, 5000, at);
  return sentMessageStatusBody(i >> 1, sent[(i >> 1) % sent.length]!, at);
}
