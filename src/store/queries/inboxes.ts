// Inboxes = WhatsApp business phone numbers. The access token and app secret are stored encrypted
// (store/secrets.ts); records carry no secrets, getInboxCredentials decrypts on demand.

import type { Db } from '../db.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../prepared.js';
import type { InboxRow } from '../rows.js';
import { decryptSecret, encryptSecret } from '../secrets.js';

export interface InboxRecord {
  id: string;
  workspaceId: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  /** Meta's number status, e.g. CONNECTED, FLAGGED, RESTRICTED, DISCONNECTED. */
  status: string;
  qualityRating: string | null;
  /** Unique out-of-window recipients per moving 24 h; -1 = unlimited. */
  messagingLimit: number;
  throughputMps: number;
  hasAccessToken: boolean;
  hasAppSecret: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewInbox {
  id?: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName?: string | null;
  status?: string;
  qualityRating?: string | null;
  messagingLimit?: number;
  throughputMps?: number;
  accessToken?: string | null;
  appSecret?: string | null;
  now?: number;
}

export type InboxPatch = Partial<Pick<InboxRecord, 'displayPhoneNumber' | 'verifiedName' | 'status' | 'qualityRating' | 'messagingLimit' | 'throughputMps'>>;

function toRecord(row: InboxRow): InboxRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    displayPhoneNumber: row.display_phone_number,
    verifiedName: row.verified_name,
    status: row.status,
    qualityRating: row.quality_rating,
    messagingLimit: row.messaging_limit,
    throughputMps: row.throughput_mps,
    hasAccessToken: row.access_token_enc !== null,
    hasAppSecret: row.app_secret_enc !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const seal = (key: Buffer, value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : encryptSecret(key, value);

export async function createInbox(db: Db, workspaceId: string, input: NewInbox, secretKey: Buffer): Promise<InboxRecord> {
  const now = input.now ?? Date.now();
  const row: InboxRow = {
    id: input.id ?? newId('inb', now),
    workspace_id: workspaceId,
    phone_number_id: input.phoneNumberId,
    waba_id: input.wabaId,
    display_phone_number: input.displayPhoneNumber,
    verified_name: input.verifiedName ?? null,
    status: input.status ?? 'CONNECTED',
    quality_rating: input.qualityRating ?? null,
    messaging_limit: input.messagingLimit ?? 250,
    throughput_mps: input.throughputMps ?? 80,
    access_token_enc: seal(secretKey, input.accessToken),
    app_secret_enc: seal(secretKey, input.appSecret),
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('inboxes').values(row).execute();
  return toRecord(row);
}

export async function getInbox(db: Db, workspaceId: string, inboxId: string): Promise<InboxRecord | undefined> {
  const row = await INBOX_BY_ID.first(db, { workspaceId, inboxId });
  return row && toRecord(row);
}

const INBOX_BY_ID = preparedQuery('inboxes.byId', (db, p: { workspaceId: string; inboxId: string }) =>
  db.selectFrom('inboxes').selectAll().where('workspace_id', '=', p.workspaceId).where('id', '=', p.inboxId));

export async function listInboxes(db: Db, workspaceId: string): Promise<InboxRecord[]> {
  const rows = await INBOXES_OF_WORKSPACE.all(db, { workspaceId });
  return rows.map(toRecord);
}

/** Every API send without an inboxId runs it (services/recipients.ts): compiled once. */
const INBOXES_OF_WORKSPACE = preparedQuery('inboxes.ofWorkspace', (db, p: { workspaceId: string }) =>
  db.selectFrom('inboxes').selectAll().where('workspace_id', '=', p.workspaceId).orderBy('created_at').orderBy('id'));

/**
 * The inbox a webhook is about (by Meta's phone_number_id). Webhooks carry no workspace, so this
 * lookup is how inbound processing finds one; it takes no workspace id.
 */
export async function findInboxByPhoneNumberId(db: Db, phoneNumberId: string): Promise<InboxRecord | undefined> {
  const row = await db.selectFrom('inboxes').selectAll().where('phone_number_id', '=', phoneNumberId).executeTakeFirst();
  return row && toRecord(row);
}

export async function updateInbox(db: Db, workspaceId: string, inboxId: string, patch: InboxPatch, now = Date.now()): Promise<InboxRecord | undefined> {
  const row = await db
    .updateTable('inboxes')
    .set({
      display_phone_number: patch.displayPhoneNumber,
      verified_name: patch.verifiedName,
      status: patch.status,
      quality_rating: patch.qualityRating,
      messaging_limit: patch.messagingLimit,
      throughput_mps: patch.throughputMps,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', inboxId)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Replaces the stored token and/or secret (undefined keeps, null clears). */
export async function setInboxCredentials(
  db: Db,
  workspaceId: string,
  inboxId: string,
  credentials: { accessToken?: string | null; appSecret?: string | null },
  secretKey: Buffer,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('inboxes')
    .set({
      access_token_enc: credentials.accessToken === undefined ? undefined : seal(secretKey, credentials.accessToken),
      app_secret_enc: credentials.appSecret === undefined ? undefined : seal(secretKey, credentials.appSecret),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', inboxId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Decrypted credentials; throws SecretDecryptionError if a stored value was altered or the key changed. */
export async function getInboxCredentials(
  db: Db,
  workspaceId: string,
  inboxId: string,
  secretKey: Buffer,
): Promise<{ accessToken: string | null; appSecret: string | null } | undefined> {
  const row = await db
    .selectFrom('inboxes')
    .select(['access_token_enc', 'app_secret_enc'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', inboxId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    accessToken: row.access_token_enc === null ? null : decryptSecret(secretKey, row.access_token_enc),
    appSecret: row.app_secret_enc === null ? null : decryptSecret(secretKey, row.app_secret_enc),
  };
}

/**
 * Every decryptable app secret, for checking X-Hub-Signature-256 before the payload is parsed. A
 * secret that no longer decrypts (altered, or sealed with another key) is skipped and reported in
 * `undecryptable`, so one broken inbox cannot stop the webhooks of all the others.
 */
export async function listAppSecrets(db: Db, secretKey: Buffer): Promise<{ secrets: string[]; undecryptable: string[] }> {
  const rows = await db.selectFrom('inboxes').select(['id', 'app_secret_enc']).where('app_secret_enc', 'is not', null).execute();
  const secrets = new Set<string>();
  const undecryptable: string[] = [];
  for (const row of rows) {
    if (row.app_secret_enc === null) continue;
    try {
      secrets.add(decryptSecret(secretKey, row.app_secret_enc));
    } catch {
      undecryptable.push(row.id);
    }
  }
  return { secrets: [...secrets], undecryptable };
}

/** Inboxes of a WABA, across workspaces (management webhooks name only the WABA). */
export async function findInboxesByWabaId(db: Db, wabaId: string): Promise<InboxRecord[]> {
  const rows = await db.selectFrom('inboxes').selectAll().where('waba_id', '=', wabaId).execute();
  return rows.map(toRecord);
}
