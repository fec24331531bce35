// Full-text search over real HTTP on both databases: customers write through the sandbox in Russian
// and English, and GET /api/v1/search finds their messages by any word's prefix, whatever the case
// or script, newest first and a page at a time; contacts by name and number; nothing for an empty query.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { createCustomer } from './steps.js';

const ANNA = '447400123701';
const BORIS = '447400123702';

/** One message, stored before the next is written (two in one second may arrive in either order, at Meta too). */
async function customerWrites(h: Harness, waId: string, text: string): Promise<void> {
  const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  await eventually(async () => {
    await h.settleWebhooks();
    const list = await h.api.get('/api/v1/conversations?limit=50');
    return (list.body.items as any[]).some((c) => c.contact.waId === waId && c.lastMessage?.preview === text);
  }, { what: `"${text}" stored` });
}

async function search(h: Harness, q: string, extra = ''): Promise<any> {
  const res = await h.api.get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe.each<DbKind>(['sqlite', 'postgres'])('search (%s)', (db) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db });
    await h.sandbox.post('/_sandbox/customers', { waId: ANNA, persona: 'silent', name: 'Анна Смирнова' });
    await createCustomer(h.sandbox, BORIS, 'silent');
    await customerWrites(h, ANNA, 'Здравствуйте! Где мой ЗАКАЗ номер 1042?');
    await customerWrites(h, BORIS, 'Hello, my order 77 has not arrived');
    await customerWrites(h, ANNA, 'Ёлочные игрушки тоже в заказе');
  });
  afterAll(async () => { await h?.close(); });

  it('finds a message by a word prefix, in Cyrillic, whatever the case, newest first', async () => {
    const found = await search(h, 'заказ');
    expect(found.terms).toEqual(['заказ']);
    expect(found.messages.map((m: any) => m.preview)).toEqual(['Ёлочные игрушки тоже в заказе', 'Здравствуйте! Где мой ЗАКАЗ номер 1042?']);
    expect(found.messages[0]).toMatchObject({ direction: 'in', type: 'text', contact: { waId: ANNA } });
    expect(found.messages[0].createdAt).toBeGreaterThanOrEqual(found.messages[1].createdAt);
  });

  it('requires every word, and reads operators and quotes as plain words', async () => {
    expect((await search(h, 'заказ 1042')).messages.map((m: any) => m.preview)).toEqual(['Здравствуйте! Где мой ЗАКАЗ номер 1042?']);
    expect((await search(h, 'ORDER"  -77*')).messages.map((m: any) => m.contact.waId)).toEqual([BORIS]);
    expect((await search(h, 'ёлоч')).messages).toHaveLength(1);
    expect((await search(h, 'order OR заказ')).messages).toHaveLength(0);
  });

  it('pages with nextCursor, and says when there is no more', async () => {
    const first = await search(h, 'заказ', '&limit=1');
    expect(first.messages.map((m: any) => m.preview)).toEqual(['Ёлочные игрушки тоже в заказе']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = await search(h, 'заказ', `&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(next.messages.map((m: any) => m.preview)).toEqual(['Здравствуйте! Где мой ЗАКАЗ номер 1042?']);
    expect(next.contacts).toEqual([]);
    const last = next.nextCursor === null ? next : await search(h, 'заказ', `&limit=1&cursor=${encodeURIComponent(next.nextCursor)}`);
    expect(last.nextCursor).toBeNull();
    expect((await search(h, 'заказ')).nextCursor).toBeNull();
  });

  it('answers 400 for a cursor it did not give', async () => {
    const res = await h.api.get(`/api/v1/search?q=x&cursor=${encodeURIComponent("1' or 1=1")}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('finds contacts by name and by number', async () => {
    expect((await search(h, 'смирн')).contacts.map((c: any) => c.waId)).toEqual([ANNA]);
    expect((await search(h, `+${BORIS}`)).contacts.map((c: any) => c.waId)).toEqual([BORIS]);
    expect((await search(h, '44740012')).contacts.map((c: any) => c.waId).sort()).toEqual([ANNA, BORIS]);
  });

  it('answers 400 search_query_empty when nothing is searchable', async () => {
    const res = await h.api.get(`/api/v1/search?q=${encodeURIComponent('?! --')}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('search_query_empty');
  });
});
