// The core sending flows, declared once and run on SQLite (memory bus/limiter) and on PostgreSQL +
// Redis: a session message outside the window is refused and never reaches the sandbox; a template
// goes out and the customer's reply opens the window; the sandbox's 130429 is retried until the
// message goes out exactly once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import {
  type ApiMessage, conversationMessages, hasStatus, sandboxSends, sendOk, templateContent, waitForMessage,
} from './steps.js';

export function describeCoreFlows(kind: DbKind): void {
  describe(`core sending flows [${kind}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      // Generous attempts: the throttling test retries many times at a 1 mps sandbox number.
      h = await startHarness({ db: kind, env: { SEND_MAX_ATTEMPTS: '50', SEND_RETRY_MAX_MS: '500' } });
    });
    afterAll(async () => { await h?.close(); });

    it('refuses a free-form text outside the 24 h window, stores the denial and never calls the Cloud API', async () => {
      const res = await h.api.post('/api/v1/messages', { to: '+5511987654321', content: { type: 'text', body: 'Olá!' } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('policy_denied');
      expect(res.body.error.details.reason).toBe('outside_service_window');
      const denied = res.body.error.details.message;
      expect(denied.status).toBe('denied');

      const stored = await conversationMessages(h.api, denied.conversationId);
      expect(stored.find((m) => m.id === denied.id)).toMatchObject({ status: 'denied', direction: 'out', wamid: null });
      expect(stored.find((m) => m.id === denied.id)!.policy).toMatchObject({ allow: false, reason: 'outside_service_window' });

      // Barrier: a later allowed message goes out; had the denial been queued, it would have gone first.
      const later = await sendOk(h.api, '+5511987654321', templateContent());
      await waitForMessage(h.api, later.id, hasStatus('sent', 'delivered', 'read'));
      const sends = await sandboxSends(h.sandbox);
      expect(sends.some((r) => r.body?.biz_opaque_callback_data === later.id)).toBe(true);
      expect(sends.filter((r) => r.body?.biz_opaque_callback_data === denied.id || (r.body?.to === '5511987654321' && r.body?.type === 'text'))).toEqual([]);
    });

    it('sends a template outside the window, then the reply opens the window and a text is delivered', async () => {
      const to = '79161234567';
      const template = await sendOk(h.api, `+${to}`, templateContent('order_update', 'ru', ['Иван', '№1042']));
      expect(template.outsideWindow).toBe(true);
      const delivered = await waitForMessage(h.api, template.id, (m) => m.deliveredAt !== null && m.pricing.billable !== null);
      expect(delivered.wamid).toMatch(/^wamid\./);
      expect(['delivered', 'read']).toContain(delivered.status);
      expect(delivered.pricing).toMatchObject({ category: 'utility', type: 'regular', billable: true });
      expect(delivered.pricing.costMicros).toBeGreaterThan(0);
      await expectPricingAsReported(h, delivered);

      const before = await h.api.post('/api/v1/messages', { to: `+${to}`, content: { type: 'text', body: 'Завтра' } });
      expect(before.status).toBe(422);

      const reply = await h.sandbox.post(`/_sandbox/customers/${to}/messages`, { type: 'text', text: 'Спасибо! Когда доставка?' });
      expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
      const inbound = await eventually(async () => (await conversationMessages(h.api, template.conversationId))
        .find((m) => m.direction === 'in' && m.content?.body === 'Спасибо! Когда доставка?'), { what: 'customer reply stored' });
      expect(inbound.status).toBe('received');
      const conversation = (await h.api.get(`/api/v1/conversations/${template.conversationId}`)).body;
      expect(conversation.windowOpen).toBe(true);
      expect(conversation.lastInboundAt).not.toBeNull();

      const text = await sendOk(h.api, `+${to}`, { type: 'text', body: 'Доставка завтра до 18:00' });
      expect(text.outsideWindow).toBe(false);
      const textDelivered = await waitForMessage(h.api, text.id, (m) => m.deliveredAt !== null);
      expect(textDelivered.pricing.category).toBe('service');
      await expectPricingAsReported(h, textDelivered);
      const sent = (await sandboxSends(h.sandbox)).filter((r) => r.body?.biz_opaque_callback_data === text.id);
      expect(sent.map((r) => [r.status, r.body.type, r.body.text?.body])).toEqual([[200, 'text', 'Доставка завтра до 18:00']]);
    });

    it("backs off on the sandbox's 130429 and sends every message exactly once", async () => {
      // The sandbox number now takes 1 message/s while Parley's inbox still says 80: Parley lets them through.
      const patched = await h.sandbox.patch('/_sandbox/phone-numbers/600000000000001', { throughputMps: 1 });
      expect(patched.status).toBe(200);
      const recipients = ['447911123461', '447911123462', '447911123463', '447911123464', '447911123465'];
      const queued: ApiMessage[] = [];
      for (const to of recipients) queued.push(await sendOk(h.api, `+${to}`, templateContent()));
      for (const m of queued) await waitForMessage(h.api, m.id, hasStatus('sent', 'delivered', 'read'), 20_000);

      if (kind === 'postgres') {
        // The pacing buckets really lived in Redis (under this run's prefix), not in memory.
        expect(h.parley.deps.database.dialect).toBe('postgres');
        expect((await h.redisKeys()).length).toBeGreaterThan(0);
      }
      const sends = await sandboxSends(h.sandbox);
      const ours = sends.filter((r) => queued.some((m) => m.id === r.body?.biz_opaque_callback_data));
      expect(ours.filter((r) => r.errorCode === 130429).length).toBeGreaterThan(0);
      for (const m of queued) {
        const accepted = ours.filter((r) => r.body.biz_opaque_callback_data === m.id && r.status === 200);
        expect(accepted, `accepted sends of ${m.id}`).toHaveLength(1);
        const stored = (await h.api.get(`/api/v1/messages/${m.id}`)).body;
        expect(stored.wamid).toBe(accepted[0]!.response.messages[0].id);
        expect(stored.error).toBeNull();
      }
    });
  });
}

/** Parley's recorded pricing is what the Cloud API (sandbox) reported for that message, priced by our rate card. */
async function expectPricingAsReported(h: Harness, m: ApiMessage): Promise<void> {
  const res = await h.sandbox.get(`/_sandbox/messages?limit=10000`);
  const truth = (res.body.data as Array<{ wamid: string; pricing: { category: string; type: string; billable: boolean; priceUsd: number } }>)
    .find((x) => x.wamid === m.wamid);
  expect(truth, `sandbox message ${m.wamid}`).toBeDefined();
  expect(m.pricing).toMatchObject({ category: truth!.pricing.category, type: truth!.pricing.type, billable: truth!.pricing.billable });
  expect(m.pricing.costMicros).toBe(Math.round(truth!.pricing.priceUsd * 1_000_000));
}
