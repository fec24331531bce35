// Rule 6: free-form messages only inside the 24 h customer service window. Outside it the Cloud API
// accepts the request and fails the message later (131047); templates pass either way.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, errorOf, PHONE_ID, RU, startSandbox, storedOf, template, text, type Harness } from './send-harness.js';

let h: Harness;
beforeEach(async () => { h = await startSandbox(); });
afterEach(() => h.close());

describe('customer service window', () => {
  it('accepts free-form 24 h minus 1 s after the customer last wrote', async () => {
    h.lastInbound(RU, DAY - 1000);
    const res = await h.send(text(RU));
    expect(res.statusCode).toBe(200);
    const stored = storedOf(h, res);
    expect(stored.failure).toBeUndefined();
    expect(stored.outsideWindow).toBe(false);
  });

  it('accepts, then fails with 131047, free-form 24 h plus 1 s after the customer last wrote', async () => {
    h.lastInbound(RU, DAY + 1000);
    const res = await h.send(text(RU));
    expect(res.statusCode).toBe(200);
    const stored = storedOf(h, res);
    expect(stored.failure?.code).toBe(131047);
    expect(stored.outsideWindow).toBe(true);
    expect(stored.billable).toBe(false);
    // The failed status reaches the webhook log once the customer simulator runs.
    h.clock.advance(5_000);
    await h.ctx.webhooks.idle();
    const failed = h.ctx.state.webhookLog.find((e) => e.body.includes(stored.wamid) && e.body.includes('"failed"'));
    expect(failed?.body).toContain('131047');
    expect(stored.status).toBe('failed');
  });

  it('closes the window at exactly 24 h', async () => {
    h.lastInbound(RU, DAY);
    expect(storedOf(h, await h.send(text(RU))).failure?.code).toBe(131047);
  });

  it('fails free-form to a customer who never wrote, including reactions and interactive', async () => {
    h.addInbound('wamid.X', RU, 40 * DAY);
    const reaction = await h.send({ messaging_product: 'whatsapp', to: RU, type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '' } });
    expect(errorOf(reaction).code).toBe(131009); // older than 30 days: refused before any rule
    const buttons = await h.send({
      messaging_product: 'whatsapp', to: RU, type: 'interactive',
      interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] } },
    });
    expect(storedOf(h, buttons).failure?.code).toBe(131047);
  });

  it('lets templates through outside the window', async () => {
    h.lastInbound(RU, 3 * DAY);
    const res = await h.send(template(RU, 'hello_world'));
    const stored = storedOf(h, res);
    expect(stored.failure).toBeUndefined();
    expect(stored.outsideWindow).toBe(true);
  });

  it('counts the window per business number', async () => {
    const customer = h.ctx.state.customers.get(RU)!;
    customer.lastInboundAt.set('600000000000999', h.clock.now() - 1000);
    expect(storedOf(h, await h.send(text(RU))).failure?.code).toBe(131047);
    customer.lastInboundAt.set(PHONE_ID, h.clock.now() - 1000);
    expect(storedOf(h, await h.send(text(RU))).failure).toBeUndefined();
  });
});
