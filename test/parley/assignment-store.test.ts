// Store rules behind status and waiting, on both databases: a customer message reopens a snoozed
// thread in the same upsert and clears its snooze time; the wait starts at the first unanswered
// customer message and restarts after the business answered; due snoozes wake, others do not.

import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from '../store/fixtures.js';
import {
  openOrExtendWindow, touchConversation, updateConversationStatus, wakeSnoozedConversations, getConversation,
} from '../../src/store/queries/conversations.js';
import { getConversationView } from '../../src/store/queries/conversation-views.js';

const DAY = 86_400_000;

forEachDatabase('conversation status and waiting (store)', (get) => {
  it('reopens a snoozed thread on a newer customer message and tracks the wait', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const ws = tenant.workspaceId;
    const { contact, conversation } = await createThread(db, tenant);
    const t0 = Date.now() + 10_000;
    const inbound = (at: number) => openOrExtendWindow(db, ws, { inboxId: tenant.inbox.id, contactId: contact.id, inboundAt: at, windowExpiresAt: at + DAY, state: 'open', now: at });

    await inbound(t0);
    expect((await getConversationView(db, ws, conversation.id))!.waitingSince).toBe(t0);
    await inbound(t0 + 1000); // a second unanswered message keeps the first as the start of the wait
    expect((await getConversationView(db, ws, conversation.id))!.waitingSince).toBe(t0);

    await updateConversationStatus(db, ws, conversation.id, { state: 'snoozed', snoozedUntil: t0 + DAY }, t0 + 2000);
    await touchConversation(db, ws, conversation.id, t0 + 3000); // the business answered
    expect((await getConversationView(db, ws, conversation.id))!.waitingSince).toBeNull();

    await inbound(t0 + 500); // an old redelivery: nothing changes
    expect(await getConversation(db, ws, conversation.id)).toMatchObject({ state: 'snoozed', snoozedUntil: t0 + DAY });

    await inbound(t0 + 4000);
    expect(await getConversation(db, ws, conversation.id)).toMatchObject({ state: 'open', snoozedUntil: null });
    expect((await getConversationView(db, ws, conversation.id))!.waitingSince).toBe(t0 + 4000);
  });

  it('wakes snoozed conversations whose time has come, and only those', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const ws = tenant.workspaceId;
    const due = (await createThread(db, tenant)).conversation;
    const later = (await createThread(db, tenant)).conversation;
    const untilReply = (await createThread(db, tenant)).conversation;
    const now = 5_000_000;
    await updateConversationStatus(db, ws, due.id, { state: 'snoozed', snoozedUntil: now }, 1);
    await updateConversationStatus(db, ws, later.id, { state: 'snoozed', snoozedUntil: now + 1 }, 1);
    await updateConversationStatus(db, ws, untilReply.id, { state: 'snoozed', snoozedUntil: null }, 1);
    expect((await wakeSnoozedConversations(db, ws, now)).map((c) => c.id)).toEqual([due.id]);
    expect(await getConversation(db, ws, due.id)).toMatchObject({ state: 'open', snoozedUntil: null, updatedAt: now });
    expect((await getConversation(db, ws, later.id))!.state).toBe('snoozed');
    expect((await getConversation(db, ws, untilReply.id))!.state).toBe('snoozed');
    const other = await createTenant(db, 'Other');
    expect(await wakeSnoozedConversations(db, other.workspaceId, now + 10)).toEqual([]);
  });
});
