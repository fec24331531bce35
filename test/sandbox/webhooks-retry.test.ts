// Webhook retries (exponential back-off on the sandbox clock, hours compressed), giving up after
// the max age, chaos duplicates and reordering, and the GET verification handshake.

import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, PHONE_ID, Receiver, APP_SECRET, startWorld, type World } from './world-harness.js';

let world: World;
afterEach(async () => { await world?.close(); });

const HOUR = 3600_000;

async function customerSays(text: string): Promise<void> {
  const res = await world.call('POST', '/_sandbox/customers/447911123456/messages', { type: 'text', text, phoneNumberId: PHONE_ID });
  expect(res.status).toBe(200);
}

describe('retries', () => {
  it('retries a failing receiver with doubling delays and delivers the same bytes once it recovers', async () => {
    world = await startWorld({ webhookRetryBaseMs: 15_000 });
    world.receiver.status = 500;
    await customerSays('are you there?');
    await world.settle();
    const entry = world.ctx.state.webhookLog.at(-1)!;
    expect(entry.attempts).toHaveLength(1);
    expect(entry.delivered).toBe(false);

    // Nothing happens before the first back-off has elapsed.
    await world.advance(14_999);
    expect(entry.attempts).toHaveLength(1);
    await world.advance(1);
    expect(entry.attempts).toHaveLength(2);
    await world.advance(30_000);
    expect(entry.attempts).toHaveLength(3);
    world.receiver.status = 200;
    await world.advance(60_000);
    expect(entry.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(entry.delivered).toBe(true);
    const gaps = entry.attempts.slice(1).map((a, i) => a.at - entry.attempts[i]!.at);
    expect(gaps).toEqual([15_000, 30_000, 60_000]);
    // Every attempt carried the identical signed bytes.
    const bodies = new Set(world.receiver.posts.map((p) => p.raw.toString('utf8')));
    expect(bodies.size).toBe(1);
    expect(world.receiver.posts.every((p) => p.signatureValid)).toBe(true);
    await world.advance(10 * HOUR);
    expect(world.receiver.posts).toHaveLength(4);
  });

  it('keeps retrying through hours of outage and gives up after webhookRetryMaxAgeMs (36 h)', async () => {
    world = await startWorld({ webhookRetryBaseMs: 15_000, webhookRetryMaxAgeMs: 36 * HOUR });
    world.receiver.status = 503;
    await customerSays('outage');
    await world.settle();
    const entry = world.ctx.state.webhookLog.at(-1)!;
    for (let elapsed = 0; elapsed < 48 * HOUR; elapsed += 15 * 60_000) await world.advance(15 * 60_000);
    const first = entry.attempts[0]!.at;
    const last = entry.attempts.at(-1)!.at;
    expect(entry.delivered).toBe(false);
    expect(entry.reason).toMatch(/^gave up after \d+ attempts$/);
    expect(last - first).toBeLessThanOrEqual(36 * HOUR);
    expect(last - first).toBeGreaterThan(18 * HOUR);
    expect(entry.attempts.length).toBeGreaterThan(10);
    expect(world.ctx.webhooks.pendingRetries()).toBe(0);
    const count = world.receiver.posts.length;
    await world.advance(48 * HOUR);
    expect(world.receiver.posts).toHaveLength(count);
  });

  it('retries network errors (receiver down) like non-200 answers', async () => {
    world = await startWorld({ webhookRetryBaseMs: 1000 });
    const goneUrl = world.receiver.url;
    await world.receiver.stop();
    await customerSays('into the void');
    await world.settle();
    const entry = world.ctx.state.webhookLog.at(-1)!;
    expect(entry.attempts[0]!.error).toBeTruthy();
    expect(entry.attempts[0]!.status).toBeUndefined();
    expect(entry.url).toBe(goneUrl);
    await world.advance(1000);
    expect(entry.attempts).toHaveLength(2);
    world.receiver = await new Receiver(APP_SECRET).start(); // so close() has something to stop
  });
});

describe('chaos', () => {
  it('delivers each POST twice when chaosDuplicateRate is 1, and logs the twin', async () => {
    world = await startWorld({ chaosDuplicateRate: 1 });
    await customerSays('twice');
    await world.settle();
    expect(world.receiver.posts).toHaveLength(2);
    expect(world.receiver.posts[0]!.raw.equals(world.receiver.posts[1]!.raw)).toBe(true);
    const [a, b] = world.ctx.state.webhookLog.slice(-2);
    expect(b!.duplicateOf).toBe(a!.seq);
    expect(world.receiver.messages().map((m) => m.text.body)).toEqual(['twice', 'twice']);
  });

  it('delivers nothing twice with chaosDuplicateRate 0', async () => {
    world = await startWorld({ chaosDuplicateRate: 0 });
    for (let i = 0; i < 5; i++) await customerSays(`m${i}`);
    await world.settle();
    expect(world.receiver.messages()).toHaveLength(5);
  });

  it('reorders queued updates when chaosReorder is on, losing none', async () => {
    world = await startWorld({ chaosReorder: true, webhookBatchMs: 1000 });
    const texts = Array.from({ length: 12 }, (_, i) => `n${i}`);
    for (const t of texts) await customerSays(t);
    await world.advance(1000);
    const got = world.receiver.messages().map((m) => m.text.body);
    expect([...got].sort()).toEqual([...texts].sort());
    expect(got).not.toEqual(texts);
  });
});

describe('verification handshake', () => {
  it('saves a callback only after the GET handshake echoes the challenge', async () => {
    world = await startWorld({}, undefined, false);
    const ok = await world.call('POST', `/_sandbox/apps/${APP_ID}/callback`, { url: world.receiver.url, verifyToken: 'sandbox-verify-token' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ callbackUrl: world.receiver.url, verified: true });
    expect(world.ctx.state.apps.get(APP_ID)!.callbackUrl).toBe(world.receiver.url);
    await customerSays('now delivered');
    await world.settle();
    expect(world.receiver.messages()).toHaveLength(1);
  });

  it('refuses a callback whose token does not match or that does not echo the challenge', async () => {
    world = await startWorld({}, undefined, false);
    const wrong = await world.call('POST', `/_sandbox/apps/${APP_ID}/callback`, { url: world.receiver.url, verifyToken: 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('callback_verification_failed');
    expect(wrong.body.error.message).toContain('403');
    world.receiver.handshakeBody = 'something else';
    const noEcho = await world.call('POST', `/_sandbox/apps/${APP_ID}/callback`, { url: world.receiver.url, verifyToken: 'sandbox-verify-token' });
    expect(noEcho.status).toBe(400);
    expect(noEcho.body.error.message).toContain('challenge');
    const unreachable = await world.call('POST', `/_sandbox/apps/${APP_ID}/callback`, { url: 'http://127.0.0.1:1/x', verifyToken: 't' });
    expect(unreachable.status).toBe(400);
    expect(world.ctx.state.apps.get(APP_ID)!.callbackUrl).toBeUndefined();
    const missing = await world.call('POST', '/_sandbox/apps/123/callback', { url: world.receiver.url, verifyToken: 't' });
    expect(missing.status).toBe(404);
  });
});
