// A send whose answer is lost after the Cloud API accepted it (connection cut, or a 500) may have
// gone out: the sender must wait for the reconciling status webhook instead of retrying at once,
// so the customer gets the message exactly once.

import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './processes.js';
import { sendsPerId, type SandboxMessage } from './tenant.js';
import { outboundStatuses, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const RECIPIENTS = ['+447911123010', '+447911123011', '+447911123012', '+447911123013'];

describe.each(['reset', 'http500'] as const)('answer to a send lost (%s)', (sendAnswer) => {
  it('is reconciled by the status webhook and never sent twice', { timeout: 60_000 }, async () => {
    world = await startWorld({
      proxy: { delayMs: 0, sendAnswer },
      // Webhooks come 1.5 s after the send, long after a plain back-off retry (50 ms) would have fired.
      sandboxOptions: { webhookBatchMs: 1500 },
      env: { SEND_RECONCILE_MS: '4000' },
    });
    const w = world;
    const ids: string[] = [];
    for (const to of RECIPIENTS) {
      const res = await w.api<{ id: string }>('POST', '/messages', { to, content: { type: 'template', name: 'hello_world', language: 'en_US' } });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    await waitFor('every message read', async () => {
      const statuses = await outboundStatuses(w);
      return ids.every((id) => statuses.get(id) === 'read');
    }, 30_000);
    await waitFor('the outbox to drain', async () => (await w.tdb.database.db.selectFrom('outbox').select('id').execute()).length === 0, 20_000);

    const sends = (await w.control<{ data: SandboxMessage[] }>('GET', '/messages?limit=1000')).body.data;
    const perId = sendsPerId(sends);
    expect(Object.fromEntries(perId)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    const stored = await w.tdb.database.db.selectFrom('messages').select(['id', 'wamid']).where('id', 'in', ids).execute();
    for (const m of stored) expect(m.wamid).toBe(sends.find((s) => s.bizOpaqueCallbackData === m.id)?.wamid);
  });
});
