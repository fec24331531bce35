// Mark-as-read (with the typing indicator) on the messages endpoint.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, errorOf, HOUR, RU, startSandbox, UK, type Harness } from './send-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startSandbox();
  h.addInbound('wamid.EARLIER', RU, 2 * HOUR);
  h.addInbound('wamid.LATEST', RU, HOUR);
  h.addInbound('wamid.LATER', RU, HOUR / 2);
  h.addInbound('wamid.OTHER', UK, HOUR);
  h.addInbound('wamid.OLD', RU, 30 * DAY + 1000);
});
afterEach(() => h.close());

const read = (messageId: string, extra: Record<string, unknown> = {}) => ({ messaging_product: 'whatsapp', status: 'read', message_id: messageId, ...extra });
const inbound = (id: string) => h.ctx.state.inbound.get(id)!;

describe('mark as read', () => {
  it('answers {success:true} and marks that message and the customer\'s earlier ones read', async () => {
    const res = await h.send(read('wamid.LATEST'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true });
    expect(inbound('wamid.LATEST').readByBusiness).toBe(true);
    expect(inbound('wamid.EARLIER').readByBusiness).toBe(true);
    expect(inbound('wamid.LATER').readByBusiness).toBe(false);
    expect(inbound('wamid.OTHER').readByBusiness).toBe(false);
    expect(h.ctx.state.outbound.size).toBe(0);
  });

  it('accepts a typing indicator', async () => {
    const res = await h.send(read('wamid.LATER', { typing_indicator: { type: 'text' } }));
    expect(res.json()).toEqual({ success: true });
  });

  it.each([
    ['an unknown message', read('wamid.NOPE'), 100],
    ['a message older than 30 days', read('wamid.OLD'), 131009],
    ['a status other than read', read('wamid.LATEST', { status: 'delivered' }), 100],
    ['a missing message_id', { messaging_product: 'whatsapp', status: 'read' }, 131008],
    ['an unknown key', read('wamid.LATEST', { to: RU }), 100],
    ['a bad typing indicator', read('wamid.LATEST', { typing_indicator: { type: 'audio' } }), 100],
    ['a wrong messaging_product', read('wamid.LATEST', { messaging_product: 'sms' }), 100],
  ])('refuses %s', async (_name, request, code) => {
    expect(errorOf(await h.send(request)).code).toBe(code);
  });

  it('refuses a message received by another business number', async () => {
    inbound('wamid.LATEST').phoneNumberId = '600000000000999';
    expect(errorOf(await h.send(read('wamid.LATEST'))).code).toBe(100);
  });
});
