// Webhook intake over real HTTP: the signature gate (nothing stored without a valid one), the GET
// handshake, idempotent inbound messages, and statuses merged monotonically in any order.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox } from '../../src/store/queries/inboxes.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { WebhookEventsWorker } from '../../src/workers/webhook-events.js';
import { eventually, startHarness, signature, type Harness } from './harness.js';
import {
  conversationMessages, detachSandboxWebhooks, hasStatus, inboundTextWebhook, sendOk, statusWebhook,
  templateContent, waitForMessage,
} from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('webhook signature and handshake', () => {
  it('rejects a bad, a foreign or a missing signature with 401 and stores nothing', async () => {
    const body = inboundTextWebhook({ waId: '447700900001', wamid: 'wamid.sig-1', text: 'hi', at: Date.now() });
    const before = await h.countWebhookEvents();
    const text = JSON.stringify(body);
    const tampered = await h.postWebhook(body, { rawBody: text.replace('"hi"', '"ho"'), secret: null });
    expect(tampered.status).toBe(401);
    const badHeader = await h.raw.post('/webhooks/whatsapp', body, { 'x-hub-signature-256': signature(text.replace('hi', 'ho'), 'sandbox-app-secret') });
    expect(badHeader.status).toBe(401);
    expect(badHeader.body.error.code).toBe('unauthorized');
    expect((await h.postWebhook(body, { secret: 'some-other-app-secret' })).status).toBe(401);
    expect((await h.postWebhook(body, { secret: null })).status).toBe(401);
    expect((await h.raw.post('/webhooks/whatsapp', body, { 'x-hub-signature-256': 'sha256=zz' })).status).toBe(401);
    expect(await h.countWebhookEvents()).toBe(before);
    // The same body correctly signed is accepted and stored: the gate, not the body, refused it.
    expect((await h.postWebhook(body)).status).toBe(200);
    expect(await h.countWebhookEvents()).toBe(before + 1);
  });

  it('answers the verification handshake only with the right token', async () => {
    const ok = await h.raw.get('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=parley-dev-verify-token&hub.challenge=1158201444');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('1158201444');
    const wrong = await h.raw.get('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('forbidden');
  });
});

describe('idempotent inbound messages', () => {
  it('stores a message once when the same signed webhook arrives twice (or re-serialised)', async () => {
    const waId = '447700900123';
    const wamid = `wamid.dup-${Date.now()}`;
    const body = inboundTextWebhook({ waId, wamid, text: 'Is my order on its way?', at: Date.now(), name: 'Dup Tester' });
    expect((await h.postWebhook(body)).status).toBe(200);
    expect((await h.postWebhook(body)).status).toBe(200);
    // Same update, different bytes (Meta re-batches redeliveries): still one message.
    expect((await h.postWebhook(body, { rawBody: JSON.stringify(body, null, 1) })).status).toBe(200);

    const contact = await eventually(async () => {
      const res = await h.api.get('/api/v1/contacts?limit=200');
      return (res.body.items as Array<{ id: string; waId: string; name: string | null }>).find((c) => c.waId === waId);
    }, { what: 'contact upserted from the webhook' });
    expect(contact.name).toBe('Dup Tester');
    const conv = await eventually(async () => (await h.api.get(`/api/v1/conversations?contactId=${contact.id}`)).body.items[0]);
    expect(conv.windowOpen).toBe(true);
    // Wait until every stored event is processed, then count the messages.
    await h.settleWebhooks();
    const messages = await conversationMessages(h.api, conv.id);
    expect(messages.filter((m) => m.wamid === wamid)).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'in', type: 'text', status: 'received' });
    expect(messages[0]!.content.body).toBe('Is my order on its way?');
  });
});

describe('status ordering', () => {
  it('ends read with every timestamp whatever order the statuses arrive in; late sent and failed change nothing', async () => {
    await detachSandboxWebhooks(h.sandbox); // from here on, this test alone drives the statuses
    const to = '14155550123';
    const queued = await sendOk(h.api, `+${to}`, templateContent());
    const sent = await waitForMessage(h.api, queued.id, (m) => m.status === 'sent' && m.wamid !== null);
    const wamid = sent.wamid!;
    const t0 = Date.now() + 60_000; // after the sender's own "sent" time
    const status = (s: 'sent' | 'delivered' | 'read' | 'failed', at: number, extra = {}) =>
      h.postWebhook(statusWebhook({ wamid, status: s, at, recipient: to, callbackData: queued.id, ...extra }));

    expect((await status('read', t0 + 3000)).status).toBe(200);
    await waitForMessage(h.api, queued.id, hasStatus('read'));
    expect((await status('delivered', t0 + 2000, { pricing: { category: 'utility', type: 'regular', billable: true } })).status).toBe(200);
    expect((await status('sent', t0 + 1000)).status).toBe(200);
    const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
    // The earliest time seen for each state wins: the real `delivered` corrects the time `read` implied.
    const read = await waitForMessage(h.api, queued.id, (m) => m.deliveredAt === sec(t0 + 2000));
    expect(read.status).toBe('read');
    expect(read.readAt).toBe(sec(t0 + 3000));
    expect(read.pricing.category).toBe('utility');
    expect(read.sentAt).not.toBeNull();
    expect(read.sentAt!).toBeLessThanOrEqual(read.deliveredAt!);

    // A late sent, and a failure after read: accepted by intake, ignored by the merge.
    expect((await status('sent', t0 + 9000)).status).toBe(200);
    expect((await status('failed', t0 + 9500, { errors: [{ code: 131026, title: 'Message undeliverable' }] })).status).toBe(200);
    await h.settleWebhooks();
    const after = (await h.api.get(`/api/v1/messages/${queued.id}`)).body;
    expect(after).toMatchObject({ status: 'read', readAt: read.readAt, deliveredAt: read.deliveredAt, sentAt: read.sentAt, failedAt: null, error: null });
  });

  it('reconciles by biz_opaque_callback_data when the wamid is unknown (send result lost)', async () => {
    const to = '447911123456';
    const queued = await sendOk(h.api, `+${to}`, templateContent());
    await waitForMessage(h.api, queued.id, hasStatus('sent'));
    // A status with a wamid Parley never saw but our id in the callback data still lands on the message.
    const res = await h.postWebhook(statusWebhook({ wamid: 'wamid.unknown-to-parley', status: 'delivered', at: Date.now() + 60_000, recipient: to, callbackData: queued.id }));
    expect(res.status).toBe(200);
    const delivered = await waitForMessage(h.api, queued.id, hasStatus('delivered'));
    expect(delivered.deliveredAt).not.toBeNull();
  });

  it('without callback data finds the message by wamid among the recipient\'s messages only', async () => {
    await detachSandboxWebhooks(h.sandbox);
    const to = '447911123457';
    const queued = await sendOk(h.api, `+${to}`, templateContent());
    const { wamid } = await waitForMessage(h.api, queued.id, (m) => m.status === 'sent' && m.wamid !== null);
    // The right wamid named with another recipient: not this message.
    expect((await h.postWebhook(statusWebhook({ wamid: wamid!, status: 'read', at: Date.now() + 60_000, recipient: '447911000001' }))).status).toBe(200);
    await h.settleWebhooks();
    expect((await h.api.get(`/api/v1/messages/${queued.id}`)).body.status).toBe('sent');
    expect((await h.postWebhook(statusWebhook({ wamid: wamid!, status: 'delivered', at: Date.now() + 60_000, recipient: to }))).status).toBe(200);
    await waitForMessage(h.api, queued.id, hasStatus('delivered'));
  });
});

describe('webhook scope', () => {
  it("applies an event only to inboxes of the app that signed it: another workspace's secret cannot write here", async () => {
    const { db } = h.parley.deps.database;
    // A second workspace connects its own number with its own app secret (as any API key could).
    const other = await createWorkspace(db, { name: 'Other' });
    await createInbox(db, other.id, {
      phoneNumberId: '699999999999999', wabaId: '799999999999999', displayPhoneNumber: '15559999999',
      accessToken: 't', appSecret: 'other-app-secret', status: 'CONNECTED',
    }, h.parley.deps.secretKey);
    // It signs an inbound message naming the demo workspace's number.
    const forged = inboundTextWebhook({ waId: '447400123777', wamid: 'wamid.forged-1', text: 'forged', at: Date.now() });
    // A valid signature of a known app is acknowledged and stored (once the intake's secret cache,
    // refreshed at most once a second on a miss, has seen the new inbox)…
    await eventually(async () => (await h.postWebhook(forged, { secret: 'other-app-secret' })).status === 200, { what: 'new app secret known' });
    const genuine = inboundTextWebhook({ waId: '447400123777', wamid: 'wamid.genuine-1', text: 'genuine', at: Date.now() });
    expect((await h.postWebhook(genuine)).status).toBe(200);
    // The same bytes signed first by the other app, then by this one, at once: each is a delivery of
    // its own (even in one batch), so a foreign app cannot pre-empt a genuine event.
    const shared = inboundTextWebhook({ waId: '447400123777', wamid: 'wamid.shared-1', text: 'shared', at: Date.now() });
    const before = await h.countWebhookEvents();
    const answers = await Promise.all([h.postWebhook(shared, { secret: 'other-app-secret' }), h.postWebhook(shared)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await h.countWebhookEvents()).toBe(before + 2);
    await h.settleWebhooks();
    const stored = await db.selectFrom('messages').select('wamid').where('wamid', 'in', ['wamid.forged-1', 'wamid.genuine-1', 'wamid.shared-1']).orderBy('wamid').execute();
    expect(stored.map((m) => m.wamid)).toEqual(['wamid.genuine-1', 'wamid.shared-1']); // the forged one never applied to the demo inbox
  });
});

describe('retention', () => {
  it('deletes processed raw events after a week and keeps newer and failed ones', async () => {
    const { db } = h.parley.deps.database;
    const now = Date.now();
    const row = (id: string, status: 'done' | 'failed', processedAt: number) => ({
      id, received_at: processedAt, signature_ok: 1, payload: '{}', payload_hash: `hash-${id}`, status,
      attempts: 1, claimed_until: null, processed_at: processedAt, last_error: null, signer_hash: null,
    });
    await db.insertInto('webhook_events').values([
      row('evt_old_done', 'done', now - 8 * 24 * 3600_000),
      row('evt_new_done', 'done', now - 3600_000),
      row('evt_old_failed', 'failed', now - 8 * 24 * 3600_000),
    ]).execute();
    await new WebhookEventsWorker(h.parley.deps).runOnce();
    const left = await db.selectFrom('webhook_events').select('id').where('id', 'in', ['evt_old_done', 'evt_new_done', 'evt_old_failed']).orderBy('id').execute();
    expect(left.map((r) => r.id)).toEqual(['evt_new_done', 'evt_old_failed']);
  });
});

describe('metrics', () => {
  it('counts webhooks by outcome and reports the backlogs at /metrics', async () => {
    const before = await h.raw.get('/metrics');
    expect(before.status).toBe(200);
    const count = (text: string, outcome: string) =>
      Number(new RegExp(`parley_webhooks_received_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const badBefore = count(before.body as string, 'bad_signature');
    expect((await h.postWebhook({ object: 'whatsapp_business_account', entry: [] }, { secret: 'not-the-secret' })).status).toBe(401);
    const after = (await h.raw.get('/metrics')).body as string;
    expect(count(after, 'bad_signature')).toBe(badBefore + 1);
    expect(after).toMatch(/parley_outbox_depth \d+/);
    expect(after).toMatch(/parley_webhook_events_pending \d+/);
  });
});

describe('metrics behind METRICS_TOKEN', () => {
  const token = 'metrics-7c1e94b2d05f';
  let guarded: Harness;
  beforeAll(async () => { guarded = await startHarness({ env: { METRICS_TOKEN: token } }); });
  afterAll(async () => { await guarded?.close(); });

  it('answers 401 with a code without the token or with a wrong one, and the metrics with it', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: `Bearer ${token}x` }, { authorization: token }, { 'x-api-key': token }];
    for (const headers of attempts) {
      const refused = await guarded.raw.get('/metrics', headers);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('unauthorized');
      expect(refused.body.error.message).toContain('METRICS_TOKEN');
    }
    const ok = await guarded.raw.get('/metrics', { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/parley_outbox_depth \d+/);
    // The token guards /metrics only: health stays open for load balancers.
    expect((await guarded.raw.get('/health')).status).toBe(200);
  });
});
