// Canned replies over HTTP on both databases: CRUD by a supervisor and an API key, agents read only,
// validation errors (unknown variable with the allowed list, braces, shortcut), team scoping, ?q= search.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { teamWith } from './assignment-steps.js';
import { startHarness, type DbKind, type Harness } from './harness.js';

describe.each<DbKind>(['sqlite', 'postgres'])('canned replies API (%s)', (db) => {
  let h: Harness;
  let agent: SignedInOperator;
  let outsider: SignedInOperator;
  let supervisor: SignedInOperator;
  let sales: string;

  beforeAll(async () => {
    h = await startHarness({ db });
    agent = await signInAs(h, 'agent', { name: 'Alice Agent' });
    outsider = await signInAs(h, 'agent', { name: 'Oscar Outsider' });
    supervisor = await signInAs(h, 'supervisor', { name: 'Sam Supervisor' });
    sales = await teamWith(h, 'Sales', [agent.user.id]);
  }, 60_000);
  afterAll(async () => { await h?.close(); });

  it('a supervisor creates, reads, changes and deletes; the shortcut is stored lower-case', async () => {
    const created = await supervisor.client.post('/api/v1/canned-replies', { shortcut: 'Thanks', title: 'Thank you', body: 'Thanks, {{contact.name}}! — {{agent.name}}' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ shortcut: 'thanks', title: 'Thank you', team: null, variables: ['contact.name', 'agent.name'], prompts: [] });
    const id = created.body.id as string;
    expect((await agent.client.get(`/api/v1/canned-replies/${id}`)).body.title).toBe('Thank you');

    const changed = await supervisor.client.patch(`/api/v1/canned-replies/${id}`, { body: 'Order {{?Order number}} is on its way', teamId: sales });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ shortcut: 'thanks', body: 'Order {{?Order number}} is on its way', team: { id: sales, name: 'Sales' }, prompts: ['Order number'] });

    const deleted = await supervisor.client.delete(`/api/v1/canned-replies/${id}`);
    expect(deleted.status).toBe(204);
    const gone = await supervisor.client.get(`/api/v1/canned-replies/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('canned_reply_not_found');
    expect((await supervisor.client.delete(`/api/v1/canned-replies/${id}`)).status).toBe(404);
  });

  it('agents may read but not write (403); API keys may write', async () => {
    const denied = await agent.client.post('/api/v1/canned-replies', { shortcut: 'nope', title: 'No', body: 'No' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    const byKey = await h.api.post('/api/v1/canned-replies', { shortcut: 'key-made', title: 'By key', body: 'Hello' });
    expect(byKey.status).toBe(201);
    expect((await agent.client.patch(`/api/v1/canned-replies/${byKey.body.id}`, { title: 'X' })).status).toBe(403);
    expect((await agent.client.delete(`/api/v1/canned-replies/${byKey.body.id}`)).status).toBe(403);
    expect((await h.api.get(`/api/v1/canned-replies/${byKey.body.id}`)).body.title).toBe('By key');
  });

  it('rejects an unknown variable with its name and the allowed ones, unbalanced braces, bad shortcuts, a taken shortcut', async () => {
    const unknown = await h.api.post('/api/v1/canned-replies', { shortcut: 'bad', title: 'Bad', body: 'Hi {{contact.email}}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('canned_reply_template_invalid');
    expect(unknown.body.error.message).toContain('{{contact.email}}');
    expect(unknown.body.error.details).toMatchObject({ field: 'body', kind: 'unknown_variable', name: 'contact.email' });
    expect(unknown.body.error.details.allowed).toEqual(expect.arrayContaining(['contact.name', 'contact.phone', 'agent.name', 'contact.attributes.<key>']));

    const braces = await h.api.post('/api/v1/canned-replies', { shortcut: 'bad', title: 'Bad', body: 'Hi {{contact.name' });
    expect(braces.status).toBe(400);
    expect(braces.body.error.details).toMatchObject({ kind: 'unbalanced_braces', at: 3 });

    const shortcut = await h.api.post('/api/v1/canned-replies', { shortcut: 'two words', title: 'Bad', body: 'x' });
    expect(shortcut.status).toBe(400);
    expect(shortcut.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'shortcut' } });

    const team = await h.api.post('/api/v1/canned-replies', { shortcut: 'ghost', title: 'Ghost', body: 'x', teamId: 'team_nope' });
    expect(team.status).toBe(404);
    expect(team.body.error.code).toBe('team_not_found');

    expect((await h.api.post('/api/v1/canned-replies', { shortcut: 'dup', title: 'One', body: 'x' })).status).toBe(201);
    const taken = await h.api.post('/api/v1/canned-replies', { shortcut: 'DUP', title: 'Two', body: 'y' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('canned_reply_shortcut_taken');
    const list = await h.api.get('/api/v1/canned-replies?q=dup');
    expect(list.body.items.map((r: { title: string }) => r.title)).toEqual(['One']);
    const other = await h.api.post('/api/v1/canned-replies', { shortcut: 'dup2', title: 'Two', body: 'y' });
    expect((await h.api.patch(`/api/v1/canned-replies/${other.body.id}`, { shortcut: 'dup' })).status).toBe(409);
    expect((await h.api.patch(`/api/v1/canned-replies/${other.body.id}`, { body: '{{agent.nam}}' })).status).toBe(400);
    expect((await h.api.get(`/api/v1/canned-replies/${other.body.id}`)).body).toMatchObject({ shortcut: 'dup2', body: 'y' });
  });

  it("shows a team's replies only to its members (and supervisors, API keys); hides them by id too", async () => {
    const teamOnly = await h.api.post('/api/v1/canned-replies', { shortcut: 'sales-promo', title: 'Sales promo', body: 'Promo', teamId: sales });
    expect(teamOnly.status).toBe(201);
    const shortcuts = async (client: typeof h.api) => ((await client.get('/api/v1/canned-replies')).body.items as Array<{ shortcut: string }>).map((r) => r.shortcut);
    expect(await shortcuts(agent.client)).toContain('sales-promo');
    expect(await shortcuts(supervisor.client)).toContain('sales-promo');
    expect(await shortcuts(h.api)).toContain('sales-promo');
    const outsiders = await shortcuts(outsider.client);
    expect(outsiders).not.toContain('sales-promo');
    expect(outsiders).toContain('key-made');
    const byId = await outsider.client.get(`/api/v1/canned-replies/${teamOnly.body.id}`);
    expect(byId.status).toBe(404);

    // Deleting the team deletes its replies.
    const temp = await teamWith(h, 'Temp', [outsider.user.id]);
    const tempReply = await h.api.post('/api/v1/canned-replies', { shortcut: 'temp', title: 'Temp', body: 'x', teamId: temp });
    expect((await outsider.client.get(`/api/v1/canned-replies/${tempReply.body.id}`)).status).toBe(200);
    expect((await h.api.delete(`/api/v1/teams/${temp}`)).status).toBe(204);
    expect((await h.api.get(`/api/v1/canned-replies/${tempReply.body.id}`)).status).toBe(404);
  });

  it('?q= searches shortcut and title (any script), shortcut prefixes first', async () => {
    for (const [shortcut, title] of [['delivery', 'Delivery times'], ['late-delivery', 'Sorry for the wait'], ['refund', 'Возврат за доставку'], ['hello', 'Привет']]) {
      expect((await h.api.post('/api/v1/canned-replies', { shortcut, title, body: `Text of ${shortcut}` })).status).toBe(201);
    }
    const q = async (query: string) => ((await agent.client.get(`/api/v1/canned-replies?q=${encodeURIComponent(query)}`)).body.items as Array<{ shortcut: string }>).map((r) => r.shortcut);
    expect(await q('deliv')).toEqual(['delivery', 'late-delivery']);
    expect(await q('ДОСТАВ')).toEqual(['refund']);
    expect(await q('wait')).toEqual(['late-delivery']);
    expect(await q('zzz')).toEqual([]);
  });
});
