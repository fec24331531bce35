// The conversation list as a client shows it, over real HTTP on both databases: each item carries
// its contact, last message and unread count; POST …/read sends Meta's read receipt (checked in the
// sandbox's request log) and zeroes the count; a newer customer message makes it unread again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { createCustomer, sendOk, templateContent, waitForMessage, hasStatus, type SandboxRequest } from './steps.js';

const CUSTOMER = '447400123601';

async function customerWrites(h: Harness, text: string): Promise<string> {
  const res = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  const wamid = res.body.wamid as string;
  await eventually(async () => {
    await h.settleWebhooks();
    const conv = await conversationOf(h);
    return conv?.lastMessage?.preview === text.replace(/\s+/g, ' ');
  }, { what: `inbound "${text}" stored` });
  return wamid;
}

async function conversationOf(h: Harness): Promise<any> {
  const res = await h.api.get('/api/v1/conversations?limit=200');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as any[]).find((c) => c.contact.waId === CUSTOMER);
}

async function readReceipts(h: Harness): Promise<SandboxRequest[]> {
  const res = await h.sandbox.get('/_sandbox/log/requests?method=POST&limit=10000');
  expect(res.status).toBe(200);
  return (res.body.data as SandboxRequest[]).filter((r) => r.path.endsWith('/messages') && r.body?.status === 'read');
}

describe.each<DbKind>(['sqlite', 'postgres'])('conversation list items and mark read (%s)', (db) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db });
    await createCustomer(h.sandbox, CUSTOMER, 'silent');
  });
  afterAll(async () => { await h?.close(); });

  it('embeds the contact and the last message, and counts unread customer messages', async () => {
    const sent = await sendOk(h.api, `+${CUSTOMER}`, templateContent());
    await waitForMessage(h.api, sent.id, hasStatus('sent', 'delivered'));
    let conv = await conversationOf(h);
    expect(conv.contact).toEqual({ id: sent.contactId, name: null, e164: `+${CUSTOMER}`, waId: CUSTOMER });
    expect(conv.lastMessage).toMatchObject({ id: sent.id, direction: 'out', type: 'template', preview: 'hello_world' });
    expect(conv).toMatchObject({ unreadCount: 0, lastReadAt: null });

    await customerWrites(h, 'Hello, is my order on its way?');
    await customerWrites(h, 'It was   number\n1042');
    conv = await conversationOf(h);
    expect(conv.lastMessage).toMatchObject({ direction: 'in', type: 'text', preview: 'It was number 1042', status: 'received' });
    expect(conv.unreadCount).toBe(2);
    const one = await h.api.get(`/api/v1/conversations/${conv.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ contact: conv.contact, lastMessage: conv.lastMessage, unreadCount: 2 });
  });

  it('marks read: one receipt for the newest customer message, unread 0, then unread again on a new message', async () => {
    const conv = await conversationOf(h);
    const before = (await readReceipts(h)).length;
    const read = await h.api.post(`/api/v1/conversations/${conv.id}/read`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.receiptSent).toBe(true);
    expect(read.body.conversation).toMatchObject({ id: conv.id, unreadCount: 0, lastReadAt: conv.lastMessage.createdAt });
    const receipts = (await readReceipts(h)).slice(before);
    expect(receipts).toHaveLength(1);
    const lastInbound = (await h.api.get(`/api/v1/messages/${conv.lastMessage.id}`)).body;
    expect(receipts[0]!.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: lastInbound.wamid });
    expect(receipts[0]!.status).toBe(200);

    // Nothing new: no second receipt.
    const again = await h.api.post(`/api/v1/conversations/${conv.id}/read`);
    expect(again.body).toMatchObject({ receiptSent: false, conversation: { unreadCount: 0 } });
    expect((await readReceipts(h)).length).toBe(before + 1);

    await customerWrites(h, 'Any news?');
    expect((await conversationOf(h)).unreadCount).toBe(1);
  });

  it('answers 404 conversation_not_found for an unknown conversation', async () => {
    const res = await h.api.post('/api/v1/conversations/cv_unknown/read');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('conversation_not_found');
  });
});
