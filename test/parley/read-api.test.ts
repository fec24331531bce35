// The read API over real HTTP: conversations (filters, keyset pagination), a conversation's messages,
// contacts (list, get, patch → blocked is enforced), 404 codes, OpenAPI at /docs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Reply } from './harness.js';
import { conversationMessages, createCustomer, hasStatus, sendOk, templateContent, waitForMessage } from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

interface Conv { id: string; contactId: string; inboxId: string; state: string; lastMessageAt: number }

async function allPages(path: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: Reply = await h.api.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...(res.body.items as Array<{ id: string }>).map((c) => c.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { ids, pages };
}

describe('conversations', () => {
  const numbers = ['447400123481', '447400123482', '447400123483', '447400123484', '447400123485', '447400123486', '447400123487'];
  let sent: Array<{ id: string; conversationId: string; contactId: string }> = [];

  beforeAll(async () => {
    // Silent customers: no replies that would reorder the list while it is paged.
    for (const n of numbers) await createCustomer(h.sandbox, n, 'silent');
    sent = [];
    for (const n of numbers) sent.push(await sendOk(h.api, `+${n}`, templateContent()));
    for (const m of sent) await waitForMessage(h.api, m.id, hasStatus('delivered'));
    await h.settleWebhooks();
  });

  it('pages with a keyset cursor, returning every conversation exactly once in activity order', async () => {
    const { ids, pages } = await allPages('/api/v1/conversations', 3);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of sent) expect(ids).toContain(m.conversationId);
    const full = (await h.api.get('/api/v1/conversations?limit=200')).body.items as Conv[];
    expect(full.map((c) => c.id)).toEqual(ids);
    const times = full.map((c) => c.lastMessageAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by contact, inbox and state', async () => {
    const target = sent[2]!;
    const byContact = await h.api.get(`/api/v1/conversations?contactId=${target.contactId}`);
    expect(byContact.body.items.map((c: Conv) => c.id)).toEqual([target.conversationId]);
    const byInbox = await h.api.get(`/api/v1/conversations?inboxId=${h.parley.demo!.inboxId}&limit=200`);
    expect(byInbox.body.items.length).toBeGreaterThanOrEqual(numbers.length);
    expect((await h.api.get('/api/v1/conversations?inboxId=inb_unknown')).body.items).toEqual([]);

    const resolved = await h.api.patch(`/api/v1/conversations/${target.conversationId}`, { state: 'resolved' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.state).toBe('resolved');
    const onlyResolved = await h.api.get('/api/v1/conversations?state=resolved');
    expect(onlyResolved.body.items.map((c: Conv) => c.id)).toEqual([target.conversationId]);
    const open = await allPages('/api/v1/conversations?state=open', 2);
    expect(open.ids).not.toContain(target.conversationId);
    expect((await h.api.get('/api/v1/conversations?state=closed')).body.error.code).toBe('validation_failed');
  });

  it("lists a conversation's messages with their statuses", async () => {
    const m = sent[0]!;
    const messages = await conversationMessages(h.api, m.conversationId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ id: m.id, direction: 'out', type: 'template', status: 'delivered' });
    expect(messages[0]!.wamid).toMatch(/^wamid\./);
  });
});

describe('contacts', () => {
  it('lists, gets and patches a contact; a blocked contact is refused contact_blocked', async () => {
    const m = await sendOk(h.api, '+447400123491', templateContent());
    const list = await h.api.get('/api/v1/contacts?limit=200');
    expect(list.status).toBe(200);
    const contact = list.body.items.find((c: { id: string }) => c.id === m.contactId);
    expect(contact).toMatchObject({ waId: '447400123491', e164: '+447400123491', country: 'GB', blocked: false, tags: [] });

    const patched = await h.api.patch(`/api/v1/contacts/${m.contactId}`, { tags: ['vip', 'wholesale'], name: 'Olga', blocked: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ tags: ['vip', 'wholesale'], name: 'Olga', blocked: true });
    expect((await h.api.get(`/api/v1/contacts/${m.contactId}`)).body).toMatchObject({ tags: ['vip', 'wholesale'], blocked: true });
    const tagged = await h.api.get('/api/v1/contacts?tag=vip');
    expect(tagged.body.items.map((c: { id: string }) => c.id)).toEqual([m.contactId]);

    const denied = await h.api.post('/api/v1/messages', { contactId: m.contactId, content: templateContent() });
    expect(denied.status).toBe(422);
    expect(denied.body.error.details.reason).toBe('contact_blocked');

    await h.api.patch(`/api/v1/contacts/${m.contactId}`, { blocked: false });
    await waitForMessage(h.api, (await sendOk(h.api, '+447400123491', templateContent())).id, hasStatus('sent', 'delivered', 'read'));
  });

  it('rejects a bad patch with validation_failed', async () => {
    const m = await sendOk(h.api, '+447400123492', templateContent());
    for (const body of [{ blocked: 'yes' }, { color: 'red' }, {}, { tags: ['  '] }]) {
      const res = await h.api.patch(`/api/v1/contacts/${m.contactId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});

describe('unknown ids', () => {
  it('answers 404 with a specific code', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/inboxes/inb_nope', 'inbox_not_found'],
      ['/api/v1/contacts/con_nope', 'contact_not_found'],
      ['/api/v1/conversations/cnv_nope', 'conversation_not_found'],
      ['/api/v1/conversations/cnv_nope/messages', 'conversation_not_found'],
      ['/api/v1/messages/msg_nope', 'message_not_found'],
      ['/api/v1/media/med_nope/content', 'media_not_found'],
    ];
    for (const [path, code] of cases) {
      const res = await h.api.get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, code]);
    }
    const inbox = await h.api.post('/api/v1/messages', { inboxId: 'inb_nope', to: '+447911123456', content: templateContent() });
    expect([inbox.status, inbox.body.error.code]).toEqual([404, 'inbox_not_found']);
    const contact = await h.api.post('/api/v1/messages', { contactId: 'con_nope', content: templateContent() });
    expect([contact.status, contact.body.error.code]).toEqual([404, 'contact_not_found']);
    expect((await h.api.patch('/api/v1/contacts/con_nope', { blocked: true })).body.error.code).toBe('contact_not_found');
    expect((await h.api.patch('/api/v1/conversations/cnv_nope', { state: 'open' })).body.error.code).toBe('conversation_not_found');
  });
});

describe('OpenAPI', () => {
  it('serves the document generated from the route schemas at /docs/json', async () => {
    const res = await h.raw.get('/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/messages', '/api/v1/conversations', '/api/v1/contacts/{id}']));
    expect(res.body.paths['/api/v1/messages'].post.requestBody).toBeDefined();
    expect(res.body.paths['/webhooks/whatsapp']).toBeUndefined();
  });
});
