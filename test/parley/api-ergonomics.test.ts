// The API's ergonomics over real HTTP on both databases: templates listed and filtered, contacts
// created (E.164, 409 with the existing id) and searched by name or phone; and the OpenAPI document
// describes every response of every route, including each status these tests see.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness, type Reply } from './harness.js';
import { DEMO_SEED } from '../../src/sandbox/seed.js';

type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, { description: string }>; security?: unknown[] }>> };

/** Fails unless /docs lists `status` for the route (path in OpenAPI form, e.g. /api/v1/contacts/{id}). */
function expectDocumented(doc: OpenApi, method: string, path: string, res: Reply): void {
  const responses = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  expect(Object.keys(responses), `${method} ${path} answered ${res.status} but /docs does not say so`).toContain(String(res.status));
}

describe.each<DbKind>(['sqlite', 'postgres'])('templates and contacts API (%s)', (db) => {
  let h: Harness;
  let doc: OpenApi;
  beforeAll(async () => {
    h = await startHarness({ db });
    doc = (await h.raw.get('/docs/json')).body as OpenApi;
  });
  afterAll(async () => { await h?.close(); });

  it('lists the synced templates with filters by inbox, status, name and language', async () => {
    // The start-up sync runs in the background: wait until every template of the embedded sandbox's seed is in.
    const seeded = DEMO_SEED.templates?.length ?? 0;
    const all = await eventually(async () => {
      const res = await h.api.get('/api/v1/templates?limit=200');
      return res.status === 200 && res.body.items.length >= seeded ? res : undefined;
    }, { what: 'templates synced at start' });
    expectDocumented(doc, 'GET', '/api/v1/templates', all);
    const hello = all.body.items.find((t: any) => t.name === 'hello_world');
    expect(hello).toMatchObject({ inboxId: h.parley.demo!.inboxId, language: 'en_US', status: 'APPROVED' });
    expect(Array.isArray(hello.components)).toBe(true);

    const byName = await h.api.get('/api/v1/templates?name=hello_world&language=en_US&status=approved');
    expect(byName.body.items.map((t: any) => t.id)).toEqual([hello.id]);
    const languages = new Set((await h.api.get('/api/v1/templates?language=ru&limit=200')).body.items.map((t: any) => t.language));
    expect([...languages].every((l) => l === 'ru')).toBe(true);
    expect((await h.api.get(`/api/v1/templates?inboxId=${h.parley.demo!.inboxId}&limit=200`)).body.items).toHaveLength(all.body.items.length);
    expect((await h.api.get('/api/v1/templates?inboxId=inb_unknown')).body.items).toEqual([]);
    const paged = await h.api.get('/api/v1/templates?limit=1');
    expect(paged.body.items).toHaveLength(1);
    if (all.body.items.length > 1) expect(paged.body.nextCursor).toEqual(expect.any(String));
    const bad = await h.api.get('/api/v1/templates?status=not%20a%20status');
    expect(bad.status).toBe(400);
    expectDocumented(doc, 'GET', '/api/v1/templates', bad);
  });

  it('creates a contact from a phone number, normalised to E.164, once', async () => {
    const created = await h.api.post('/api/v1/contacts', { phone: '+44 7400 123457', name: 'Olivia Brown', attributes: { plan: 'gold' }, tags: ['vip'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectDocumented(doc, 'POST', '/api/v1/contacts', created);
    expect(created.body).toMatchObject({ waId: '447400123457', e164: '+447400123457', name: 'Olivia Brown', country: 'GB', attributes: { plan: 'gold' }, tags: ['vip'] });
    expect((await h.api.get(`/api/v1/contacts/${created.body.id}`)).body.e164).toBe('+447400123457');

    const again = await h.api.post('/api/v1/contacts', { phone: '447400123457' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'contact_exists', details: { contactId: created.body.id } });
    expectDocumented(doc, 'POST', '/api/v1/contacts', again);

    const invalid = await h.api.post('/api/v1/contacts', { phone: '12' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'phone' } });
    expect(invalid.body.error.message).toMatch(/international format/);
    expect((await h.api.post('/api/v1/contacts', { name: 'No phone' })).status).toBe(400);
    expect((await h.api.post('/api/v1/contacts', { phone: '+447400123458', unknown: 1 })).status).toBe(400);
  });

  it('searches contacts by name or phone, with the tag filter', async () => {
    for (const [phone, name, tags] of [['+5511987650001', 'Ana Souza', ['br']], ['+5511987650002', 'Mariana off_%', ['br', 'vip']], ['+14155550177', 'John Smith', []]] as const) {
      expect((await h.api.post('/api/v1/contacts', { phone, name, tags })).status).toBe(201);
    }
    const names = async (query: string) => ((await h.api.get(`/api/v1/contacts?${query}&limit=200`)).body.items as Array<{ name: string }>).map((c) => c.name).sort();
    expect(await names('q=ana')).toEqual(['Ana Souza', 'Mariana off_%']);
    expect(await names('q=ANA&tag=vip')).toEqual(['Mariana off_%']);
    expect(await names(`q=${encodeURIComponent('+55 11 98765')}`)).toEqual(['Ana Souza', 'Mariana off_%']);
    expect(await names('q=4155550177')).toEqual(['John Smith']);
    // LIKE wildcards in q are literal characters.
    expect(await names(`q=${encodeURIComponent('f_%')}`)).toEqual(['Mariana off_%']);
    expect(await names('q=_')).toEqual(['Mariana off_%']);
    expect(await names('q=nobody')).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h?.close(); });

  it('gives every API route a success response and its error responses, each described', async () => {
    const doc = (await h.raw.get('/docs/json')).body as OpenApi;
    const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/v1/'));
    expect(routes.length).toBeGreaterThan(10);
    for (const [path, methods] of routes) {
      for (const [method, op] of Object.entries(methods)) {
        const statuses = Object.keys(op.responses);
        expect(statuses.some((s) => s.startsWith('2')), `${method} ${path}: ${statuses}`).toBe(true);
        // A public route (sign-in, invite and reset links) says so with `security: []`; every other answers 401 without credentials.
        if (!(Array.isArray(op.security) && op.security.length === 0)) expect(statuses, `${method} ${path}`).toContain('401');
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
        }
      }
    }
    const read = doc.paths['/api/v1/conversations/{id}/read']!['post']!.responses;
    expect(read['404']!.description).toContain('conversation_not_found');
  });
});
