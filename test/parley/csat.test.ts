// CSAT on both databases, over real HTTP with the sandbox as the Cloud API: an operator's resolve asks
// the customer for a 1–5 rating (an interactive list inside the 24-hour window, the chosen template
// outside it, nothing without one), the customer's tap is stored without reopening the conversation,
// the report counts it; not twice within 24 h, nothing when off, and bad settings are 400 with codes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, SANDBOX_TOKEN, startHarness, WABA_ID, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, customerWrites, put } from './assignment-steps.js';
import { connectLive, operator } from './live-steps.js';
import { conversationMessages, hasStatus, sandboxSends, waitForMessage } from './steps.js';

const HOUR = 3600_000;
const TEMPLATE = 'csat_rating_request';

interface Survey {
  id: string; status: string; reason: string | null; channel: string | null; messageId: string | null;
  rating: number | null; answeredAt: number | null; askedAt: number;
}

describe.each<DbKind>(['sqlite', 'postgres'])('CSAT on resolve (%s)', (db) => {
  let h: Harness;
  let offset = 0;
  beforeAll(async () => { h = await startHarness({ db, now: () => Date.now() + offset }); });
  afterAll(async () => { await h?.close(); });

  const settings = (body: unknown) => put(h, '/api/v1/csat/settings', body, apiKeyHeaders(h));
  const resolve = async (id: string) => {
    const res = await h.api.patch(`/api/v1/conversations/${id}`, { state: 'resolved' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('resolved');
  };
  const surveys = async (id: string): Promise<Survey[]> => {
    const res = await h.api.get(`/api/v1/conversations/${id}/csat`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  };
  const conversation = async (id: string) => (await h.api.get(`/api/v1/conversations/${id}`)).body;
  const sendsTo = async (waId: string) => (await sandboxSends(h.sandbox)).filter((r) => r.body?.to === waId);
  const wamidOf = async (messageId: string) => (await waitForMessage(h.api, messageId, hasStatus('sent', 'delivered', 'read'))).wamid!;

  it('is off by default; refuses bad settings with codes; only admins and API keys change it', async () => {
    const got = await h.api.get('/api/v1/csat/settings');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ enabled: false, language: 'en', template: null });
    expect(got.body.question.length).toBeGreaterThan(10);
    const good = { ...got.body, enabled: true };

    const agent = await operator(h, 'agent');
    expect((await put(h, '/api/v1/csat/settings', good, { cookie: agent.cookie })).status).toBe(403);
    const long = await settings({ ...good, question: 'x'.repeat(1025) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'csat_settings_invalid', details: { field: 'question' } });
    expect((await settings({ ...good, question: '   ' })).body.error.code).toBe('csat_settings_invalid');
    const unknown = await settings({ ...good, template: { name: 'no_such_template', language: 'en_US' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('csat_template_invalid');
    // hello_world exists and is approved, but has no rating buttons to tap.
    const noButtons = await settings({ ...good, template: { name: 'hello_world', language: 'en_US' } });
    expect(noButtons.status).toBe(400);
    expect(noButtons.body.error).toMatchObject({ code: 'csat_template_invalid' });
    expect(noButtons.body.error.message).toMatch(/quick-reply/);
    expect((await settings({ ...good, language: 'de' })).body.error.code).toBe('validation_failed');
    expect((await h.api.get('/api/v1/csat?from=10&to=5')).body.error.code).toBe('csat_range_invalid');
    expect((await h.api.get('/api/v1/csat/settings')).body.enabled).toBe(false);
  });

  it('sends nothing on resolve while CSAT is off', async () => {
    const waId = '447400230001';
    const c = await customerWrites(h, waId, 'Hi there');
    await resolve(c);
    expect(await surveys(c)).toEqual([]);
    expect((await conversationMessages(h.api, c)).filter((m) => m.direction === 'out')).toEqual([]);
    expect(await sendsTo(waId)).toEqual([]);
  });

  it('inside the window: a list goes out, the customer picks 4, the rating is stored and the conversation stays resolved', async () => {
    const question = 'Как мы справились? Выберите оценку от 1 до 5.';
    const saved = await settings({ enabled: true, language: 'ru', question, template: null });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({ enabled: true, language: 'ru', question, template: null });
    const admin = await operator(h, 'admin');
    const live = await connectLive(h.parley.url, admin.cookie);

    const waId = '447400230002';
    const c = await customerWrites(h, waId, 'My parcel is late');
    await resolve(c);
    const [survey] = await surveys(c);
    expect(survey).toMatchObject({ status: 'asked', channel: 'interactive', rating: null, messageId: expect.any(String) });

    const wamid = await wamidOf(survey!.messageId!);
    const sent = (await sendsTo(waId)).find((r) => r.body?.type === 'interactive');
    expect(sent?.body.interactive).toMatchObject({ type: 'list', body: { text: question }, action: { button: 'Оценить' } });
    const rows = sent!.body.interactive.action.sections[0].rows as Array<{ id: string; title: string }>;
    expect(rows.map((r) => r.id)).toEqual([5, 4, 3, 2, 1].map((n) => `csat:${survey!.id}:${n}`));
    expect(rows[1]!.title).toBe('4 — Хорошо');

    const before = live.events.length;
    const tap = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'list_reply', messageId: wamid, id: `csat:${survey!.id}:4` });
    expect(tap.status, JSON.stringify(tap.body)).toBeLessThan(300);
    const answered = await eventually(async () => {
      const [s] = await surveys(c);
      return s?.status === 'answered' ? s : undefined;
    }, { what: 'the rating stored' });
    expect(answered).toMatchObject({ rating: 4, answeredAt: expect.any(Number) });
    await live.waitFor((e) => e.kind === 'conversation.updated' && e.conversationId === c && live.events.indexOf(e) >= before, 'conversation.updated after the rating');
    await h.settleWebhooks();
    const after = await conversation(c);
    expect(after.state).toBe('resolved');
    // The rating is not a wait for an answer: no SLA clock starts on a resolved conversation.
    expect(after.waitingSince).toBeNull();
    expect(after.lastMessage.type).toBe('list_reply');

    const report = await h.api.get('/api/v1/csat');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ asked: 1, answered: 1, average: 4, responseRate: 1, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } });
    await live.close();

    // Any other message reopens as before; a second resolve within 24 h does not ask again.
    await customerWrites(h, waId, 'One more thing');
    expect((await conversation(c)).state).toBe('open');
    await resolve(c);
    expect(await surveys(c)).toHaveLength(1);
    expect((await sendsTo(waId)).filter((r) => r.body?.type === 'interactive')).toHaveLength(1);
  });

  it('a csat: id that names no survey of the conversation is an ordinary message: it reopens', async () => {
    const waId = '447400230005';
    const c = await customerWrites(h, waId, 'Hello');
    await resolve(c);
    const [survey] = await surveys(c);
    const wamid = await wamidOf(survey!.messageId!);
    // The sandbox only taps rows that exist, so this reply is posted as Meta would deliver a forged one.
    const forged = {
      object: 'whatsapp_business_account',
      entry: [{ id: WABA_ID, changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: '600000000000001' },
        contacts: [{ profile: { name: 'Forger' }, wa_id: waId }],
        messages: [{
          from: waId, id: `wamid.csat.forged.${db}`, timestamp: String(Math.floor(Date.now() / 1000) + 2), type: 'interactive',
          context: { from: '15550001111', id: wamid }, interactive: { type: 'list_reply', list_reply: { id: 'csat:csat_notasurvey:5', title: '5' } },
        }],
      } }] }],
    };
    expect((await h.postWebhook(forged)).status).toBe(200);
    await h.settleWebhooks();
    expect((await conversation(c)).state).toBe('open');
    expect((await surveys(c))[0]!.status).toBe('asked');
  });

  it('outside the window without a template: nothing is sent, the resolve succeeds, the survey says why', async () => {
    const waId = '447400230003';
    const c = await customerWrites(h, waId, 'Thanks, bye');
    offset = 25 * HOUR;
    await resolve(c);
    const [survey] = await surveys(c);
    expect(survey).toMatchObject({ status: 'skipped', reason: 'window_closed', channel: null, messageId: null });
    expect((await h.api.get('/api/v1/csat')).body).toMatchObject({ skipped: 1 });
    expect(await sendsTo(waId)).toEqual([]);
  });

  it('outside the window with a template: the template goes out and its quick-reply tap is the rating', async () => {
    const created = await h.sandbox.post(`/v23.0/${WABA_ID}/message_templates`, {
      name: TEMPLATE, language: 'en_US', category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Your request has been closed. How would you rate the help you received from our team?' },
        { type: 'BUTTONS', buttons: ['5 – Excellent', '4 – Good', '3 – Okay', '2 – Poor', '1 – Very poor'].map((text) => ({ type: 'QUICK_REPLY', text })) },
      ],
    }, { authorization: `Bearer ${SANDBOX_TOKEN}` });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await eventually(async () => {
      const row = await h.parley.deps.database.db.selectFrom('templates').select('status').where('name', '=', TEMPLATE).executeTakeFirst();
      return row?.status === 'APPROVED';
    }, { timeoutMs: 15_000, what: 'the template synced as APPROVED' });
    const current = (await h.api.get('/api/v1/csat/settings')).body;
    const saved = await settings({ ...current, template: { name: TEMPLATE, language: 'en_US' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    offset = 0;
    const waId = '447400230004';
    const c = await customerWrites(h, waId, 'Is the shop open?');
    offset = 25 * HOUR;
    await resolve(c);
    const [survey] = await surveys(c);
    expect(survey).toMatchObject({ status: 'asked', channel: 'template', messageId: expect.any(String) });
    const wamid = await wamidOf(survey!.messageId!);
    const sent = (await sendsTo(waId)).find((r) => r.body?.type === 'template');
    expect(sent?.body.template.name).toBe(TEMPLATE);
    expect(sent?.body.template.components).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `csat:${survey!.id}:5` }] }),
      expect.objectContaining({ type: 'button', sub_type: 'quick_reply', index: '4', parameters: [{ type: 'payload', payload: `csat:${survey!.id}:1` }] }),
    ]));

    const tap = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'button', messageId: wamid, index: 1 });
    expect(tap.status, JSON.stringify(tap.body)).toBeLessThan(300);
    const answered = await eventually(async () => {
      const [s] = await surveys(c);
      return s?.status === 'answered' ? s : undefined;
    }, { what: 'the template rating stored' });
    expect(answered.rating).toBe(4);
    expect((await conversation(c)).state).toBe('resolved');
    offset = 0;
  });
});
