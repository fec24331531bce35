// Work distribution on both databases, over real HTTP with the sandbox's customers and real live
// sockets for presence: round robin alternates between online agents (away and offline ones get
// nothing), capacity stops at the max until a chat is resolved, VIPs first, a released chat goes back
// to the queue, two routers at once never give a chat twice, idle chats auto-resolve on Parley's clock,
// and bad settings are refused with a code naming the field.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/services/sessions.js';
import { createTeam } from '../../src/store/queries/teams.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { TimersWorker } from '../../src/workers/timers.js';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, assignAs, customerWrites, put, teamWith } from './assignment-steps.js';
import { connectLive, operator, type LiveClient, type Operator } from './live-steps.js';

const HOUR = 3_600_000;

describe.each<DbKind>(['sqlite', 'postgres'])('routing and auto-resolve (%s)', (db) => {
  let h: Harness;
  let offset = 0;
  const sockets: LiveClient[] = [];
  let phone = 0;
  const nextPhone = () => `4474013${db === 'sqlite' ? 1 : 2}${String(++phone).padStart(4, '0')}`;

  beforeAll(async () => { h = await startHarness({ db, now: () => Date.now() + offset }); });
  afterAll(async () => {
    for (const s of sockets) await s.close();
    await h?.close();
  });

  const conversation = async (id: string) => (await h.api.get(`/api/v1/conversations/${id}`)).body as { assigneeId: string | null; teamId: string | null; state: string; contactId: string };
  const assignedTo = (id: string) => eventually(async () => (await conversation(id)).assigneeId, { what: `${id} assigned` });
  const autoRows = async (id: string) => ((await h.api.get(`/api/v1/conversations/${id}/assignments`)).body.items as Array<{ byUserId: string | null; note: string | null }>)
    .filter((a) => a.byUserId === null && a.note?.startsWith('auto'));
  const online = async (...who: Operator[]) => {
    for (const op of who) sockets.push(await connectLive(h.parley.url, op.cookie));
  };
  const presenceOf = async (userId: string) => ((await h.api.get('/api/v1/presence')).body as Array<{ userId: string; status: string }>).find((p) => p.userId === userId)?.status ?? 'offline';
  const setRouting = async (teamId: string, body: unknown) => {
    const res = await put(h, `/api/v1/teams/${teamId}/routing`, body, apiKeyHeaders(h));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const setDefaultTeam = async (teamId: string | null) => {
    const res = await h.api.patch('/api/v1/workspace/settings', { defaultTeamId: teamId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.defaultTeamId).toBe(teamId);
  };

  it('reads and changes routing settings, refusing bad ones with a code that names the field', async () => {
    const agent = await operator(h, 'agent');
    const team = await teamWith(h, 'Settings check', []);
    expect((await h.api.get(`/api/v1/teams/${team}/routing`)).body).toEqual({ mode: 'manual', maxOpenPerAgent: null, matchLanguage: false });
    expect((await h.api.get('/api/v1/teams')).body.items.find((t: { id: string }) => t.id === team).routing).toEqual({ mode: 'manual', maxOpenPerAgent: null, matchLanguage: false });
    expect((await h.api.get('/api/v1/workspace/settings')).body).toEqual({ agentVisibility: 'all', defaultTeamId: null, autoResolveAfterHours: null });

    const refused = async (path: string, body: unknown, method: 'PUT' | 'PATCH' = 'PUT') => {
      const res = method === 'PUT' ? await put(h, path, body, apiKeyHeaders(h)) : await h.api.patch(path, body);
      return { status: res.status, code: res.body.error?.code, field: res.body.error?.details?.field };
    };
    expect(await refused(`/api/v1/teams/${team}/routing`, { mode: 'capacity', maxOpenPerAgent: null })).toEqual({ status: 400, code: 'routing_invalid', field: 'maxOpenPerAgent' });
    expect(await refused(`/api/v1/teams/${team}/routing`, { mode: 'capacity', maxOpenPerAgent: 0 })).toEqual({ status: 400, code: 'routing_invalid', field: 'maxOpenPerAgent' });
    expect(await refused(`/api/v1/teams/${team}/routing`, { mode: 'round_robin', maxOpenPerAgent: 201 })).toEqual({ status: 400, code: 'routing_invalid', field: 'maxOpenPerAgent' });
    expect((await refused(`/api/v1/teams/${team}/routing`, { mode: 'lottery', maxOpenPerAgent: null })).code).toBe('validation_failed');
    expect((await refused('/api/v1/teams/team_nope/routing', { mode: 'manual', maxOpenPerAgent: null })).code).toBe('team_not_found');
    expect(await refused('/api/v1/workspace/settings', { autoResolveAfterHours: 0 }, 'PATCH')).toEqual({ status: 400, code: 'routing_invalid', field: 'autoResolveAfterHours' });
    expect(await refused('/api/v1/workspace/settings', { autoResolveAfterHours: 721 }, 'PATCH')).toEqual({ status: 400, code: 'routing_invalid', field: 'autoResolveAfterHours' });
    expect(await refused('/api/v1/workspace/settings', { defaultTeamId: 'team_nope', agentVisibility: 'own_team_unassigned' }, 'PATCH'))
      .toEqual({ status: 404, code: 'team_not_found', field: 'defaultTeamId' });
    // Another workspace's team is not found, read or written.
    const elsewhere = await createWorkspace(h.parley.deps.database.db, { name: 'Elsewhere', now: Date.now() });
    const foreign = await createTeam(h.parley.deps.database.db, elsewhere.id, { name: 'Foreign', now: Date.now() });
    expect((await h.api.get(`/api/v1/teams/${foreign.id}/routing`)).status).toBe(404);
    expect((await refused(`/api/v1/teams/${foreign.id}/routing`, { mode: 'round_robin', maxOpenPerAgent: null })).code).toBe('team_not_found');
    expect((await refused('/api/v1/workspace/settings', { defaultTeamId: foreign.id }, 'PATCH')).code).toBe('team_not_found');
    expect((await h.parley.deps.database.db.selectFrom('team_routing').select('team_id').where('team_id', '=', foreign.id).execute())).toEqual([]);
    // The refused PATCH changed nothing, not even the valid part of it.
    expect((await h.api.get('/api/v1/workspace/settings')).body.agentVisibility).toBe('all');
    // Agents read but do not change (a signed-in agent with a valid CSRF token: refused for the role).
    const session = await createSession(h.parley.deps, { id: agent.id, workspaceId: h.parley.demo!.workspaceId }, {});
    const asAgent = { cookie: `parley_session=${session.token}`, 'x-csrf-token': session.csrfToken };
    expect((await h.raw.get(`/api/v1/teams/${team}/routing`, asAgent)).body).toEqual({ mode: 'manual', maxOpenPerAgent: null, matchLanguage: false });
    const forbidden = await put(h, `/api/v1/teams/${team}/routing`, { mode: 'round_robin', maxOpenPerAgent: null }, asAgent);
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'forbidden']);

    await setRouting(team, { mode: 'capacity', maxOpenPerAgent: 3 });
    expect((await h.api.get(`/api/v1/teams/${team}/routing`)).body).toEqual({ mode: 'capacity', maxOpenPerAgent: 3, matchLanguage: false });
    const both = await h.api.patch('/api/v1/workspace/settings', { defaultTeamId: team, autoResolveAfterHours: 24 });
    expect(both.body).toEqual({ agentVisibility: 'all', defaultTeamId: team, autoResolveAfterHours: 24 });
    // Other fields are left as they are; a deleted default team reads as none.
    expect((await h.api.patch('/api/v1/workspace/settings', { agentVisibility: 'all' })).body).toEqual({ agentVisibility: 'all', defaultTeamId: team, autoResolveAfterHours: 24 });
    expect((await h.api.delete(`/api/v1/teams/${team}`)).status).toBe(204);
    expect((await h.api.patch('/api/v1/workspace/settings', { autoResolveAfterHours: null })).body).toEqual({ agentVisibility: 'all', defaultTeamId: null, autoResolveAfterHours: null });
  });

  it('round robin alternates between the two online agents; away and offline members get nothing; a released chat goes back to the queue', async () => {
    const [a, b, offline, away] = [await operator(h), await operator(h), await operator(h), await operator(h)];
    const sales = await teamWith(h, 'Sales', [a.id, b.id, offline.id, away.id]);
    await setRouting(sales, { mode: 'round_robin', maxOpenPerAgent: null });
    await setDefaultTeam(sales);
    await online(a, b, away);
    sockets.at(-1)!.send({ type: 'presence', status: 'away' });
    await eventually(async () => (await presenceOf(away.id)) === 'away', { what: 'away agent shown away' });

    const given: string[] = [];
    const chats: string[] = [];
    for (let i = 0; i < 4; i++) {
      // Nobody runs the timers here: the customer's message nudges the router.
      const id = await customerWrites(h, nextPhone(), `Round robin ${i}`);
      chats.push(id);
      given.push(await assignedTo(id));
      expect((await conversation(id)).teamId).toBe(sales);
    }
    expect(new Set(given)).toEqual(new Set([a.id, b.id]));
    expect(given[0]).not.toBe(given[1]);
    expect(given[2]).toBe(given[0]);
    expect(given[3]).toBe(given[1]);
    for (const id of chats) expect(await autoRows(id)).toEqual([expect.objectContaining({ note: 'auto (round robin)' })]);

    // Released by its agent, the first chat is given again — to whoever's turn it is (the first agent's).
    expect((await assignAs(h.api, chats[0]!, { assigneeId: null })).status).toBe(200);
    await h.parley.timers.routeOnce();
    expect(await assignedTo(chats[0]!)).toBe(given[0]);
    expect(await autoRows(chats[0]!)).toHaveLength(2);
  });

  it('capacity gives up to the max each, then the next chat waits until one is resolved', async () => {
    const [e, f] = [await operator(h), await operator(h)];
    const support = await teamWith(h, 'Support', [e.id, f.id]);
    await setRouting(support, { mode: 'capacity', maxOpenPerAgent: 1 });
    await setDefaultTeam(support);
    await online(e, f);
    const first = await customerWrites(h, nextPhone(), 'Capacity 1');
    const second = await customerWrites(h, nextPhone(), 'Capacity 2');
    const byFirst = await assignedTo(first);
    const bySecond = await assignedTo(second);
    expect(new Set([byFirst, bySecond])).toEqual(new Set([e.id, f.id]));

    const third = await customerWrites(h, nextPhone(), 'Capacity 3');
    await h.parley.timers.runOnce();
    expect((await conversation(third)).assigneeId).toBeNull();

    expect((await h.api.patch(`/api/v1/conversations/${first}`, { state: 'resolved' })).status).toBe(200);
    await h.parley.timers.runOnce();
    expect((await conversation(third)).assigneeId).toBe(byFirst);
    expect((await conversation(third)).teamId).toBe(support);
    expect(await autoRows(third)).toEqual([expect.objectContaining({ note: 'auto (capacity)' })]);
  });

  it('serves VIPs first (contact tag or high priority), then the longest waiting', async () => {
    const g = await operator(h);
    const vipTeam = await teamWith(h, 'VIP desk', [g.id]);
    await setRouting(vipTeam, { mode: 'capacity', maxOpenPerAgent: 1 });
    await setDefaultTeam(vipTeam);
    // g is offline: the chats wait.
    const oldest = await customerWrites(h, nextPhone(), 'Plain, first');
    const plain = await customerWrites(h, nextPhone(), 'Plain, second');
    const tagged = await customerWrites(h, nextPhone(), 'VIP by tag');
    const high = await customerWrites(h, nextPhone(), 'VIP by priority');
    expect((await h.api.patch(`/api/v1/contacts/${(await conversation(tagged)).contactId}`, { tags: ['vip'] })).status).toBe(200);
    expect((await h.api.patch(`/api/v1/conversations/${high}`, { priority: 'high' })).status).toBe(200);
    await h.parley.timers.runOnce();
    for (const id of [oldest, plain, tagged, high]) expect((await conversation(id)).assigneeId).toBeNull();

    await online(g);
    const served: string[] = [];
    for (let i = 0; i < 4; i++) {
      await h.parley.timers.routeOnce();
      const now = await Promise.all([oldest, plain, tagged, high].map(async (id) => [id, (await conversation(id)).assigneeId] as const));
      const mine = now.filter(([id, who]) => who === g.id && !served.includes(id)).map(([id]) => id);
      expect(mine).toHaveLength(1);
      served.push(mine[0]!);
      expect((await h.api.patch(`/api/v1/conversations/${mine[0]}`, { state: 'resolved' })).status).toBe(200);
    }
    // Both VIPs (the one waiting longer first), then the plain ones oldest first.
    expect(served).toEqual([tagged, high, oldest, plain]);
  });

  it('two routers running at once never give a chat twice nor past the max', async () => {
    const [x, y] = [await operator(h), await operator(h)];
    const duo = await teamWith(h, 'Duo', [x.id, y.id]);
    await setRouting(duo, { mode: 'capacity', maxOpenPerAgent: 1 });
    await setDefaultTeam(duo);
    const chats: string[] = [];
    for (let i = 0; i < 4; i++) chats.push(await customerWrites(h, nextPhone(), `Concurrent ${i}`));
    await online(x, y);
    const other = new TimersWorker(h.parley.deps);
    const [mine, theirs] = await Promise.all([h.parley.timers.routeOnce(), other.routeOnce()]);
    expect(mine + theirs).toBeLessThanOrEqual(2);
    await h.parley.timers.routeOnce();
    const assignees = await Promise.all(chats.map(async (id) => (await conversation(id)).assigneeId));
    expect(assignees.filter((who) => who !== null).sort()).toEqual([x.id, y.id].sort());
    const rows = await Promise.all(chats.map(autoRows));
    expect(rows.map((r) => r.length).sort()).toEqual([0, 0, 1, 1]);
  });

  it('auto-resolves open and pending chats idle for the set hours, live; snoozed, untaken unanswered and scheduled ones stay', async () => {
    const supervisor = await operator(h, 'supervisor');
    const live = await connectLive(h.parley.url, supervisor.cookie);
    sockets.push(live);
    await setDefaultTeam(null);
    const open = await customerWrites(h, nextPhone(), 'Idle open');
    const pending = await customerWrites(h, nextPhone(), 'Idle pending');
    const snoozed = await customerWrites(h, nextPhone(), 'Idle snoozed');
    const untaken = await customerWrites(h, nextPhone(), 'Nobody has seen me yet');
    const scheduled = await customerWrites(h, nextPhone(), 'Write to me in 3 hours');
    // Taken (by the supervisor) and answered (by the API): idle chats someone dealt with.
    await assignAs(h.api, open, { assigneeId: supervisor.id });
    const contactOf = async (id: string) => (await conversation(id)).contactId as string;
    expect((await h.api.post('/api/v1/messages', { contactId: await contactOf(pending), content: { type: 'text', body: 'Anything else?' } })).status).toBe(202);
    expect((await h.api.patch(`/api/v1/conversations/${pending}`, { state: 'pending' })).status).toBe(200);
    expect((await h.api.patch(`/api/v1/conversations/${snoozed}`, { snoozedUntil: Date.now() + 30 * 24 * HOUR })).status).toBe(200);
    await assignAs(h.api, scheduled, { assigneeId: supervisor.id });
    expect((await h.api.post(`/api/v1/conversations/${scheduled}/scheduled-messages`, { content: { type: 'text', body: 'As promised' }, sendAt: Date.now() + 3 * HOUR })).status).toBe(201);
    expect((await h.api.patch('/api/v1/workspace/settings', { autoResolveAfterHours: 2 })).status).toBe(200);

    offset = 2 * HOUR - 60_000;
    await h.parley.timers.runOnce();
    expect((await conversation(open)).state).toBe('open');
    expect((await conversation(pending)).state).toBe('pending');

    offset = 2 * HOUR + 60_000;
    const seen = live.events.length;
    await h.parley.timers.runOnce();
    expect((await conversation(open)).state).toBe('resolved');
    expect((await conversation(pending)).state).toBe('resolved');
    expect((await conversation(snoozed)).state).toBe('snoozed');
    expect((await conversation(untaken)).state).toBe('open');
    expect((await conversation(scheduled)).state).toBe('open');
    await live.waitFor((e) => e.kind === 'conversation.updated' && e.conversationId === open && live.events.indexOf(e) >= seen, 'live update of the auto-resolved chat');
    offset = 0;
  });
});
