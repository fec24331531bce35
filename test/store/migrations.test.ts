import { expect, it } from 'vitest';
import { forEachDatabase, openTestDatabase } from '../helpers/databases.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createWorkspace, getWorkspace } from '../../src/store/queries/workspaces.js';

forEachDatabase('migrations', (get) => {
  it('applies the chain once, and a second run applies nothing and keeps data', async () => {
    const t = await openTestDatabase(get().kind, { migrate: false, label: 'migrations_fresh' });
    try {
      const first = await migrateToLatest(t.database.db);
      expect(first).toEqual(['0001_initial', '0002_messages_by_contact', '0003_marketing_preference_time', '0004_webhook_event_signer', '0005_entry_point_inbound']);
      const ws = await createWorkspace(t.database.db, { name: 'Kept' });
      const second = await migrateToLatest(t.database.db);
      expect(second).toEqual([]);
      expect((await getWorkspace(t.database.db, ws.id))?.name).toBe('Kept');
    } finally {
      await t.dispose();
    }
  });

  it('creates every table of the model', async () => {
    const tables = (await get().db.introspection.getTables()).map((t) => t.name);
    for (const table of ['workspaces', 'api_keys', 'inboxes', 'contacts', 'conversations', 'messages', 'media', 'webhook_events', 'outbox', 'templates']) {
      expect(tables).toContain(table);
    }
  });

  it('enforces foreign keys', async () => {
    await expect(
      get().db.insertInto('api_keys').values({ id: 'k1', workspace_id: 'missing', name: 'x', prefix: 'p1', hash: 'h', created_at: 1 }).execute(),
    ).rejects.toThrow();
  });
});
