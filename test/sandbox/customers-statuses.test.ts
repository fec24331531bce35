// Status webhooks as simulated customers behave: sent → delivered → read with pricing on sent and
// delivered only, failed with errors[], blocked customers, marketing opt-out, persona reactions.

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, type SeedSpec } from '../../src/sandbox/seed.js';
import { PHONE_ID, WABA_ID, openWindow, sendGraph, startWorld, type World } from './world-harness.js';

let world: World;
afterEach(async () => { await world?.close(); });

const SEED: SeedSpec = {
  ...DEFAULT_SEED,
  templates: [
    ...(DEFAULT_SEED.templates ?? []),
    {
      wabaId: WABA_ID, name: 'spring_sale', language: 'en_US', category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Spring sale: 20% off everything this week at Demo Shop.' }],
    },
  ],
};

const PUNCTUAL = { reachable: 1, deliverMs: [1000, 1000], read: 1, readMs: [2000, 2000], reply: 0, replyMs: [0, 0], replies: [], block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 100 };

async function setPersona(waId: string, persona: Record<string, unknown>, name = 'punctual'): Promise<void> {
  expect((await world.call('PUT', `/_sandbox/personas/${name}`, persona)).status).toBe(200);
  expect((await world.call('PATCH', `/_sandbox/customers/${waId}`, { persona: name })).status).toBe(200);
}

describe('delivery lifecycle', () => {
  it('emits sent, delivered and read in persona time, pricing on sent and delivered only', async () => {
    world = await startWorld({}, SEED);
    await setPersona('447911123456', PUNCTUAL);
    await openWindow(world, '447911123456');
    const res = await sendGraph(world, { to: '447911123456', type: 'text', text: { body: 'Your order shipped' }, biz_opaque_callback_data: 'order-42' });
    expect(res.status).toBe(200);
    const wamid = res.body.messages[0].id;

    await world.advance(0);
    expect(world.receiver.statuses().map((s) => s.status)).toEqual(['sent']);
    await world.advance(999);
    expect(world.receiver.statuses()).toHaveLength(1);
    await world.advance(1);
    expect(world.receiver.statuses().map((s) => s.status)).toEqual(['sent', 'delivered']);
    await world.advance(2000);
    const statuses = world.receiver.statuses();
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);

    const [sent, delivered, read] = statuses;
    for (const s of statuses) {
      expect(s).toMatchObject({ id: wamid, recipient_id: '447911123456', biz_opaque_callback_data: 'order-42' });
      expect(s.timestamp).toMatch(/^\d+$/);
    }
    expect(Number(delivered.timestamp) - Number(sent.timestamp)).toBe(1);
    expect(sent.pricing).toEqual({ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' });
    expect(delivered.pricing).toEqual(sent.pricing);
    expect(read.pricing).toBeUndefined();
    expect(sent.conversation).toBeUndefined(); // v24+: only inside a free entry point

    const view = await world.call('GET', '/_sandbox/messages?to=447911123456');
    const msg = view.body.data.find((m: any) => m.wamid === wamid);
    expect(msg.status).toBe('read');
    expect(msg.statusHistory.map((h: any) => h.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('prices a marketing template outside the window as billable, regular', async () => {
    world = await startWorld({}, SEED);
    await setPersona('447911123456', PUNCTUAL);
    const res = await sendGraph(world, { to: '447911123456', type: 'template', template: { name: 'spring_sale', language: { code: 'en_US' } } });
    expect(res.status).toBe(200);
    await world.advance(1000);
    const [sent, delivered] = world.receiver.statuses();
    expect(sent.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' });
    expect(delivered.status).toBe('delivered');
    expect(delivered.pricing).toEqual(sent.pricing);
    expect(world.ctx.state.customers.get('447911123456')!.marketingDeliveries).toHaveLength(1);
  });

  it('emits failed with errors[] and no pricing when an asynchronous rule fails the message', async () => {
    world = await startWorld({}, SEED);
    // Free-form outside the service window: accepted, then failed with 131047.
    const res = await sendGraph(world, { to: '447911123456', type: 'text', text: { body: 'hello?' } });
    expect(res.status).toBe(200);
    await world.advance(1000);
    const statuses = world.receiver.statuses();
    expect(statuses.map((s) => s.status)).toEqual(['failed']);
    expect(statuses[0].pricing).toBeUndefined();
    expect(statuses[0].errors).toEqual([expect.objectContaining({ code: 131047, title: expect.any(String), error_data: { details: expect.any(String) } })]);
  });

  it('fails sends to a customer who is not on WhatsApp with 131026', async () => {
    world = await startWorld({}, SEED);
    expect((await world.call('POST', '/_sandbox/customers', { waId: '447700900999', onWhatsApp: false })).status).toBe(201);
    await sendGraph(world, { to: '447700900999', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    await world.advance(1000);
    expect(world.receiver.statuses()[0]).toMatchObject({ status: 'failed', recipient_id: '447700900999', errors: [{ code: 131026 }] });
  });

  it('leaves messages to a customer who blocked the business at sent', async () => {
    world = await startWorld({}, SEED);
    await setPersona('447911123456', PUNCTUAL);
    expect((await world.call('POST', '/_sandbox/customers/447911123456/block', {})).status).toBe(200);
    await sendGraph(world, { to: '447911123456', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    await world.advance(60_000);
    expect(world.receiver.statuses().map((s) => s.status)).toEqual(['sent']);
  });
});

describe('marketing preferences', () => {
  it('emits user_preferences on stop and fails later marketing with 131050; resume lifts it', async () => {
    world = await startWorld({}, SEED);
    await setPersona('447911123456', PUNCTUAL);
    expect((await world.call('POST', '/_sandbox/customers/447911123456/stop-marketing', { phoneNumberId: PHONE_ID })).status).toBe(200);
    await world.settle();
    const pref = world.receiver.changes('user_preferences')[0];
    expect(pref.value).toMatchObject({
      messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID, display_phone_number: '15550001111' },
      contacts: [{ wa_id: '447911123456', profile: { name: 'Olivia Smith' } }],
      user_preferences: [{ wa_id: '447911123456', category: 'marketing_messages', value: 'stop', detail: 'User requested to stop marketing messages', timestamp: world.clock.nowSeconds() }],
    });

    await sendGraph(world, { to: '447911123456', type: 'template', template: { name: 'spring_sale', language: { code: 'en_US' } } });
    await world.advance(1000);
    expect(world.receiver.statuses().at(-1)).toMatchObject({ status: 'failed', errors: [{ code: 131050 }] });

    await world.call('POST', '/_sandbox/customers/447911123456/resume-marketing', {});
    await world.settle();
    expect(world.receiver.changes('user_preferences')[1].value.user_preferences[0].value).toBe('resume');
    await sendGraph(world, { to: '447911123456', type: 'template', template: { name: 'spring_sale', language: { code: 'en_US' } } });
    await world.advance(1000);
    expect(world.receiver.statuses().slice(-2).map((s) => s.status)).toEqual(['sent', 'delivered']);
  });

  it('annoyed customers block, report and stop marketing, which lowers template quality', async () => {
    world = await startWorld({}, SEED);
    const always = { ...PUNCTUAL, block: 1, report: 1, stopMarketing: 1, read: 1 };
    const waIds = Array.from({ length: 12 }, (_, i) => `4477009002${String(i).padStart(2, '0')}`);
    await world.call('PUT', '/_sandbox/personas/furious', always);
    for (const waId of waIds) {
      expect((await world.call('POST', '/_sandbox/customers', { waId, persona: 'furious' })).status).toBe(201);
      await sendGraph(world, { to: waId, type: 'template', template: { name: 'spring_sale', language: { code: 'en_US' } } });
    }
    await world.advance(5000);
    const prefs = world.receiver.changes('user_preferences').flatMap((c) => c.value.user_preferences);
    expect(prefs.map((p) => p.wa_id).sort()).toEqual(waIds);
    const customer = world.ctx.state.customers.get(waIds[0]!)!;
    expect(customer.blockedBusiness.has(PHONE_ID)).toBe(true);
    expect(customer.marketingStopped.has(PHONE_ID)).toBe(true);
    const template = [...world.ctx.state.templates.values()].find((t) => t.name === 'spring_sale')!;
    expect(template.feedback.filter((f) => f.negative).length).toBeGreaterThanOrEqual(10);
    expect(template.quality).toBe('RED');
  });

  it('a persona that replies opens the service window with an inbound text', async () => {
    world = await startWorld({}, SEED);
    await setPersona('447911123456', { ...PUNCTUAL, reply: 1, replyMs: [5000, 5000], replies: ['Thanks!'] }, 'chatty');
    await sendGraph(world, { to: '447911123456', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    await world.advance(3000);
    expect(world.receiver.messages()).toHaveLength(0);
    await world.advance(5000);
    expect(world.receiver.messages().map((m) => m.text.body)).toEqual(['Thanks!']);
    expect(world.ctx.state.customers.get('447911123456')!.lastInboundAt.get(PHONE_ID)).toBe(world.clock.now());
  });
});
