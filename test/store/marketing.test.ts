import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from './fixtures.js';
import { insertOutboundMessage } from '../../src/store/queries/messages.js';
import { applyStatus } from '../../src/store/queries/message-statuses.js';
import { lastEcosystemFailureAt, marketingDeliveriesSince } from '../../src/store/queries/marketing.js';

forEachDatabase('marketing facts', (get) => {
  it('counts delivered marketing templates per contact and finds the last 131049 failure', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const { contact, conversation } = await createThread(db, tenant);
    const other = await createThread(db, tenant);
    const send = async (contactId: string, conversationId: string, category: string) => {
      const { message } = await insertOutboundMessage(
        db,
        tenant.workspaceId,
        { inboxId: tenant.inbox.id, conversationId, contactId, type: 'template', content: {}, template: { name: 'promo', language: 'es', category } },
        { recipient: 'x' },
      );
      return message.id;
    };
    const a = await send(contact.id, conversation.id, 'MARKETING');
    const b = await send(contact.id, conversation.id, 'MARKETING');
    const c = await send(contact.id, conversation.id, 'UTILITY');
    const d = await send(other.contact.id, other.conversation.id, 'MARKETING');
    await applyStatus(db, tenant.workspaceId, a, { status: 'delivered', deliveredAt: 1_000 });
    await applyStatus(db, tenant.workspaceId, b, { status: 'read', deliveredAt: 5_000, readAt: 6_000 });
    await applyStatus(db, tenant.workspaceId, c, { status: 'delivered', deliveredAt: 5_000 });
    await applyStatus(db, tenant.workspaceId, d, { status: 'delivered', deliveredAt: 5_000 });
    expect(await marketingDeliveriesSince(db, tenant.workspaceId, contact.id, 0)).toEqual({ count: 2, oldestAt: 1_000 });
    expect(await marketingDeliveriesSince(db, tenant.workspaceId, contact.id, 2_000)).toEqual({ count: 1, oldestAt: 5_000 });
    expect(await marketingDeliveriesSince(db, tenant.workspaceId, contact.id, 9_000)).toEqual({ count: 0, oldestAt: null });

    expect(await lastEcosystemFailureAt(db, tenant.workspaceId, contact.id)).toBeNull();
    const e = await send(contact.id, conversation.id, 'MARKETING');
    await applyStatus(db, tenant.workspaceId, e, { status: 'failed', failedAt: 7_000, error: { code: 131049, title: 'healthy ecosystem' } });
    expect(await lastEcosystemFailureAt(db, tenant.workspaceId, contact.id)).toBe(7_000);
    const outsider = await createTenant(db, 'Other');
    expect(await lastEcosystemFailureAt(db, outsider.workspaceId, contact.id)).toBeNull();
  });
});
