// The bulk send path (queueMessages, what campaigns use) on both databases: each recipient is decided
// by the policy — here the 50-customer messaging limit, shared with single API sends running at the
// same moment — invalid items are reported without storing anything, allowed messages go on the
// campaign lane, and the sender delivers them to the sandbox.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessages, type BulkItem } from '../../src/services/outbound-bulk.js';
import { LANE_CAMPAIGN, LANE_REPLY } from '../../src/store/queries/outbound-batch.js';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { createCustomer, sandboxSends, templateContent } from './steps.js';

const TIER = 50;

for (const kind of ['sqlite', 'postgres'] as DbKind[]) {
  describe(`bulk queueing [${kind}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ db: kind });
      await h.parley.deps.database.db.updateTable('inboxes').set({ messaging_limit: TIER }).where('id', '=', h.parley.demo!.inboxId).execute();
    });
    afterAll(async () => { await h?.close(); });

    it('decides each recipient with the policy, shares the messaging limit with concurrent single sends, and queues on the campaign lane', async () => {
      const { deps, demo } = h.parley;
      const customer = (n: number): string => String(447500400000 + n);
      for (let n = 0; n < 70; n++) await createCustomer(h.sandbox, customer(n), 'silent');
      const items: BulkItem[] = Array.from({ length: 60 }, (_, n) => ({ to: `+${customer(n)}`, content: templateContent() as BulkItem['content'] }));
      items.splice(3, 0, { to: 'not a number', content: templateContent() as BulkItem['content'] });
      items.splice(7, 0, { contactId: 'ct_missing', content: templateContent() as BulkItem['content'] });
      items.push({ to: `+${customer(0)}`, content: templateContent() as BulkItem['content'] }); // counted already: no new slot

      const singles = Array.from({ length: 10 }, (_, i) => h.api.post('/api/v1/messages', { to: `+${customer(60 + i)}`, content: templateContent() }));
      const [outcomes, ...answers] = await Promise.all([queueMessages(deps, demo!.workspaceId, demo!.inboxId, items), ...singles]);

      expect(outcomes.map((o) => o.index)).toEqual(items.map((_, i) => i));
      expect(outcomes[3]).toMatchObject({ error: { code: 'validation_failed' } });
      expect(outcomes[7]).toMatchObject({ error: { code: 'contact_not_found' } });
      const decided = outcomes.filter((o) => 'decision' in o);
      expect(decided).toHaveLength(61);
      const allowed = decided.filter((o) => o.decision.allow);
      const denied = decided.filter((o) => !o.decision.allow);
      expect(new Set(denied.map((o) => !o.decision.allow && o.decision.reason))).toEqual(new Set(['messaging_limit_reached']));
      const singlesAllowed = answers.filter((a) => a.status === 202).length;
      expect(answers.every((a) => a.status === 202 || a.body.error.details.reason === 'messaging_limit_reached')).toBe(true);
      // Exactly the tier's unique recipients, whoever took the slots (the repeat to customer 0 is free when 0 got one).
      const distinctAllowed = new Set(allowed.map((o) => 'message' in o && o.message.contactId)).size;
      expect(distinctAllowed + singlesAllowed).toBe(TIER);

      const { db } = deps.database;
      const lanes = await db.selectFrom('outbox').select(['priority']).select((eb) => eb.fn.countAll().as('n')).groupBy('priority').execute();
      const byLane = Object.fromEntries(lanes.map((l) => [l.priority, Number(l.n)]));
      expect(byLane[LANE_CAMPAIGN] ?? 0).toBeLessThanOrEqual(allowed.length);
      expect(byLane[LANE_REPLY] ?? 0).toBeLessThanOrEqual(singlesAllowed);
      const stored = await db.selectFrom('messages').select(['status']).where('direction', '=', 'out').execute();
      expect(stored).toHaveLength(61 + 10);

      // The sender delivers every allowed message, bulk and single, once.
      await eventually(async () => {
        const sends = (await sandboxSends(h.sandbox)).filter((r) => r.status === 200);
        return sends.length >= allowed.length + singlesAllowed ? sends : undefined;
      }, { timeoutMs: 20_000, what: 'bulk messages sent' });
      const sends = (await sandboxSends(h.sandbox)).filter((r) => r.status === 200);
      expect(sends).toHaveLength(allowed.length + singlesAllowed);
    });
  });
}
