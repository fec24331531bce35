// Private notes over HTTP on both databases: create and list with author and @mentions, 404 for an
// agent who may not see the conversation, the Mentions folder showing and clearing, empty text refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { assignAs, customerWrites, ids, teamWith } from './assignment-steps.js';
import { startHarness, type DbKind, type Harness } from './harness.js';

describe.each<DbKind>(['sqlite', 'postgres'])('notes API (%s)', (db) => {
  let h: Harness;
  let ann: SignedInOperator;
  let bob: SignedInOperator;
  let outsider: SignedInOperator;
  let conv: string;
  let hidden: string;

  beforeAll(async () => {
    h = await startHarness({ db });
    ann = await signInAs(h, 'agent', { name: 'Ann Alpha' });
    bob = await signInAs(h, 'agent', { name: 'Bob Beta' });
    outsider = await signInAs(h, 'agent', { name: 'Oscar Outsider' });
    const sales = await teamWith(h, 'Sales', [ann.user.id, bob.user.id]);
    const support = await teamWith(h, 'Support', []);
    conv = await customerWrites(h, '447400124801', 'Where is my order?');
    hidden = await customerWrites(h, '447400124802', 'Hello');
    expect((await assignAs(h.api, conv, { teamId: sales })).status).toBe(200);
    expect((await assignAs(h.api, hidden, { teamId: support })).status).toBe(200);
    expect((await h.api.patch('/api/v1/workspace/settings', { agentVisibility: 'own_team_unassigned' })).status).toBe(200);
  }, 60_000);
  afterAll(async () => { await h?.close(); });

  it('creates a note with its author and mentions, lists it, and never sends it to the customer', async () => {
    const created = await ann.client.post(`/api/v1/conversations/${conv}/notes`, { body: '  @bob beta please check the refund  ' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      conversationId: conv, authorId: ann.user.id, authorName: 'Ann Alpha', body: '@bob beta please check the refund',
      mentions: [{ userId: bob.user.id, name: 'Bob Beta', start: 0, end: 9 }],
    });
    const list = await bob.client.get(`/api/v1/conversations/${conv}/notes`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([created.body]);
    // Not a message: the timeline and the sandbox customer have nothing of it.
    const messages = await h.api.get(`/api/v1/conversations/${conv}/messages?limit=50`);
    expect(JSON.stringify(messages.body)).not.toContain('refund');
  });

  it('hides notes of a conversation the agent may not see (404 both ways), refuses empty text', async () => {
    for (const res of [await outsider.client.get(`/api/v1/conversations/${hidden}/notes`), await ann.client.post(`/api/v1/conversations/${hidden}/notes`, { body: 'x' })]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('conversation_not_found');
    }
    expect((await h.api.get(`/api/v1/conversations/${hidden}/notes`)).body.items).toEqual([]);
    const empty = await ann.client.post(`/api/v1/conversations/${conv}/notes`, { body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('note_body_empty');
  });

  it('the Mentions folder shows a conversation until the mentioned user marks it seen', async () => {
    const before = await bob.client.get('/api/v1/conversations/mentions');
    expect(before.status).toBe(200);
    expect(ids(before)).toEqual([conv]);
    expect(before.body.items[0]).toMatchObject({ id: conv, unseenMentions: 1, contact: { waId: '447400124801' } });
    expect(ids(await ann.client.get('/api/v1/conversations/mentions'))).toEqual([]);

    // Ann opening it does not clear Bob's mention.
    expect((await ann.client.post(`/api/v1/conversations/${conv}/mentions/seen`)).body).toEqual({ seen: 0 });
    expect((await bob.client.post(`/api/v1/conversations/${conv}/mentions/seen`)).body).toEqual({ seen: 1 });
    expect(ids(await bob.client.get('/api/v1/conversations/mentions'))).toEqual([]);

    // A new mention brings it back; a mention in a conversation Bob cannot see never shows.
    await h.api.post(`/api/v1/conversations/${hidden}/notes`, { body: '@Bob Beta look' });
    await ann.client.post(`/api/v1/conversations/${conv}/notes`, { body: 'again @Bob Beta' });
    expect(ids(await bob.client.get('/api/v1/conversations/mentions'))).toEqual([conv]);
    expect((await outsider.client.post(`/api/v1/conversations/${hidden}/mentions/seen`)).status).toBe(404);
  });
});
