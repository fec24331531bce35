// Inbound messages from simulated customers (control API): each type produces Meta's `messages`
// webhook, opens the service window, and taps/reactions must refer to a real business message.

import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, type SeedSpec } from '../../src/sandbox/seed.js';
import { PHONE_ID, TOKEN, WABA_ID, openWindow, sendGraph, startWorld, type World } from './world-harness.js';

const WA = '447911123456';
const SEED: SeedSpec = {
  ...DEFAULT_SEED,
  templates: [
    ...(DEFAULT_SEED.templates ?? []),
    {
      wabaId: WABA_ID, name: 'delivery_check', language: 'en_US', category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Is tomorrow a good day for delivery?' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }, { type: 'QUICK_REPLY', text: 'Another day' }] },
      ],
    },
  ],
};

let world: World;
beforeEach(async () => { world = await startWorld({}, SEED); });
afterEach(async () => { await world.close(); });

async function act(body: Record<string, unknown>, waId = WA): Promise<{ status: number; body: any }> {
  return world.call('POST', `/_sandbox/customers/${waId}/messages`, { phoneNumberId: PHONE_ID, ...body });
}

/** Sends as the customer and returns the `messages` webhook value that came out. */
async function inbound(body: Record<string, unknown>): Promise<any> {
  const before = world.receiver.changes('messages').length;
  const res = await act(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await world.settle();
  // A persona may answer the business meanwhile (the clock runs chained timers), so pick ours by wamid.
  const change = world.receiver.changes('messages').slice(before)
    .find((c) => c.value.messages?.some((m: { id: string }) => m.id === res.body.wamid));
  expect(change).toBeDefined();
  change.value.messages = change.value.messages.filter((m: { id: string }) => m.id === res.body.wamid);
  return change.value;
}

describe('inbound message types', () => {
  it('text: contacts, metadata, from, wamid, string timestamp; opens the 24 h window', async () => {
    const value = await inbound({ type: 'text', text: 'Hi there' });
    expect(value.messaging_product).toBe('whatsapp');
    expect(value.metadata).toEqual({ display_phone_number: '15550001111', phone_number_id: PHONE_ID });
    expect(value.contacts).toEqual([{ profile: { name: 'Olivia Smith' }, wa_id: WA }]);
    const m = value.messages[0];
    expect(m).toMatchObject({ from: WA, type: 'text', text: { body: 'Hi there' }, timestamp: String(world.clock.nowSeconds()) });
    expect(m.id).toMatch(/^wamid\./);
    expect(world.ctx.state.customers.get(WA)!.lastInboundAt.get(PHONE_ID)).toBe(world.clock.now());
    expect(world.ctx.state.inbound.get(m.id)).toMatchObject({ from: WA, phoneNumberId: PHONE_ID, type: 'text' });
  });

  it('text replying to a business message carries context {from: business number, id}', async () => {
    await openWindow(world, WA);
    const sent = await sendGraph(world, { to: WA, type: 'text', text: { body: 'Which size?' } });
    const value = await inbound({ type: 'text', text: 'M please', replyTo: sent.body.messages[0].id });
    expect(value.messages[0].context).toEqual({ from: '15550001111', id: sent.body.messages[0].id });
    expect((await act({ type: 'text', text: 'x', replyTo: 'wamid.nope' })).status).toBe(404);
  });

  it('click-to-WhatsApp referral opens the free entry point', async () => {
    const value = await inbound({ type: 'text', text: 'I saw your ad', referral: { headline: 'Spring sale' } });
    expect(value.messages[0].referral).toMatchObject({ source_type: 'ad', headline: 'Spring sale', body: 'I saw your ad' });
    expect(world.ctx.state.customers.get(WA)!.entryPoint.get(PHONE_ID)?.referralAt).toBe(world.clock.now());
  });

  it('image: media stored in the sandbox and downloadable through the Graph media endpoints', async () => {
    const bytes = Buffer.from('not really a png but bytes all the same');
    const value = await inbound({ type: 'image', caption: 'my receipt', mimeType: 'image/png', dataBase64: bytes.toString('base64') });
    const image = value.messages[0].image;
    expect(image).toMatchObject({ caption: 'my receipt', mime_type: 'image/png' });
    expect(image.sha256).toBeTruthy();
    const info = await world.call('GET', `/v21.0/${image.id}`, undefined, TOKEN);
    expect(info.status).toBe(200);
    expect(info.body.mime_type).toBe('image/png');
    const download = await request(info.body.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(download.statusCode).toBe(200);
    expect(Buffer.from(await download.body.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it.each([
    ['video', { caption: 'unboxing' }, { mime_type: 'video/mp4', caption: 'unboxing' }],
    ['audio', { voice: true }, { mime_type: 'audio/ogg; codecs=opus', voice: true }],
    ['document', { filename: 'invoice.pdf', caption: 'invoice' }, { mime_type: 'application/pdf', filename: 'invoice.pdf', caption: 'invoice' }],
    ['sticker', {}, { mime_type: 'image/webp', animated: false }],
  ])('%s: media object in Meta\'s shape', async (type, extra, expected) => {
    const value = await inbound({ type, ...extra });
    const m = value.messages[0];
    expect(m.type).toBe(type);
    expect(m[type]).toMatchObject(expected);
    expect(world.ctx.state.media.get(m[type].id)?.bytes.length).toBeGreaterThan(0);
  });

  it('location and contacts', async () => {
    const loc = await inbound({ type: 'location', latitude: 55.75, longitude: 37.62, name: 'Красная площадь' });
    expect(loc.messages[0].location).toEqual({ latitude: 55.75, longitude: 37.62, name: 'Красная площадь' });
    const card = { name: { formatted_name: 'Ann Lee', first_name: 'Ann' }, phones: [{ phone: '+44 7700 900456', type: 'MOBILE', wa_id: '447700900456' }] };
    const contacts = await inbound({ type: 'contacts', contacts: [card] });
    expect(contacts.messages[0].contacts).toEqual([card]);
    expect((await act({ type: 'location', latitude: 200, longitude: 0 })).body.error.code).toBe('invalid_location');
  });

  it('reaction to a business message, and removal with an empty emoji', async () => {
    await openWindow(world, WA);
    const sent = await sendGraph(world, { to: WA, type: 'text', text: { body: 'Thanks for your order' } });
    const wamid = sent.body.messages[0].id;
    const add = await inbound({ type: 'reaction', messageId: wamid, emoji: '❤️' });
    expect(add.messages[0].reaction).toEqual({ message_id: wamid, emoji: '❤️' });
    const remove = await inbound({ type: 'reaction', messageId: wamid, emoji: '' });
    expect(remove.messages[0].reaction).toEqual({ message_id: wamid });
    const unknown = await act({ type: 'reaction', messageId: 'wamid.unknown', emoji: '👍' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_business_message');
  });

  it('quick-reply tap on a template: type button with payload, text and context', async () => {
    const sent = await sendGraph(world, {
      to: WA, type: 'template',
      template: {
        name: 'delivery_check', language: { code: 'en_US' },
        components: [{ type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'RESCHEDULE' }] }],
      },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const wamid = sent.body.messages[0].id;
    const tap = await inbound({ type: 'button', messageId: wamid, text: 'Another day' });
    expect(tap.messages[0]).toMatchObject({ type: 'button', button: { payload: 'RESCHEDULE', text: 'Another day' }, context: { from: '15550001111', id: wamid } });
    const yes = await inbound({ type: 'button', messageId: wamid, index: 0 });
    expect(yes.messages[0].button).toEqual({ payload: 'Yes', text: 'Yes' });
    const wrong = await act({ type: 'button', messageId: wamid, text: 'Maybe' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('unknown_button');
  });

  it('interactive reply button and list row must match the business message', async () => {
    await openWindow(world, WA);
    const buttons = await sendGraph(world, {
      to: WA, type: 'interactive',
      interactive: { type: 'button', body: { text: 'Confirm?' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } },
    });
    expect(buttons.status, JSON.stringify(buttons.body)).toBe(200);
    const list = await sendGraph(world, {
      to: WA, type: 'interactive',
      interactive: {
        type: 'list', body: { text: 'Pick a slot' },
        action: { button: 'Slots', sections: [{ title: 'Tomorrow', rows: [{ id: 'am', title: 'Morning', description: '9–12' }, { id: 'pm', title: 'Afternoon' }] }] },
      },
    });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const b = await inbound({ type: 'button_reply', messageId: buttons.body.messages[0].id, id: 'no' });
    expect(b.messages[0]).toMatchObject({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'no', title: 'No' } }, context: { id: buttons.body.messages[0].id } });
    const l = await inbound({ type: 'list_reply', messageId: list.body.messages[0].id, id: 'am' });
    expect(l.messages[0].interactive).toEqual({ type: 'list_reply', list_reply: { id: 'am', title: 'Morning', description: '9–12' } });

    expect((await act({ type: 'button_reply', messageId: buttons.body.messages[0].id, id: 'maybe' })).body.error.code).toBe('unknown_button');
    expect((await act({ type: 'list_reply', messageId: list.body.messages[0].id, id: 'night' })).body.error.code).toBe('unknown_row');
    expect((await act({ type: 'list_reply', messageId: buttons.body.messages[0].id, id: 'yes' })).body.error.code).toBe('not_a_list');
  });

  it('order', async () => {
    const value = await inbound({ type: 'order', catalogId: 'cat1', text: 'asap', productItems: [{ productRetailerId: 'sku-1', quantity: 2, itemPrice: 9.5, currency: 'USD' }] });
    expect(value.messages[0].order).toEqual({ catalog_id: 'cat1', text: 'asap', product_items: [{ product_retailer_id: 'sku-1', quantity: 2, item_price: 9.5, currency: 'USD' }] });
  });

  it('system user_changed_number has no contacts[] and does not open the window', async () => {
    const value = await inbound({ type: 'system', newWaId: '447700900777' });
    expect(value.contacts).toBeUndefined();
    expect(value.messages[0]).toMatchObject({ type: 'system', system: { type: 'user_changed_number', wa_id: '447700900777' } });
    expect(value.messages[0].system.body).toContain('447700900777');
    expect(world.ctx.state.customers.get(WA)!.lastInboundAt.has(PHONE_ID)).toBe(false);
  });

  it('unsupported message carries errors[] with 131051', async () => {
    const value = await inbound({ type: 'unsupported', unsupportedType: 'poll_creation' });
    expect(value.messages[0]).toMatchObject({ type: 'unsupported', unsupported: { type: 'poll_creation' }, errors: [{ code: 131051 }] });
  });

  it('rejects unknown types, unknown customers and unknown numbers clearly', async () => {
    const bad = await act({ type: 'hologram' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_type');
    expect((await act({ type: 'text', text: 'x' }, '999999999')).status).toBe(404);
    expect((await act({ type: 'text', text: 'x', phoneNumberId: '1' })).body.error.code).toBe('unknown_phone_number');
    expect((await act({ type: 'text' })).body.error.code).toBe('missing_field');
  });
});
