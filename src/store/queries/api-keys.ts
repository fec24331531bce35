// API keys per workspace. A key reads `pk_<prefix>_<secret>`; only sha256(secret) is stored, and the
// prefix finds the row, so checking a key is one indexed lookup plus a constant-time compare.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { withLock, type Db } from '../db.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../prepared.js';
import type { ApiKeyRow } from '../rows.js';

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const KEY_FORMAT = /^pk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a key; the full key is returned once, here, and never stored. */
export async function createApiKey(
  db: Db,
  workspaceId: string,
  input: { name: string; now?: number },
): Promise<{ record: ApiKeyRecord; key: string }> {
  const now = input.now ?? Date.now();
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const row: ApiKeyRow = {
    id: newId('key', now),
    workspace_id: workspaceId,
    name: input.name,
    prefix,
    hash: hashSecret(secret),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { record: toRecord(row), key: `pk_${prefix}_${secret}` };
}

/**
 * The live (not revoked) key matching a presented `pk_…` string, or undefined. This is how a request
 * finds its workspace, so unlike other queries it takes no workspace id.
 */
export async function findApiKey(db: Db, presented: string): Promise<ApiKeyRecord | undefined> {
  const match = KEY_FORMAT.exec(presented.trim());
  if (!match) return undefined;
  const [, prefix = '', secret = ''] = match;
  const row = await API_KEY_BY_PREFIX.first(db, { prefix });
  if (!row || row.revoked_at !== null) return undefined;
  const expected = Buffer.from(row.hash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? toRecord(row) : undefined;
}

/** Every API request runs it: compiled once (store/prepared.ts). */
const API_KEY_BY_PREFIX = preparedQuery('apiKeys.byPrefix', (db, p: { prefix: string }) =>
  db.selectFrom('api_keys').selectAll().where('prefix', '=', p.prefix));

export async function touchApiKey(db: Db, workspaceId: string, keyId: string, now = Date.now()): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', keyId).execute();
}

export type RevokeResult = 'revoked' | 'not_found' | 'last_key';

/**
 * Revokes a live key unless it is the workspace's last one: a workspace without a live key has no
 * way back in short of the admin command. The check and the write are one conditional UPDATE under
 * the workspace's key lock, so two concurrent revokes of the last two keys cannot both succeed
 * (PostgreSQL: an advisory lock across processes; SQLite: the UPDATE takes the write lock first).
 */
export async function revokeApiKey(db: Db, workspaceId: string, keyId: string, now = Date.now()): Promise<RevokeResult> {
  return withLock(db, `api-keys:${workspaceId}`, async (trx) => {
    const result = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .where(({ exists, selectFrom }) => exists(
        selectFrom('api_keys as other').select('other.id')
          .where('other.workspace_id', '=', workspaceId).where('other.id', '<>', keyId).where('other.revoked_at', 'is', null),
      ))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return 'revoked';
    const live = await trx.selectFrom('api_keys').select('id')
      .where('workspace_id', '=', workspaceId).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
    return live ? 'last_key' : 'not_found';
  });
}

export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}
