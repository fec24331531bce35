// Contacts and conversations for many recipients at once (the bulk send path): found by a few
// `IN (…)` reads, the missing ones created by one multi-row insert — never one statement per recipient.

import type { Db } from '../db.js';
import { newId } from '../ids.js';
import { placeholderRows, powerOfTwoChunks, runRawSql } from '../raw-sql.js';
import type { ContactRow, ConversationRow } from '../rows.js';
import { toContactRecord, type ContactRecord } from './contacts.js';
import { toConversationRecord, type ConversationRecord } from './conversations.js';

/** At most this many ids per statement. */
const MAX_CHUNK = 256;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_CHUNK) out.push(...powerOfTwoChunks(items.slice(i, i + MAX_CHUNK)));
  return out;
}

async function selectIn<R>(db: Db, key: string, text: (n: number) => string, fixed: unknown[], values: string[]): Promise<R[]> {
  const rows: R[] = [];
  for (const part of chunks([...new Set(values)])) {
    rows.push(...(await runRawSql<R>(db, `${key}:${part.length}`, () => text(part.length), [...fixed, ...part])).rows);
  }
  return rows;
}

export const contactsByWaId = async (db: Db, workspaceId: string, waIds: string[]): Promise<ContactRecord[]> =>
  (await selectIn<ContactRow>(db, 'bulk-contacts-wa', (n) => `select * from contacts where workspace_id = ? and wa_id in (${placeholderRows(n, '?')})`, [workspaceId], waIds))
    .map(toContactRecord);

export const contactsById = async (db: Db, workspaceId: string, ids: string[]): Promise<ContactRecord[]> =>
  (await selectIn<ContactRow>(db, 'bulk-contacts-id', (n) => `select * from contacts where (workspace_id || '') = ? and id in (${placeholderRows(n, '?')})`, [workspaceId], ids))
    .map(toContactRecord);

/** `limit_counted_at` of these contacts, by id (read under the messaging-limit lock). */
export async function limitCountedAt(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, number | null>> {
  const rows = await selectIn<{ id: string; limit_counted_at: unknown }>(db, 'bulk-limit-counted',
    (n) => `select id, limit_counted_at from contacts where (workspace_id || '') = ? and id in (${placeholderRows(n, '?')})`, [workspaceId], ids);
  return new Map(rows.map((r) => [r.id, r.limit_counted_at == null ? null : Number(r.limit_counted_at)]));
}

export interface NewBulkContact { waId: string; e164: string | null; country: string | null; market: string | null }

/** Creates the contacts that do not exist yet (a concurrent creation wins quietly) and returns all of them. */
export async function createContacts(db: Db, workspaceId: string, contacts: NewBulkContact[], now: number): Promise<ContactRecord[]> {
  const fresh = [...new Map(contacts.map((c) => [c.waId, c])).values()];
  for (const part of chunks(fresh)) {
    await runRawSql(db, `bulk-contacts-insert:${part.length}`, () => `insert into contacts
      (id, workspace_id, wa_id, e164, name, country, market, attributes, tags, blocked, marketing_opt_out, last_inbound_at, created_at, updated_at)
      values ${placeholderRows(part.length, `(?, ?, ?, ?, null, ?, ?, '{}', '[]', 0, 0, null, ?, ?)`)}
      on conflict (workspace_id, wa_id) do nothing`,
    part.flatMap((c) => [newId('ct', now), workspaceId, c.waId, c.e164, c.country, c.market, now, now]));
  }
  return contactsByWaId(db, workspaceId, fresh.map((c) => c.waId));
}

export const conversationsOf = async (db: Db, workspaceId: string, inboxId: string, contactIds: string[]): Promise<ConversationRecord[]> =>
  (await selectIn<ConversationRow>(db, 'bulk-threads',
    // `(workspace_id || '')`: on the unique (inbox_id, contact_id) index, not a listing index walking the tenant.
    (n) => `select * from conversations where (workspace_id || '') = ? and inbox_id = ? and contact_id in (${placeholderRows(n, '?')})`, [workspaceId, inboxId], contactIds))
    .map(toConversationRecord);

/** Opens (window closed) the threads of (inbox, contact) that do not exist yet and returns them all. */
export async function createConversations(db: Db, workspaceId: string, inboxId: string, contactIds: string[], now: number): Promise<ConversationRecord[]> {
  const fresh = [...new Set(contactIds)];
  for (const part of chunks(fresh)) {
    await runRawSql(db, `bulk-threads-insert:${part.length}`, () => `insert into conversations
      (id, workspace_id, inbox_id, contact_id, state, last_inbound_at, window_expires_at, last_message_at, entry_point_expires_at, entry_point_inbound_at, created_at, updated_at)
      values ${placeholderRows(part.length, `(?, ?, ?, ?, 'open', null, null, ?, null, null, ?, ?)`)}
      on conflict (inbox_id, contact_id) do nothing`,
    part.flatMap((contactId) => [newId('cv', now), workspaceId, inboxId, contactId, now, now, now]));
  }
  return conversationsOf(db, workspaceId, inboxId, fresh);
}
