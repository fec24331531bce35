// Assignment, status and the reply guard over HTTP on both databases: agents take unassigned or own-team
// chats for themselves only (403 otherwise), supervisors assign anyone with a note kept in the history;
// snooze needs a time or untilReply and a customer message reopens; only the assignee replies.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { assignAs, customerWrites, teamWith } from './assignment-steps.js';

const text = (body: string) => ({ type: 'text', body });

describe.each<DbKind>(['sqlite', 'postgres'])('assignment and status over HTTP (%s)', (db) => {
  let h: Harness;
  let alice: SignedInOperator;
  let bob: SignedInOperator;
  let sup: SignedInOperator;
  let sales: string;
  let support: string;

  beforeAll(async () => {
    h = await startHarness({ db });
    alice = await signInAs(h, 'agent', { name: 'Alice' });
    bob = await signInAs(h, 'agent', { name: 'Bob' });
    sup = await signInAs(h, 'supervisor', { name: 'Sue' });
    sales = await teamWith(h, 'Sales', [alice.user.id]);
    support = await teamWith(h, 'Support', [bob.user.id]);
  }, 60_000);
  afterAll(async () => { await h?.close(); });

  it('lets an agent take an unassigned chat for themselves only, and keeps it theirs', async () => {
    const c = await customerWrites(h, '447400123801');
    const other = await assignAs(alice.client, c, { assigneeId: bob.user.id });
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'assignment_forbidden', details: { reason: 'agent_assigns_only_self' } });
    const toTeam = await assignAs(alice.client, c, { assigneeId: alice.user.id, teamId: support });
    expect(toTeam.status).toBe(403);

    const taken = await assignAs(alice.client, c, { assigneeId: alice.user.id });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body).toMatchObject({ assigneeId: alice.user.id, assignee: { id: alice.user.id, name: 'Alice' }, team: null });
    const stolen = await assignAs(bob.client, c, { assigneeId: bob.user.id });
    expect(stolen.status).toBe(403);
    expect(stolen.body.error.details.reason).toBe('taken_by_other');
    expect((await h.api.get(`/api/v1/conversations/${c}`)).body.assigneeId).toBe(alice.user.id);
    expect((await h.api.get(`/api/v1/conversations?assigneeId=${alice.user.id}`)).body.items.map((x: { id: string }) => x.id)).toEqual([c]);

    // A chat of another team cannot be taken; one of the agent's own team can.
    const theirs = await customerWrites(h, '447400123802');
    await assignAs(h.api, theirs, { teamId: support });
    expect((await assignAs(alice.client, theirs, { assigneeId: alice.user.id })).body.error.details.reason).toBe('other_team');
    expect((await assignAs(bob.client, theirs, { assigneeId: bob.user.id })).status).toBe(200);
  });

  it('lets a supervisor transfer to anyone with a note, checks assignee and team, and keeps the history', async () => {
    const c = await customerWrites(h, '447400123803');
    await assignAs(alice.client, c, { assigneeId: alice.user.id });
    const moved = await assignAs(sup.client, c, { assigneeId: bob.user.id, teamId: sales, note: 'VIP, speaks Spanish' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ assignee: { id: bob.user.id, name: 'Bob' }, team: { id: sales, name: 'Sales' } });
    const history = await sup.client.get(`/api/v1/conversations/${c}/assignments`);
    expect(history.body.items).toMatchObject([
      { assigneeId: alice.user.id, teamId: null, byUserId: alice.user.id, note: null },
      { assigneeId: bob.user.id, teamId: sales, byUserId: sup.user.id, note: 'VIP, speaks Spanish' },
    ]);
    const nobody = await assignAs(sup.client, c, { assigneeId: 'usr_nobody' });
    expect(nobody.status).toBe(422);
    expect(nobody.body.error.code).toBe('assignee_invalid');
    const noTeam = await assignAs(sup.client, c, { teamId: 'team_nope' });
    expect(noTeam.status).toBe(404);
    expect(noTeam.body.error.code).toBe('team_not_found');
    // A disabled user cannot be assigned.
    const dora = await signInAs(h, 'agent', { name: 'Dora' });
    expect((await assignAs(sup.client, c, { assigneeId: dora.user.id })).status).toBe(200);
    expect((await h.api.patch(`/api/v1/users/${dora.user.id}`, { disabled: true })).status).toBe(200);
    expect((await assignAs(sup.client, c, { assigneeId: dora.user.id })).body.error?.code).toBe('assignee_invalid');
    const unassigned = await assignAs(h.api, c, { assigneeId: null, teamId: null });
    expect(unassigned.body).toMatchObject({ assignee: null, team: null });
    expect((await assignAs(h.api, c, {})).status).toBe(400);
  });

  it('changes state and priority; snooze needs a future time or untilReply; a customer message reopens', async () => {
    const at = Date.now();
    const c = await customerWrites(h, '447400123804', 'first', at);
    const resolved = await alice.client.patch(`/api/v1/conversations/${c}`, { state: 'resolved', priority: 'high' });
    expect(resolved.body).toMatchObject({ state: 'resolved', priority: 'high', snoozedUntil: null });
    expect((await h.api.get('/api/v1/conversations?state=resolved&priority=high')).body.items.map((x: { id: string }) => x.id)).toEqual([c]);

    const past = await alice.client.patch(`/api/v1/conversations/${c}`, { state: 'snoozed', snoozedUntil: Date.now() - 1000 });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('snooze_time_required');
    expect((await alice.client.patch(`/api/v1/conversations/${c}`, { state: 'snoozed' })).body.error.code).toBe('snooze_time_required');
    const until = Date.now() + 3_600_000;
    const snoozed = await alice.client.patch(`/api/v1/conversations/${c}`, { snoozedUntil: until });
    expect(snoozed.body).toMatchObject({ state: 'snoozed', snoozedUntil: until });
    expect((await alice.client.patch(`/api/v1/conversations/${c}`, { state: 'snoozed', untilReply: true })).body)
      .toMatchObject({ state: 'snoozed', snoozedUntil: null });

    await customerWrites(h, '447400123804', 'are you there?', at + 5000);
    const woke = await h.api.get(`/api/v1/conversations/${c}`);
    expect(woke.body).toMatchObject({ state: 'open', snoozedUntil: null, priority: 'high' });

    await alice.client.patch(`/api/v1/conversations/${c}`, { state: 'pending' });
    // A redelivered older message does not reopen what an operator just did.
    await customerWrites(h, '447400123804', 'late copy', at);
    expect((await h.api.get(`/api/v1/conversations/${c}`)).body.state).toBe('pending');
    await customerWrites(h, '447400123804', 'hello again', at + 10_000);
    expect((await h.api.get(`/api/v1/conversations/${c}`)).body.state).toBe('open');
  });

  it('lets only the assignee (or a supervisor, or the API key) reply in an assigned chat', async () => {
    const c = await customerWrites(h, '447400123805');
    const before = await h.api.get(`/api/v1/conversations/${c}`);
    const to = { contactId: before.body.contactId as string };
    expect(before.body.waitingSince).toBe(Math.floor(before.body.lastInboundAt / 1000) * 1000);
    // Unassigned: any agent may reply.
    const bobFirst = await bob.client.post('/api/v1/messages', { ...to, content: text('Hi from Bob') });
    expect(bobFirst.status, JSON.stringify(bobFirst.body)).toBe(202);
    const answered = await h.api.get(`/api/v1/conversations/${c}`);
    expect(answered.body.waitingSince).toBeNull();

    await assignAs(alice.client, c, { assigneeId: alice.user.id });
    const refused = await bob.client.post('/api/v1/messages', { ...to, content: text('Bob again') });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('conversation_assigned_to_other');
    expect(refused.body.error.message).toContain('Alice');
    expect(refused.body.error.details).toEqual({ assignee: { id: alice.user.id, name: 'Alice' } });
    const messages = await h.api.get(`/api/v1/conversations/${c}/messages`);
    expect(messages.body.items.filter((m: { content: { body?: string } }) => m.content.body === 'Bob again')).toEqual([]);

    expect((await alice.client.post('/api/v1/messages', { ...to, content: text('Alice here') })).status).toBe(202);
    expect((await sup.client.post('/api/v1/messages', { ...to, content: text('Supervisor here') })).status).toBe(202);
    expect((await h.api.post('/api/v1/messages', { ...to, content: text('API key here') })).status).toBe(202);
  });

  it('sorts the list by longest waiting', async () => {
    const base = Date.now() + 60_000;
    const later = await customerWrites(h, '447400123806', 'second', base + 2000);
    const earlier = await customerWrites(h, '447400123807', 'first', base);
    const list = await h.api.get('/api/v1/conversations?sort=waiting&limit=200');
    const order = list.body.items.map((x: { id: string }) => x.id);
    expect(order.indexOf(earlier)).toBeLessThan(order.indexOf(later));
    const waits = list.body.items.map((x: { waitingSince: number | null }) => x.waitingSince);
    const waiting = waits.filter((w: number | null) => w !== null);
    expect(waiting).toEqual([...waiting].sort((a: number, b: number) => a - b));
    expect(waits.slice(waiting.length).every((w: number | null) => w === null)).toBe(true);
  });
});
