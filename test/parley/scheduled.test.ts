// Send later, on both databases, through real HTTP and the real sandbox, with Parley's clock advanced:
// a text scheduled for an hour goes out only once the hour passed (timers worker) and the customer gets
// it; what is sure to fail is refused when written (too soon, after the window, more than 20 waiting);
// what the policy refuses when it goes (the contact blocked meanwhile) or the reply guard (the chat
// given to someone else) becomes `failed` with the reason, once, and can be dismissed; a cancelled one
// never goes; two workers at once send a due message once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { customerWrites } from './assignment-steps.js';
import { signInAs } from '../helpers/sign-in.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each<DbKind>(['sqlite', 'postgres'])('send later (%s)', (db) => {
  let h: Harness;
  let offset = 0;
  beforeAll(async () => { h = await startHarness({ db, now: () => Date.now() + offset }); });
  afterAll(async () => { await h?.close(); });

  const now = () => Date.now() + offset;
  const schedule = (conversationId: string, body: unknown, client = h.api) => client.post(`/api/v1/conversations/${conversationId}/scheduled-messages`, body);
  const listOf = async (conversationId: string) => (await h.api.get(`/api/v1/conversations/${conversationId}/scheduled-messages`)).body.items as Array<{ id: string; status: string; error: { code: string } | null; messageId: string | null }>;
  const received = async (waId: string) => JSON.stringify((await h.sandbox.get(`/_sandbox/messages?to=${waId}`)).body);

  it('sends a scheduled text when its time comes, not before, and the customer receives it once', async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400124001', 'Can you call me back in an hour?');
    const created = await schedule(conversationId, { content: { type: 'text', body: 'Calling back as promised' }, sendAt: now() + HOUR });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'scheduled', messageId: null, createdByUserId: null });

    offset = HOUR / 2;
    await h.parley.timers.runOnce();
    expect((await listOf(conversationId)).map((s) => s.status)).toEqual(['scheduled']);
    expect(await received('447400124001')).not.toContain('Calling back as promised');

    offset = HOUR + 1000;
    // Two workers at once (two processes): one sends it, the other finds it taken.
    await Promise.all([h.parley.timers.runOnce(), h.parley.timers.runOnce()]);
    expect(await listOf(conversationId)).toEqual([]);
    const messages = (await h.api.get(`/api/v1/conversations/${conversationId}/messages`)).body.items as Array<{ direction: string; content: { body?: string } }>;
    expect(messages.filter((m) => m.direction === 'out' && m.content.body === 'Calling back as promised')).toHaveLength(1);
    await eventually(async () => (await received('447400124001')).includes('Calling back as promised') || undefined, { what: 'the customer got it' });
    expect((await received('447400124001')).split('Calling back as promised').length - 1).toBe(1);
  });

  it('refuses when written what is sure to fail, with the code and the field', async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400124002', 'Hi');
    const soon = await schedule(conversationId, { content: { type: 'text', body: 'x' }, sendAt: now() + 10_000 });
    expect(soon.status).toBe(400);
    expect(soon.body.error).toMatchObject({ code: 'scheduled_time_invalid', details: { field: 'sendAt' } });
    const late = await schedule(conversationId, { content: { type: 'text', body: 'x' }, sendAt: now() + 25 * HOUR });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('scheduled_after_window');
    expect(late.body.error.message).toContain('window closes at');
    expect((await schedule(conversationId, { content: { type: 'text', body: '' }, sendAt: now() + HOUR })).body.error.code).toBe('validation_failed');
    expect((await schedule(conversationId, { content: { type: 'nope' }, sendAt: now() + HOUR })).status).toBe(400);
    expect((await schedule('cv_missing', { content: { type: 'text', body: 'x' }, sendAt: now() + HOUR })).status).toBe(404);
    for (let i = 0; i < 20; i += 1) expect((await schedule(conversationId, { content: { type: 'text', body: `n${i}` }, sendAt: now() + HOUR + i })).status).toBe(201);
    const tooMany = await schedule(conversationId, { content: { type: 'text', body: 'one more' }, sendAt: now() + 2 * HOUR });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('scheduled_limit_reached');
    // Cancelled, they never go.
    for (const s of await listOf(conversationId)) expect((await h.api.delete(`/api/v1/scheduled-messages/${s.id}`)).body.status).toBe('cancelled');
    offset = 2 * HOUR;
    await h.parley.timers.runOnce();
    expect(await received('447400124002')).not.toContain('n0');
  });

  it('a message the policy refuses when it goes becomes failed with the reason, and can be dismissed', async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400124003', 'Remind me tomorrow');
    const conversation = (await h.api.get(`/api/v1/conversations/${conversationId}`)).body;
    expect((await schedule(conversationId, { content: { type: 'text', body: 'Your reminder' }, sendAt: now() + HOUR })).status).toBe(201);
    // Meanwhile the business blocks the contact.
    expect((await h.api.patch(`/api/v1/contacts/${conversation.contactId}`, { blocked: true })).status).toBe(200);
    offset = HOUR + 1000;
    await h.parley.timers.runOnce();
    // Refused, it answers nobody: the thread's last activity and the customer's wait are as they were.
    const after = (await h.api.get(`/api/v1/conversations/${conversationId}`)).body;
    expect([after.lastMessageAt, after.waitingSince]).toEqual([conversation.lastMessageAt, conversation.waitingSince]);
    expect(after.waitingSince).not.toBeNull();
    const [failed] = await listOf(conversationId);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'contact_blocked' } });
    expect(failed!.messageId).not.toBeNull();
    expect((await h.api.get(`/api/v1/messages/${failed!.messageId}`)).body.policy).toMatchObject({ reason: 'contact_blocked' });
    await h.parley.timers.runOnce();
    expect(await listOf(conversationId)).toHaveLength(1);
    expect((await h.api.delete(`/api/v1/scheduled-messages/${failed!.id}`)).body.status).toBe('cancelled');
    expect(await listOf(conversationId)).toEqual([]);
    expect((await h.api.delete(`/api/v1/scheduled-messages/${failed!.id}`)).body.error.code).toBe('scheduled_not_pending');
  });

  it("an agent's scheduled reply in a chat given meanwhile to someone else fails with the reply guard's reason", async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400124004', 'Any news?');
    const agent = await signInAs(h, 'agent');
    const other = await signInAs(h, 'agent');
    expect((await agent.client.post(`/api/v1/conversations/${conversationId}/assignment`, { assigneeId: agent.user.id })).status).toBe(200);
    const created = await schedule(conversationId, { content: { type: 'text', body: 'News tomorrow' }, sendAt: now() + HOUR }, agent.client);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.createdByUserId).toBe(agent.user.id);
    // The other agent may neither schedule nor cancel in a chat that is not theirs.
    expect((await schedule(conversationId, { content: { type: 'text', body: 'x' }, sendAt: now() + HOUR }, other.client)).body.error.code).toBe('conversation_assigned_to_other');
    expect((await other.client.delete(`/api/v1/scheduled-messages/${created.body.id}`)).body.error.code).toBe('conversation_assigned_to_other');
    expect((await h.api.post(`/api/v1/conversations/${conversationId}/assignment`, { assigneeId: other.user.id })).status).toBe(200);
    offset = HOUR + 1000;
    await h.parley.timers.runOnce();
    const [failed] = await listOf(conversationId);
    expect(failed).toMatchObject({ status: 'failed', messageId: null, error: { code: 'conversation_assigned_to_other' } });
    expect(await received('447400124004')).not.toContain('News tomorrow');
  });

  it("names its author on every item, so who has the chat now sees whose promise it is (an API key's has none)", async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400124006', 'Can someone get back to me?');
    const author = await signInAs(h, 'agent', { name: 'Анна Смирнова' });
    const next = await signInAs(h, 'agent', { name: 'Boris Novak' });
    // Unassigned: the author may schedule a reply without taking the chat.
    const created = await schedule(conversationId, { content: { type: 'text', body: 'Back to you at noon' }, sendAt: now() + HOUR }, author.client);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ createdByUserId: author.user.id, createdByName: 'Анна Смирнова' });
    const byKey = await schedule(conversationId, { content: { type: 'text', body: 'From the CRM' }, sendAt: now() + 2 * HOUR });
    expect(byKey.body).toMatchObject({ createdByUserId: null, createdByName: null });

    expect((await h.api.post(`/api/v1/conversations/${conversationId}/assignment`, { assigneeId: next.user.id })).status).toBe(200);
    const seen = await next.client.get(`/api/v1/conversations/${conversationId}/scheduled-messages`);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.items.map((s: { createdByName: string | null }) => s.createdByName)).toEqual(['Анна Смирнова', null]);
    // The new assignee may cancel it; the cancelled row still says whose it was.
    const cancelled = await next.client.delete(`/api/v1/scheduled-messages/${created.body.id}`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', createdByName: 'Анна Смирнова' });
  });
});
