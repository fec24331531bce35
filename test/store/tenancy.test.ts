import { expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { forEachDatabase } from '../helpers/databases.js';
import { TEST_KEY, createTenant } from './fixtures.js';
import { createWorkspace, getWorkspace } from '../../src/store/queries/workspaces.js';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, touchApiKey } from '../../src/store/queries/api-keys.js';
import {
  findInboxByPhoneNumberId,
  getInbox,
  getInboxCredentials,
  listAppSecrets,
  listInboxes,
  setInboxCredentials,
  updateInbox,
} from '../../src/store/queries/inboxes.js';
import { SecretDecryptionError } from '../../src/store/secrets.js';

forEachDatabase('tenancy', (get) => {
  it('creates a workspace with its time zone', async () => {
    const ws = await createWorkspace(get().db, { name: 'Shop', timezone: 'America/Bogota', now: 42 });
    expect(await getWorkspace(get().db, ws.id)).toEqual({ id: ws.id, name: 'Shop', timezone: 'America/Bogota', createdAt: 42 });
  });

  it('issues API keys that resolve to their workspace, stores only a hash, and revokes them', async () => {
    const { db } = get();
    const { workspaceId } = await createTenant(db);
    const { record, key } = await createApiKey(db, workspaceId, { name: 'ci' });
    expect(key).toMatch(/^pk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await findApiKey(db, key))?.workspaceId).toBe(workspaceId);
    const secret = key.split('_').slice(2).join('_');
    const row = await db.selectFrom('api_keys').selectAll().where('id', '=', record.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(await findApiKey(db, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await findApiKey(db, 'garbage')).toBeUndefined();
    await touchApiKey(db, workspaceId, record.id, 1_234);
    expect((await listApiKeys(db, workspaceId))[0]?.lastUsedAt).toBe(1_234);
    const other = await createTenant(db, 'Other');
    expect(await revokeApiKey(db, other.workspaceId, record.id)).toBe('not_found');
    expect(await revokeApiKey(db, workspaceId, record.id)).toBe('last_key');
    await createApiKey(db, workspaceId, { name: 'spare' });
    expect(await revokeApiKey(db, workspaceId, record.id)).toBe('revoked');
    expect(await findApiKey(db, key)).toBeUndefined();
  });

  it('stores inbox credentials encrypted and decrypts them with the key only', async () => {
    const { db } = get();
    const { workspaceId, inbox } = await createTenant(db);
    const row = await db.selectFrom('inboxes').selectAll().where('id', '=', inbox.id).executeTakeFirstOrThrow();
    expect(row.access_token_enc).not.toContain('token');
    expect(inbox).toMatchObject({ hasAccessToken: true, hasAppSecret: true, status: 'CONNECTED', messagingLimit: 250, throughputMps: 80 });
    expect(JSON.stringify(inbox)).not.toContain(row.access_token_enc);
    expect(await getInboxCredentials(db, workspaceId, inbox.id, TEST_KEY)).toEqual({ accessToken: 'token', appSecret: 'secret' });
    await expect(getInboxCredentials(db, workspaceId, inbox.id, randomBytes(32))).rejects.toBeInstanceOf(SecretDecryptionError);
    await setInboxCredentials(db, workspaceId, inbox.id, { accessToken: 'rotated' }, TEST_KEY);
    expect(await getInboxCredentials(db, workspaceId, inbox.id, TEST_KEY)).toEqual({ accessToken: 'rotated', appSecret: 'secret' });
  });

  it('lists the app secrets that decrypt and names the inboxes whose secret does not', async () => {
    const { db } = get();
    const good = await createTenant(db, 'Good');
    const broken = await createTenant(db, 'Broken');
    // Sealed with another key (e.g. ENCRYPTION_KEY changed): it must not hide the other inboxes' secrets.
    await setInboxCredentials(db, broken.workspaceId, broken.inbox.id, { appSecret: 'other' }, randomBytes(32));
    const listed = await listAppSecrets(db, TEST_KEY);
    expect(listed.secrets).toContain('secret');
    expect(listed.undecryptable).toEqual([broken.inbox.id]);
    expect(good.inbox.id).not.toBe(broken.inbox.id);
  });

  it('finds an inbox by phone number id and updates its quality and limits', async () => {
    const { db } = get();
    const { workspaceId, inbox } = await createTenant(db);
    expect((await findInboxByPhoneNumberId(db, inbox.phoneNumberId))?.id).toBe(inbox.id);
    const updated = await updateInbox(db, workspaceId, inbox.id, { qualityRating: 'YELLOW', messagingLimit: -1, throughputMps: 1000 });
    expect(updated).toMatchObject({ qualityRating: 'YELLOW', messagingLimit: -1, throughputMps: 1000, status: 'CONNECTED' });
  });

  it('keeps inboxes to their workspace', async () => {
    const { db } = get();
    const a = await createTenant(db);
    const b = await createTenant(db, 'Other');
    expect(await getInbox(db, b.workspaceId, a.inbox.id)).toBeUndefined();
    expect(await updateInbox(db, b.workspaceId, a.inbox.id, { status: 'BANNED' })).toBeUndefined();
    expect(await getInboxCredentials(db, b.workspaceId, a.inbox.id, TEST_KEY)).toBeUndefined();
    expect((await listInboxes(db, b.workspaceId)).map((i) => i.id)).toEqual([b.inbox.id]);
  });
});
