// Language-aware routing on both databases, over real HTTP with the sandbox's customers and live
// sockets for presence: operators' languages (PATCH /users/{id}, PATCH /auth/me) and a contact's
// (PATCH /contacts/{id}) are checked with a code naming the field; with "match language" a customer
// writing in Cyrillic goes to the Russian-speaking online agent and one writing in English to the
// English-speaking one, whatever the turns; an unknown language, or no speaker online, goes to anyone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/services/sessions.js';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, customerWrites, put, teamWith } from './assignment-steps.js';
import { connectLive, operator, type LiveClient, type Operator } from './live-steps.js';

describe.each<DbKind>(['sqlite', 'postgres'])('language-aware routing (%s)', (db) => {
  let h: Harness;
  const sockets: LiveClient[] = [];
  let phone = 0;
  const nextPhone = () => `4474025${db === 'sqlite' ? 1 : 2}${String(++phone).padStart(4, '0')}`;

  beforeAll(async () => { h = await startHarness({ db }); });
  afterAll(async () => {
    for (const s of sockets) await s.close();
    await h?.close();
  });

  const conversation = async (id: string) => (await h.api.get(`/api/v1/conversations/${id}`)).body as { assigneeId: string | null; contactId: string };
  const assignedTo = (id: string) => eventually(async () => (await conversation(id)).assigneeId, { what: `${id} assigned` });
  const autoNote = async (id: string) => ((await h.api.get(`/api/v1/conversations/${id}/assignments`)).body.items as Array<{ byUserId: string | null; note: string | null }>)
    .filter((a) => a.byUserId === null).map((a) => a.note);
  const presenceOf = async (userId: string) => ((await h.api.get('/api/v1/presence')).body as Array<{ userId: string; status: string }>).find((p) => p.userId === userId)?.status ?? 'offline';
  const online = async (op: Operator) => {
    const socket = await connectLive(h.parley.url, op.cookie);
    sockets.push(socket);
    await eventually(async () => (await presenceOf(op.id)) === 'online', { what: `${op.id} online` });
    return socket;
  };
  const setLanguages = async (userId: string, languages: string[]) => {
    const res = await h.api.patch(`/api/v1/users/${userId}`, { languages });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.languages).toEqual(languages);
  };
  const routed = async (teamId: string, matchLanguage: boolean) => {
    const res = await put(h, `/api/v1/teams/${teamId}/routing`, { mode: 'round_robin', maxOpenPerAgent: null, matchLanguage }, apiKeyHeaders(h));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ mode: 'round_robin', maxOpenPerAgent: null, matchLanguage });
    const settings = await h.api.patch('/api/v1/workspace/settings', { defaultTeamId: teamId });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  };

  it("checks operators' and contacts' languages, refusing bad ones with a code that names the field", async () => {
    const agent = await operator(h);
    const refusedUser = async (languages: unknown) => {
      const res = await h.api.patch(`/api/v1/users/${agent.id}`, { languages });
      return { status: res.status, code: res.body.error?.code, field: res.body.error?.details?.field, value: res.body.error?.details?.value };
    };
    expect(await refusedUser(['ru', 'RU'])).toEqual({ status: 400, code: 'language_invalid', field: 'languages', value: 'RU' });
    expect(await refusedUser(['russian'])).toEqual({ status: 400, code: 'language_invalid', field: 'languages', value: 'russian' });
    expect((await refusedUser(['ru', 'en', 'de', 'fr', 'es', 'it', 'pt', 'uk', 'kk', 'tr', 'pl'])).code).toBe('language_invalid');
    expect((await refusedUser('ru')).code).toBe('validation_failed');
    const users = async () => (await h.api.get('/api/v1/users')).body.items as Array<{ id: string; languages: string[] }>;
    expect((await users()).find((u) => u.id === agent.id)?.languages).toEqual([]);
    // Each code once, in the order given.
    const set = await h.api.patch(`/api/v1/users/${agent.id}`, { languages: ['ru', 'en', 'ru'] });
    expect([set.status, set.body.languages]).toEqual([200, ['ru', 'en']]);
    expect((await users()).find((u) => u.id === agent.id)?.languages).toEqual(['ru', 'en']);

    // A person sets their own (their profile page), checked the same way.
    const session = await createSession(h.parley.deps, { id: agent.id, workspaceId: h.parley.demo!.workspaceId }, {});
    const asAgent = { cookie: `parley_session=${session.token}`, 'x-csrf-token': session.csrfToken };
    const bad = await h.raw.patch('/api/v1/auth/me', { languages: ['e n'] }, asAgent);
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'language_invalid']);
    expect((await h.raw.patch('/api/v1/auth/me', { languages: ['kk'] }, asAgent)).status).toBe(200);
    expect((await users()).find((u) => u.id === agent.id)?.languages).toEqual(['kk']);
    // An agent does not set someone else's.
    const other = await operator(h);
    expect((await h.raw.patch(`/api/v1/users/${other.id}`, { languages: ['en'] }, asAgent)).status).toBe(403);

    const created = await h.api.post('/api/v1/contacts', { phone: `+${nextPhone()}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.language).toBeNull();
    const contactPath = `/api/v1/contacts/${created.body.id}`;
    const badContact = await h.api.patch(contactPath, { language: 'Русский' });
    expect([badContact.status, badContact.body.error?.code, badContact.body.error?.details?.field]).toEqual([400, 'language_invalid', 'language']);
    expect((await h.api.patch(contactPath, { language: 'ru' })).body.language).toBe('ru');
    expect((await h.api.get(contactPath)).body.language).toBe('ru');
    expect((await h.api.patch(contactPath, { language: null })).body.language).toBeNull();
    const row = await h.parley.deps.database.db.selectFrom('contacts').select('language').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.language).toBeNull();
  });

  it('reads and keeps the team option: off by default, left as it is by a PUT without it', async () => {
    const team = await teamWith(h, 'Option check', []);
    expect((await h.api.get(`/api/v1/teams/${team}/routing`)).body).toEqual({ mode: 'manual', maxOpenPerAgent: null, matchLanguage: false });
    const on = await put(h, `/api/v1/teams/${team}/routing`, { mode: 'capacity', maxOpenPerAgent: 4, matchLanguage: true }, apiKeyHeaders(h));
    expect(on.body).toEqual({ mode: 'capacity', maxOpenPerAgent: 4, matchLanguage: true });
    const without = await put(h, `/api/v1/teams/${team}/routing`, { mode: 'round_robin', maxOpenPerAgent: null }, apiKeyHeaders(h));
    expect(without.body).toEqual({ mode: 'round_robin', maxOpenPerAgent: null, matchLanguage: true });
    expect((await h.api.get('/api/v1/teams')).body.items.find((t: { id: string }) => t.id === team).routing.matchLanguage).toBe(true);
    const notBoolean = await put(h, `/api/v1/teams/${team}/routing`, { mode: 'round_robin', maxOpenPerAgent: null, matchLanguage: 'yes' }, apiKeyHeaders(h));
    expect([notBoolean.status, notBoolean.body.error?.code]).toEqual([400, 'validation_failed']);
  });

  it('gives Russian writers to the Russian speaker and English ones to the English speaker; unknown, or no speaker online, to anyone', async () => {
    const [ru, en] = [await operator(h), await operator(h)];
    await setLanguages(ru.id, ['ru']);
    await setLanguages(en.id, ['en', 'de']);
    const team = await teamWith(h, 'Bilingual desk', [ru.id, en.id]);
    await routed(team, true);
    const ruSocket = await online(ru);
    await online(en);

    // Twice in a row to the same agent: the language decides, not the turns.
    const russian = [await customerWrites(h, nextPhone(), 'Здравствуйте! Где мой заказ?'), await customerWrites(h, nextPhone(), 'Добрый день, хочу вернуть товар')];
    for (const id of russian) expect(await assignedTo(id)).toBe(ru.id);
    const english = [await customerWrites(h, nextPhone(), 'Hello, where is my order?'), await customerWrites(h, nextPhone(), 'Can I change the delivery address')];
    for (const id of english) expect(await assignedTo(id)).toBe(en.id);
    for (const id of russian) expect(await autoNote(id)).toEqual(['auto (round robin, speaks ru)']);
    for (const id of english) expect(await autoNote(id)).toEqual(['auto (round robin, speaks en)']);

    // A language set on the contact wins over the guess: German, which only the English speaker has.
    const germanPhone = nextPhone();
    const contact = await h.api.post('/api/v1/contacts', { phone: `+${germanPhone}` });
    expect((await h.api.patch(`/api/v1/contacts/${contact.body.id}`, { language: 'de' })).status).toBe(200);
    const german = await customerWrites(h, germanPhone, 'Привет');
    expect(await assignedTo(german)).toBe(en.id);
    expect(await autoNote(german)).toEqual(['auto (round robin, speaks de)']);

    // Unknown (no letters, or too short to tell): whoever's turn it is, as without the option.
    const unknown = await customerWrites(h, nextPhone(), '12345 👍');
    expect([ru.id, en.id]).toContain(await assignedTo(unknown));
    expect(await autoNote(unknown)).toEqual(['auto (round robin)']);

    // The Russian speaker steps away: a Russian writer goes to the one online rather than waiting.
    ruSocket.send({ type: 'presence', status: 'away' });
    await eventually(async () => (await presenceOf(ru.id)) === 'away', { what: 'the Russian speaker away' });
    const whileAway = await customerWrites(h, nextPhone(), 'Алло, есть кто-нибудь?');
    expect(await assignedTo(whileAway)).toBe(en.id);
    expect(await autoNote(whileAway)).toEqual(['auto (round robin)']);
  });

  it('with the option off, the language is not looked at: turns as before', async () => {
    const [ru, en] = [await operator(h), await operator(h)];
    await setLanguages(ru.id, ['ru']);
    await setLanguages(en.id, ['en']);
    const team = await teamWith(h, 'Monolingual routing', [ru.id, en.id]);
    await routed(team, false);
    await online(ru);
    await online(en);
    const given: string[] = [];
    for (let i = 0; i < 2; i++) given.push(await assignedTo(await customerWrites(h, nextPhone(), `Здравствуйте, вопрос ${i}`)));
    expect(new Set(given)).toEqual(new Set([ru.id, en.id]));
  });
});
