// Live events follow the visibility rule on both databases: an agent in 'own_team_unassigned' mode
// hears nothing of another team's conversation (live or in the resync), typing and viewing reach
// only those who may see the conversation (throttled), and presence moves online → away → offline.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAccessChanged, publishConversation } from '../../src/services/live.js';
import { createTeam, setTeamMembers } from '../../src/store/queries/teams.js';
import { updateWorkspaceSettings } from '../../src/store/queries/workspaces.js';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { connectLive, conversationOf, customerWrites, operator, type LiveClient, type Operator } from './live-steps.js';

const ANA = '5511987654321';
const JOHN = '14155550123';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<DbKind>(['sqlite', 'postgres'])('live events and visibility (%s)', (db) => {
  let h: Harness;
  let agent: Operator;
  let supervisor: Operator;
  let supportId: string;
  let hidden: { id: string };
  let visible: { id: string };

  beforeAll(async () => {
    h = await startHarness({ db });
    const { deps } = h.parley;
    const ws = h.parley.demo!.workspaceId;
    await updateWorkspaceSettings(deps.database.db, ws, { agentVisibility: 'own_team_unassigned' });
    const sales = await createTeam(deps.database.db, ws, { name: 'Sales', now: Date.now() });
    const support = await createTeam(deps.database.db, ws, { name: 'Support', now: Date.now() });
    supportId = support.id;
    agent = await operator(h, 'agent');
    supervisor = await operator(h, 'supervisor');
    await setTeamMembers(deps.database.db, ws, sales.id, [agent.id], Date.now());
    await customerWrites(h, ANA, 'Olá');
    await customerWrites(h, JOHN, 'Hi');
    await h.settleWebhooks();
    hidden = await conversationOf(h, ANA);
    visible = await conversationOf(h, JOHN);
    // Ana's chat goes to Support, the agent's other team.
    await deps.database.db.updateTable('conversations').set({ team_id: support.id, updated_at: Date.now() })
      .where('workspace_id', '=', ws).where('id', '=', hidden.id).execute();
    await publishConversation(deps, { id: hidden.id, workspaceId: ws, assigneeId: null, teamId: support.id });
  });
  afterAll(async () => h?.close());

  it("gives an agent no event of another team's conversation, live or in the resync; supervisors get all", async () => {
    const agentLive = await connectLive(h.parley.url, agent.cookie);
    const supLive = await connectLive(h.parley.url, supervisor.cookie);
    try {
      await customerWrites(h, ANA, 'second, for Support only');
      await customerWrites(h, JOHN, 'second, unassigned');
      await supLive.waitFor((e) => e.kind === 'message.created' && e.conversationId === hidden.id, 'supervisor hears Support chat');
      await supLive.waitFor((e) => e.kind === 'message.created' && e.conversationId === visible.id, 'supervisor hears unassigned chat');
      await agentLive.waitFor((e) => e.kind === 'message.created' && e.conversationId === visible.id, 'agent hears unassigned chat');
      await pause(100);
      expect(agentLive.events.filter((e) => e.conversationId === hidden.id)).toEqual([]);

      const changes = await h.raw.get('/api/v1/changes?since=0', { cookie: agent.cookie });
      expect(changes.status).toBe(200);
      const convIds = (changes.body.conversations as Array<{ id: string }>).map((c) => c.id);
      expect(convIds).toContain(visible.id);
      expect(convIds).not.toContain(hidden.id);
      const msgConvs = new Set((changes.body.messages as Array<{ conversationId: string }>).map((m) => m.conversationId));
      expect(msgConvs.has(visible.id)).toBe(true);
      expect(msgConvs.has(hidden.id)).toBe(false);
      const all = await h.raw.get('/api/v1/changes?since=0', { cookie: supervisor.cookie });
      expect((all.body.conversations as Array<{ id: string }>).map((c) => c.id)).toEqual(expect.arrayContaining([visible.id, hidden.id]));
    } finally {
      await Promise.all([agentLive.close(), supLive.close()]);
    }
  });

  it('tells one who opens a conversation who was already viewing it (once, with no echo back)', async () => {
    const supLive = await connectLive(h.parley.url, supervisor.cookie);
    let agentLive: Awaited<ReturnType<typeof connectLive>> | undefined;
    try {
      supLive.send({ type: 'viewing', conversationId: visible.id });
      await pause(100);
      // The agent's tab opens later (a reload): it has never seen the supervisor's viewing event.
      agentLive = await connectLive(h.parley.url, agent.cookie, { sendOnOpen: [{ type: 'viewing', conversationId: visible.id }] });
      const told = await agentLive.waitFor((e) => e.kind === 'viewing' && e.userId === supervisor.id, "the supervisor's viewing told to the newcomer");
      expect(told).toMatchObject({ conversationId: visible.id });
      await supLive.waitFor((e) => e.kind === 'viewing' && e.userId === agent.id, "the agent's arrival");
      await pause(200);
      expect(agentLive.events.filter((e) => e.kind === 'viewing' && e.userId === supervisor.id)).toHaveLength(1);
      expect(supLive.events.filter((e) => e.kind === 'viewing' && e.userId === agent.id)).toHaveLength(1);
    } finally {
      await Promise.all([supLive.close(), agentLive?.close()]);
    }
  });

  it('relays typing (at most one per 2 s) and viewing to others who may see the conversation, never to the sender', async () => {
    const agentLive = await connectLive(h.parley.url, agent.cookie);
    const supLive = await connectLive(h.parley.url, supervisor.cookie);
    try {
      supLive.send({ type: 'typing', conversationId: visible.id });
      supLive.send({ type: 'typing', conversationId: visible.id });
      const typing = await agentLive.waitFor((e) => e.kind === 'typing', 'typing relayed');
      expect(typing).toMatchObject({ conversationId: visible.id, userId: supervisor.id });
      // The agent may not probe a conversation it cannot see; its typing there goes nowhere.
      agentLive.send({ type: 'typing', conversationId: hidden.id });
      agentLive.send({ type: 'viewing', conversationId: visible.id });
      await supLive.waitFor((e) => e.kind === 'viewing' && e.userId === agent.id, 'viewing relayed');
      await pause(100);
      expect(agentLive.events.filter((e) => e.kind === 'typing')).toHaveLength(1);
      expect(supLive.events.filter((e) => e.kind === 'typing')).toEqual([]);
      expect(agentLive.events.filter((e) => e.kind === 'viewing')).toEqual([]);
      // What a tab sends the moment its socket opens (before 'hello') is not lost.
      const early = await connectLive(h.parley.url, supervisor.cookie, { sendOnOpen: [{ type: 'viewing', conversationId: visible.id }] });
      await agentLive.waitFor((e) => e.kind === 'viewing' && e.userId === supervisor.id, 'viewing sent on open relayed');
      await early.close();
      // Leaving (the tab closes) tells the others the agent no longer views it.
      await agentLive.close();
      await supLive.waitFor((e) => e.kind === 'viewing' && e.userId === agent.id && e.conversationId === null, 'viewing ended');
    } finally {
      await Promise.all([agentLive.close(), supLive.close()]);
    }
  });

  it('re-reads who may see what when access changes: joining Support lets the agent hear its chats at once', async () => {
    const agentLive = await connectLive(h.parley.url, agent.cookie);
    const supLive = await connectLive(h.parley.url, supervisor.cookie);
    try {
      const { deps } = h.parley;
      const ws = h.parley.demo!.workspaceId;
      await setTeamMembers(deps.database.db, ws, supportId, [agent.id], Date.now());
      await publishAccessChanged(deps, ws, [agent.id]);
      await customerWrites(h, ANA, 'for Support, which the agent joined');
      await agentLive.waitFor((e) => e.kind === 'message.created' && e.conversationId === hidden.id, 'agent hears the Support chat');
    } finally {
      await setTeamMembers(h.parley.deps.database.db, h.parley.demo!.workspaceId, supportId, [], Date.now());
      await publishAccessChanged(h.parley.deps, h.parley.demo!.workspaceId, [agent.id]);
      await Promise.all([agentLive.close(), supLive.close()]);
    }
  });

  it('shows presence online, away when the tab says so, and offline after the last socket closed', async () => {
    const supLive = await connectLive(h.parley.url, supervisor.cookie);
    let agentLive: LiveClient | undefined = await connectLive(h.parley.url, agent.cookie);
    try {
      const listed = await eventually(async () => {
        const res = await h.api.get('/api/v1/presence');
        return (res.body as Array<{ userId: string; status: string; since: number }>).find((p) => p.userId === agent.id && p.status === 'online');
      }, { what: 'agent online' });
      expect(listed.since).toBeGreaterThan(0);
      agentLive.send({ type: 'presence', status: 'away' });
      await supLive.waitFor((e) => e.kind === 'presence' && e.userId === agent.id && e.status === 'away', 'agent away');
      const away = await h.raw.get('/api/v1/presence', { cookie: supervisor.cookie });
      expect(away.body).toEqual(expect.arrayContaining([expect.objectContaining({ userId: agent.id, status: 'away' })]));
      await agentLive.close();
      agentLive = undefined;
      await supLive.waitFor((e) => e.kind === 'presence' && e.userId === agent.id && e.status === 'offline', 'agent offline', 10_000);
      const after = await h.api.get('/api/v1/presence');
      expect((after.body as Array<{ userId: string }>).map((p) => p.userId)).not.toContain(agent.id);
    } finally {
      await Promise.all([agentLive?.close(), supLive.close()]);
    }
  }, 20_000);
});
