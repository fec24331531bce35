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
