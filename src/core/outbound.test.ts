import { describe, expect, it } from 'vitest';
import type { SendMessageRequest } from '../cloudapi/wire.js';
import type { OutboundContent } from './message-content.js';
import { toSendMessageRequest, wireTypeOf } from './outbound.js';

const BASE = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '79161234567', biz_opaque_callback_data: 'msg_1' };

function send(content: OutboundContent, replyToWamid?: string): SendMessageRequest {
  return toSendMessageRequest({ id: 'msg_1', to: '79161234567', content, ...(replyToWamid ? { replyToWamid } : {}) });
}

describe('toSendMessageRequest', () => {
  it.each<[string, OutboundContent, Partial<SendMessageRequest>]>([
    ['text', { type: 'text', body: 'Hi' }, { type: 'text', text: { body: 'Hi' } }],
    ['text with preview', { type: 'text', body: 'https://x.io', previewUrl: true }, { type: 'text', text: { body: 'https://x.io', preview_url: true } }],
    ['image by media id', { type: 'image', mediaId: '123', caption: 'Look' }, { type: 'image', image: { id: '123', caption: 'Look' } }],
    ['video by link', { type: 'video', link: 'https://cdn.x/v.mp4' }, { type: 'video', video: { link: 'https://cdn.x/v.mp4' } }],
    ['voice audio', { type: 'audio', mediaId: '9', voice: true }, { type: 'audio', audio: { id: '9', voice: true } }],
    ['document', { type: 'document', mediaId: '5', filename: 'a.pdf', caption: 'Invoice' }, { type: 'document', document: { id: '5', caption: 'Invoice', filename: 'a.pdf' } }],
    ['sticker', { type: 'sticker', mediaId: '7' }, { type: 'sticker', sticker: { id: '7' } }],
    ['location', { type: 'location', latitude: 55.75, longitude: 37.61, name: 'Office' }, { type: 'location', location: { latitude: 55.75, longitude: 37.61, name: 'Office' } }],
    ['reaction', { type: 'reaction', messageWamid: 'wamid.A', emoji: '👍' }, { type: 'reaction', reaction: { message_id: 'wamid.A', emoji: '👍' } }],
    ['reaction removal', { type: 'reaction', messageWamid: 'wamid.A', emoji: '' }, { type: 'reaction', reaction: { message_id: 'wamid.A', emoji: '' } }],
    ['contacts', {
      type: 'contacts',
      contacts: [{ name: { formattedName: 'Ann Lee', firstName: 'Ann' }, phones: [{ phone: '+1 650 555 1234', type: 'CELL', waId: '16505551234' }], addresses: [{ city: 'Menlo Park', countryCode: 'US' }] }],
    }, {
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Ann Lee', first_name: 'Ann' }, phones: [{ phone: '+1 650 555 1234', type: 'CELL', wa_id: '16505551234' }], addresses: [{ city: 'Menlo Park', country_code: 'US' }] }],
    }],
    ['reply buttons', {
      type: 'buttons', body: 'Pick one', header: { type: 'text', text: 'Hi' }, footer: 'ftr',
      buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }],
    }, {
      type: 'interactive',
      interactive: {
        type: 'button', header: { type: 'text', text: 'Hi' }, body: { text: 'Pick one' }, footer: { text: 'ftr' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
      },
    }],
    ['buttons with image header', { type: 'buttons', body: 'B', header: { type: 'image', mediaId: 'm1' }, buttons: [{ id: 'a', title: 'A' }] }, {
      type: 'interactive',
      interactive: { type: 'button', header: { type: 'image', image: { id: 'm1' } }, body: { text: 'B' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] } },
    }],
    ['list', {
      type: 'list', body: 'Menu', buttonText: 'Open',
      sections: [{ title: 'Food', rows: [{ id: 'r1', title: 'Soup', description: 'Hot' }, { id: 'r2', title: 'Tea' }] }],
    }, {
      type: 'interactive',
      interactive: {
        type: 'list', body: { text: 'Menu' },
        action: { button: 'Open', sections: [{ title: 'Food', rows: [{ id: 'r1', title: 'Soup', description: 'Hot' }, { id: 'r2', title: 'Tea' }] }] },
      },
    }],
    ['cta url', { type: 'cta_url', body: 'See', displayText: 'Open site', url: 'https://x.io' }, {
      type: 'interactive',
      interactive: { type: 'cta_url', body: { text: 'See' }, action: { name: 'cta_url', parameters: { display_text: 'Open site', url: 'https://x.io' } } },
    }],
    ['template without parameters', { type: 'template', name: 'hello_world', language: 'en_US' }, {
      type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } },
    }],
    ['template, positional, media header, buttons', {
      type: 'template', name: 'order', language: 'en',
      header: [{ type: 'image', link: 'https://x.io/a.png' }],
      body: [{ type: 'text', text: 'Ann' }, { type: 'currency', fallback: '$10', code: 'USD', amount1000: 10000 }, { type: 'date_time', fallback: 'May 1' }],
      buttons: [{ index: 0, subType: 'quick_reply', payload: 'STOP' }, { index: 1, subType: 'url', text: 'abc' }, { index: 2, subType: 'copy_code', couponCode: 'SALE' }],
    }, {
      type: 'template',
      template: {
        name: 'order', language: { code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.io/a.png' } }] },
          { type: 'body', parameters: [
            { type: 'text', text: 'Ann' },
            { type: 'currency', currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 } },
            { type: 'date_time', date_time: { fallback_value: 'May 1' } },
          ] },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'STOP' }] },
          { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'abc' }] },
          { type: 'button', sub_type: 'copy_code', index: '2', parameters: [{ type: 'coupon_code', coupon_code: 'SALE' }] },
        ],
      },
    }],
    ['template, named', {
      type: 'template', name: 'welcome', language: 'ru',
      header: [{ type: 'text', text: 'Ann', paramName: 'name' }],
      body: [{ type: 'text', text: '42', paramName: 'order_id' }],
    }, {
      type: 'template',
      template: {
        name: 'welcome', language: { code: 'ru' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'Ann', parameter_name: 'name' }] },
          { type: 'body', parameters: [{ type: 'text', text: '42', parameter_name: 'order_id' }] },
        ],
      },
    }],
    ['template location header and document', {
      type: 'template', name: 't', language: 'en',
      header: [{ type: 'location', latitude: 1, longitude: 2, name: 'Shop' }],
      body: [{ type: 'document', mediaId: 'd1', filename: 'x.pdf' }],
    }, {
      type: 'template',
      template: {
        name: 't', language: { code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'location', location: { latitude: 1, longitude: 2, name: 'Shop' } }] },
          { type: 'body', parameters: [{ type: 'document', document: { id: 'd1', filename: 'x.pdf' } }] },
        ],
      },
    }],
  ])('%s', (_label, content, expected) => {
    expect(send(content)).toEqual({ ...BASE, ...expected });
  });

  it('a quoted reply sets context.message_id', () => {
    expect(send({ type: 'text', body: 'Yes' }, 'wamid.Q').context).toEqual({ message_id: 'wamid.Q' });
  });

  it('a reaction never carries context', () => {
    expect(send({ type: 'reaction', messageWamid: 'wamid.A', emoji: '👍' }, 'wamid.Q').context).toBeUndefined();
  });

  it('always carries our message id for reconciliation', () => {
    const req = toSendMessageRequest({ id: '01HZX', to: '+16505551234', content: { type: 'text', body: 'x' } });
    expect(req.biz_opaque_callback_data).toBe('01HZX');
    expect(req.to).toBe('+16505551234');
  });

  it.each([
    ['buttons', 'interactive'], ['list', 'interactive'], ['cta_url', 'interactive'], ['text', 'text'], ['template', 'template'],
  ] as const)('wireTypeOf(%s) = %s', (type, wire) => {
    expect(wireTypeOf({ type } as OutboundContent)).toBe(wire);
  });
});
