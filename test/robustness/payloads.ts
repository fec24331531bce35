// Webhook bodies as Meta sends them to the sandbox's demo number, for tests that post their own.

import { SANDBOX_NUMBER } from './tenant.js';

/** A customer's text message (one change, field `messages`). */
export function inboundText(wamid: string, from: string, text: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: SANDBOX_NUMBER.wabaId, changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: SANDBOX_NUMBER.displayPhoneNumber, phone_number_id: SANDBOX_NUMBER.phoneNumberId },
      contacts: [{ profile: { name: 'Eve' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    } }] }],
  });
}

/** The envelope around arbitrary `changes` (for bodies of the wrong shape). */
export const envelope = (changes: unknown): string => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: SANDBOX_NUMBER.wabaId, changes }] });
