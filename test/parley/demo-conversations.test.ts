// The demo conversations `npm start` plays on a new demo workspace, through the real path (sandbox
// customers → signed webhooks → Parley; operators through Parley's services → the sandbox), on both
// databases: four chats in the states the script leaves them, the agent's mention, the reaction, and
// the business replies received by the sandbox's customers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoConversations } from '../../src/services/demo-conversations.js';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { cookieClient, cookieFrom } from '../helpers/sign-in.js';

interface Item { id: string; state: string; contact: { waId: string; name: string | null }; assignee: { name: string } | null; team: { name: string } | null }

describe.each<DbKind>(['sqlite', 'postgres'])('demo conversations (%s)', (db) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ db }); });
  afterAll(async () => { await h?.close(); });

  it('leaves a taken and answered chat, a waiting one with a note for the agent, a location, and a resolved one', async () => {
    const ids = await seedDemoConversations(h.parley.deps, h.parley.sandbox!, h.parley.demo!);
    expect(ids).toHaveLength(4);
    const items: Item[] = [];
    for (const state of ['open', 'resolved']) items.push(...(await h.api.get(`/api/v1/conversations?state=${state}`)).body.items);
    const by = (waId: string) => items.find((c) => c.contact.waId === waId)!;
    expect(by('79161234567')).toMatchObject({ state: 'open', contact: { name: 'Иван Петров' }, assignee: { name: 'Анна Смирнова' }, team: { name: 'Support' } });
    expect(by('447911123456')).toMatchObject({ state: 'open', assignee: null });
    expect(by('5511987654321')).toMatchObject({ state: 'open', assignee: null });
    expect(by('14155550123')).toMatchObject({ state: 'resolved' });

    // Иван's chat: his question, the agent's answer, his 👍 on it.
    const ivan = await eventually(async () => {
      const items = (await h.api.get(`/api/v1/conversations/${by('79161234567').id}/messages`)).body.items as Array<{ type: string; direction: string; content: Record<string, unknown> }>;
      return items.some((m) => m.type === 'reaction') ? items : undefined;
    }, { what: "Иван's reaction" });
    expect(ivan.filter((m) => m.direction === 'out').map((m) => m.content.body)).toEqual([expect.stringContaining('№4812')]);
    const ana = (await h.api.get(`/api/v1/conversations/${by('5511987654321').id}/messages`)).body.items as Array<{ type: string }>;
    expect(ana.map((m) => m.type).sort()).toEqual(['location', 'text']);

    // The agent sees the note's mention in their Mentions folder.
    const agent = h.parley.demo!.users.find((u) => u.role === 'agent')!;
    const signIn = await h.raw.post('/api/v1/auth/sign-in', { email: agent.email, password: agent.password });
    expect(signIn.status).toBe(200);
    const session = cookieClient(h, cookieFrom(signIn)!, signIn.body.csrfToken);
    const mentions = await session.get('/api/v1/conversations/mentions');
    expect(mentions.body.items.map((c: { id: string }) => c.id)).toEqual([by('447911123456').id]);
    expect((await session.get('/api/v1/conversations/counts')).body.mentions).toEqual({ total: 1, unread: 1 });

    // The customers received the business replies.
    for (const waId of ['79161234567', '14155550123']) {
      await eventually(async () => {
        const got = await h.sandbox.get(`/_sandbox/messages?to=${waId}`);
        return JSON.stringify(got.body).includes('"text"') || undefined;
      }, { what: `the reply to ${waId}` });
    }
  });
});
