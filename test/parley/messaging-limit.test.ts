// The portfolio messaging limit over real HTTP: at a 50-customer tier, the 51st new customer outside
// the service window is refused before anything reaches the Cloud API, with the time a slot frees;
// a customer already counted can still be written to; and a message that fails (the customer is not
// on WhatsApp) gives its slot back.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { createCustomer, hasStatus, sandboxSends, sendOk, templateContent, waitForMessage } from './steps.js';

const TIER = 50;
const DAY_MS = 24 * 3600_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.parley.deps.database.db.updateTable('inboxes').set({ messaging_limit: TIER }).where('id', '=', h.parley.demo!.inboxId).execute();
});
afterAll(async () => { await h?.close(); });

const customer = (n: number): string => String(447500300000 + n);

it('refuses the customer past the tier with messaging_limit_reached, after a failed message gave its slot back', async () => {
  const unreachable = customer(0);
  await createCustomer(h.sandbox, unreachable, 'unreachable');
  for (let n = 1; n <= TIER + 1; n++) await createCustomer(h.sandbox, customer(n), 'silent');
  const sent = [];
  for (let n = 1; n < TIER; n++) sent.push(await sendOk(h.api, `+${customer(n)}`, templateContent()));

  // The 50th slot goes to a customer who is not on WhatsApp: the send fails (131026) and stops counting.
  const lost = await sendOk(h.api, `+${unreachable}`, templateContent());
  await waitForMessage(h.api, lost.id, hasStatus('failed'));
  await sendOk(h.api, `+${customer(TIER)}`, templateContent()); // the 50th counted customer

  const refused = await h.api.post('/api/v1/messages', { to: `+${customer(TIER + 1)}`, content: templateContent() });
  expect(refused.status, JSON.stringify(refused.body)).toBe(422);
  expect(refused.body.error.details).toMatchObject({ reason: 'messaging_limit_reached', rule: expect.any(String) });
  expect(refused.body.error.details.retryAt).toBe(sent[0]!.createdAt + DAY_MS); // the oldest counted customer ages out first
  // Refused before the Cloud API: nothing was sent to that customer.
  expect((await sandboxSends(h.sandbox)).filter((r) => r.body?.to === customer(TIER + 1))).toEqual([]);

  // A customer already counted takes no new slot.
  await sendOk(h.api, `+${customer(1)}`, templateContent());
});
