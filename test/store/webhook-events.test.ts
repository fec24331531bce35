import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import {
  claimWebhookEvents,
  completeWebhookEvent,
  countWebhookEvents,
  failWebhookEvent,
  getWebhookEvent,
  hashPayload,
  purgeWebhookEvents,
  storeWebhookEvent,
  storeWebhookEvents,
} from '../../src/store/queries/webhook-events.js';

const body = (n: number): string => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: String(n) }] });

forEachDatabase('webhook-events', (get) => {
  afterEach(async () => {
    await get().db.deleteFrom('webhook_events').execute(); // a global queue: start each test empty
  });

  it('stores a raw payload byte for byte; the log is append-only, so a later identical payload is a new event', async () => {
    const { db } = get();
    const payload = '{"object":"whatsapp_business_account",  "entry":[]}';
    const first = await storeWebhookEvent(db, { payload, receivedAt: 10 });
    const again = await storeWebhookEvent(db, { payload, receivedAt: 20 });
    expect(first.inserted).toBe(true);
    expect(again.inserted).toBe(true);
    expect(again.id).not.toBe(first.id);
    expect(await getWebhookEvent(db, first.id)).toMatchObject({ payload, receivedAt: 10, status: 'pending', signatureOk: true, attempts: 0 });
    expect(await getWebhookEvent(db, again.id)).toMatchObject({ payload, receivedAt: 20, payloadHash: (await getWebhookEvent(db, first.id))?.payloadHash });
    expect(await countWebhookEvents(db)).toBe(2);
  });

  it('stores a payload handed in as bytes as the same text (non-ASCII included), read back as a string', async () => {
    const { db } = get();
    const text = '{"object":"whatsapp_business_account","entry":[{"id":"1","note":"Добрый день 👋"}]}';
    const [fromBytes, fromText] = await storeWebhookEvents(db, [{ payload: Buffer.from(text, 'utf8') }, { payload: text, payloadHash: 'other' }]);
    const stored = await getWebhookEvent(db, fromBytes!.id);
    expect(stored?.payload).toBe(text);
    expect(stored?.payloadHash).toBe(hashPayload(text));
    const typed = await sql<{ t: string }>`select ${sql.raw(get().kind === 'sqlite' ? 'typeof(payload)' : 'pg_typeof(payload)::text')} as t from webhook_events where id = ${fromBytes!.id}`.execute(db);
    expect(typed.rows[0]?.t).toBe('text');
    expect((await getWebhookEvent(db, fromText!.id))?.payload).toBe(text);
  });

  it('stores a batch in one statement, an identical payload inside it once, results in input order', async () => {
    const { db } = get();
    const results = await storeWebhookEvents(db, [
      { payload: body(1), signerHash: 's1', receivedAt: 5 }, { payload: body(2) }, { payload: body(3), signatureOk: false }, { payload: body(2) },
    ]);
    expect(results.map((r) => r.inserted)).toEqual([true, true, true, false]);
    expect(results[3]?.id).toBe(results[1]?.id);
    expect(await countWebhookEvents(db)).toBe(3);
    expect(await getWebhookEvent(db, results[0]!.id)).toMatchObject({ payload: body(1), signerHash: 's1', receivedAt: 5, status: 'pending', attempts: 0 });
    expect(await getWebhookEvent(db, results[2]!.id)).toMatchObject({ payload: body(3), signatureOk: false, signerHash: null });
  });

  it('keeps the same bytes signed by two apps as two events: the payload hash is per app', async () => {
    const { db } = get();
    // The intake passes the verified HMAC as the hash, so a foreign app's copy of a genuine event's
    // bytes, arriving in the same batch, cannot stand in for it.
    const results = await storeWebhookEvents(db, [
      { payload: body(1), payloadHash: 'hmac-of-app-a', signerHash: 'app-a' },
      { payload: body(1), payloadHash: 'hmac-of-app-b', signerHash: 'app-b' },
    ]);
    expect(results.map((r) => r.inserted)).toEqual([true, true]);
    expect(await getWebhookEvent(db, results[1]!.id)).toMatchObject({ payload: body(1), signerHash: 'app-b' });
    expect(await countWebhookEvents(db)).toBe(2);
  });

  it('claims events once, then again after the lease expires; completes them', async () => {
    const { db } = get();
    await storeWebhookEvents(db, [1, 2, 3].map((n) => ({ payload: body(n), receivedAt: n })));
    const claimed = await claimWebhookEvents(db, { limit: 2, leaseMs: 1_000, now: 100 });
    expect(claimed.map((e) => e.receivedAt)).toEqual([1, 2]);
    expect(claimed.every((e) => e.status === 'processing' && e.attempts === 1)).toBe(true);
    const next = await claimWebhookEvents(db, { limit: 5, leaseMs: 1_000, now: 200 });
    expect(next.map((e) => e.receivedAt)).toEqual([3]);
    await completeWebhookEvent(db, claimed[0]!.id, 300);
    const reclaimed = await claimWebhookEvents(db, { limit: 5, leaseMs: 1_000, now: 1_100 });
    expect(reclaimed.map((e) => e.id)).toEqual([claimed[1]!.id]);
    expect(reclaimed[0]?.attempts).toBe(2);
    expect(await getWebhookEvent(db, claimed[0]!.id)).toMatchObject({ status: 'done', processedAt: 300 });
  });

  it('retries a failed event from its retry time, or parks it as failed', async () => {
    const { db } = get();
    const { id } = await storeWebhookEvent(db, { payload: body(9) });
    await claimWebhookEvents(db, { limit: 1, leaseMs: 1_000, now: 0 });
    await failWebhookEvent(db, id, 'db hiccup', 5_000);
    expect(await claimWebhookEvents(db, { limit: 1, leaseMs: 1_000, now: 4_999 })).toEqual([]);
    const [retry] = await claimWebhookEvents(db, { limit: 1, leaseMs: 1_000, now: 5_000 });
    expect(retry).toMatchObject({ id, attempts: 2, lastError: 'db hiccup' });
    await failWebhookEvent(db, id, 'poison', null);
    expect(await claimWebhookEvents(db, { limit: 1, leaseMs: 1_000, now: 99_999 })).toEqual([]);
    expect(await getWebhookEvent(db, id)).toMatchObject({ status: 'failed', lastError: 'poison' });
  });

  it('gives concurrent claimers on separate connections disjoint events', async () => {
    const { db } = get();
    await storeWebhookEvents(db, Array.from({ length: 30 }, (_, n) => ({ payload: body(100 + n) })));
    const other = await get().openAnother();
    const claims = await Promise.all([
      claimWebhookEvents(db, { limit: 10, leaseMs: 60_000 }),
      claimWebhookEvents(other.db, { limit: 10, leaseMs: 60_000 }),
      claimWebhookEvents(other.db, { limit: 10, leaseMs: 60_000 }),
    ]);
    const ids = claims.flat().map((e) => e.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('purges only processed events older than the cut-off', async () => {
    const { db } = get();
    const a = await storeWebhookEvent(db, { payload: body(1) });
    const b = await storeWebhookEvent(db, { payload: body(2) });
    await completeWebhookEvent(db, a.id, 1_000);
    expect(await purgeWebhookEvents(db, 2_000)).toBe(1);
    expect(await getWebhookEvent(db, a.id)).toBeUndefined();
    expect(await getWebhookEvent(db, b.id)).toBeDefined();
  });
});
