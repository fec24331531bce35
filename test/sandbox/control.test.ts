// The control API over real HTTP: seed/reset, options, clock, customers and personas, account
// state with the webhooks Meta would send, logs, template review, errors, and the phone page.

import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID, PHONE_ID, WABA_ID, openWindow, sendGraph, startWorld, type World } from './world-harness.js';

let world: World;
beforeEach(async () => { world = await startWorld(); });
afterEach(async () => { await world.close(); });

describe('errors', () => {
  it('answers {error:{code,message}} for unknown routes, bad JSON and bad bodies', async () => {
    const unknown = await world.call('GET', '/_sandbox/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_route');
    const res = await request(`${world.base}/_sandbox/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"waId":' });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as any).error.code).toBe('invalid_json');
    const bad = await world.call('POST', '/_sandbox/clock/advance', { ms: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('ms') });
  });
});

describe('seed and reset', () => {
  it('seeds more accounts on top, checking references', async () => {
    const spec = {
      businesses: [{ id: '800000000000002', name: 'Second', verified: true }],
      wabas: [{ id: '700000000000002', businessId: '800000000000002', subscribedApps: [APP_ID] }],
      phoneNumbers: [{ id: '600000000000002', wabaId: '700000000000002', displayPhoneNumber: '+1 555 000 2222'.replace(/\D/g, '') }],
      customers: [{ waId: '4915112345678', name: 'Lena', persona: 'slow' }],
    };
    const res = await world.call('POST', '/_sandbox/seed', spec);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, phoneNumbers: 2, wabas: 2 });
    expect(world.ctx.state.businesses.get('800000000000002')!.messagingLimit).toBe(2000);

    const dangling = await world.call('POST', '/_sandbox/seed', { phoneNumbers: [{ id: '600000000000009', wabaId: '7999', displayPhoneNumber: '15550009999' }] });
    expect(dangling.status).toBe(400);
    expect(dangling.body.error).toMatchObject({ code: 'unknown_reference', message: expect.stringContaining('7999') });
    const malformed = await world.call('POST', '/_sandbox/seed', { customers: [{ waId: 'abc' }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('customers');
    const persona = await world.call('POST', '/_sandbox/seed', { customers: [{ waId: '4915112345679', persona: 'ghost' }] });
    expect(persona.body.error.code).toBe('unknown_persona');
  });

  it('reset rebuilds the world: customers, messages and logs are gone', async () => {
    await world.call('POST', '/_sandbox/customers', { waId: '4915112345678' });
    await openWindow(world, '447911123456');
    const res = await world.call('POST', '/_sandbox/reset', {});
    expect(res.status).toBe(200);
    expect(world.ctx.state.customers.has('4915112345678')).toBe(false);
    expect(world.ctx.state.inbound.size).toBe(0);
    expect(world.ctx.state.webhookLog).toHaveLength(0);
    // Reset with a seed of its own.
    const custom = await world.call('POST', '/_sandbox/reset', { seed: { customers: [{ waId: '15550009876' }] } });
    expect(custom.body).toMatchObject({ ok: true, customers: 1, phoneNumbers: 0 });
    expect((await world.call('POST', '/_sandbox/reset')).status).toBe(200);
    expect(world.ctx.state.phoneNumbers.has(PHONE_ID)).toBe(true);
  });
});

describe('options and clock', () => {
  it('reads and patches options with type and range checks', async () => {
    expect((await world.call('GET', '/_sandbox/options')).body.throttleHttpStatus).toBe(400);
    const ok = await world.call('PATCH', '/_sandbox/options', { throttleHttpStatus: 429, chaosDuplicateRate: 0.5 });
    expect(ok.status).toBe(200);
    expect(world.ctx.state.options).toMatchObject({ throttleHttpStatus: 429, chaosDuplicateRate: 0.5 });
    expect((await world.call('PATCH', '/_sandbox/options', { throttleHttpStatus: 200 })).body.error.code).toBe('invalid_option');
    expect((await world.call('PATCH', '/_sandbox/options', { chaosReorder: 'yes' })).body.error.code).toBe('invalid_option');
    expect((await world.call('PATCH', '/_sandbox/options', { warpDrive: true })).body.error.code).toBe('unknown_option');
    expect((await world.call('PATCH', '/_sandbox/options', { seed: 7 })).body.error.code).toBe('read_only_option');
    expect(world.ctx.state.options.throttleHttpStatus).toBe(429);
  });

  it('advances the clock across a 24 h window', async () => {
    const before = (await world.call('GET', '/_sandbox/clock')).body;
    await openWindow(world, '447911123456');
    const after = await world.call('POST', '/_sandbox/clock/advance', { ms: 24 * 3600_000 + 1000 });
    expect(after.body.now - before.now).toBe(24 * 3600_000 + 1000);
    expect(after.body.iso).toBe(new Date(after.body.now).toISOString());
    const customer = (await world.call('GET', '/_sandbox/customers/447911123456')).body;
    expect(customer.windows[0]).toMatchObject({ phoneNumberId: PHONE_ID, open: false });
  });
});

describe('customers and personas', () => {
  it('lists, creates and edits customers', async () => {
    const list = await world.call('GET', '/_sandbox/customers');
    expect(list.body.data.map((c: any) => c.waId)).toContain('79161234567');
    const created = await world.call('POST', '/_sandbox/customers', { waId: '4915112345678', name: 'Lena', persona: 'annoyed' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ waId: '4915112345678', persona: 'annoyed', onWhatsApp: true, windows: [] });
    expect((await world.call('POST', '/_sandbox/customers', { waId: '4915112345678' })).body.error.code).toBe('customer_exists');
    expect((await world.call('POST', '/_sandbox/customers', { waId: '4915112345670', persona: 'ghost' })).status).toBe(404);
    const edited = await world.call('PATCH', '/_sandbox/customers/4915112345678', { persona: 'load' });
    expect(edited.body.persona).toBe('load');
  });

  it('reads the built-in personas and stores a custom one', async () => {
    const all = await world.call('GET', '/_sandbox/personas');
    expect(all.body.data.map((p: any) => p.name)).toEqual(expect.arrayContaining(['attentive', 'slow', 'silent', 'unreachable', 'annoyed', 'load']));
    const p = { reachable: 1, deliverMs: [0, 10], read: 0.5, readMs: [0, 10], reply: 0, replyMs: [0, 0], replies: [], block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 5 };
    expect((await world.call('PUT', '/_sandbox/personas/lazy', p)).status).toBe(200);
    expect((await world.call('GET', '/_sandbox/personas/lazy')).body.read).toBe(0.5);
    expect((await world.call('PUT', '/_sandbox/personas/lazy', { ...p, read: 2 })).status).toBe(400);
    expect((await world.call('PUT', '/_sandbox/personas/lazy', { ...p, deliverMs: [10, 0] })).body.error.code).toBe('invalid_range');
    expect((await world.call('GET', '/_sandbox/personas/nobody')).status).toBe(404);
  });
});

describe('account state', () => {
  it('a throughput upgrade emits phone_number_quality_update', async () => {
    const res = await world.call('PATCH', `/_sandbox/phone-numbers/${PHONE_ID}`, { throughputMps: 1000, qualityRating: 'YELLOW' });
    expect(res.body).toMatchObject({ throughputMps: 1000, qualityRating: 'YELLOW' });
    await world.settle();
    expect(world.receiver.changes('phone_number_quality_update')[0].value).toMatchObject({ display_phone_number: '15550001111', event: 'THROUGHPUT_UPGRADE' });
    expect((await world.call('PATCH', `/_sandbox/phone-numbers/${PHONE_ID}`, { throughputMps: 5000 })).status).toBe(400);
    expect((await world.call('PATCH', '/_sandbox/phone-numbers/1', { status: 'CONNECTED' })).status).toBe(404);
  });

  it('verifying the business lifts 250 to 2K with business_capability_update', async () => {
    const res = await world.call('PATCH', '/_sandbox/businesses/800000000000001', { verified: true });
    expect(res.body).toMatchObject({ verified: true, messagingLimit: 2000 });
    await world.settle();
    expect(world.receiver.changes('business_capability_update')[0].value).toEqual({ max_daily_conversation_per_phone: 2000, max_daily_conversations_per_business: 2000 });
    await world.call('PATCH', '/_sandbox/businesses/800000000000001', { messagingLimit: -1 });
    await world.settle();
    expect(world.receiver.changes('business_capability_update')[1].value.max_daily_conversations_per_business).toBe(-1);
  });

  it('restricting the WABA emits account_update and business-initiated sends fail with 368', async () => {
    const until = world.clock.now() + 24 * 3600_000;
    const res = await world.call('PATCH', `/_sandbox/wabas/${WABA_ID}`, { restrictedUntil: until });
    expect(res.status).toBe(200);
    await world.settle();
    expect(world.receiver.changes('account_update')[0].value).toEqual({
      event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: Math.floor(until / 1000) }],
    });
    const send = await sendGraph(world, { to: '447911123456', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(send.body.error?.code).toBe(368);
    await world.call('PATCH', `/_sandbox/wabas/${WABA_ID}`, { locked: true });
    await world.settle();
    expect(world.receiver.changes('account_update')[1].value).toMatchObject({ event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: ['DISABLE'] } });
    expect((await world.call('PATCH', `/_sandbox/wabas/${WABA_ID}`, { restrictedUntil: 'soon' })).body.error.code).toBe('invalid_request');
  });

  it('forces a template review outcome with message_template_status_update', async () => {
    const template = [...world.ctx.state.templates.values()].find((t) => t.name === 'hello_world')!;
    const res = await world.call('POST', `/_sandbox/templates/${template.id}/review`, { status: 'REJECTED', reason: 'PROMOTIONAL' });
    expect(res.body).toMatchObject({ status: 'REJECTED', rejectedReason: 'PROMOTIONAL' });
    await world.settle();
    expect(world.receiver.changes('message_template_status_update')[0].value).toMatchObject({
      event: 'REJECTED', message_template_id: Number(template.id), message_template_name: 'hello_world', reason: 'PROMOTIONAL',
    });
    expect((await world.call('POST', '/_sandbox/templates/1/review', { status: 'APPROVED' })).status).toBe(404);
  });
});

describe('logs', () => {
  it('filters the request log by method, path, errorCode and since', async () => {
    await openWindow(world, '447911123456');
    await sendGraph(world, { to: '447911123456', type: 'text', text: { body: 'ok' } });
    await sendGraph(world, { to: '447911123456', type: 'text', text: { body: '' } });
    await world.call('GET', `/v21.0/${PHONE_ID}`, undefined, 'wrong-token');
    const all = (await world.call('GET', '/_sandbox/log/requests')).body;
    expect(all.data.length).toBeGreaterThanOrEqual(3);
    const unauth = (await world.call('GET', '/_sandbox/log/requests?errorCode=190')).body.data;
    expect(unauth).toHaveLength(1);
    expect(unauth[0]).toMatchObject({ method: 'GET', status: 401 });
    const posts = (await world.call('GET', `/_sandbox/log/requests?method=post&path=/messages`)).body.data;
    expect(posts).toHaveLength(2);
    const since = (await world.call('GET', `/_sandbox/log/requests?since=${posts[0].seq}`)).body.data;
    expect(since.every((e: any) => e.seq > posts[0].seq)).toBe(true);
    expect((await world.call('GET', '/_sandbox/log/requests?limit=abc')).status).toBe(400);
  });

  it('filters the webhook log and lists outbound messages; flush waits for delivery', async () => {
    await openWindow(world, '447911123456');
    await sendGraph(world, { to: '447911123456', type: 'text', text: { body: 'tracked' } });
    const flushed = await world.call('POST', '/_sandbox/webhooks/flush');
    expect(flushed.body).toMatchObject({ ok: true, pendingRetries: 0 });
    const delivered = (await world.call('GET', '/_sandbox/log/webhooks?field=messages&delivered=true')).body.data;
    expect(delivered.length).toBeGreaterThanOrEqual(2);
    expect((await world.call('GET', '/_sandbox/log/webhooks?delivered=false')).body.data).toHaveLength(0);
    const messages = (await world.call('GET', '/_sandbox/messages?to=447911123456&status=sent')).body.data;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'text', pricing: { category: 'service', type: 'free_customer_service', billable: false } });
  });
});

describe('phone page', () => {
  it('serves the page, its own script and stylesheet, and the conversation JSON it polls', async () => {
    const page = await request(`${world.base}/_sandbox/phone`);
    expect(page.headers['content-type']).toContain('text/html');
    const html = await page.body.text();
    // Nothing from elsewhere: only the sandbox's own stylesheet and script (never inline: the CSP).
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual(['data:,', '/_sandbox/phone.css', '/_sandbox/phone.js']);
    const script = await request(`${world.base}/_sandbox/phone.js`);
    expect(script.headers['content-type']).toContain('text/javascript');
    const code = await script.body.text();
    expect(code).toContain('/_sandbox/conversations/');
    expect(code).toContain('Телефон песочницы');
    const style = await request(`${world.base}/_sandbox/phone.css`);
    expect(style.headers['content-type']).toContain('text/css');
    await style.body.text();

    await openWindow(world, '447911123456', 'Hi!');
    world.clock.advance(1000);
    const sent = await sendGraph(world, {
      to: '447911123456', type: 'interactive',
      interactive: { type: 'button', body: { text: 'Confirm?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } },
    });
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'reaction', messageId: sent.body.messages[0].id, emoji: '👍' });
    const convo = (await world.call('GET', `/_sandbox/conversations/${PHONE_ID}/447911123456`)).body;
    expect(convo.windowOpen).toBe(true);
    expect(convo.items.map((i: any) => [i.direction, i.text])).toEqual([['in', 'Hi!'], ['out', 'Confirm?']]);
    expect(convo.items[1]).toMatchObject({ reaction: '👍', taps: [{ kind: 'button_reply', id: 'y', title: 'Yes' }] });
    expect((await world.call('GET', `/_sandbox/conversations/${PHONE_ID}/1234567`)).status).toBe(404);
  });
});
