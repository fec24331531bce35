// Two senders on one database (two Parley processes, in effect) with a lease shorter than the time
// a slowly paced batch takes: a row whose lease ran out and was taken by the other sender must not
// be sent by the first one too. Every message goes out exactly once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateInbox } from '../../src/store/queries/inboxes.js';
import { Sender } from '../../src/workers/sender.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { sandboxSends, sendOk, templateContent } from '../parley/steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('two senders sharing the outbox', () => {
  it('never send a message twice when a slow batch outlives its lease', async () => {
    await h.parley.sender.stop(); // this test runs its own two senders
    const { deps, demo } = { deps: h.parley.deps, demo: h.parley.demo! };
    // 4 messages per second: a claimed batch of 8 takes ~2 s, far past the 300 ms lease.
    await updateInbox(deps.database.db, demo.workspaceId, demo.inboxId, { throughputMps: 4 });
    const options = { concurrency: 2, pollMs: 10, leaseMs: 300, reconcileMs: 50, maxAttempts: 8, retryBaseMs: 50, retryMaxMs: 500 };
    const senders = [new Sender(deps, { ...options, owner: 'sender-a' }), new Sender(deps, { ...options, owner: 'sender-b' })];

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await sendOk(h.api, `+4474001239${String(i).padStart(2, '0')}`, templateContent())).id);
    for (const s of senders) s.start();
    try {
      await eventually(async () => {
        const sends = await sandboxSends(h.sandbox);
        return ids.every((id) => sends.some((r) => r.status === 200 && r.body?.biz_opaque_callback_data === id));
      }, { timeoutMs: 20_000, what: 'every message accepted by the sandbox' });
      const accepted = (await sandboxSends(h.sandbox)).filter((r) => r.status === 200);
      for (const id of ids) {
        expect(accepted.filter((r) => r.body?.biz_opaque_callback_data === id), `sends of ${id}`).toHaveLength(1);
      }
    } finally {
      await Promise.all(senders.map((s) => s.stop()));
    }
  });
});
