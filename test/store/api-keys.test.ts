// Revoking API keys: never the workspace's last live key, and two concurrent revokes of the last
// two keys cannot both succeed (PostgreSQL: two connection pools, as two processes would be).

import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import type { Db } from '../../src/store/db.js';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from '../../src/store/queries/api-keys.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';

async function workspaceWithKeys(db: Db, count: number): Promise<{ workspaceId: string; keyIds: string[]; keys: string[] }> {
  const workspace = await createWorkspace(db, { name: 'Keys' });
  const created = [];
  for (let i = 0; i < count; i++) created.push(await createApiKey(db, workspace.id, { name: `k${i}` }));
  return { workspaceId: workspace.id, keyIds: created.map((c) => c.record.id), keys: created.map((c) => c.key) };
}

const live = async (db: Db, workspaceId: string): Promise<number> =>
  (await listApiKeys(db, workspaceId)).filter((k) => k.revokedAt === null).length;

forEachDatabase('api key revocation', (get) => {
  it('refuses the last live key, keeps it usable, and revokes it once another exists', async () => {
    const { db } = get();
    const { workspaceId, keyIds, keys } = await workspaceWithKeys(db, 1);
    const [only = ''] = keyIds;
    expect(await revokeApiKey(db, workspaceId, only)).toBe('last_key');
    expect(await findApiKey(db, keys[0] ?? '')).toBeDefined();
    await createApiKey(db, workspaceId, { name: 'replacement' });
    expect(await revokeApiKey(db, workspaceId, only)).toBe('revoked');
    expect(await revokeApiKey(db, workspaceId, only)).toBe('not_found');
    expect(await revokeApiKey(db, workspaceId, 'key_unknown')).toBe('not_found');
    expect(await live(db, workspaceId)).toBe(1);
  });

  it('lets exactly one of two concurrent revokes of the last two keys succeed', async () => {
    const t = get();
    // SQLite: one connection per process (the admin-command test races two processes); PostgreSQL: two pools.
    const other = t.kind === 'postgres' ? (await t.openAnother()).db : t.db;
    for (let round = 0; round < 10; round++) {
      const { workspaceId, keyIds: [a = '', b = ''] } = await workspaceWithKeys(t.db, 2);
      const results = await Promise.all([revokeApiKey(t.db, workspaceId, a), revokeApiKey(other, workspaceId, b)]);
      expect(results.sort()).toEqual(['last_key', 'revoked']);
      expect(await live(t.db, workspaceId)).toBe(1);
    }
  });
});
