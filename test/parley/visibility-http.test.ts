// Agent visibility over HTTP on both databases: in 'own_team_unassigned' mode an agent does not see
// another team's conversation in the list, by id (404), in its messages, in /read or any change; a
// supervisor and the API key still see it; mode 'all' shows it again. Teams API permissions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, assignAs, customerWrites, ids, put, teamWith } from './assignment-steps.js';

describe.each<DbKind>(['sqlite', 'postgres'])('visibility over HTTP (%s)', (db) => {
  let h: Harness;
  let agent: SignedInOperator;
  let supervisor: SignedInOperator;
  let sales: string;
  let support: string;
  const conv: Record<'own' | 'other' | 'free' | 'mine', string> = { own: '', other: '', free: '', mine: '' };

  beforeAll(async () => {
    h = await startHarness({ db });
    agent = await signInAs(h, 'agent', { name: 'Alice Agent' });
    supervisor = await signInAs(h, 'supervisor', { name: 'Sam Supervisor' });
    sales = await teamWith(h, 'Sales', [agent.user.id]);
    support = await teamWith(h, 'Support', []);
    conv.own = await customerWrites(h, '447400123701');
    conv.other = await customerWrites(h, '447400123702');
    conv.free = await customerWrites(h, '447400123703');
    conv.mine = await customerWrites(h, '447400123704');
    expect((await assignAs(h.api, conv.own, { teamId: sales })).status).toBe(200);
    expect((await assignAs(h.api, conv.other, { teamId: support })).status).toBe(200);
    expect((await assignAs(h.api, conv.mine, { assigneeId: agent.user.id, teamId: support })).status).toBe(200);
    const set = await h.api.patch('/api/v1/workspace/settings', { agentVisibility: 'own_team_unassigned' });
    expect(set.body).toEqual({ agentVisibility: 'own_team_unassigned', defaultTeamId: null, autoResolveAfterHours: null });
  }, 60_000);
  afterAll(async () => { await h?.close(); });

  it("hides another team's conversation from an agent: list, folders, by id, messages, read, changes", async () => {
    const list = await agent.client.get('/api/v1/conversations?limit=200');
    expect(list.status).toBe(200);
    expect(ids(list)).toContain(conv.own);
    expect(ids(list)).toContain(conv.free);
    expect(ids(list)).toContain(conv.mine);
    expect(ids(list)).not.toContain(conv.other);
    expect(ids(await agent.client.get('/api/v1/conversations?folder=mine'))).toEqual([conv.mine]);
    expect(ids(await agent.client.get('/api/v1/conversations?folder=teams'))).toEqual([conv.own]);
    expect(ids(await agent.client.get(`/api/v1/conversations?teamId=${support}`))).toEqual([conv.mine]);
    expect(ids(await agent.client.get('/api/v1/conversations?folder=unassigned&limit=200'))).toEqual(expect.arrayContaining([conv.own, conv.free]));
    expect(ids(await agent.client.get('/api/v1/conversations?folder=unassigned&limit=200'))).not.toContain(conv.other);

    for (const [method, path] of [
      ['get', `/api/v1/conversations/${conv.other}`], ['get', `/api/v1/conversations/${conv.other}/messages`],
      ['post', `/api/v1/conversations/${conv.other}/read`], ['get', `/api/v1/conversations/${conv.other}/assignments`],
    ] as const) {
      const res = await agent.client[method](path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('conversation_not_found');
    }
    const patch = await agent.client.patch(`/api/v1/conversations/${conv.other}`, { state: 'resolved' });
    expect(patch.status).toBe(404);
    expect((await assignAs(agent.client, conv.other, { assigneeId: agent.user.id })).status).toBe(404);
    // Nothing changed behind the 404s.
    const seen = await h.api.get(`/api/v1/conversations/${conv.other}`);
    expect(seen.body).toMatchObject({ state: 'open', assignee: null, team: { id: support, name: 'Support' }, unreadCount: 1 });

    const own = await agent.client.get(`/api/v1/conversations/${conv.own}`);
    expect(own.status).toBe(200);
    expect(own.body.team).toEqual({ id: sales, name: 'Sales' });
  });

  it('counts per folder only what the agent may see, and how many are unread', async () => {
    const counts = await agent.client.get('/api/v1/conversations/counts?state=open');
    expect(counts.status, JSON.stringify(counts.body)).toBe(200);
    expect(counts.body).toEqual({
      mine: { total: 1, unread: 1 }, unassigned: { total: 2, unread: 2 }, teams: { total: 1, unread: 1 }, all: { total: 3, unread: 3 },
      mentions: { total: 0, unread: 0 },
    });
    const read = await agent.client.post(`/api/v1/conversations/${conv.free}/read`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect((await agent.client.get('/api/v1/conversations/counts')).body.all).toEqual({ total: 3, unread: 2 });
    expect((await h.api.get('/api/v1/conversations/counts')).body.all).toEqual({ total: 4, unread: 3 });
    expect((await agent.client.get('/api/v1/conversations/counts?state=resolved')).body.all).toEqual({ total: 0, unread: 0 });
  });

  it('shows everything to a supervisor and to the API key, and to agents in mode all', async () => {
    expect(ids(await supervisor.client.get('/api/v1/conversations?limit=200'))).toContain(conv.other);
    expect((await supervisor.client.get(`/api/v1/conversations/${conv.other}`)).status).toBe(200);
    expect(ids(await h.api.get('/api/v1/conversations?limit=200'))).toContain(conv.other);
    // Only admins change the setting.
    const refused = await agent.client.patch('/api/v1/workspace/settings', { agentVisibility: 'all' });
    expect(refused.status).toBe(403);
    expect((await h.api.patch('/api/v1/workspace/settings', { agentVisibility: 'all' })).status).toBe(200);
    try {
      expect(ids(await agent.client.get('/api/v1/conversations?limit=200'))).toContain(conv.other);
      expect((await agent.client.get(`/api/v1/conversations/${conv.other}`)).status).toBe(200);
    } finally {
      await h.api.patch('/api/v1/workspace/settings', { agentVisibility: 'own_team_unassigned' });
    }
    expect((await agent.client.get(`/api/v1/conversations/${conv.other}`)).status).toBe(404);
  });

  it('a new member of a team sees its conversations at once; removed, no longer', async () => {
    const auth = { ...apiKeyHeaders(h) };
    expect((await put(h, `/api/v1/teams/${support}/members`, { userIds: [agent.user.id] }, auth)).body.memberIds).toEqual([agent.user.id]);
    expect((await agent.client.get(`/api/v1/conversations/${conv.other}`)).status).toBe(200);
    expect((await put(h, `/api/v1/teams/${support}/members`, { userIds: [] }, auth)).body.memberIds).toEqual([]);
    expect((await agent.client.get(`/api/v1/conversations/${conv.other}`)).status).toBe(404);
  });

  it('teams: anyone reads, only admins and up (or the API key) change; names unique; delete clears the team', async () => {
    const listed = await agent.client.get('/api/v1/teams');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { name: string }) => t.name)).toEqual(['Sales', 'Support']);
    expect(listed.body.items[0].memberIds).toEqual([agent.user.id]);
    expect((await agent.client.post('/api/v1/teams', { name: 'Rogue' })).status).toBe(403);
    expect((await supervisor.client.post('/api/v1/teams', { name: 'Rogue' })).status).toBe(403);
    expect((await put(h, `/api/v1/teams/${sales}/members`, { userIds: [] }, { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken })).status).toBe(403);
    const dup = await h.api.post('/api/v1/teams', { name: 'Sales' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('team_name_taken');
    // Names are compared without case, for a new team and a rename alike; a team may change its own name's case.
    expect((await h.api.post('/api/v1/teams', { name: 'sALES' })).body.error).toMatchObject({ code: 'team_name_taken', message: expect.stringContaining('"Sales"') });
    const badMember = await put(h, `/api/v1/teams/${sales}/members`, { userIds: ['usr_nobody'] }, apiKeyHeaders(h));
    expect(badMember.status).toBe(400);

    const temp = await teamWith(h, 'Temp', []);
    expect((await h.api.patch(`/api/v1/teams/${temp}`, { name: 'support' })).body.error.code).toBe('team_name_taken');
    expect((await h.api.patch(`/api/v1/teams/${temp}`, { name: 'temp' })).body.name).toBe('temp');
    expect((await h.api.patch(`/api/v1/teams/${temp}`, { name: 'Temporary' })).body.name).toBe('Temporary');
    const c = await customerWrites(h, '447400123709');
    await assignAs(h.api, c, { teamId: temp, assigneeId: supervisor.user.id });
    expect((await h.api.delete(`/api/v1/teams/${temp}`)).status).toBe(204);
    expect((await h.api.delete(`/api/v1/teams/${temp}`)).status).toBe(404);
    const after = await h.api.get(`/api/v1/conversations/${c}`);
    expect(after.body).toMatchObject({ teamId: null, team: null, assignee: { id: supervisor.user.id, name: 'Sam Supervisor' } });
  });
});
