// Group commit for webhook intake: concurrent events share a write, each caller settles only once
// its event is stored (or its batch failed); a byte-identical copy in the same batch is written once,
// a later redelivery is written again (the log is append-only, the handlers idempotent).

import { afterEach, expect, it } from 'vitest';
import { forEachDatabase, openTestDatabase } from '../helpers/databases.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { countWebhookEvents, getWebhookEvent, WebhookEventBatcher } from '../../src/store/queries/webhook-events.js';

const body = (n: number): string => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: `b${n}` }] });

forEachDatabase('webhook-event-batcher', (get) => {
  afterEach(async () => {
    await get().db.deleteFrom('webhook_events').execute(); // a global queue: start each test empty
  });

  it('stores every concurrent event and settles each caller only after its row is there', async () => {
    const { db } = get();
    const batcher = new WebhookEventBatcher(db, { maxBatch: 7 });
    const pending = Array.from({ length: 30 }, (_, n) => batcher.store({ payload: body(n), receivedAt: n }));
    const first = await Promise.race(pending);
    expect(await getWebhookEvent(db, first.id)).toMatchObject({ status: 'pending' });
    const stored = await Promise.all(pending);
    expect(stored.every((s) => s.inserted)).toBe(true);
    expect(new Set(stored.map((s) => s.id)).size).toBe(30);
    expect(await getWebhookEvent(db, stored[12]!.id)).toMatchObject({ payload: body(12), receivedAt: 12 });
    expect(await countWebhookEvents(db)).toBe(30);
  });

  it('stores a redelivery arriving in the same batch once, both callers getting its id', async () => {
    const { db } = get();
    const batcher = new WebhookEventBatcher(db);
    const [a, b] = await Promise.all([batcher.store({ payload: body(1) }), batcher.store({ payload: body(1) })]);
    expect([a?.inserted, b?.inserted]).toEqual([true, false]);
    expect(b?.id).toBe(a?.id);
    expect(await countWebhookEvents(db)).toBe(1);
  });

  it('writes a later redelivery again, as an event of its own', async () => {
    const { db } = get();
    const batcher = new WebhookEventBatcher(db);
    const first = await batcher.store({ payload: body(1) });
    const retry = await batcher.store({ payload: body(1) });
    expect(retry.inserted).toBe(true);
    expect(retry.id).not.toBe(first.id);
    expect(await countWebhookEvents(db)).toBe(2);
  });

  it('stores a payload after a batch that failed: the next batch is written', async () => {
    const unmigrated = await openTestDatabase(get().kind, { migrate: false, label: 'batcher-after-failure' });
    try {
      const batcher = new WebhookEventBatcher(unmigrated.database.db);
      await expect(batcher.store({ payload: body(4) })).rejects.toThrow();
      await migrateToLatest(unmigrated.database.db);
      const again = await batcher.store({ payload: body(4) });
      expect(again.inserted).toBe(true);
      expect(await getWebhookEvent(unmigrated.database.db, again.id)).toMatchObject({ payload: body(4) });
    } finally {
      await unmigrated.dispose();
    }
  });

  it('rejects every caller of a batch the database refused', async () => {
    const unmigrated = await openTestDatabase(get().kind, { migrate: false, label: 'batcher-refused' });
    try {
      const batcher = new WebhookEventBatcher(unmigrated.database.db);
      const results = await Promise.allSettled([batcher.store({ payload: body(7) }), batcher.store({ payload: body(8) })]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await unmigrated.dispose();
    }
  });
});
