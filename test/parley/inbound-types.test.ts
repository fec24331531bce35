// Every inbound type a simulated customer can send is stored faithfully over real HTTP: replies linked
// to the quoted message, reactions to their target, button replies to our interactive message,
// location, contacts, orders, system and unsupported messages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.js';
import {
  type ApiMessage, conversationMessages, createCustomer, hasStatus, sendOk, templateContent, waitForMessage,
} from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

const WA_ID = '447400123701';

async function customerSends(body: Record<string, unknown>): Promise<void> {
  const res = await h.sandbox.post(`/_sandbox/customers/${WA_ID}/messages`, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

/** Waits for the inbound message matching `find` in the conversation. */
function inbound(conversationId: string, find: (m: ApiMessage) => boolean, what: string): Promise<ApiMessage> {
  return eventually(async () => (await conversationMessages(h.api, conversationId)).find((m) => m.direction === 'in' && find(m)), { what });
}

describe('inbound message types', () => {
  let conversationId = '';
  let template: ApiMessage;
  let buttons: ApiMessage;

  beforeAll(async () => {
    await createCustomer(h.sandbox, WA_ID, 'silent');
    const queued = await sendOk(h.api, `+${WA_ID}`, templateContent());
    template = await waitForMessage(h.api, queued.id, (m) => m.wamid !== null && m.status !== 'queued');
    conversationId = queued.conversationId;
    await customerSends({ type: 'text', text: 'Hello!' });
    await inbound(conversationId, (m) => m.content?.body === 'Hello!', 'first text');
    const b = await sendOk(h.api, `+${WA_ID}`, {
      type: 'buttons', body: 'Deliver tomorrow?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }],
    });
    buttons = await waitForMessage(h.api, b.id, hasStatus('sent', 'delivered', 'read'));
  });

  it('links a quoted reply and a reaction to our messages', async () => {
    await customerSends({ type: 'text', text: 'About this one', replyTo: template.wamid });
    const reply = await inbound(conversationId, (m) => m.content?.body === 'About this one', 'quoted reply');
    const stored = (await h.api.get(`/api/v1/messages/${reply.id}`)).body;
    expect(stored).toMatchObject({ replyToWamid: template.wamid, replyToMessageId: template.id });

    await customerSends({ type: 'reaction', messageId: template.wamid, emoji: '👍' });
    const reaction = await inbound(conversationId, (m) => m.type === 'reaction', 'reaction');
    expect(reaction.content).toMatchObject({ emoji: '👍', targetWamid: template.wamid });
    expect((await h.api.get(`/api/v1/messages/${reaction.id}`)).body.replyToMessageId).toBe(template.id);
  });

  it('stores a button reply to our interactive message with its id and title', async () => {
    await customerSends({ type: 'button_reply', messageId: buttons.wamid, id: 'yes' });
    const tap = await inbound(conversationId, (m) => m.content?.type === 'button_reply', 'button reply');
    expect(tap.content).toMatchObject({ id: 'yes', title: 'Yes' });
    expect((await h.api.get(`/api/v1/messages/${tap.id}`)).body.replyToMessageId).toBe(buttons.id);
  });

  it('stores location, contacts, order, unsupported and system messages', async () => {
    await customerSends({ type: 'location', latitude: 55.7558, longitude: 37.6173, name: 'Red Square', address: 'Moscow' });
    await customerSends({ type: 'contacts', contacts: [{ name: { formatted_name: 'Anna Ivanova', first_name: 'Anna' }, phones: [{ phone: '+79160000000', type: 'CELL' }] }] });
    await customerSends({ type: 'order', catalogId: '111222333', text: 'Two please', productItems: [{ productRetailerId: 'sku-1', quantity: 2, itemPrice: 9.99, currency: 'USD' }] });
    await customerSends({ type: 'unsupported', unsupportedType: 'poll' });

    const location = await inbound(conversationId, (m) => m.type === 'location', 'location');
    expect(location.content).toMatchObject({ latitude: 55.7558, longitude: 37.6173, name: 'Red Square', address: 'Moscow' });
    const contacts = await inbound(conversationId, (m) => m.type === 'contacts', 'contacts');
    expect(JSON.stringify(contacts.content)).toContain('Anna Ivanova');
    const order = await inbound(conversationId, (m) => m.type === 'order', 'order');
    expect(order.content).toMatchObject({ catalogId: '111222333', text: 'Two please', items: [{ productRetailerId: 'sku-1', quantity: 2, itemPrice: 9.99, currency: 'USD' }] });
    const unsupported = await inbound(conversationId, (m) => m.type === 'unsupported', 'unsupported');
    expect(unsupported.content.errors?.[0]?.code).toBe(131051);

    await customerSends({ type: 'system', newWaId: '447400123799' });
    const system = await inbound(conversationId, (m) => m.type === 'system', 'system');
    expect(system.content).toMatchObject({ systemType: 'user_changed_number', newWaId: '447400123799' });
    await h.settleWebhooks();
  });
});
