// Every send type Meta documents is accepted in Meta's answer shape, and stored with its pricing.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, HOUR, PHONE_ID, RU, startSandbox, storedOf, text, template, type Harness } from './send-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startSandbox();
  h.lastInbound(RU, HOUR);
  h.addMedia('1001', 'image/jpeg');
  h.addMedia('1002', 'video/mp4');
  h.addMedia('1003', 'audio/ogg');
  h.addMedia('1004', 'application/pdf');
  h.addMedia('1005', 'image/webp');
  h.addInbound('wamid.INBOUND1', RU, HOUR);
});
afterEach(() => h.close());

const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: RU };
const body = { text: 'Pick one' };

const ACCEPTED: Array<[string, Record<string, unknown>]> = [
  ['text with preview_url', { ...base, type: 'text', text: { body: 'See https://example.com', preview_url: true } }],
  ['text without type (defaults to text)', { messaging_product: 'whatsapp', to: RU, text: { body: 'hi' } }],
  ['text of exactly 4096 characters', { ...base, type: 'text', text: { body: 'x'.repeat(4096) } }],
  ['image by id with caption', { ...base, type: 'image', image: { id: '1001', caption: 'c'.repeat(1024) } }],
  ['image by link', { ...base, type: 'image', image: { link: 'https://example.com/a.jpg' } }],
  ['video by id', { ...base, type: 'video', video: { id: '1002', caption: 'clip' } }],
  ['audio by id as voice', { ...base, type: 'audio', audio: { id: '1003', voice: true } }],
  ['document with filename', { ...base, type: 'document', document: { id: '1004', filename: 'invoice.pdf', caption: 'Invoice' } }],
  ['document by link', { ...base, type: 'document', document: { link: 'http://example.com/x.pdf' } }],
  ['sticker by id', { ...base, type: 'sticker', sticker: { id: '1005' } }],
  ['location', { ...base, type: 'location', location: { latitude: 55.75, longitude: '37.61', name: 'Office', address: 'Moscow' } }],
  ['contacts', { ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'Ann Lee', first_name: 'Ann' }, phones: [{ phone: '+15550001', type: 'WORK', wa_id: '15550001' }], emails: [{ email: 'a@b.co' }], org: { company: 'X' }, birthday: '1990-01-31' }] }],
  ['reaction', { ...base, type: 'reaction', reaction: { message_id: 'wamid.INBOUND1', emoji: '👍' } }],
  ['reaction removal', { ...base, type: 'reaction', reaction: { message_id: 'wamid.INBOUND1', emoji: '' } }],
  ['reaction with a flag emoji', { ...base, type: 'reaction', reaction: { message_id: 'wamid.INBOUND1', emoji: '🇧🇷' } }],
  ['reply buttons with image header', { ...base, type: 'interactive', interactive: { type: 'button', header: { type: 'image', image: { id: '1001' } }, body, footer: { text: 'f' }, action: { buttons: [1, 2, 3].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `Option ${i}` } })) } } }],
  ['list', { ...base, type: 'interactive', interactive: { type: 'list', header: { type: 'text', text: 'Menu' }, body: { text: 'b'.repeat(4096) }, action: { button: 'Choose', sections: [{ title: 'A', rows: [{ id: 'r1', title: 'One', description: 'd'.repeat(72) }] }, { title: 'B', rows: Array.from({ length: 9 }, (_, i) => ({ id: `s${i}`, title: `Row ${i}` })) }] } } }],
  ['cta_url', { ...base, type: 'interactive', interactive: { type: 'cta_url', body, action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com' } } } }],
  ['product', { ...base, type: 'interactive', interactive: { type: 'product', action: { catalog_id: 'c1', product_retailer_id: 'p1' } } }],
  ['product_list', { ...base, type: 'interactive', interactive: { type: 'product_list', header: { type: 'text', text: 'Shop' }, body, action: { catalog_id: 'c1', sections: [{ title: 'All', product_items: [{ product_retailer_id: 'p1' }, { product_retailer_id: 'p2' }] }] } } }],
  ['catalog_message', { ...base, type: 'interactive', interactive: { type: 'catalog_message', body, action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'p1' } } } }],
  ['flow', { ...base, type: 'interactive', interactive: { type: 'flow', header: { type: 'text', text: 'Sign up' }, body, action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '12345', flow_cta: 'Start', mode: 'published', flow_token: 'tok', flow_action: 'navigate', flow_action_payload: { screen: 'WELCOME', data: { a: 1 } } } } } }],
  ['location request', { ...base, type: 'interactive', interactive: { type: 'location_request_message', body, action: { name: 'send_location' } } }],
  ['reply with context and callback data', { ...base, type: 'text', context: { message_id: 'wamid.INBOUND1' }, biz_opaque_callback_data: 'o'.repeat(512), text: { body: 'reply' } }],
  ['reply to an unknown context id (ignored, like Meta)', { ...base, type: 'text', context: { message_id: 'wamid.UNKNOWN' }, text: { body: 'reply' } }],
];

describe('send types', () => {
  it.each(ACCEPTED)('accepts %s', async (_name, request) => {
    const res = await h.send(request);
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer.messaging_product).toBe('whatsapp');
    expect(answer.contacts).toEqual([{ input: RU, wa_id: RU }]);
    expect(answer.messages[0].id).toMatch(/^wamid\./);
    expect(answer.messages[0].message_status).toBe('accepted');
    const stored = storedOf(h, res);
    expect(stored.phoneNumberId).toBe(PHONE_ID);
    expect(stored.type).toBe((request.type as string | undefined) ?? 'text');
    expect(stored.failure).toBeUndefined();
    expect(stored.category).toBe('service');
    expect(stored.pricingType).toBe('free_customer_service');
  });

  it('stores biz_opaque_callback_data', async () => {
    const res = await h.send({ ...text(RU), biz_opaque_callback_data: 'order-42' });
    expect(storedOf(h, res).bizOpaqueCallbackData).toBe('order-42');
  });

  it('echoes the input and answers the wa_id for a formatted number', async () => {
    const res = await h.send(text('+7 (916) 123-45-67'));
    expect(res.statusCode).toBe(200);
    expect(res.json().contacts).toEqual([{ input: '+7 (916) 123-45-67', wa_id: RU }]);
  });

  it('accepts templates: without parameters and with positional parameters', async () => {
    const plain = await h.send(template(RU, 'hello_world'));
    expect(plain.statusCode, plain.body).toBe(200);
    const withParams = await h.send(template(RU, 'order_update', 'ru', [
      { type: 'body', parameters: [{ type: 'text', text: 'Иван' }, { type: 'text', text: '№1' }] },
    ]));
    expect(withParams.statusCode, withParams.body).toBe(200);
    const stored = storedOf(h, withParams);
    expect(stored.templateId).toBe([...h.ctx.state.templates.values()].find((t) => t.name === 'order_update' && t.language === 'ru')!.id);
    expect(stored.category).toBe('utility');
  });

  it('accepts a named template with a media header, currency, and url and quick-reply buttons', async () => {
    h.addTemplate({
      name: 'promo', category: 'MARKETING', parameterFormat: 'NAMED',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hi {{first_name}}, {{item}} costs {{price}}.' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Buy', url: 'https://shop.example/{{1}}' }, { type: 'QUICK_REPLY', text: 'Stop' }] },
      ],
    });
    const res = await h.send(template(RU, 'promo', 'en_US', [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/p.png' } }] },
      { type: 'body', parameters: [
        { type: 'text', parameter_name: 'item', text: 'Tea' },
        { type: 'text', parameter_name: 'first_name', text: 'Ivan' },
        { type: 'currency', parameter_name: 'price', currency: { fallback_value: '$5', code: 'USD', amount_1000: 5000 } },
      ] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'tea' }] },
      { type: 'button', sub_type: 'quick_reply', index: 1, parameters: [{ type: 'payload', payload: 'STOP' }] },
    ]));
    expect(res.statusCode, res.body).toBe(200);
    expect(storedOf(h, res).category).toBe('marketing');
  });

  it('accepts an authentication template with its OTP button parameter', async () => {
    h.addTemplate({
      name: 'otp', category: 'AUTHENTICATION',
      components: [
        { type: 'BODY', text: '{{1}} is your verification code.' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Copy code', url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}' }] },
      ],
    });
    const res = await h.send(template(RU, 'otp', 'en_US', [
      { type: 'body', parameters: [{ type: 'text', text: '123456' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] },
    ]));
    expect(res.statusCode, res.body).toBe(200);
    expect(storedOf(h, res).category).toBe('authentication');
  });

  it('makes an unknown but valid number a new customer with the default persona', async () => {
    const res = await h.send(template('2348031234567', 'hello_world'));
    expect(res.statusCode, res.body).toBe(200);
    const customer = h.ctx.state.customers.get('2348031234567');
    expect(customer?.persona).toBe(h.ctx.state.options.defaultPersona);
  });

  it('does not keep a new customer when the send is refused', async () => {
    const res = await h.send(template('2348031234568', 'no_such_template'));
    expect(errorOf(res).code).toBe(132001);
    expect(h.ctx.state.customers.has('2348031234568')).toBe(false);
  });
});
