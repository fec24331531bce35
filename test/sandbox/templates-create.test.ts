// Template creation over the Graph surface: Meta's synchronous errors and limits, review after the
// configured delay with its webhooks, re-categorisation, and authentication templates approved at once.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMgmt, WABA_ID, type Mgmt } from './mgmt-harness.js';

const REVIEW_MS = 60_000;
let h: Mgmt;

beforeEach(async () => { h = await startMgmt({ options: { templateReviewDelayMs: REVIEW_MS } }); });
afterEach(async () => { await h.close(); });

function template(name: string, text = 'Hello {{1}}, your order is ready for pickup at our store today.', extra: Record<string, unknown> = {}) {
  return {
    name, language: 'en_US', category: 'utility',
    components: [{ type: 'BODY', text, example: { body_text: [['Ann']] } }],
    ...extra,
  };
}

const create = (body: unknown) => h.call('POST', `/${WABA_ID}/message_templates`, body);

describe('POST /{waba-id}/message_templates', () => {
  it('answers {id, status: PENDING, category} and approves after the review delay with a webhook', async () => {
    const res = await create(template('order_ready'));
    expect(res.statusCode).toBe(200);
    const { id, status, category } = res.json();
    expect(id).toMatch(/^\d{15,16}$/);
    expect([status, category]).toEqual(['PENDING', 'UTILITY']);
    h.clock.advance(REVIEW_MS - 1);
    expect(h.ctx.state.templates.get(id)?.status).toBe('PENDING');
    h.clock.advance(1);
    expect(h.ctx.state.templates.get(id)?.status).toBe('APPROVED');
    expect(await h.webhookValues('message_template_status_update')).toEqual([{
      event: 'APPROVED', message_template_id: Number(id), message_template_name: 'order_ready',
      message_template_language: 'en_US', reason: 'NONE', message_template_category: 'UTILITY',
    }]);
  });

  it('rejects at review with INVALID_FORMAT and rejection_info (adjacent variables)', async () => {
    const res = await create({ ...template('order_two'), components: [{ type: 'BODY', text: 'Hello {{1}}{{2}}, your order is ready for pickup at our store today.', example: { body_text: [['Ann', 'Lee']] } }] });
    expect(res.statusCode).toBe(200);
    h.clock.advance(REVIEW_MS);
    const t = h.ctx.state.templates.get(res.json().id)!;
    expect([t.status, t.rejectedReason]).toEqual(['REJECTED', 'INVALID_FORMAT']);
    const [event] = await h.webhookValues('message_template_status_update');
    expect(event).toMatchObject({ event: 'REJECTED', reason: 'INVALID_FORMAT', rejection_info: { reason: expect.stringContaining('next to each other'), recommendation: expect.any(String) } });
  });

  it('approves promotional UTILITY as MARKETING with previous_category and a template_category_update', async () => {
    const res = await create(template('weekend_sale', 'Hello {{1}}, enjoy 20% off all shoes in our store this weekend only.'));
    h.clock.advance(REVIEW_MS);
    const got = await h.call('GET', `/${res.json().id}`);
    expect(got.json()).toMatchObject({ status: 'APPROVED', category: 'MARKETING', previous_category: 'UTILITY' });
    expect(await h.webhookValues('template_category_update')).toEqual([expect.objectContaining({ previous_category: 'UTILITY', new_category: 'MARKETING', message_template_name: 'weekend_sale' })]);
    const [status] = await h.webhookValues('message_template_status_update');
    expect(status).toMatchObject({ event: 'APPROVED', message_template_category: 'MARKETING' });
  });

  it('approves an authentication OTP template at once and stores Meta\'s preset components', async () => {
    const res = await create({
      name: 'login_code', language: 'en_US', category: 'AUTHENTICATION',
      components: [{ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 10 }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }],
    });
    expect(res.json()).toMatchObject({ status: 'APPROVED', category: 'AUTHENTICATION' });
    const got = (await h.call('GET', `/${res.json().id}?fields=components,status`)).json();
    expect(got.components[0].text).toBe('*{{1}}* is your verification code. For your security, do not share this code.');
    expect(got.components[2].buttons[0]).toMatchObject({ type: 'URL', text: 'Copy code' });
    const send = await h.call('POST', '/600000000000001/messages', {
      messaging_product: 'whatsapp', to: '447911123456', type: 'template',
      template: { name: 'login_code', language: { code: 'en_US' }, components: [
        { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
      ] },
    });
    expect(send.statusCode).toBe(200);
  });

  it('sends an approved template through the send path, and refuses it while pending (132001)', async () => {
    const id = (await create(template('pickup_notice'))).json().id;
    const send = () => h.app.inject({
      method: 'POST', url: `/v23.0/600000000000001/messages`,
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      payload: JSON.stringify({ messaging_product: 'whatsapp', to: '447911123456', type: 'template', template: { name: 'pickup_notice', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Olivia' }] }] } }),
    });
    expect((await send()).json().error.code).toBe(132001);
    h.clock.advance(REVIEW_MS);
    expect(h.ctx.state.templates.get(id)?.status).toBe('APPROVED');
    const ok = await send();
    expect(ok.statusCode).toBe(200);
    expect(ok.json().messages[0].id).toMatch(/^wamid\./);
  });

  const syncErrors: Array<[string, Record<string, unknown>, number, number | undefined]> = [
    ['variable at the start', template('lead_var', '{{1}}, your order is ready for pickup at our store today.'), 100, 2388299],
    ['too many variables for the length', { ...template('ratio'), components: [{ type: 'BODY', text: 'Hi {{1}} and {{2}} or {{3}} now.', example: { body_text: [['a', 'b', 'c']] } }] }, 100, 2388293],
    ['body over 1024 characters', template('long_body', 'Your order is ready. ' + 'x'.repeat(1010)), 100, 2388040],
    ['footer with a variable', { ...template('footer_var'), components: [template('x').components[0], { type: 'FOOTER', text: 'Ref {{1}}' }] }, 100, 2388073],
    ['upper-case name', template('Order_Ready'), 100, 2388046],
    ['unknown category', { ...template('bad_cat'), category: 'PROMO' }, 100, undefined],
    ['missing components', { name: 'no_components', language: 'en_US', category: 'UTILITY' }, 100, undefined],
    ['11 buttons', { ...template('many_buttons'), components: [template('x').components[0], { type: 'BUTTONS', buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `Option ${i}` })) }] }, 100, undefined],
  ];
  it.each(syncErrors)('%s → (#%i) subcode %s', async (_label, body, code, subcode) => {
    const res = await create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.error_subcode).toBe(subcode);
    expect(res.json().error.error_data.details).toBeTruthy();
  });

  it('refuses a second template with the same name and language (2388024) but accepts another language', async () => {
    expect((await create(template('order_ready'))).statusCode).toBe(200);
    const dup = await create(template('order_ready'));
    expect(dup.json().error).toMatchObject({ code: 100, error_subcode: 2388024 });
    const ru = await create({ ...template('order_ready', 'Здравствуйте, {{1}}! Ваш заказ готов к выдаче в нашем магазине сегодня.'), language: 'ru' });
    expect(ru.statusCode).toBe(200);
  });

  it('caps an unverified WABA at 250 templates (2388019) and creations at 100 per hour', async () => {
    const state = h.ctx.state;
    // 247 more templates next to the 3 seeded ones, made directly, then 1 over the cap through the API.
    const seeded = [...state.templates.values()][0]!;
    for (let i = 0; i < 247; i++) {
      const id = state.newId();
      state.templates.set(id, { ...seeded, id, name: `filler_${i}` });
    }
    const over = await create(template('one_too_many'));
    expect(over.json().error).toMatchObject({ code: 100, error_subcode: 2388019 });
    state.businesses.get('800000000000001')!.verified = true;
    const codes: number[] = [];
    for (let i = 0; i < 101; i++) {
      const res = await create(template(`bulk_${i}`, `Hello {{1}}, your order number ${i} is ready for pickup at our store today.`));
      codes.push(res.statusCode === 200 ? 0 : res.json().error.code);
    }
    expect(codes.slice(0, 100).every((c) => c === 0)).toBe(true);
    expect(codes[100]).toBe(80007);
    h.clock.advance(3600_000);
    expect((await create(template('next_hour'))).statusCode).toBe(200);
  });

  it('keeps a deleted approved name from being reused for 30 days (2388023)', async () => {
    const del = await h.call('DELETE', `/${WABA_ID}/message_templates?name=hello_world`);
    expect(del.json()).toEqual({ success: true });
    const again = await create(template('hello_world'));
    expect(again.json().error).toMatchObject({ code: 100, error_subcode: 2388023 });
    h.clock.advance(30 * 24 * 3600_000);
    expect((await create(template('hello_world'))).statusCode).toBe(200);
  });

  it('checks the token\'s access to the WABA and that the WABA exists', async () => {
    h.ctx.state.tokens.set('other-token', { token: 'other-token', appId: '900000000000001', wabaIds: ['799999999999999'] });
    const denied = await h.call('POST', `/${WABA_ID}/message_templates`, template('x_y'), 'other-token');
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 200]);
    const unknown = await h.call('POST', '/799999999999999/message_templates', template('x_y'));
    expect(unknown.json().error).toMatchObject({ code: 100, error_subcode: 33 });
    const noToken = await h.call('GET', `/${WABA_ID}/message_templates`, undefined, null);
    expect([noToken.statusCode, noToken.json().error.code]).toEqual([401, 190]);
  });

  it('answers malformed bodies with (#100), never a 500', async () => {
    for (const payload of ['{"name":', '[1,2]', '"text"']) {
      const res = await h.app.inject({ method: 'POST', url: `/v23.0/${WABA_ID}/message_templates`, headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' }, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe(100);
    }
    const badComponents = await create({ ...template('bad_components'), components: [{ type: 'BODY', text: 42 }] });
    expect(badComponents.json().error.code).toBe(100);
  });
});
