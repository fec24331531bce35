// Business accounts and numbers over the Graph surface: number listing and fields, the
// registration ladder and its errors, two-step PIN, business profile limits, subscribed apps with
// a verified override callback, WABA fields, and the generic /{id} routing.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../src/sandbox/seed.js';
import { PHONE_ID, startMgmt, WABA_ID, type Mgmt } from './mgmt-harness.js';

const NEW_PHONE = '600000000000002';
let h: Mgmt;

beforeEach(async () => {
  h = await startMgmt({
    seed: {
      ...DEFAULT_SEED,
      phoneNumbers: [...DEFAULT_SEED.phoneNumbers!, { id: NEW_PHONE, wabaId: WABA_ID, displayPhoneNumber: '447700900999', verifiedName: 'Demo UK', registered: false }],
    },
  });
});
afterEach(async () => { await h.close(); });

describe('numbers and fields', () => {
  it('lists the WABA\'s numbers with Meta\'s default list fields', async () => {
    const res = (await h.call('GET', `/${WABA_ID}/phone_numbers`)).json();
    expect(res.data).toHaveLength(2);
    expect(res.data[0]).toEqual({
      verified_name: 'Demo Shop', code_verification_status: 'VERIFIED', display_phone_number: '+1 555-000-1111',
      quality_rating: 'GREEN', platform_type: 'CLOUD_API', throughput: { level: 'STANDARD' }, id: PHONE_ID,
    });
    expect(res.data[1]).toMatchObject({ display_phone_number: '+44 7700 900999', code_verification_status: 'NOT_VERIFIED', platform_type: 'NOT_APPLICABLE' });
    expect(res.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
  });

  it('answers the default fields, the asked fields, the business limit tier, and refuses unknown fields', async () => {
    expect((await h.call('GET', `/${PHONE_ID}`)).json()).toEqual({ verified_name: 'Demo Shop', display_phone_number: '+1 555-000-1111', id: PHONE_ID, quality_rating: 'GREEN' });
    const asked = (await h.call('GET', `/${PHONE_ID}?fields=status,messaging_limit_tier,whatsapp_business_manager_messaging_limit,throughput,account_mode,name_status`)).json();
    expect(asked).toEqual({ status: 'CONNECTED', messaging_limit_tier: 'TIER_250', whatsapp_business_manager_messaging_limit: 'TIER_250', throughput: { level: 'STANDARD' }, account_mode: 'LIVE', name_status: 'APPROVED', id: PHONE_ID });
    h.ctx.state.businesses.get('800000000000001')!.messagingLimit = 10_000;
    h.ctx.state.phoneNumbers.get(PHONE_ID)!.throughputMps = 1000;
    expect((await h.call('GET', `/${PHONE_ID}?fields=messaging_limit_tier,throughput`)).json()).toMatchObject({ messaging_limit_tier: 'TIER_10K', throughput: { level: 'HIGH' } });
    const bad = await h.call('GET', `/${PHONE_ID}?fields=shoe_size`);
    expect(bad.json().error).toMatchObject({ code: 100 });
    expect(bad.json().error.message).toContain('nonexisting field (shoe_size)');
  });
});

describe('registration', () => {
  const register = (pin: unknown, phone = NEW_PHONE) => h.call('POST', `/${phone}/register`, { messaging_product: 'whatsapp', pin });

  it('walks request_code → verify_code → register, with Meta\'s errors on each step', async () => {
    expect((await register('123456')).json().error.code).toBe(133006);
    expect((await h.call('POST', `/${NEW_PHONE}/request_code`, { code_method: 'EMAIL', language: 'en_US' })).json().error.code).toBe(100);
    expect((await h.call('POST', `/${NEW_PHONE}/request_code`, { code_method: 'SMS' })).json().error.code).toBe(100);
    expect((await h.call('POST', `/${NEW_PHONE}/request_code`, { code_method: 'SMS', language: 'en_US' })).json()).toEqual({ success: true });
    const code = h.ctx.state.phoneNumbers.get(NEW_PHONE)!.pendingCode!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await h.call('POST', `/${NEW_PHONE}/verify_code`, { code: wrong });
    expect(bad.json().error).toMatchObject({ code: 136025 });
    expect((await h.call('POST', `/${NEW_PHONE}/verify_code`, { code })).json()).toEqual({ success: true });
    expect((await register('12ab56')).json().error.code).toBe(100);
    expect((await register('123456')).json()).toEqual({ success: true });
    expect((await h.call('GET', `/${NEW_PHONE}?fields=status,platform_type,code_verification_status`)).json())
      .toEqual({ status: 'CONNECTED', platform_type: 'CLOUD_API', code_verification_status: 'VERIFIED', id: NEW_PHONE });
    expect((await register('654321')).json().error.code).toBe(133005);
    expect((await h.call('POST', `/${NEW_PHONE}/deregister`)).json()).toEqual({ success: true });
    expect(h.ctx.state.phoneNumbers.get(NEW_PHONE)).toMatchObject({ registered: false, status: 'DISCONNECTED' });
  });

  it('limits register/deregister to 10 in 72 hours (133016)', async () => {
    const results: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = i % 2 === 0 ? await register('123456', PHONE_ID) : await h.call('POST', `/${PHONE_ID}/deregister`);
      results.push(res.statusCode === 200 ? 0 : res.json().error.code);
    }
    expect(results.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(results[10]).toBe(133016);
    h.clock.advance(72 * 3600_000);
    expect((await register('123456', PHONE_ID)).statusCode).toBe(200);
  });

  it('changes the two-step PIN with POST /{phone-number-id}', async () => {
    expect((await register('111111', PHONE_ID)).statusCode).toBe(200);
    expect((await h.call('POST', `/${PHONE_ID}`, { pin: '222222' })).json()).toEqual({ success: true });
    expect((await register('111111', PHONE_ID)).json().error.code).toBe(133005);
    expect((await register('222222', PHONE_ID)).statusCode).toBe(200);
    expect((await h.call('POST', `/${PHONE_ID}`, { pin: '22' })).json().error.code).toBe(100);
    expect((await h.call('POST', `/${PHONE_ID}`, {})).json().error.code).toBe(100);
  });
});

describe('business profile', () => {
  const profile = `/${PHONE_ID}/whatsapp_business_profile`;

  it('reads and updates the profile in Meta\'s flat shape', async () => {
    const update = { messaging_product: 'whatsapp', about: 'Fresh bread daily', address: '1 Main St', description: 'A bakery.', email: 'hi@bakery.example', websites: ['https://bakery.example', 'http://bakery.example/menu'], vertical: 'RESTAURANT' };
    expect((await h.call('POST', profile, update)).json()).toEqual({ success: true });
    const got = (await h.call('GET', profile)).json();
    expect(got).toEqual({ data: [{ about: 'Fresh bread daily', address: '1 Main St', description: 'A bakery.', email: 'hi@bakery.example', websites: ['https://bakery.example', 'http://bakery.example/menu'], vertical: 'RESTAURANT', messaging_product: 'whatsapp' }] });
    expect((await h.call('GET', `${profile}?fields=about,email`)).json()).toEqual({ data: [{ about: 'Fresh bread daily', email: 'hi@bakery.example', messaging_product: 'whatsapp' }] });
  });

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['about over 139', { about: 'a'.repeat(140) }],
    ['empty about', { about: '' }],
    ['address over 256', { address: 'a'.repeat(257) }],
    ['description over 512', { description: 'd'.repeat(513) }],
    ['invalid email', { email: 'not-an-email' }],
    ['email over 128', { email: `${'e'.repeat(120)}@mail.example` }],
    ['three websites', { websites: ['https://a.example', 'https://b.example', 'https://c.example'] }],
    ['website without scheme', { websites: ['bakery.example'] }],
    ['unknown vertical', { vertical: 'BAKERY' }],
    ['unknown field', { colour: 'blue' }],
  ];
  it.each(invalid)('refuses %s with (#100)', async (_label, fields) => {
    const res = await h.call('POST', profile, { messaging_product: 'whatsapp', ...fields });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 100]);
  });

  it('accepts the limits exactly and requires messaging_product', async () => {
    const edge = { about: 'a'.repeat(139), address: 'b'.repeat(256), description: 'c'.repeat(512), websites: [`https://${'w'.repeat(240)}.example`] };
    expect((await h.call('POST', profile, { messaging_product: 'whatsapp', ...edge })).statusCode).toBe(200);
    expect((await h.call('POST', profile, { about: 'hi' })).json().error.code).toBe(100);
  });
});

describe('subscribed apps and WABA', () => {
  let server: Server | undefined;
  afterEach(async () => { await new Promise((r) => server ? server.close(r) : r(undefined)); server = undefined; });

  async function callback(echo: boolean): Promise<string> {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const ok = echo && url.searchParams.get('hub.verify_token') === 'my-verify-token';
      res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') ?? '' : 'no');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }

  it('lists, removes and adds the token\'s app subscription', async () => {
    const apps = `/${WABA_ID}/subscribed_apps`;
    expect((await h.call('GET', apps)).json()).toEqual({ data: [{ whatsapp_business_api_data: { id: '900000000000001', name: expect.any(String), link: expect.any(String) } }] });
    expect((await h.call('DELETE', apps)).json()).toEqual({ success: true });
    expect((await h.call('GET', apps)).json()).toEqual({ data: [] });
    expect((await h.call('POST', apps)).json()).toEqual({ success: true });
    expect(h.ctx.state.wabas.get(WABA_ID)!.subscribedApps).toEqual(['900000000000001']);
  });

  it('sets an override callback only after it answers the verification handshake', async () => {
    const apps = `/${WABA_ID}/subscribed_apps`;
    const good = await callback(true);
    expect((await h.call('POST', apps, { override_callback_uri: good })).json().error.code).toBe(100);
    expect((await h.call('POST', apps, { override_callback_uri: good, verify_token: 'wrong' })).json().error.code).toBe(2200);
    expect(h.ctx.state.wabas.get(WABA_ID)!.overrideCallbackUrl).toBeUndefined();
    expect((await h.call('POST', apps, { override_callback_uri: good, verify_token: 'my-verify-token' })).json()).toEqual({ success: true });
    expect(h.ctx.state.wabas.get(WABA_ID)).toMatchObject({ overrideCallbackUrl: good, overrideVerifyToken: 'my-verify-token' });
    expect((await h.call('GET', apps)).json().data[0].override_callback_uri).toBe(good);
  });

  it('answers WABA fields', async () => {
    const waba = (await h.call('GET', `/${WABA_ID}`)).json();
    expect(waba).toEqual({ id: WABA_ID, name: 'Demo WABA', timezone_id: 'UTC', message_template_namespace: expect.stringMatching(/^[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/) });
    expect((await h.call('GET', `/${WABA_ID}?fields=currency,business_verification_status`)).json()).toEqual({ currency: 'USD', business_verification_status: 'not_verified', id: WABA_ID });
  });
});

describe('management API rate', () => {
  it('allows 200 calls per hour on a WABA without a registered number, then answers 80007', async () => {
    for (const p of h.ctx.state.phoneNumbers.values()) p.registered = false;
    const codes: number[] = [];
    for (let i = 0; i < 201; i++) {
      const res = await h.call('GET', i % 2 === 0 ? `/${WABA_ID}` : `/${WABA_ID}/message_templates?limit=1`);
      codes.push(res.statusCode === 200 ? 0 : res.json().error.code);
    }
    expect(codes.slice(0, 200).every((c) => c === 0)).toBe(true);
    expect(codes[200]).toBe(80007);
    h.clock.advance(3600_000);
    expect((await h.call('GET', `/${WABA_ID}`)).statusCode).toBe(200);
  });
});

describe('generic /{id} routing', () => {
  it('dispatches by kind of id without shadowing the specific routes', async () => {
    expect((await h.call('GET', `/${WABA_ID}/phone_numbers`)).json().data).toHaveLength(2);
    const send = await h.call('POST', `/${PHONE_ID}/messages`, { messaging_product: 'whatsapp', to: '447911123456', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(send.statusCode).toBe(200);
    expect(send.json().messages[0].id).toMatch(/^wamid\./);
    const unknown = await h.call('GET', '/123456789012345');
    expect([unknown.statusCode, unknown.json().error.code, unknown.json().error.error_subcode]).toEqual([400, 100, 33]);
    expect((await h.call('DELETE', `/${WABA_ID}`)).json().error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await h.call('POST', '/123456789012345', {})).json().error.error_subcode).toBe(33);
    const notGraph = await h.app.inject({ method: 'GET', url: '/favicon/x' });
    expect([notGraph.statusCode, notGraph.json().error.code]).toEqual([400, 100]);
    const noToken = await h.call('GET', `/${PHONE_ID}`, undefined, null);
    expect(noToken.statusCode).toBe(401);
  });
});
