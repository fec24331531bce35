// Templates and marketing preferences over real HTTP: a marketing template created on the Cloud API
// reaches Parley through the review webhook (resync); a customer who stops marketing is marked
// opted out by the user_preferences webhook and marketing is then refused before it is sent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, SANDBOX_TOKEN, startHarness, WABA_ID, type Harness } from './harness.js';
import { createCustomer, hasStatus, sandboxSends, sendOk, templateContent, waitForMessage } from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

const PROMO = 'spring_sale_shoes';

async function contactOf(id: string): Promise<{ marketingOptOut: boolean; marketingOptOutAt: number | null }> {
  const res = await h.api.get(`/api/v1/contacts/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('marketing templates and opt-out', () => {
  it('learns a marketing template approved on the Cloud API from its status webhook', async () => {
    const created = await h.sandbox.post(`/v23.0/${WABA_ID}/message_templates`, {
      name: PROMO, language: 'en_US', category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Spring sale: 20% off every pair of shoes in our store this weekend only!' }],
    }, { authorization: `Bearer ${SANDBOX_TOKEN}` });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    // Approved after the sandbox's review delay; the webhook names a template Parley never saw → resync.
    const stored = await eventually(async () => {
      const row = await h.parley.deps.database.db.selectFrom('templates').selectAll()
        .where('name', '=', PROMO).where('workspace_id', '=', h.parley.demo!.workspaceId).executeTakeFirst();
      return row?.status === 'APPROVED' ? row : undefined;
    }, { timeoutMs: 15_000, what: 'template synced as APPROVED' });
    expect(stored.category).toBe('MARKETING');
    expect(stored.meta_template_id).toBe(created.body.id);
  });

  it('marks the contact opted out on stop-marketing and refuses marketing (but not utility) to them', async () => {
    const optedOut = '447400123601';
    const other = '447400123602';
    for (const waId of [optedOut, other]) await createCustomer(h.sandbox, waId, 'silent');
    const first = await sendOk(h.api, `+${optedOut}`, templateContent());
    await waitForMessage(h.api, first.id, hasStatus('delivered'));
    expect((await contactOf(first.contactId)).marketingOptOut).toBe(false);

    const stop = await h.sandbox.post(`/_sandbox/customers/${optedOut}/stop-marketing`, {});
    expect(stop.status, JSON.stringify(stop.body)).toBeLessThan(300);
    const contact = await eventually(async () => {
      const c = await contactOf(first.contactId);
      return c.marketingOptOut ? c : undefined;
    }, { what: 'marketingOptOut from the user_preferences webhook' });
    expect(contact.marketingOptOutAt).not.toBeNull();

    const denied = await h.api.post('/api/v1/messages', { to: `+${optedOut}`, content: templateContent(PROMO, 'en_US') });
    expect(denied.status, JSON.stringify(denied.body)).toBe(422);
    expect(denied.body.error.details).toMatchObject({ reason: 'marketing_opt_out', rule: expect.any(String) });
    // Utility still goes to them; marketing still goes to others.
    const utility = await sendOk(h.api, `+${optedOut}`, templateContent());
    const promo = await sendOk(h.api, `+${other}`, templateContent(PROMO, 'en_US'));
    await waitForMessage(h.api, utility.id, hasStatus('sent', 'delivered', 'read'));
    const promoSent = await waitForMessage(h.api, promo.id, hasStatus('sent', 'delivered', 'read'));
    expect(promoSent.pricing.category).toBe('marketing');
    const sends = await sandboxSends(h.sandbox);
    expect(sends.filter((r) => r.body?.to === optedOut && r.body?.template?.name === PROMO)).toEqual([]);
    expect(sends.filter((r) => r.body?.biz_opaque_callback_data === denied.body.error.details.message.id)).toEqual([]);

    const resume = await h.sandbox.post(`/_sandbox/customers/${optedOut}/resume-marketing`, {});
    expect(resume.status).toBeLessThan(300);
    await eventually(async () => !(await contactOf(first.contactId)).marketingOptOut, { what: 'opt-out lifted on resume' });
  });

  it('keeps a stop from a customer Parley has never messaged: the contact is created opted out', async () => {
    const waId = '447400123603';
    await createCustomer(h.sandbox, waId, 'silent');
    const stop = await h.sandbox.post(`/_sandbox/customers/${waId}/stop-marketing`, {});
    expect(stop.status, JSON.stringify(stop.body)).toBeLessThan(300);
    const contact = await eventually(async () => {
      const items = (await h.api.get('/api/v1/contacts?limit=200')).body.items as Array<{ waId: string; marketingOptOut: boolean }>;
      return items.find((c) => c.waId === waId && c.marketingOptOut);
    }, { what: 'opted-out contact created from the user_preferences webhook' });
    expect(contact).toMatchObject({ e164: `+${waId}`, country: 'GB' });
    const denied = await h.api.post('/api/v1/messages', { to: `+${waId}`, content: templateContent(PROMO, 'en_US') });
    expect([denied.status, denied.body.error?.details?.reason]).toEqual([422, 'marketing_opt_out']);
  });
});
