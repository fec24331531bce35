// The free entry point end to end: a customer writes through a click-to-WhatsApp ad, the business
// replies within 24 h, and that reply opens the 72 h free window — in Parley's estimate, in its
// conversation, and in the pricing Meta (the sandbox) reports.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.js';
import { createCustomer, waitForMessage } from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

it('opens a 72 h free entry point window with the first reply to a click-to-WhatsApp message', async () => {
  const waId = '447400123901';
  await createCustomer(h.sandbox, waId, 'attentive');
  const wrote = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text: 'I saw your ad', referral: true });
  expect(wrote.status, JSON.stringify(wrote.body)).toBe(200);
  const conversation = await eventually(async () => {
    const list = await h.api.get('/api/v1/conversations');
    const contact = (await h.api.get('/api/v1/contacts')).body.items.find((c: { waId: string }) => c.waId === waId);
    return contact && list.body.items.find((c: { contactId: string; lastInboundAt: number | null }) => c.contactId === contact.id && c.lastInboundAt !== null);
  }, { what: 'the ad message stored' });
  expect(conversation.entryPointExpiresAt).toBeNull();

  const before = Date.now();
  const reply = await h.api.post('/api/v1/messages', { contactId: conversation.contactId, content: { type: 'text', body: 'Hello! How can we help?' } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  expect(reply.body.pricing).toMatchObject({ type: 'free_entry_point', billable: false, costMicros: 0 });

  const after = (await h.api.get(`/api/v1/conversations/${conversation.id}`)).body;
  expect(after.entryPointExpiresAt).toBeGreaterThanOrEqual(before + 72 * 3600_000);
  expect(after.entryPointExpiresAt).toBeLessThanOrEqual(Date.now() + 72 * 3600_000);

  // Meta's own pricing for the delivered reply agrees.
  const delivered = await waitForMessage(h.api, reply.body.id, (m) => m.status === 'delivered' || m.status === 'read');
  expect((delivered as unknown as { pricing: { type: string } }).pricing.type).toBe('free_entry_point');
});
