// The live socket over real HTTP on both databases: who may open it (session cookie + same Origin),
// a customer's message arriving as a small message.created event, and resync through /changes after
// the socket was closed while messages arrived.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { connectLive, conversationOf, customerWrites, operator, upgradeStatus, type Operator } from './live-steps.js';

describe.each<DbKind>(['sqlite', 'postgres'])('live socket (%s)', (db) => {
  let h: Harness;
  let owner: Operator;

  beforeAll(async () => {
    h = await startHarness({ db });
    owner = await operator(h, 'owner');
  });
  afterAll(async () => h?.close());

  it('refuses the upgrade without a session (401), from a foreign or missing Origin (403), and a plain GET (426)', async () => {
    const url = h.parley.url;
    expect((await upgradeStatus(url, { origin: url })).status).toBe(401);
    expect((await upgradeStatus(url, { origin: url, cookie: 'parley_session=not-a-real-session-token-0000' })).status).toBe(401);
    const foreign = await upgradeStatus(url, { origin: 'http://evil.example', cookie: owner.cookie });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('origin_forbidden');
    expect((await upgradeStatus(url, { cookie: owner.cookie })).status).toBe(403);
    // An API key is not a way in: the socket is for signed-in operators only.
    expect((await upgradeStatus(url, { origin: url, authorization: `Bearer ${h.parley.demo!.apiKey}` })).status).toBe(401);
    expect((await upgradeStatus(url, { origin: url, cookie: owner.cookie })).status).toBe(101);
    const plain = await h.raw.get('/api/v1/live', { origin: url, cookie: owner.cookie });
    expect(plain.status).toBe(426);
  });

  it("delivers a customer's message as message.created with ids and times only", async () => {
    const live = await connectLive(h.parley.url, owner.cookie);
    try {
      const before = Date.now();
      await customerWrites(h, '79161234567', 'Где мой заказ? <b>secret text</b>');
      const event = await live.waitFor((e) => e.kind === 'message.created', 'message.created', 5_000);
      const conversation = await conversationOf(h, '79161234567');
      expect(event.conversationId).toBe(conversation.id);
      expect(event.at).toBeGreaterThanOrEqual(before);
      const raw = JSON.stringify(live.events);
      expect(raw).not.toContain('secret text');
      expect(Object.keys(event).sort()).toEqual(['at', 'conversationId', 'kind', 'messageId']);
      const message = await h.api.get(`/api/v1/messages/${event.messageId}`);
      expect(message.status).toBe(200);
      expect(message.body.content.body).toContain('secret text');
    } finally {
      await live.close();
    }
  });

  it('sends message.created for a reply and message.updated as its status moves', async () => {
    const live = await connectLive(h.parley.url, owner.cookie);
    try {
      const sent = await h.api.post('/api/v1/messages', { to: '+79161234567', content: { type: 'text', body: 'Завтра!' } });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      const id = sent.body.id as string;
      await live.waitFor((e) => e.kind === 'message.created' && e.messageId === id, 'reply created', 5_000);
      await live.waitFor((e) => e.kind === 'message.updated' && e.messageId === id, 'reply status changed', 10_000);
      expect(live.events.filter((e) => e.kind === 'message.created' && e.messageId === id)).toHaveLength(1);
    } finally {
      await live.close();
    }
  });

  it('after the socket closed while 3 messages arrived, /changes since the last event returns all 3', async () => {
    const live = await connectLive(h.parley.url, owner.cookie);
    await customerWrites(h, '447911123456', 'first, seen live');
    const seen = await live.waitFor((e) => e.kind === 'message.created', 'first message live', 5_000);
    await live.close();

    for (const text of ['missed one', 'missed two', 'missed three']) await customerWrites(h, '447911123456', text);
    const conversation = await conversationOf(h, '447911123456');

    // The sandbox posts its webhooks after answering, so the last may still be on its way: ask
    // until all three are there (a /changes that lost one never gets there, and this fails).
    const missed = ['missed one', 'missed two', 'missed three'];
    const textsOf = (body: { messages: Array<{ content: { body?: string }; conversationId: string }> }) =>
      body.messages.filter((m) => m.conversationId === conversation.id).map((m) => m.content.body);
    const res = await eventually(async () => {
      await h.settleWebhooks();
      const r = await h.raw.get(`/api/v1/changes?since=${seen.at}`, { cookie: owner.cookie });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return missed.every((t) => textsOf(r.body).includes(t)) ? r : undefined;
    }, { what: '/changes with the three missed messages' });
    expect(textsOf(res.body)).toEqual(expect.arrayContaining(missed));
    expect(res.body.more).toBe(false);
    expect(res.body.next).toBeLessThanOrEqual(res.body.now);
    expect((res.body.conversations as Array<{ id: string }>).map((c) => c.id)).toContain(conversation.id);

    // Asking again from `next` repeats at most the last few seconds; from now, nothing new.
    const again = await h.api.get(`/api/v1/changes?since=${res.body.now}`);
    expect(again.status).toBe(200);
    expect(again.body.messages).toEqual([]);
  });

  it('caps a resync and says there is more; following `next` reaches every change', async () => {
    const { changesSince } = await import('../../src/services/changes.js');
    const ws = h.parley.demo!.workspaceId;
    const first = await changesSince(h.parley.deps, ws, null, 0, 2);
    expect(first.more).toBe(true);
    expect(first.messages.length).toBeLessThanOrEqual(2);
    const ids = new Set<string>(first.messages.map((m) => m.id));
    let since = first.next;
    for (let i = 0; i < 20; i++) {
      const page = await changesSince(h.parley.deps, ws, null, since, 2);
      page.messages.forEach((m) => ids.add(m.id));
      since = page.next;
      if (!page.more) break;
    }
    const all = await changesSince(h.parley.deps, ws, null, 0, 500);
    expect([...ids].sort()).toEqual(all.messages.map((m) => m.id).sort());
  });
});
