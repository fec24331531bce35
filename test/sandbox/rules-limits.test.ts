// Rules 4, 5 and 11: throughput per number (130429), pair rate per recipient (131056) and the
// portfolio messaging limit on unique out-of-window recipients (131048 by default), each at its edge.

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../src/sandbox/seed.js';
import { BUSINESS_ID, DAY, errorOf, HOUR, PHONE_ID, RU, startSandbox, storedOf, template, text, type Harness } from './send-harness.js';

let h: Harness;
afterEach(() => h.close());

/** Distinct valid recipients in a market without the per-user cap question (Nigeria). */
const recipient = (i: number) => `234803${String(i).padStart(7, '0')}`;

function setThroughput(mps: number): void {
  const phone = h.ctx.state.phoneNumbers.get(PHONE_ID)!;
  phone.throughputMps = mps;
  phone.bucket = { tokens: mps, at: h.clock.now() };
}

describe('throughput (rule 4)', () => {
  it('refuses with 130429 once the number\'s bucket is empty, and refills with time', async () => {
    h = await startSandbox();
    setThroughput(5);
    for (let i = 0; i < 5; i++) expect((await h.send(template(recipient(i), 'hello_world'))).statusCode).toBe(200);
    const over = await h.send(template(recipient(5), 'hello_world'));
    expect(errorOf(over).code).toBe(130429);
    expect(over.statusCode).toBe(400);
    h.clock.advance(199);
    expect(errorOf(await h.send(template(recipient(5), 'hello_world'))).code).toBe(130429);
    h.clock.advance(1); // 200 ms at 5 mps = one message
    expect((await h.send(template(recipient(5), 'hello_world'))).statusCode).toBe(200);
  });

  it('allows the default 80 messages in one instant and answers the configured HTTP status past them', async () => {
    h = await startSandbox({ options: { throttleHttpStatus: 429 } });
    for (let i = 0; i < 80; i++) expect((await h.send(template(recipient(i), 'hello_world'))).statusCode).toBe(200);
    const over = await h.send(template(recipient(80), 'hello_world'));
    expect(errorOf(over).code).toBe(130429);
    expect(over.statusCode).toBe(429);
  });
});

describe('pair rate (rule 5)', () => {
  it('allows a burst of 45 to one recipient, refuses the 46th with 131056, then one per 6 s', async () => {
    h = await startSandbox();
    h.lastInbound(RU, HOUR);
    for (let i = 0; i < 45; i++) expect((await h.send(text(RU, `m${i}`))).statusCode).toBe(200);
    expect(errorOf(await h.send(text(RU))).code).toBe(131056);
    expect((await h.send(text('447911123456'))).statusCode).toBe(200); // another recipient is unaffected
    h.clock.advance(5_999);
    expect(errorOf(await h.send(text(RU))).code).toBe(131056);
    h.clock.advance(1);
    expect((await h.send(text(RU))).statusCode).toBe(200);
    expect(errorOf(await h.send(text(RU))).code).toBe(131056);
  });

  it('follows pairPeriodMs and pairBurst', async () => {
    h = await startSandbox({ options: { pairBurst: 2, pairPeriodMs: 1_000 } });
    h.lastInbound(RU, HOUR);
    expect((await h.send(text(RU))).statusCode).toBe(200);
    expect((await h.send(text(RU))).statusCode).toBe(200);
    expect(errorOf(await h.send(text(RU))).code).toBe(131056);
    h.clock.advance(1_000);
    expect((await h.send(text(RU))).statusCode).toBe(200);
  });
});

describe('portfolio messaging limit (rule 11)', () => {
  const SECOND_PHONE = '600000000000002';
  const seed = {
    ...DEFAULT_SEED,
    phoneNumbers: [...DEFAULT_SEED.phoneNumbers!, { id: SECOND_PHONE, wabaId: '700000000000001', displayPhoneNumber: '15550002222' }],
  };

  async function fillTo(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await h.send(template(recipient(i), 'hello_world'));
      expect(res.statusCode, res.body).toBe(200);
    }
  }

  it('stops new unique out-of-window recipients at 250, across the business\'s numbers, for 24 h', async () => {
    h = await startSandbox({ seed });
    setThroughput(1000);
    await fillTo(250);
    expect(h.ctx.state.businesses.get(BUSINESS_ID)!.outOfWindowDeliveries.size).toBe(250);
    const over = await h.send(template(recipient(250), 'hello_world'));
    expect(errorOf(over).code).toBe(131048);
    expect(errorOf(await h.send(template(recipient(251), 'hello_world'), SECOND_PHONE)).code).toBe(131048);
    // Recipients already counted, and customers inside their window, are not new unique recipients.
    expect((await h.send(template(recipient(3), 'hello_world'))).statusCode).toBe(200);
    h.lastInbound(RU, HOUR);
    expect((await h.send(template(RU, 'hello_world'))).statusCode).toBe(200);
    expect((await h.send(text(RU))).statusCode).toBe(200);
    // The moving 24 h frees the whole quota a day after it was used.
    h.clock.advance(DAY);
    expect((await h.send(template(recipient(250), 'hello_world'))).statusCode).toBe(200);
  });

  it('does not count paused-template attempts nor failed messages', async () => {
    h = await startSandbox();
    setThroughput(1000);
    h.ctx.state.businesses.get(BUSINESS_ID)!.messagingLimit = 3;
    await fillTo(2);
    h.addTemplate({ name: 'paused_one', status: 'PAUSED', pausedUntil: h.clock.now() + 3 * HOUR, components: [{ type: 'BODY', text: 'Hi' }] });
    const paused = await h.send(template(recipient(10), 'paused_one'));
    expect(errorOf(paused).code).toBe(132015);
    const unreachable = recipient(11);
    await h.send(template(unreachable, 'hello_world')); // creates the customer
    h.ctx.state.customers.get(unreachable)!.onWhatsApp = false;
    h.ctx.state.businesses.get(BUSINESS_ID)!.outOfWindowDeliveries.delete(unreachable);
    expect(storedOf(h, await h.send(template(unreachable, 'hello_world'))).failure?.code).toBe(131026);
    expect(h.ctx.state.businesses.get(BUSINESS_ID)!.outOfWindowDeliveries.size).toBe(2);
    expect((await h.send(template(recipient(12), 'hello_world'))).statusCode).toBe(200);
    expect(errorOf(await h.send(template(recipient(13), 'hello_world'))).code).toBe(131048);
  });

  it('uses the configured error code and lets an unlimited portfolio through', async () => {
    h = await startSandbox({ options: { messagingLimitErrorCode: 131064 } });
    setThroughput(1000);
    const business = h.ctx.state.businesses.get(BUSINESS_ID)!;
    business.messagingLimit = 1;
    await fillTo(1);
    expect(errorOf(await h.send(template(recipient(1), 'hello_world'))).code).toBe(131064);
    business.messagingLimit = -1;
    expect((await h.send(template(recipient(1), 'hello_world'))).statusCode).toBe(200);
  });
});
