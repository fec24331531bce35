// Every documented limit of a send is refused with its code (100 shape, 131008 missing, 131009
// invalid value, 131053 unusable media, 131021 self, 131051 unsupported interactive type), and
// the refusal stores nothing.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, errorOf, HOUR, RU, startSandbox, type Harness } from './send-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startSandbox();
  h.lastInbound(RU, HOUR);
  h.addMedia('1001', 'image/jpeg');
  h.addMedia('1005', 'image/webp');
  h.addMedia('1006', 'image/png');
  h.ctx.state.media.get('1006')!.deleted = true;
  h.addInbound('wamid.RECENT', RU, HOUR);
  h.addInbound('wamid.OLD', RU, 31 * DAY);
  h.addInbound('wamid.REACTION', RU, HOUR, 'reaction');
  h.addInbound('wamid.OTHER', '447911123456', HOUR);
});
afterEach(() => h.close());

const base = { messaging_product: 'whatsapp', to: RU };
const t = (body: unknown) => ({ ...base, type: 'text', text: body });
const ia = (interactive: Record<string, unknown>) => ({ ...base, type: 'interactive', interactive });
const body = { text: 'Body' };
const btn = (id: string, title: string) => ({ type: 'reply', reply: { id, title } });
const rows = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }));
const list = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ia({ type: 'list', body, action: { button: 'Pick', ...action }, ...extra });
const flow = (parameters: Record<string, unknown>) => ia({ type: 'flow', body, action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '1', flow_cta: 'Go', ...parameters } } });
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ product_retailer_id: `p${i}` }));

const REFUSED: Array<[string, unknown, number]> = [
  // envelope
  ['messaging_product missing', { to: RU, type: 'text', text: { body: 'x' } }, 100],
  ['messaging_product not whatsapp', { ...base, messaging_product: 'sms', text: { body: 'x' } }, 100],
  ['unknown top-level key', { ...base, type: 'text', text: { body: 'x' }, colour: 'red' }, 100],
  ['another type\'s object', { ...base, type: 'text', text: { body: 'x' }, image: { id: '1001' } }, 100],
  ['unknown type', { ...base, type: 'hologram', hologram: {} }, 100],
  ['to missing', { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }, 131008],
  ['to not a phone number', { ...base, to: 'abc123', type: 'text', text: { body: 'x' } }, 100],
  ['to the business\'s own number', { ...base, to: '+1 555-000-1111', type: 'text', text: { body: 'x' } }, 131021],
  ['recipient_type group', { ...base, recipient_type: 'group', type: 'text', text: { body: 'x' } }, 100],
  ['biz_opaque_callback_data over 512', { ...t({ body: 'x' }), biz_opaque_callback_data: 'o'.repeat(513) }, 131009],
  ['context without message_id', { ...t({ body: 'x' }), context: {} }, 131008],
  ['context with unknown key', { ...t({ body: 'x' }), context: { message_id: 'wamid.RECENT', from: RU } }, 100],
  // text
  ['text object missing', { ...base, type: 'text' }, 131008],
  ['text body missing', t({}), 131008],
  ['text body over 4096', t({ body: 'x'.repeat(4097) }), 131009],
  ['text body not a string', t({ body: 42 }), 100],
  ['text unknown key', t({ body: 'x', bold: true }), 100],
  ['preview_url not a boolean', t({ body: 'x', preview_url: 'yes' }), 100],
  // media
  ['image without id or link', { ...base, type: 'image', image: {} }, 131008],
  ['image with id and link', { ...base, type: 'image', image: { id: '1001', link: 'https://e.com/a.jpg' } }, 131009],
  ['image link not http(s)', { ...base, type: 'image', image: { link: 'ftp://e.com/a.jpg' } }, 131009],
  ['image caption over 1024', { ...base, type: 'image', image: { id: '1001', caption: 'c'.repeat(1025) } }, 131009],
  ['caption on audio', { ...base, type: 'audio', audio: { link: 'https://e.com/a.ogg', caption: 'no' } }, 100],
  ['caption on sticker', { ...base, type: 'sticker', sticker: { id: '1005', caption: 'no' } }, 100],
  ['filename on image', { ...base, type: 'image', image: { id: '1001', filename: 'a.jpg' } }, 100],
  ['unknown media id', { ...base, type: 'image', image: { id: '999999' } }, 131053],
  ['deleted media id', { ...base, type: 'image', image: { id: '1006' } }, 131053],
  ['media id of the wrong kind (jpeg as sticker)', { ...base, type: 'sticker', sticker: { id: '1001' } }, 131053],
  // location and contacts
  ['location without latitude', { ...base, type: 'location', location: { longitude: 1 } }, 131008],
  ['latitude out of range', { ...base, type: 'location', location: { latitude: 91, longitude: 1 } }, 131009],
  ['contacts empty', { ...base, type: 'contacts', contacts: [] }, 131009],
  ['contacts over 257', { ...base, type: 'contacts', contacts: Array.from({ length: 258 }, () => ({ name: { formatted_name: 'A', first_name: 'A' } })) }, 131009],
  ['contact without formatted_name', { ...base, type: 'contacts', contacts: [{ name: { first_name: 'A' } }] }, 131008],
  ['contact with only formatted_name', { ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'A' } }] }, 131008],
  ['contact bad birthday', { ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'A', first_name: 'A' }, birthday: '31/01/1990' }] }, 131009],
  // reaction
  ['reaction to an unknown message', { ...base, type: 'reaction', reaction: { message_id: 'wamid.NOPE', emoji: '👍' } }, 100],
  ['reaction to a message older than 30 days', { ...base, type: 'reaction', reaction: { message_id: 'wamid.OLD', emoji: '👍' } }, 131009],
  ['reaction to a reaction', { ...base, type: 'reaction', reaction: { message_id: 'wamid.REACTION', emoji: '👍' } }, 131009],
  ['reaction to another customer\'s message', { ...base, type: 'reaction', reaction: { message_id: 'wamid.OTHER', emoji: '👍' } }, 131009],
  ['reaction with two emojis', { ...base, type: 'reaction', reaction: { message_id: 'wamid.RECENT', emoji: '👍👍' } }, 131009],
  ['reaction with a letter', { ...base, type: 'reaction', reaction: { message_id: 'wamid.RECENT', emoji: 'a' } }, 131009],
  ['reaction without emoji', { ...base, type: 'reaction', reaction: { message_id: 'wamid.RECENT' } }, 131008],
  // reply buttons
  ['no buttons', ia({ type: 'button', body, action: { buttons: [] } }), 131009],
  ['four buttons', ia({ type: 'button', body, action: { buttons: [1, 2, 3, 4].map((i) => btn(`b${i}`, `T${i}`)) } }), 131009],
  ['button title over 20', ia({ type: 'button', body, action: { buttons: [btn('a', 't'.repeat(21))] } }), 131009],
  ['empty button title', ia({ type: 'button', body, action: { buttons: [btn('a', '')] } }), 131008],
  ['duplicate button titles', ia({ type: 'button', body, action: { buttons: [btn('a', 'Same'), btn('b', 'Same')] } }), 131009],
  ['button id over 256', ia({ type: 'button', body, action: { buttons: [btn('i'.repeat(257), 'T')] } }), 131009],
  ['button id with a trailing space', ia({ type: 'button', body, action: { buttons: [btn('id ', 'T')] } }), 131009],
  ['button body missing', ia({ type: 'button', action: { buttons: [btn('a', 'A')] } }), 131008],
  ['button body over 1024', ia({ type: 'button', body: { text: 'b'.repeat(1025) }, action: { buttons: [btn('a', 'A')] } }), 131009],
  ['header text over 60', ia({ type: 'button', header: { type: 'text', text: 'h'.repeat(61) }, body, action: { buttons: [btn('a', 'A')] } }), 131009],
  ['footer over 60', ia({ type: 'button', footer: { text: 'f'.repeat(61) }, body, action: { buttons: [btn('a', 'A')] } }), 131009],
  ['unknown interactive type', ia({ type: 'hologram', body, action: {} }), 100],
  ['interactive type not emulated', ia({ type: 'order_details', body, action: {} }), 131051],
  // list
  ['list button over 20', list({ button: 'b'.repeat(21), sections: [{ rows: rows(1) }] }), 131009],
  ['list without sections', list({ sections: [] }), 131009],
  ['list with 11 sections', list({ sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows(1, `s${i}-`) })) }), 131009],
  ['list with 11 rows in total', list({ sections: [{ title: 'A', rows: rows(6, 'a') }, { title: 'B', rows: rows(5, 'b') }] }), 131009],
  ['list row id over 200', list({ sections: [{ rows: [{ id: 'i'.repeat(201), title: 'T' }] }] }), 131009],
  ['list duplicate row ids', list({ sections: [{ title: 'A', rows: [{ id: 'x', title: 'T' }] }, { title: 'B', rows: [{ id: 'x', title: 'U' }] }] }), 131009],
  ['list row title over 24', list({ sections: [{ rows: [{ id: 'x', title: 't'.repeat(25) }] }] }), 131009],
  ['list row description over 72', list({ sections: [{ rows: [{ id: 'x', title: 'T', description: 'd'.repeat(73) }] }] }), 131009],
  ['list section title over 24', list({ sections: [{ title: 's'.repeat(25), rows: rows(1) }] }), 131009],
  ['list of two sections without titles', list({ sections: [{ rows: rows(1, 'a') }, { rows: rows(1, 'b') }] }), 131008],
  ['list body over 4096', list({ sections: [{ rows: rows(1) }] }, { body: { text: 'b'.repeat(4097) } }), 131009],
  ['list with image header', list({ sections: [{ rows: rows(1) }] }, { header: { type: 'image', image: { id: '1001' } } }), 131009],
  // cta_url, product, product_list, flow
  ['cta display_text over 20', ia({ type: 'cta_url', body, action: { name: 'cta_url', parameters: { display_text: 'd'.repeat(21), url: 'https://e.com' } } }), 131009],
  ['cta url not http(s)', ia({ type: 'cta_url', body, action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'javascript:alert(1)' } } }), 131009],
  ['cta url missing', ia({ type: 'cta_url', body, action: { name: 'cta_url', parameters: { display_text: 'Go' } } }), 131008],
  ['product with a header', ia({ type: 'product', header: { type: 'text', text: 'H' }, action: { catalog_id: 'c', product_retailer_id: 'p' } }), 131009],
  ['product without catalog_id', ia({ type: 'product', action: { product_retailer_id: 'p' } }), 131008],
  ['product_list without header', ia({ type: 'product_list', body, action: { catalog_id: 'c', sections: [{ title: 'A', product_items: items(1) }] } }), 131008],
  ['product_list with 11 sections', ia({ type: 'product_list', header: { type: 'text', text: 'H' }, body, action: { catalog_id: 'c', sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, product_items: items(1) })) } }), 131009],
  ['product_list with 31 products', ia({ type: 'product_list', header: { type: 'text', text: 'H' }, body, action: { catalog_id: 'c', sections: [{ title: 'A', product_items: items(16) }, { title: 'B', product_items: items(15) }] } }), 131009],
  ['flow version not 3', flow({ flow_message_version: '2' }), 131009],
  ['flow without id or name', flow({ flow_id: undefined }), 131008],
  ['flow with both id and name', flow({ flow_name: 'signup' }), 131009],
  ['flow with a bad mode', flow({ mode: 'test' }), 100],
  ['flow with a bad action', flow({ flow_action: 'jump' }), 100],
  ['flow cta over 30', flow({ flow_cta: 'c'.repeat(31) }), 131009],
  // template envelope
  ['template name missing', { ...base, type: 'template', template: { language: { code: 'en_US' } } }, 131008],
  ['template language missing', { ...base, type: 'template', template: { name: 'hello_world' } }, 131008],
  ['template component type unknown', { ...base, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' }, components: [{ type: 'footer' }] } }, 100],
  ['template button without index', { ...base, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' }, components: [{ type: 'button', sub_type: 'url', parameters: [] }] } }, 131008],
  ['template text parameter with a new line', { ...base, type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'a\nb' }, { type: 'text', text: 'c' }] }] } }, 100],
];

describe('send limits', () => {
  it.each(REFUSED)('refuses %s', async (_name, request, code) => {
    const before = h.ctx.state.outbound.size;
    const res = await h.send(JSON.parse(JSON.stringify(request)));
    expect(errorOf(res).code, res.body).toBe(code);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.error_data.details.length).toBeGreaterThan(0);
    expect(h.ctx.state.outbound.size).toBe(before);
  });

  it('refuses a non-object body and an unknown or foreign phone number id', async () => {
    expect(errorOf(await h.send([1, 2])).code).toBe(100);
    const unknown = await h.send({ ...base, type: 'text', text: { body: 'x' } }, '123456789');
    expect(errorOf(unknown).code).toBe(100);
    h.ctx.state.phoneNumbers.get('600000000000001')!.deleted = true;
    expect(errorOf(await h.send({ ...base, type: 'text', text: { body: 'x' } })).code).toBe(100);
  });

  it('refuses a token without access to the number\'s WABA', async () => {
    h.ctx.state.tokens.set('other-token', { token: 'other-token', appId: '900000000000001', wabaIds: ['7999'] });
    const res = await h.app.inject({
      method: 'POST', url: '/v23.0/600000000000001/messages',
      headers: { authorization: 'Bearer other-token' }, payload: { ...base, type: 'text', text: { body: 'x' } },
    });
    expect(errorOf(res).code).toBe(200);
  });
});
