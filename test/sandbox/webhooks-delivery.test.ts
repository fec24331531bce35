// Webhook delivery over real HTTP: Meta's envelope, the signature over the exact (\u-escaped)
// bytes checked by the receiver's own HMAC, batching, and webhooks without a callback.

import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, APP_SECRET, PHONE_ID, WABA_ID, startWorld, type World } from './world-harness.js';

let world: World;
afterEach(async () => { await world?.close(); });

describe('webhook signature and bytes', () => {
  it('escapes every non-ASCII code unit and signs exactly the bytes sent (Russian name, emoji)', async () => {
    world = await startWorld();
    const res = await world.call('POST', '/_sandbox/customers/79161234567/messages', { type: 'text', text: 'Привет! äöå 👋' });
    expect(res.status).toBe(200);
    await world.settle();

    expect(world.receiver.posts).toHaveLength(1);
    const post = world.receiver.posts[0]!;
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.signatureValid).toBe(true);
    const raw = post.raw.toString('latin1');
    // Pure ASCII on the wire, lowercase hex escapes, surrogate pairs as two escapes.
    expect([...post.raw].every((b) => b < 0x80)).toBe(true);
    expect(raw).toContain('\\u0418\\u0432\\u0430\\u043d'); // Иван
    expect(raw).toContain('\\u00e4\\u00f6\\u00e5'); // äöå, Meta's own example
    expect(raw).toContain('\\ud83d\\udc4b'); // 👋
    expect(raw).not.toMatch(/\\u[0-9a-f]{0,3}[A-F]/);
    // The decoded payload is what the customer sent.
    expect(post.json.entry[0].changes[0].value.messages[0].text.body).toBe('Привет! äöå 👋');
    expect(post.json.entry[0].changes[0].value.contacts[0].profile.name).toBe('Иван Петров');
    // Signing the unescaped UTF-8 re-serialisation gives a different signature: the escaped bytes are what is signed.
    const naive = 'sha256=' + createHmac('sha256', APP_SECRET).update(JSON.stringify(post.json)).digest('hex');
    expect(post.headers['x-hub-signature-256']).not.toBe(naive);
    expect(post.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('uses Meta\'s envelope: WABA id per entry, no `time` for messages, `time` for other fields', async () => {
    world = await startWorld();
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text: 'hi' });
    await world.call('POST', '/_sandbox/customers/447911123456/stop-marketing', {});
    await world.settle();
    const [messages, prefs] = [world.receiver.changes('messages'), world.receiver.changes('user_preferences')];
    expect(messages).toHaveLength(1);
    expect(prefs).toHaveLength(1);
    const msgPost = world.receiver.posts.find((p) => p.json.entry[0].changes[0].field === 'messages')!;
    const prefPost = world.receiver.posts.find((p) => p.json.entry[0].changes[0].field === 'user_preferences')!;
    expect(msgPost.json.object).toBe('whatsapp_business_account');
    expect(msgPost.json.entry[0].id).toBe(WABA_ID);
    expect(msgPost.json.entry[0].time).toBeUndefined();
    expect(prefPost.json.entry[0].time).toBe(world.clock.nowSeconds());
    expect(messages[0].value.metadata).toEqual({ display_phone_number: '15550001111', phone_number_id: PHONE_ID });
  });
});

describe('batching', () => {
  it('joins updates queued within webhookBatchMs into one POST, at most webhookBatchMax each', async () => {
    world = await startWorld({ webhookBatchMs: 1000, webhookBatchMax: 3 });
    const number = world.ctx.state.phoneNumbers.get(PHONE_ID)!;
    const status = (id: string) => ({
      field: 'messages',
      value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: PHONE_ID },
        statuses: [{ id, status: 'sent', timestamp: '1', recipient_id: '447911123456' }],
      },
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) world.ctx.webhooks.emit(WABA_ID, status(id));
    // The first three filled a batch and left at once; the other two wait for the batch delay.
    await new Promise((r) => setTimeout(r, 50));
    while (world.receiver.posts.length < 1) await new Promise((r) => setTimeout(r, 10));
    expect(world.receiver.posts).toHaveLength(1);
    expect(world.receiver.posts[0]!.json.entry[0].changes).toHaveLength(1);
    expect(world.receiver.posts[0]!.json.entry[0].changes[0].value.statuses.map((s: any) => s.id)).toEqual(['a', 'b', 'c']);
    await world.advance(1000);
    expect(world.receiver.posts).toHaveLength(2);
    expect(world.receiver.statuses().map((s) => s.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(world.receiver.posts.every((p) => p.signatureValid)).toBe(true);
  });

  it('keeps messages and statuses in separate changes of one POST', async () => {
    world = await startWorld({ webhookBatchMs: 500 });
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text: 'one' });
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text: 'two' });
    await world.advance(500);
    expect(world.receiver.posts).toHaveLength(1);
    const changes = world.receiver.posts[0]!.json.entry[0].changes;
    expect(changes.map((c: any) => c.value.messages[0].text.body)).toEqual(['one', 'two']);
  });
});

describe('destinations', () => {
  it('logs webhooks of an app without callback as undelivered ("no callback") and posts nothing', async () => {
    world = await startWorld({}, undefined, false);
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text: 'anyone?' });
    await world.settle();
    expect(world.receiver.posts).toHaveLength(0);
    const log = await world.call('GET', '/_sandbox/log/webhooks?field=messages');
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({ delivered: false, reason: 'no callback', attempts: [], appId: APP_ID, wabaId: WABA_ID });
    expect(log.body.data[0].payload.entry[0].changes[0].value.messages[0].text.body).toBe('anyone?');
  });

  it('sends to the WABA\'s override callback, signed with the subscribed app\'s secret', async () => {
    world = await startWorld({}, undefined, false);
    world.ctx.state.wabas.get(WABA_ID)!.overrideCallbackUrl = world.receiver.url;
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text: 'override' });
    await world.settle();
    expect(world.receiver.posts).toHaveLength(1);
    expect(world.receiver.posts[0]!.signatureValid).toBe(true);
  });

  it('records every POST in the webhook log with the exact body and signature', async () => {
    world = await startWorld();
    await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text: 'logged' });
    await world.settle();
    const entry = world.ctx.state.webhookLog.at(-1)!;
    const post = world.receiver.posts[0]!;
    expect(entry.body).toBe(post.raw.toString('utf8'));
    expect(entry.signature).toBe(post.headers['x-hub-signature-256']);
    expect(entry).toMatchObject({ delivered: true, url: world.receiver.url, field: 'messages' });
    expect(entry.attempts).toEqual([{ at: world.clock.now(), status: 200 }]);
  });
});
