// The race behind a duplicate seen in the SIGKILL test: the killed process had sent a message and
// stored its status webhook, but its webhook worker had claimed that event (leased) without applying
// it. The outbox row's lease runs out first; the restarted sender must wait for the webhook — which
// names the message — instead of sending the message a second time.

import { afterEach, describe, expect, it } from 'vitest';
import { storeWebhookEvent } from '../../src/store/queries/webhook-events.js';
import { Sender } from '../../src/workers/sender.js';
import { envelope } from './payloads.js';
import { waitFor } from './processes.js';
import { SANDBOX_NUMBER, sendsPerId, type SandboxMessage } from './tenant.js';
import { startWorld, type World } from './world.js';

let world: World | undefined;
let sender: Sender | undefined;
afterEach(async () => {
  await sender?.stop();
  await world?.close();
  world = sender = undefined;
});

function sentStatus(messageId: string, wamid: string, to: string): string {
  return envelope([{ field: 'messages', value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: SANDBOX_NUMBER.displayPhoneNumber, phone_number_id: SANDBOX_NUMBER.phoneNumberId },
    statuses: [{ id: wamid, status: 'sent', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to, biz_opaque_callback_data: messageId }],
  } }]);
}

describe.each(['sqlite', 'postgres'] as const)('status webhook leased by a dead worker [%s]', (kind) => {
  it('holds the re-claimed row until that webhook is applied; nothing is sent again', { timeout: 60_000 }, async () => {
    world = await startWorld({ kind });
    const w = world;
    const db = w.tdb.database.db;
    await w.parley.sender.stop();
    const queued = await w.api<{ id: string }>('POST', '/messages', { to: '+447911123050', content: { type: 'template', name: 'hello_world', language: 'en_US' } });
    expect(queued.status).toBe(202);
    const messageId = queued.body.id;

    // What the killed process left: its claim on the row (lease run out, grace over) and the status
    // webhook stored and leased to its worker for a few more seconds.
    const now = Date.now();
    await db.updateTable('outbox').set({ claimed_by: 'dead-host:1', claimed_until: now - 1, not_before: now - 1, attempts: 1 })
      .where('message_id', '=', messageId).execute();
    const event = await storeWebhookEvent(db, { payload: sentStatus(messageId, 'wamid.sent-by-the-dead', '447911123050') });
    await db.updateTable('webhook_events').set({ status: 'processing', claimed_until: now + 3000, attempts: 1 }).where('id', '=', event.id).execute();

    const opts = { owner: 'restarted:2', concurrency: 4, pollMs: 10, leaseMs: 60_000, reconcileMs: 500, maxAttempts: 8, retryBaseMs: 50, retryMaxMs: 500 };
    sender = new Sender(w.parley.deps, opts);
    sender.start();

    await waitFor('the outbox row to be completed', async () => (await db.selectFrom('outbox').select('id').where('message_id', '=', messageId).execute()).length === 0, 20_000);
    const message = await db.selectFrom('messages').select(['status', 'wamid']).where('id', '=', messageId).executeTakeFirstOrThrow();
    expect(message).toEqual({ status: 'sent', wamid: 'wamid.sent-by-the-dead' });
    const sends = (await w.control<{ data: SandboxMessage[] }>('GET', '/messages?limit=1000')).body.data;
    expect(sendsPerId(sends).get(messageId)).toBeUndefined();
  });
});
