// Sending failures over real HTTP: a permanent Cloud API refusal fails the message at once with
// Meta's code and title (no retries); an asynchronous failure arrives as a `failed` status webhook
// and is final — a later `delivered` does not revive it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, WABA_ID, type Harness } from './harness.js';
import { hasStatus, sandboxSends, sendOk, statusWebhook, templateContent, waitForMessage } from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('send failures', () => {
  it("fails a message permanently on Meta's synchronous refusal, with its code and title, after one attempt", async () => {
    expect((await h.sandbox.patch(`/_sandbox/wabas/${WABA_ID}`, { paymentValid: false })).status).toBe(200);
    try {
      const queued = await sendOk(h.api, '+447400123801', templateContent());
      const failed = await waitForMessage(h.api, queued.id, hasStatus('failed'));
      expect(failed.error?.code).toBe(131042);
      expect(failed.error?.title).toBeTruthy();
      expect(failed.failedAt).not.toBeNull();
      const attempts = (await sandboxSends(h.sandbox)).filter((r) => r.body?.biz_opaque_callback_data === queued.id);
      expect(attempts.map((r) => [r.status, r.errorCode])).toEqual([[400, 131042]]);
    } finally {
      await h.sandbox.patch(`/_sandbox/wabas/${WABA_ID}`, { paymentValid: true });
    }
  });

  it('records an asynchronous failure (131026, not on WhatsApp) from its status webhook, and keeps it final', async () => {
    const waId = '447400123802';
    const created = await h.sandbox.post('/_sandbox/customers', { waId, onWhatsApp: false });
    expect(created.status).toBe(201);
    const queued = await sendOk(h.api, `+${waId}`, templateContent());
    const failed = await waitForMessage(h.api, queued.id, hasStatus('failed'));
    expect(failed.error?.code).toBe(131026);
    expect(failed.wamid).toMatch(/^wamid\./);
    const accepted = (await sandboxSends(h.sandbox)).filter((r) => r.body?.biz_opaque_callback_data === queued.id);
    expect(accepted.map((r) => r.status)).toEqual([200]);

    const late = await h.postWebhook(statusWebhook({ wamid: failed.wamid!, status: 'delivered', at: Date.now() + 60_000, recipient: waId }));
    expect(late.status).toBe(200);
    await h.settleWebhooks();
    const after = (await h.api.get(`/api/v1/messages/${queued.id}`)).body;
    expect(after).toMatchObject({ status: 'failed', deliveredAt: null, error: { code: 131026 } });
  });
});
