// Account, template and recipient rules (business-rules §10): each one's code, whether it is
// synchronous (the Graph error) or asynchronous (accepted, stored with a failure), and the order.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSINESS_ID, DAY, errorOf, HOUR, PHONE_ID, RU, startSandbox, storedOf, template, text, UK, US, WABA_ID, type Harness } from './send-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startSandbox();
  h.addTemplate({ name: 'sale', category: 'MARKETING', components: [{ type: 'BODY', text: 'Big sale today!' }] });
});
afterEach(() => h.close());

const state = () => h.ctx.state;
const phone = () => state().phoneNumbers.get(PHONE_ID)!;
const waba = () => state().wabas.get(WABA_ID)!;
const customer = (waId: string) => state().customers.get(waId)!;

describe('account rules (1–3, 10, 12)', () => {
  it('1: an unregistered or disconnected number cannot send (133010)', async () => {
    phone().registered = false;
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(133010);
    phone().registered = true;
    phone().status = 'DISCONNECTED';
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(133010);
  });

  it('2: a locked WABA answers 131031; a restriction blocks business-initiated sends only (368)', async () => {
    waba().locked = true;
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(131031);
    waba().locked = false;
    waba().restrictedUntil = h.clock.now() + DAY;
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(368);
    h.lastInbound(RU, HOUR);
    expect((await h.send(text(RU))).statusCode).toBe(200);
    h.clock.advance(DAY);
    expect((await h.send(template(UK, 'hello_world'))).statusCode).toBe(200);
  });

  it('3: no valid payment method → 131042', async () => {
    waba().paymentValid = false;
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(131042);
  });

  it('10: marketing disabled on the Cloud API → 131063 for marketing only', async () => {
    waba().marketingDisabledOnCloudApi = true;
    expect(errorOf(await h.send(template(RU, 'sale'))).code).toBe(131063);
    expect((await h.send(template(RU, 'hello_world'))).statusCode).toBe(200);
  });

  it('12: a categorisation penalty refuses templates and free-form alike (131064)', async () => {
    state().businesses.get(BUSINESS_ID)!.categorisationPenalty = true;
    h.lastInbound(RU, HOUR);
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(131064);
    expect(errorOf(await h.send(text(RU))).code).toBe(131064);
  });
});

describe('template status rules (7, 8)', () => {
  it('7: unknown name, other language, pending or rejected → 132001 (HTTP 404)', async () => {
    const unknown = await h.send(template(RU, 'nope'));
    expect(errorOf(unknown).code).toBe(132001);
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(await h.send(template(RU, 'hello_world', 'de'))).code).toBe(132001);
    h.addTemplate({ name: 'pending_one', status: 'PENDING', components: [{ type: 'BODY', text: 'x' }] });
    h.addTemplate({ name: 'rejected_one', status: 'REJECTED', components: [{ type: 'BODY', text: 'x' }] });
    expect(errorOf(await h.send(template(RU, 'pending_one'))).code).toBe(132001);
    expect(errorOf(await h.send(template(RU, 'rejected_one'))).code).toBe(132001);
  });

  it('8: paused → 132015 until the pause ends; disabled → 132016; neither is stored', async () => {
    h.addTemplate({ name: 'paused_one', status: 'PAUSED', pauseCount: 1, pausedUntil: h.clock.now() + 3 * HOUR, components: [{ type: 'BODY', text: 'x' }] });
    h.addTemplate({ name: 'disabled_one', status: 'DISABLED', components: [{ type: 'BODY', text: 'x' }] });
    expect(errorOf(await h.send(template(RU, 'paused_one'))).code).toBe(132015);
    expect(errorOf(await h.send(template(RU, 'disabled_one'))).code).toBe(132016);
    expect(state().outbound.size).toBe(0);
    h.clock.advance(3 * HOUR);
    expect((await h.send(template(RU, 'paused_one'))).statusCode).toBe(200);
  });
});

describe('recipient rules (14–18)', () => {
  it('14: a number not on WhatsApp is accepted, then fails with 131026', async () => {
    customer(RU).onWhatsApp = false;
    const res = await h.send(template(RU, 'hello_world'));
    expect(res.statusCode).toBe(200);
    expect(storedOf(h, res).failure?.code).toBe(131026);
    customer(UK).persona = 'unreachable';
    expect(storedOf(h, await h.send(template(UK, 'hello_world'))).failure?.code).toBe(131026);
  });

  it('15: a user the business blocked → 130403', async () => {
    phone().blockedUsers.add(RU);
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(130403);
  });

  it('16: a customer who stopped marketing from this number fails marketing only (131050)', async () => {
    customer(RU).marketingStopped.add(PHONE_ID);
    expect(storedOf(h, await h.send(template(RU, 'sale'))).failure?.code).toBe(131050);
    expect(storedOf(h, await h.send(template(RU, 'hello_world'))).failure).toBeUndefined();
  });

  it('17: the per-user marketing cap (persona), with the 24 h hold after a refusal', async () => {
    // A persona that never replies (a reply would open the window and exempt the customer).
    const quiet = { ...state().personas.get('attentive')!, name: 'quiet', reply: 0, block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 4 };
    state().personas.set('quiet', quiet);
    const c = customer(RU);
    c.persona = 'quiet';
    c.marketingDeliveries = [1, 2, 3].map((i) => h.clock.now() - i * HOUR);
    expect(storedOf(h, await h.send(template(RU, 'sale'))).failure).toBeUndefined();
    c.marketingDeliveries.push(h.clock.now() - 10 * HOUR);
    expect(storedOf(h, await h.send(template(RU, 'sale'))).failure?.code).toBe(131049);
    c.marketingDeliveries = [];
    h.clock.advance(HOUR);
    expect(storedOf(h, await h.send(template(RU, 'sale'))).failure?.code).toBe(131049); // retry inside 24 h
    expect(storedOf(h, await h.send(template(RU, 'hello_world'))).failure).toBeUndefined(); // utility is not capped
    h.clock.advance(DAY);
    expect(storedOf(h, await h.send(template(RU, 'sale'))).failure).toBeUndefined();
  });

  it('17: no cap for UK (EEA/UK/JP/KR) recipients, nor inside the customer\'s window', async () => {
    customer(UK).marketingDeliveries = Array.from({ length: 10 }, (_, i) => h.clock.now() - i * HOUR);
    expect(storedOf(h, await h.send(template(UK, 'sale'))).failure).toBeUndefined();
    customer(RU).marketingDeliveries = Array.from({ length: 10 }, (_, i) => h.clock.now() - i * HOUR);
    h.lastInbound(RU, HOUR);
    expect(storedOf(h, await h.send(template(RU, 'sale'))).failure).toBeUndefined();
  });

  it('18: marketing to US numbers fails with 131049; Canada and utility are unaffected', async () => {
    expect(storedOf(h, await h.send(template(US, 'sale'))).failure?.code).toBe(131049);
    expect(storedOf(h, await h.send(template(US, 'hello_world'))).failure).toBeUndefined();
    expect(storedOf(h, await h.send(template('14165550123', 'sale'))).failure).toBeUndefined();
  });

  it('a customer who blocked the business: accepted, never delivered (stays sent)', async () => {
    customer(RU).blockedBusiness.add(PHONE_ID);
    const res = await h.send(template(RU, 'hello_world'));
    const stored = storedOf(h, res);
    expect(stored.failure).toBeUndefined();
    h.clock.advance(3 * HOUR);
    expect(stored.statusHistory.map((s) => s.status)).toEqual(['sent']);
  });
});

describe('rule order: the first failing rule wins', () => {
  it('an unregistered number wins over an unknown template', async () => {
    phone().registered = false;
    expect(errorOf(await h.send(template(RU, 'nope'))).code).toBe(133010);
  });

  it('the window (async, rule 6) wins over a blocked user (sync, rule 15)', async () => {
    phone().blockedUsers.add(RU);
    expect(storedOf(h, await h.send(text(RU))).failure?.code).toBe(131047);
  });

  it('a paused template (8) wins over a blocked user (15); not reachable (14) wins over stopped marketing (16)', async () => {
    h.addTemplate({ name: 'paused_one', status: 'PAUSED', pausedUntil: h.clock.now() + HOUR, components: [{ type: 'BODY', text: 'x' }] });
    phone().blockedUsers.add(RU);
    expect(errorOf(await h.send(template(RU, 'paused_one'))).code).toBe(132015);
    customer(UK).onWhatsApp = false;
    customer(UK).marketingStopped.add(PHONE_ID);
    expect(storedOf(h, await h.send(template(UK, 'sale'))).failure?.code).toBe(131026);
  });

  it('a refused send consumes neither throughput nor pair quota', async () => {
    state().options.pairBurst = 1;
    customer(RU).pairBuckets.clear();
    expect(errorOf(await h.send(template(RU, 'nope'))).code).toBe(132001);
    expect((await h.send(template(RU, 'hello_world'))).statusCode).toBe(200);
    expect(errorOf(await h.send(template(RU, 'hello_world'))).code).toBe(131056);
  });
});
