// The sender's batch queries: one in-flight mark per claimed batch, one read of the batch's messages,
// and recording many successful sends at once with applyStatus's monotonic rules — on both databases.

import { afterEach, expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from './fixtures.js';
import type { Db } from '../../src/store/db.js';
import { withTransaction } from '../../src/store/db.js';
import { applyStatus } from '../../src/store/queries/message-statuses.js';
import { getMessage, insertOutboundMessage } from '../../src/store/queries/messages.js';
import {
  claimOutbox, completeOutboxBatch, completeSentBatch, countOutbox, getOutboxItem, getOutboxMessages,
} from '../../src/store/queries/outbox.js';

async function enqueue(db: Db, count: number): Promise<{ workspaceId: string; messageIds: string[] }> {
  const tenant = await createTenant(db);
  const { contact, conversation } = await createThread(db, tenant);
  const messageIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { message } = await insertOutboundMessage(
      db, tenant.workspaceId,
      { inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'text', content: { body: `m${i}` } },
      { recipient: contact.waId, notBefore: 1_000 },
    );
    messageIds.push(message.id);
  }
  return { workspaceId: tenant.workspaceId, messageIds };
}

forEachDatabase('outbox-batch', (get) => {
  afterEach(async () => {
    await get().db.deleteFrom('outbox').execute(); // a global queue: start each test empty
  });

  it('marks the rows it claims in flight in the same statement, oldest first, and no others', async () => {
    const { db } = get();
    await enqueue(db, 3);
    const mine = await claimOutbox(db, { owner: 'w1', limit: 2, leaseMs: 60_000, now: 2_000, inFlightUntil: 40_000 });
    const [theirs] = await claimOutbox(db, { owner: 'w2', limit: 5, leaseMs: 60_000, now: 2_000 });
    expect(mine.map((m) => m.notBefore)).toEqual([40_000, 40_000]);
    expect(mine[0]!.id < mine[1]!.id && mine[1]!.id < theirs!.id).toBe(true);
    for (const item of mine) expect((await getOutboxItem(db, item.workspaceId, item.id))).toMatchObject({ notBefore: 40_000, claimedBy: 'w1', claimedUntil: 62_000 });
    expect((await getOutboxItem(db, theirs!.workspaceId, theirs!.id))?.notBefore).toBe(1_000);
    // In flight: not due again before the reconcile grace is over.
    expect(await claimOutbox(db, { owner: 'w3', limit: 5, leaseMs: 60_000, now: 39_999 })).toEqual([]);
  });

  it('reads the messages of a claimed batch, each only in its own workspace', async () => {
    const { db } = get();
    const a = await enqueue(db, 2);
    const b = await enqueue(db, 1);
    const items = await claimOutbox(db, { owner: 'w1', limit: 10, leaseMs: 60_000, now: 2_000 });
    const messages = await getOutboxMessages(db, items);
    expect([...messages.keys()].sort()).toEqual([...a.messageIds, ...b.messageIds].sort());
    expect(messages.get(a.messageIds[1]!)).toMatchObject({ workspaceId: a.workspaceId, status: 'queued', content: { body: 'm1' } });
    // A row naming a message of another workspace finds nothing.
    const forged = items.map((item) => ({ ...item, workspaceId: item.workspaceId === a.workspaceId ? b.workspaceId : a.workspaceId }));
    expect((await getOutboxMessages(db, forged)).size).toBe(0);
  });

  it('records many sends at once: sent with each wamid, outbox rows gone, never moving a message backwards', async () => {
    const { db } = get();
    const { workspaceId, messageIds } = await enqueue(db, 3);
    const items = await claimOutbox(db, { owner: 'w1', limit: 10, leaseMs: 60_000, now: 2_000 });
    // A status webhook already settled the third message as read (and gave it its wamid).
    const third = items.find((item) => item.messageId === messageIds[2])!;
    await applyStatus(db, workspaceId, third.messageId, { status: 'read', wamid: 'wamid.THIRD', readAt: 2_500 });
    // The first one's status webhook came first, with a later sent time than ours: the earliest wins.
    const first = items.find((item) => item.messageId === messageIds[0])!;
    await applyStatus(db, workspaceId, first.messageId, { status: 'sent', sentAt: 9_999 });
    const states = await withTransaction(db, (trx) => completeSentBatch(trx, workspaceId, 'w1', items.map((item, i) => ({
      outboxId: item.id, messageId: item.messageId, wamid: item === third ? 'wamid.OTHER' : `wamid.${i}`, sentAt: 3_000 + i,
    }))));
    expect(await countOutbox(db, workspaceId)).toBe(0);
    for (const [i, item] of items.entries()) {
      const stored = await getMessage(db, workspaceId, item.messageId);
      if (item === first) expect(stored?.sentAt).toBe(3_000);
      if (item === third) {
        expect(stored).toMatchObject({ status: 'read', wamid: 'wamid.THIRD', readAt: 2_500, sentAt: 3_000 });
      } else {
        expect(stored).toMatchObject({ status: 'sent', wamid: `wamid.${i}`, sentAt: 3_000 }); // the batch's earliest answer
      }
      expect(states.get(item.messageId)).toMatchObject({ status: stored!.status, wamid: stored!.wamid, sentAt: stored!.sentAt });
    }
  });

  it('deletes only rows still held by the owner, in the given workspace', async () => {
    const { db } = get();
    const { workspaceId } = await enqueue(db, 2);
    const other = await enqueue(db, 1);
    const items = await claimOutbox(db, { owner: 'w1', limit: 10, leaseMs: 60_000, now: 2_000 });
    const ids = items.map((item) => item.id);
    expect(await completeOutboxBatch(db, workspaceId, ids, 'w2')).toBe(0);
    expect(await completeOutboxBatch(db, workspaceId, ids, 'w1')).toBe(2);
    expect(await countOutbox(db, other.workspaceId)).toBe(1);
  });
});
