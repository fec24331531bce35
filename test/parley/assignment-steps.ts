// Steps shared by the assignment and visibility tests: a customer writing in (signed webhook), finding
// its conversation, PUT (the harness client has no put), and a team with members.

import { request } from 'undici';
import { expect } from 'vitest';
import { eventually, type Harness, type HttpClient, type Reply } from './harness.js';
import { createCustomer, inboundTextWebhook } from './steps.js';

let seq = 0;

/**
 * A sandbox customer writes `text` (through the sandbox, so Meta knows the wamid and a read receipt
 * works) — or, given `at`, a signed webhook with that timestamp (to test ordering). Returns the
 * conversation's id once the message is stored.
 */
export async function customerWrites(h: Harness, waId: string, text = 'Hello', at?: number): Promise<string> {
  // The sandbox customer may exist already (a second message): creating it again is refused, which is fine.
  await createCustomer(h.sandbox, waId, 'silent').catch(() => undefined);
  if (at === undefined) {
    const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  } else {
    const res = await h.postWebhook(inboundTextWebhook({ waId, wamid: `wamid.s2.${process.pid}.${++seq}.${waId}`, text, at }));
    expect(res.status).toBe(200);
  }
  return eventually(async () => {
    await h.settleWebhooks();
    const list = await h.api.get('/api/v1/conversations?limit=200');
    const found = (list.body.items as Array<{ id: string; contact: { waId: string }; lastMessage: { preview: string | null } | null }>)
      .find((c) => c.contact.waId === waId);
    return found && (at !== undefined || found.lastMessage?.preview === text) ? found.id : undefined;
  }, { what: `${waId}'s message stored` });
}

export async function put(h: Harness, path: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
  const res = await request(`${h.parley.url}${path}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : text, headers: res.headers };
}

export const apiKeyHeaders = (h: Harness): Record<string, string> => ({ authorization: `Bearer ${h.parley.demo!.apiKey}` });

/** A team with these members, made with the API key. */
export async function teamWith(h: Harness, name: string, memberIds: string[]): Promise<string> {
  const res = await h.api.post('/api/v1/teams', { name, memberIds });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

export async function assignAs(client: HttpClient, conversationId: string, body: Record<string, unknown>): Promise<Reply> {
  return client.post(`/api/v1/conversations/${conversationId}/assignment`, body);
}

export const ids = (reply: Reply): string[] => (reply.body.items as Array<{ id: string }>).map((c) => c.id);
