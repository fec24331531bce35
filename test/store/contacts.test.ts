import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant } from './fixtures.js';
import { applyMarketingPreference, findContactByWaId, getContact, listContacts, requireContact, updateContact, upsertContact } from '../../src/store/queries/contacts.js';

forEachDatabase('contacts', (get) => {
  it('upserts by wa_id: one row, a newer profile name, last inbound forward only', async () => {
    const { db } = get();
    const { workspaceId } = await createTenant(db);
    const first = await upsertContact(db, workspaceId, { waId: '34600123456', e164: '+34600123456', name: 'Ana', country: 'ES', market: 'Spain', inboundAt: 5_000 });
    const second = await upsertContact(db, workspaceId, { waId: '34600123456', name: 'Ana María', inboundAt: 3_000 });
    expect(second).toMatchObject({ id: first.id, name: 'Ana María', e164: '+34600123456', country: 'ES', market: 'Spain', lastInboundAt: 5_000 });
    const third = await upsertContact(db, workspaceId, { waId: '34600123456', inboundAt: 9_000 });
    expect(third).toMatchObject({ name: 'Ana María', lastInboundAt: 9_000, attributes: {}, tags: [], blocked: false, marketingOptOut: false });
  });

  it('updates attributes, tags, block and marketing opt-out', async () => {
    const { db } = get();
    const { workspaceId } = await createTenant(db);
    const contact = await upsertContact(db, workspaceId, { waId: '34600000001' });
    const updated = await updateContact(db, workspaceId, contact.id, { attributes: { plan: 'gold', n: 2 }, tags: ['vip', 'es'], blocked: true, marketingOptOut: true }, 7_000);
    expect(updated).toMatchObject({ attributes: { plan: 'gold', n: 2 }, tags: ['vip', 'es'], blocked: true, marketingOptOut: true, marketingOptOutAt: 7_000 });
    const optedIn = await updateContact(db, workspaceId, contact.id, { marketingOptOut: false });
    expect(optedIn).toMatchObject({ marketingOptOut: false, marketingOptOutAt: null, blocked: true, tags: ['vip', 'es'] });
  });

  it('applies marketing stop / resume by their event time, whatever order they arrive in', async () => {
    const { db } = get();
    const { workspaceId } = await createTenant(db);
    const c = await upsertContact(db, workspaceId, { waId: '79160000001', now: 1 });
    // resume (t=200) arrives first, then the older stop (t=100): the newer choice stands.
    expect(await applyMarketingPreference(db, workspaceId, c.id, { optOut: false, at: 200 })).toBe(true);
    expect(await applyMarketingPreference(db, workspaceId, c.id, { optOut: true, at: 100 })).toBe(false);
    expect((await getContact(db, workspaceId, c.id))?.marketingOptOut).toBe(false);
    expect(await applyMarketingPreference(db, workspaceId, c.id, { optOut: true, at: 300 })).toBe(true);
    expect(await getContact(db, workspaceId, c.id)).toMatchObject({ marketingOptOut: true, marketingOptOutAt: 300 });
    // An operator's later edit wins over an older webhook too.
    await updateContact(db, workspaceId, c.id, { marketingOptOut: false }, 400);
    expect(await applyMarketingPreference(db, workspaceId, c.id, { optOut: true, at: 350 })).toBe(false);
    expect((await getContact(db, workspaceId, c.id))?.marketingOptOut).toBe(false);
  });

  it('lists by tag exactly and pages every contact once', async () => {
    const { db } = get();
    const { workspaceId } = await createTenant(db);
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const c = await upsertContact(db, workspaceId, { waId: `3460000100${i}`, now: 1_000 + Math.floor(i / 2) });
      ids.push(c.id);
      await updateContact(db, workspaceId, c.id, { tags: i % 3 === 0 ? ['vip'] : ['vip2'] });
    }
    const vip = await listContacts(db, workspaceId, { tag: 'vip' });
    expect(vip.items.map((c) => c.id).sort()).toEqual([ids[0], ids[3], ids[6]].sort());
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listContacts(db, workspaceId, { limit: 2, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('keeps workspaces apart: same wa_id, different contacts; no cross reads or writes', async () => {
    const { db } = get();
    const a = await createTenant(db);
    const b = await createTenant(db, 'Other');
    const ca = await upsertContact(db, a.workspaceId, { waId: '34600999000', name: 'A' });
    const cb = await upsertContact(db, b.workspaceId, { waId: '34600999000', name: 'B' });
    expect(ca.id).not.toBe(cb.id);
    expect(await getContact(db, b.workspaceId, ca.id)).toBeUndefined();
    expect(await updateContact(db, b.workspaceId, ca.id, { blocked: true })).toBeUndefined();
    expect((await findContactByWaId(db, a.workspaceId, '34600999000'))?.name).toBe('A');
    expect((await listContacts(db, b.workspaceId)).items.map((c) => c.id)).toEqual([cb.id]);
    await expect(requireContact(db, b.workspaceId, ca.id)).rejects.toMatchObject({ code: 'contact_not_found' });
  });
});
