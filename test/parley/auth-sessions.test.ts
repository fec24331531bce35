// Operator sign-in over real HTTP on both databases: the session cookie and /auth/me, lock-out after
// wrong passwords, CSRF on unsafe methods, sign-out, sessions that expire or are replaced, workspace
// isolation, and API keys working as before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../../src/core/totp.js';
import { hashPassword } from '../../src/services/passwords.js';
import { hashToken } from '../../src/services/sessions.js';
import { createUser } from '../../src/store/queries/users.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { cookieClient, cookieFrom, signInAs, testPassword } from '../helpers/sign-in.js';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { sendOk, templateContent } from './steps.js';

describe.each<DbKind>(['sqlite', 'postgres'])('sessions on %s', (db) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ db }); }, 60_000);
  afterAll(async () => { await h?.close(); });
  const store = () => h.parley.deps.database.db;

  it('sets an httpOnly SameSite=Lax cookie, stores only its hash, and /auth/me answers with it', async () => {
    const op = await signInAs(h, 'agent', { name: 'Ann Agent' });
    const res = await h.raw.post('/api/v1/auth/sign-in', { email: op.email.toUpperCase(), password: op.password });
    expect(res.status).toBe(200);
    const setCookie = String(([] as unknown[]).concat(res.headers['set-cookie'])[0]);
    expect(setCookie).toMatch(/^parley_session=[A-Za-z0-9_-]{40,}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // plain http here; https requests get Secure
    expect(res.body).toMatchObject({ user: { email: op.email, name: 'Ann Agent', role: 'agent', locale: 'en' }, workspace: { id: h.parley.demo!.workspaceId, name: 'Demo' } });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const token = cookieFrom(res)!.split('=')[1]!;
    const rows = await store().selectFrom('sessions').selectAll().where('user_id', '=', op.user.id).execute();
    expect(rows.map((r) => r.id)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const me = await cookieClient(h, cookieFrom(res)!).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body);
    expect((await op.client.get('/api/v1/conversations')).status).toBe(200);
    const anonymous = await h.raw.get('/api/v1/auth/me');
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);
    const withKey = await h.api.get('/api/v1/auth/me');
    expect(withKey.status).toBe(401);
  });

  it('gives a new session on every sign-in, never reusing the cookie sent with it', async () => {
    const op = await signInAs(h, 'agent');
    const again = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password }, { cookie: op.cookie });
    expect(again.status).toBe(200);
    expect(cookieFrom(again)).not.toBe(op.cookie);
    expect(again.body.csrfToken).not.toBe(op.csrfToken);
    expect((await op.client.get('/api/v1/auth/me')).status).toBe(200); // the other session lives on
  });

  it('answers an unknown e-mail exactly like a wrong password', async () => {
    const op = await signInAs(h, 'agent');
    const wrong = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: 'not-the-password-1' });
    const unknown = await h.raw.post('/api/v1/auth/sign-in', { email: 'nobody-here@example.test', password: 'not-the-password-1' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_credentials']);
    expect(unknown.body).toEqual(wrong.body);
    expect(cookieFrom(wrong)).toBeUndefined();
  });

  it('locks an account after 5 wrong passwords, even against the right one, until the lock passes', async () => {
    const op = await signInAs(h, 'agent');
    for (let i = 0; i < 5; i++) {
      const res = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: `wrong-password-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password });
    expect([locked.status, locked.body.error.code]).toEqual([429, 'sign_in_locked']);
    expect(locked.body.error.message).toMatch(/locked until .*try again in 1[45] min/);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(cookieFrom(locked)).toBeUndefined();

    // The clock passes the lock (Parley reads time through deps.now; the store holds the lock's end).
    await store().updateTable('users').set({ locked_until: Date.now() - 1 }).where('id', '=', op.user.id).execute();
    const after = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password });
    expect(after.status).toBe(200);
    const row = await store().selectFrom('users').select(['failed_sign_ins', 'locked_until', 'last_sign_in_at']).where('id', '=', op.user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ failed_sign_ins: 0, locked_until: null });
    expect(row.last_sign_in_at).toBeGreaterThan(0);
  }, 30_000);

  it('refuses a POST with the cookie but no (or a wrong) CSRF token, writing nothing', async () => {
    const op = await signInAs(h, 'admin');
    const noCsrf = cookieClient(h, op.cookie);
    const count = async () => Number((await store().selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const headers of [{}, { 'x-csrf-token': 'x'.repeat(43) }, { 'x-csrf-token': '' }] as Array<Record<string, string>>) {
      const res = await noCsrf.post('/api/v1/contacts', { phone: '+447400123499', name: 'Forged' }, headers);
      expect([res.status, res.body.error.code]).toEqual([403, 'csrf_failed']);
      expect(res.body.error.message).toMatch(/X-CSRF-Token/);
    }
    const patch = await noCsrf.patch('/api/v1/auth/me', { name: 'Forged' });
    expect(patch.status).toBe(403);
    expect(await count()).toBe(before);
    expect((await op.client.get('/api/v1/auth/me')).body.user.name).toBe('Test admin');

    const ok = await op.client.post('/api/v1/contacts', { phone: '+447400123499', name: 'Real' });
    expect(ok.status).toBe(201);
    expect(await count()).toBe(before + 1);
    expect((await noCsrf.get('/api/v1/contacts')).status).toBe(200); // reads need no token
  });

  it('sign-out ends the session: the cookie no longer works and the row is gone', async () => {
    const op = await signInAs(h, 'agent');
    const out = await op.client.post('/api/v1/auth/sign-out');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/parley_session=;/);
    const me = await op.client.get('/api/v1/auth/me');
    expect([me.status, me.body.error.code]).toEqual([401, 'unauthorized']);
    expect(me.body.error.message).toMatch(/sign in again/i);
    const rows = await store().selectFrom('sessions').select('id').where('user_id', '=', op.user.id).execute();
    expect(rows).toEqual([]);
  });

  it('ends an expired session and slides the expiry of one in use', async () => {
    const op = await signInAs(h, 'agent');
    const [row] = await store().selectFrom('sessions').selectAll().where('user_id', '=', op.user.id).execute();
    // Last used two minutes ago: this use moves the expiry to 30 days from now and re-sends the cookie.
    await store().updateTable('sessions').set({ last_seen_at: row!.last_seen_at - 120_000, expires_at: row!.expires_at - 86_400_000 }).where('id', '=', row!.id).execute();
    const used = await op.client.get('/api/v1/auth/me');
    expect(used.status).toBe(200);
    expect(String(used.headers['set-cookie'])).toMatch(/parley_session=.*Max-Age=259\d{4}/);
    const slid = await eventuallyRow(async () => {
      const r = await store().selectFrom('sessions').selectAll().where('id', '=', row!.id).executeTakeFirstOrThrow();
      return r.expires_at > row!.expires_at - 60_000 ? r : undefined;
    });
    expect(slid.expires_at).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    await store().updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id', '=', row!.id).execute();
    expect((await op.client.get('/api/v1/auth/me')).status).toBe(401);
  });

  it("keeps a workspace's session out of another workspace's conversations", async () => {
    const message = await sendOk(h.api, '+447400123477', templateContent());
    const other = await createWorkspace(store(), { name: 'Other' });
    const password = testPassword();
    await createUser(store(), other.id, { email: 'boss@other.example', name: 'Boss', role: 'owner', passwordHash: await hashPassword(password) });
    const res = await h.raw.post('/api/v1/auth/sign-in', { email: 'boss@other.example', password });
    expect(res.body.workspace).toEqual({ id: other.id, name: 'Other' });
    const boss = cookieClient(h, cookieFrom(res)!, res.body.csrfToken);
    const read = await boss.get(`/api/v1/conversations/${message.conversationId}`);
    expect([read.status, read.body.error.code]).toEqual([404, 'conversation_not_found']);
    expect((await boss.get(`/api/v1/messages/${message.id}`)).status).toBe(404);
    expect((await boss.get('/api/v1/conversations')).body.items).toEqual([]);
    expect((await h.api.get(`/api/v1/conversations/${message.conversationId}`)).status).toBe(200);
  });

  it('asks which workspace when one e-mail and password open several, and signs in to the one named', async () => {
    const email = `twice-${db}@example.test`;
    const password = testPassword();
    const a = await createWorkspace(store(), { name: 'Alpha' });
    const b = await createWorkspace(store(), { name: 'Beta' });
    const c = await createWorkspace(store(), { name: 'Gamma' });
    for (const ws of [a, b]) await createUser(store(), ws.id, { email, name: 'Twice', role: 'agent', passwordHash: await hashPassword(password) });
    await createUser(store(), c.id, { email, name: 'Other password', role: 'agent', passwordHash: await hashPassword(testPassword()) });
    const choose = await h.raw.post('/api/v1/auth/sign-in', { email, password });
    expect([choose.status, choose.body.error.code]).toEqual([409, 'workspace_choice_required']);
    expect(choose.body.error.details.workspaces).toEqual([{ id: a.id, name: 'Alpha' }, { id: b.id, name: 'Beta' }]);
    expect(cookieFrom(choose)).toBeUndefined();
    const chosen = await h.raw.post('/api/v1/auth/sign-in', { email, password, workspaceId: b.id });
    expect([chosen.status, chosen.body.workspace]).toEqual([200, { id: b.id, name: 'Beta' }]);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email, password, workspaceId: c.id })).status).toBe(401);
  }, 30_000);

  it('asks for an authenticator code once two-step sign-in is on, and takes each code once', async () => {
    const op = await signInAs(h, 'agent');
    const enrol = await op.client.post('/api/v1/auth/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.otpauthUri).toContain(`secret=${enrol.body.secret}`);
    const secret = base32Decode(enrol.body.secret)!;
    const codeAt = (offset: number) => hotp(secret, totpStep(Date.now()) + offset);
    // Not in force before it is confirmed.
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password })).status).toBe(200);
    expect((await op.client.post('/api/v1/auth/totp/confirm', { code: '000000' === codeAt(0) ? '111111' : '000000' })).status).toBe(400);
    expect((await op.client.post('/api/v1/auth/totp/confirm', { code: codeAt(0) })).status).toBe(204);
    const stored = await store().selectFrom('users').select('totp_secret').where('id', '=', op.user.id).executeTakeFirstOrThrow();
    expect(stored.totp_secret).not.toContain(enrol.body.secret); // encrypted at rest

    const ask = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password });
    expect([ask.status, ask.body.error.code, cookieFrom(ask)]).toEqual([401, 'totp_required', undefined]);
    const badPassword = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: 'wrong-password-x', totp: codeAt(1) });
    expect(badPassword.body.error.code).toBe('invalid_credentials');
    const next = codeAt(1);
    const ok = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password, totp: next });
    expect(ok.status).toBe(200);
    const replay = await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password, totp: next });
    expect([replay.status, replay.body.error.code]).toEqual([401, 'invalid_credentials']);
    expect((await h.api.get('/api/v1/users')).body.items.find((u: { id: string }) => u.id === op.user.id).totpEnabled).toBe(true);

    expect((await op.client.post('/api/v1/auth/totp/disable', { password: 'not-it-at-all' })).status).toBe(403);
    expect((await op.client.post('/api/v1/auth/totp/disable', { password: op.password })).status).toBe(204);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password })).status).toBe(200);
  }, 30_000);

  it("lets an admin turn off someone's two-step sign-in (lost phone), not an owner's unless an owner; their sessions end", async () => {
    const op = await signInAs(h, 'agent');
    const secret = base32Decode((await op.client.post('/api/v1/auth/totp/enrol')).body.secret)!;
    expect((await op.client.post('/api/v1/auth/totp/confirm', { code: hotp(secret, totpStep(Date.now())) })).status).toBe(204);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password })).body.error.code).toBe('totp_required');
    const admin = await signInAs(h, 'admin');
    const supervisor = await signInAs(h, 'supervisor');
    expect((await supervisor.client.delete(`/api/v1/users/${op.user.id}/totp`)).status).toBe(403);
    const reset = await admin.client.delete(`/api/v1/users/${op.user.id}/totp`);
    expect([reset.status, reset.body.totpEnabled]).toEqual([200, false]);
    expect((await op.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await h.raw.post('/api/v1/auth/sign-in', { email: op.email, password: op.password })).status).toBe(200);
    const owner = await signInAs(h, 'owner');
    expect((await admin.client.delete(`/api/v1/users/${owner.user.id}/totp`)).body.error.code).toBe('owner_only');
    expect((await admin.client.delete('/api/v1/users/usr_nobody/totp')).status).toBe(404);
  }, 30_000);

  it('keeps API keys working everywhere, without a CSRF token', async () => {
    expect((await h.api.get('/api/v1/conversations')).status).toBe(200);
    expect((await h.api.get('/api/v1/users')).status).toBe(200);
    const created = await h.api.post('/api/v1/contacts', { phone: '+447400123466' });
    expect(created.status).toBe(201);
    expect((await h.api.post('/api/v1/api-keys', { name: 'still works' })).status).toBe(201);
    const wrongKey = await h.raw.get('/api/v1/conversations', { authorization: 'Bearer pk_nope' });
    expect([wrongKey.status, wrongKey.body.error.message]).toEqual([401, 'The API key is unknown or revoked.']);
  });
});

async function eventuallyRow<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('row not updated');
}
