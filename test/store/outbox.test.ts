import { afterEach, expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from './fixtures.js';
import type { Db } from '../../src/store/db.js';
import { insertOutboundMessage } from '../../src/store/queries/messages.js';
import {
  claimOutbox,
  completeOutbox,
  countOutbox,
  deferOutbox,
  markOutboxInFlight,
  getOutboxItem,
  releaseExpiredOutboxLeases,
  releaseOutbox,
  rescheduleOutbox,
} from '../../src/store/queries/outbox.js';

async function enqueue(db: Db, count: number, notBefore = 1_000): Promise<{ workspaceId: string; outboxIds: string[] }> {
  const tenant = await createTenant(db);
  const { contact, conversation } = await createThread(db, tenant);
  const outboxIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { outboxId } = await insertOutboundMessage(
      db,
      tenant.workspaceId,
      { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'text', content: { i } },
      { recipient: contact.waId, notBefore },
    );
    outboxIds.push(outboxId!);
  }
  return { workspaceId: tenant.workspaceId, outboxIds };
}

forEachDatabase('outbox', (get) => {
  afterEach(async () => {
    await get().db.deleteFrom('outbox').execute(); // the outbox is a global queue: start each test empty
  });

  it('claims due rows only, oldest first, with a lease and an attempt count', async () => {
    const { db } = get();
    const due = await enqueue(db, 3, 1_000);
    await enqueue(db, 2, 50_000);
    const claimed = await claimOutbox(db, { owner: 'w1', limit: 10, leaseMs: 30_000, now: 2_000 });
    expect(claimed.map((c) => c.id).sort()).toEqual([...due.outboxIds].sort());
    expect(claimed.every((c) => c.claimedBy === 'w1' && c.claimedUntil === 32_000 && c.attempts === 1)).toBe(true);
    expect(await claimOutbox(db, { owner: 'w2', limit: 10, leaseMs: 30_000, now: 3_000 })).toEqual([]);
  });

  it('gives two concurrent claimers on separate connections disjoint rows', async () => {
    const { db } = get();
    await enqueue(db, 40);
    const other = await get().openAnother();
    const claims = await Promise.all([
      claimOutbox(db, { owner: 'a', limit: 15, leaseMs: 60_000, now: 2_000 }),
      claimOutbox(other.db, { owner: 'b', limit: 15, leaseMs: 60_000, now: 2_000 }),
      claimOutbox(db, { owner: 'c', limit: 15, leaseMs: 60_000, now: 2_000 }),
      claimOutbox(other.db, { owner: 'd', limit: 15, leaseMs: 60_000, now: 2_000 }),
    ]);
    const ids = claims.flat().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
    for (const [i, claim] of claims.entries()) expect(claim.every((c) => c.claimedBy === 'abcd'[i])).toBe(true);
  });

  it('makes a row claimable again when its lease expires', async () => {
    const { db } = get();
    const { workspaceId, outboxIds } = await enqueue(db, 1);
    const [first] = await claimOutbox(db, { owner: 'crashed', limit: 5, leaseMs: 10_000, now: 2_000 });
    expect(first?.id).toBe(outboxIds[0]);
    expect(await claimOutbox(db, { owner: 'next', limit: 5, leaseMs: 10_000, now: 11_999 })).toEqual([]);
    const [again] = await claimOutbox(db, { owner: 'next', limit: 5, leaseMs: 10_000, now: 12_000 });
    expect(again).toMatchObject({ id: outboxIds[0], claimedBy: 'next', attempts: 2 });
    // The crashed owner lost its lease: it can neither complete nor reschedule the row.
    expect(await completeOutbox(db, workspaceId, outboxIds[0]!, 'crashed')).toBe(false);
    expect(await rescheduleOutbox(db, workspaceId, outboxIds[0]!, 'crashed', 99)).toBe(false);
    expect(await completeOutbox(db, workspaceId, outboxIds[0]!, 'next')).toBe(true);
    expect(await countOutbox(db, workspaceId)).toBe(0);
  });

  it('releases expired leases in bulk', async () => {
    const { db } = get();
    const { workspaceId, outboxIds } = await enqueue(db, 2);
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 1_000, now: 2_000 });
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 60_000, now: 2_000 });
    expect(await releaseExpiredOutboxLeases(db, 5_000)).toBe(1);
    const items = await Promise.all(outboxIds.map((id) => getOutboxItem(db, workspaceId, id)));
    expect(items.filter((i) => i?.claimedBy === null)).toHaveLength(1);
    expect(items.filter((i) => i?.claimedBy === 'w')).toHaveLength(1);
  });

  it('reschedules a row for later and releases it untouched', async () => {
    const { db } = get();
    const { workspaceId, outboxIds } = await enqueue(db, 1);
    const id = outboxIds[0]!;
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 60_000, now: 2_000 });
    expect(await rescheduleOutbox(db, workspaceId, id, 'w', 9_000)).toBe(true);
    expect(await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 60_000, now: 8_999 })).toEqual([]);
    const [retry] = await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 60_000, now: 9_000 });
    expect(retry).toMatchObject({ id, attempts: 2 });
    expect(await releaseOutbox(db, workspaceId, id, 'w')).toBe(true);
    expect(await getOutboxItem(db, workspaceId, id)).toMatchObject({ claimedBy: null, claimedUntil: null, attempts: 1, notBefore: 9_000 });
  });

  it('refuses per-row calls from another workspace', async () => {
    const { db } = get();
    const { outboxIds } = await enqueue(db, 1);
    const other = await createTenant(db, 'Other');
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 60_000, now: 2_000 });
    expect(await completeOutbox(db, other.workspaceId, outboxIds[0]!, 'w')).toBe(false);
    expect(await getOutboxItem(db, other.workspaceId, outboxIds[0]!)).toBeUndefined();
    expect(await countOutbox(db, other.workspaceId)).toBe(0);
  });
});

forEachDatabase('outbox in flight', (get) => {
  it('keeps the lease while in flight but hides the row until not_before after the lease ends', async () => {
    const { db } = get();
    const { workspaceId, outboxIds } = await enqueue(db, 1);
    const id = outboxIds[0]!;
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 1_000, now: 2_000 });
    expect(await markOutboxInFlight(db, workspaceId, id, 'w', 60_000)).toBe(true);
    expect(await markOutboxInFlight(db, workspaceId, id, 'other', 60_000)).toBe(false);
    expect(await claimOutbox(db, { owner: 'x', limit: 1, leaseMs: 1_000, now: 59_999 })).toEqual([]);
    expect((await claimOutbox(db, { owner: 'x', limit: 1, leaseMs: 1_000, now: 60_000 }))[0]?.id).toBe(id);
  });

  it('defers a row, counting the attempt only when asked', async () => {
    const { db } = get();
    const { workspaceId, outboxIds } = await enqueue(db, 1);
    const id = outboxIds[0]!;
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 1_000, now: 2_000 });
    expect(await deferOutbox(db, workspaceId, id, 'w', 3_000, false)).toBe(true);
    expect(await getOutboxItem(db, workspaceId, id)).toMatchObject({ attempts: 0, notBefore: 3_000, claimedBy: null });
    await claimOutbox(db, { owner: 'w', limit: 1, leaseMs: 1_000, now: 3_000 });
    expect(await deferOutbox(db, workspaceId, id, 'w', 4_000, true)).toBe(true);
    expect(await getOutboxItem(db, workspaceId, id)).toMatchObject({ attempts: 1, notBefore: 4_000 });
  });
});
