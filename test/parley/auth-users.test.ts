// The users API and accounts over real HTTP on both databases: who may create and change users, the
// owner rules, one-use invite and reset links, disabling, and a person's own name, language and password.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemo } from '../../src/services/demo.js';
import { cookieClient, cookieFrom, signInAs, testPassword } from '../helpers/sign-in.js';
import { startHarness, type DbKind, type Harness } from './harness.js';

describe.each<DbKind>(['sqlite', 'postgres'])('users on %s', (db) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ db }); }, 60_000);
  afterAll(async () => { await h?.close(); });
  const store = () => h.parley.deps.database.db;
  const userCount = async () => (await h.api.get('/api/v1/users')).body.items.length as number;

  it('lets an agent list users but not create or change them (403 forbidden, nothing written)', async () => {
    const agent = await signInAs(h, 'agent');
    const list = await agent.client.get('/api/v1/users');
    expect(list.status).toBe(200);
    expect(list.body.items.find((u: { id: string }) => u.id === agent.user.id)).toMatchObject({ role: 'agent', disabled: false, invitePending: false });
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/i);
    const before = await userCount();
    const create = await agent.client.post('/api/v1/users', { email: 'new@example.test', name: 'New', role: 'agent', password: testPassword() });
    expect([create.status, create.body.error.code]).toEqual([403, 'forbidden']);
    expect(create.body.error.message).toMatch(/admin role or higher; you are signed in as agent/);
    expect((await agent.client.patch(`/api/v1/users/${agent.user.id}`, { role: 'admin' })).status).toBe(403);
    expect((await agent.client.post(`/api/v1/users/${agent.user.id}/password-reset`)).status).toBe(403);
    expect(await userCount()).toBe(before);
    const supervisor = await signInAs(h, 'supervisor');
    expect((await supervisor.client.post('/api/v1/users', { email: 'sup-made@example.test', name: 'X', role: 'agent' })).status).toBe(403);
  });

  it('refuses a weak password or bad e-mail with the problem, and a taken e-mail with user_exists', async () => {
    const weak = await h.api.post('/api/v1/users', { email: 'weak@example.test', name: 'Weak', role: 'agent', password: 'short' });
    expect([weak.status, weak.body.error.code]).toEqual([400, 'password_rejected']);
    expect(weak.body.error.message).toMatch(/too short: use at least 12/);
    const badEmail = await h.api.post('/api/v1/users', { email: 'not-an-email', name: 'X', role: 'agent' });
    expect([badEmail.status, badEmail.body.error.message]).toEqual([400, expect.stringMatching(/not an e-mail address/)]);
    const op = await signInAs(h, 'agent');
    const taken = await h.api.post('/api/v1/users', { email: op.email.toUpperCase(), name: 'Again', role: 'agent' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'user_exists']);
  });

  it('invites without a password: the link signs in once, and the invitee cannot sign in before', async () => {
    const admin = await signInAs(h, 'admin');
    const created = await admin.client.post('/api/v1/users', { email: 'invited@example.test', name: 'Invitee', role: 'agent' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ invitePending: true, role: 'agent' });
    expect(created.body.inviteUrl).toMatch(/^\/invite\/[A-Za-z0-9_-]{40,}$/);
    const token = created.body.inviteUrl.split('/').pop();
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: 'invited@example.test', password: 'invited' })).status).toBe(401);

    const weak = await h.raw.post('/api/v1/auth/accept-invite', { token, password: '123456789012' });
    expect([weak.status, weak.body.error.code]).toEqual([400, 'password_rejected']); // a refused password does not spend the link
    const password = testPassword();
    const accepted = await h.raw.post('/api/v1/auth/accept-invite', { token, password, name: 'Ivy Invitee' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: 'invited@example.test', name: 'Ivy Invitee', role: 'agent' });
    expect((await cookieClient(h, cookieFrom(accepted)!).get('/api/v1/auth/me')).status).toBe(200);

    const again = await h.raw.post('/api/v1/auth/accept-invite', { token, password: testPassword() });
    expect([again.status, again.body.error.code]).toEqual([410, 'link_invalid']);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: 'invited@example.test', password })).status).toBe(200);
    const rows = await store().selectFrom('user_tokens').selectAll().where('user_id', '=', created.body.user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toBe(token);
    expect(rows[0]!.used_at).not.toBeNull();
  });

  it('makes a reset link that works once, replaces the earlier one and ends the old sessions', async () => {
    const op = await signInAs(h, 'agent');
    const first = await h.api.post(`/api/v1/users/${op.user.id}/password-reset`);
    const second = await h.api.post(`/api/v1/users/${op.user.id}/password-reset`);
    expect(second.body.resetUrl).toMatch(/^\/reset-password\/[A-Za-z0-9_-]{40,}$/);
    const tokenOf = (url: string) => url.split('/').pop();
    const password = testPassword();
    const stale = await h.raw.post('/api/v1/auth/reset-password', { token: tokenOf(first.body.resetUrl), password });
    expect([stale.status, stale.body.error.code]).toEqual([410, 'link_invalid']);
    const reset = await h.raw.post('/api/v1/auth/reset-password', { token: tokenOf(second.body.resetUrl), password });
    expect(reset.status).toBe(200);
    expect(reset.body.user.id).toBe(op.user.id);
    expect((await op.client.get('/api/v1/auth/me')).status).toBe(401); // the session from before the reset
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password })).status).toBe(401);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password })).status).toBe(200);
    expect((await h.raw.post('/api/v1/auth/reset-password', { token: tokenOf(second.body.resetUrl), password: testPassword() })).status).toBe(410);
    expect((await h.raw.post('/api/v1/auth/reset-password', { token: 'x'.repeat(43), password })).status).toBe(410);
  }, 30_000);

  it('keeps the owner role to owners and the last owner in place', async () => {
    const owner = await signInAs(h, 'owner');
    const admin = await signInAs(h, 'admin');
    const demote = await admin.client.patch(`/api/v1/users/${owner.user.id}`, { role: 'agent' });
    expect([demote.status, demote.body.error.code, demote.body.error.message]).toEqual([403, 'owner_only', expect.stringMatching(/only an owner/)]);
    expect((await admin.client.patch(`/api/v1/users/${owner.user.id}`, { disabled: true })).status).toBe(403);
    expect((await admin.client.post('/api/v1/users', { email: 'o2@example.test', name: 'O2', role: 'owner', password: testPassword() })).status).toBe(403);
    expect((await admin.client.patch(`/api/v1/users/${owner.user.id}`, { name: 'Renamed Owner' })).body.name).toBe('Renamed Owner');

    const last = await owner.client.patch(`/api/v1/users/${owner.user.id}`, { role: 'admin' });
    expect([last.status, last.body.error.code, last.body.error.message]).toEqual([409, 'last_owner', expect.stringMatching(/last owner/)]);
    const promoted = await owner.client.patch(`/api/v1/users/${admin.user.id}`, { role: 'owner' });
    expect(promoted.body.role).toBe('owner');
    expect((await owner.client.patch(`/api/v1/users/${owner.user.id}`, { role: 'admin' })).body.role).toBe('admin');
    expect((await h.api.patch('/api/v1/users/usr_nope', { name: 'x' })).body.error.code).toBe('user_not_found');
  }, 30_000);

  it('disabling a user ends their sessions and refuses their sign-in; enabling lets them back', async () => {
    const admin = await signInAs(h, 'admin');
    const op = await signInAs(h, 'agent');
    const self = await admin.client.patch(`/api/v1/users/${admin.user.id}`, { disabled: true });
    expect(self.status).toBe(403);
    const disabled = await admin.client.patch(`/api/v1/users/${op.user.id}`, { disabled: true });
    expect(disabled.body).toMatchObject({ id: op.user.id, disabled: true });
    expect((await op.client.get('/api/v1/conversations')).status).toBe(401);
    const signIn = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password });
    expect([signIn.status, signIn.body.error.code]).toEqual([403, 'account_disabled']);
    await admin.client.patch(`/api/v1/users/${op.user.id}`, { disabled: false });
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password })).status).toBe(200);
  }, 30_000);

  it('changes my name and language, and my password only with the current one (ending my other sessions)', async () => {
    const op = await signInAs(h, 'agent');
    const other = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password });
    const otherClient = cookieClient(h, cookieFrom(other)!, other.body.csrfToken);
    const renamed = await op.client.patch('/api/v1/auth/me', { name: 'Анна', locale: 'ru' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ user: { name: 'Анна', locale: 'ru' }, csrfToken: op.csrfToken });
    expect((await otherClient.get('/api/v1/auth/me')).body.user.locale).toBe('ru');

    const password = testPassword();
    const wrong = await op.client.patch('/api/v1/auth/me', { password, currentPassword: 'not-my-password' });
    expect([wrong.status, wrong.body.error.code, wrong.body.error.message]).toEqual([403, 'current_password_wrong', expect.stringMatching(/currentPassword/)]);
    expect((await op.client.patch('/api/v1/auth/me', { password })).status).toBe(403);
    expect((await op.client.patch('/api/v1/auth/me', { password: 'aaaaaaaaaaaaaaa', currentPassword: op.password })).body.error.code).toBe('password_rejected');
    const changed = await op.client.patch('/api/v1/auth/me', { password, currentPassword: op.password });
    expect(changed.status).toBe(200);
    expect((await op.client.get('/api/v1/auth/me')).status).toBe(200);
    expect((await otherClient.get('/api/v1/auth/me')).status).toBe(401);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password })).status).toBe(200);
  }, 30_000);

  it('seeds a demo admin and agent who can sign in, and keeps their passwords for the next start', async () => {
    const demo = h.parley.demo!;
    expect(demo.users.map((u) => [u.email, u.role])).toEqual([['admin@demo.parley.test', 'admin'], ['agent@demo.parley.test', 'agent']]);
    for (const u of demo.users) {
      const res = await h.raw.post('/api/v1/auth/sign-in', { email: u.email, password: u.password });
      expect([res.status, res.body.user?.role]).toEqual([200, u.role]);
    }
    // A later start with the kept files prints the same credentials; without them, new ones that work.
    const dir = await mkdtemp(join(tmpdir(), 'parley-demo-'));
    try {
      const inbox = (await h.api.get('/api/v1/inboxes')).body.items[0];
      const number = { phoneNumberId: inbox.phoneNumberId, wabaId: inbox.wabaId, displayPhoneNumber: inbox.displayPhoneNumber, verifiedName: 'Demo', accessToken: 'x', appSecret: 'y' };
      const fresh = await ensureDemo(h.parley.deps, number, join(dir, 'demo-api-key'));
      expect(fresh.users.map((u) => u.password)).not.toEqual(demo.users.map((u) => u.password));
      const kept = JSON.parse(await readFile(join(dir, 'demo-users.json'), 'utf8'));
      expect(kept['agent@demo.parley.test']).toBe(fresh.users[1]!.password);
      const again = await ensureDemo(h.parley.deps, number, join(dir, 'demo-api-key'));
      expect(again.users).toEqual(fresh.users);
      expect(again.apiKey).toBe(fresh.apiKey);
      expect((await h.raw.post('/api/v1/auth/sign-in', { email: 'agent@demo.parley.test', password: fresh.users[1]!.password })).status).toBe(200);
      expect((await h.raw.post('/api/v1/auth/sign-in', { email: 'agent@demo.parley.test', password: demo.users[1]!.password })).status).toBe(401);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('documents the auth and users routes in the OpenAPI document', async () => {
    const doc = (await h.raw.get('/docs/json')).body;
    for (const path of ['/api/v1/auth/sign-in', '/api/v1/auth/me', '/api/v1/auth/accept-invite', '/api/v1/auth/reset-password', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/users/{id}/password-reset']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/api/v1/auth/sign-in'].post.responses['429'])).toMatch(/sign_in_locked/);
    expect(doc.paths['/api/v1/auth/sign-in'].post.security).toEqual([]);
  });
});
