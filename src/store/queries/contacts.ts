// Contacts: one per WhatsApp user (wa_id) per workspace, upserted by every inbound message.

import { AppError } from '../../errors.js';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import { fromFlag, fromJson, toFlag, toJson } from '../codec.js';
import { sql, type ExpressionBuilder } from 'kysely';
import { dialectOf, type Db } from '../db.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../prepared.js';
import type { ContactRow, Tables } from '../rows.js';

export interface ContactRecord {
  id: string;
  workspaceId: string;
  waId: string;
  e164: string | null;
  name: string | null;
  /** ISO 3166 alpha-2 of the number. */
  country: string | null;
  /** Pricing market of the number (Meta's rate-card market). */
  market: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  blocked: boolean;
  marketingOptOut: boolean;
  marketingOptOutAt: number | null;
  lastInboundAt: number | null;
  /** ISO 639-1 set by an operator; null = not set (routing guesses it from their text). */
  language: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactUpsert {
  waId: string;
  e164?: string | null;
  /** Profile name; a later non-null name replaces the stored one. */
  name?: string | null;
  country?: string | null;
  market?: string | null;
  /** Moves last_inbound_at forward only. */
  inboundAt?: number;
  now?: number;
}

export interface ContactPatch {
  name?: string | null;
  attributes?: Record<string, unknown>;
  tags?: string[];
  blocked?: boolean;
  /** Setting true stamps marketing_opt_out_at; false clears it. */
  marketingOptOut?: boolean;
  /** ISO 639-1 (checked by the caller), null = not set. */
  language?: string | null;
}

export function toContactRecord(row: ContactRow): ContactRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    waId: row.wa_id,
    e164: row.e164,
    name: row.name,
    country: row.country,
    market: row.market,
    attributes: fromJson<Record<string, unknown>>(row.attributes),
    tags: fromJson<string[]>(row.tags),
    blocked: fromFlag(row.blocked),
    marketingOptOut: fromFlag(row.marketing_opt_out),
    marketingOptOutAt: row.marketing_opt_out_at,
    lastInboundAt: row.last_inbound_at,
    language: row.language ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts or refreshes the contact for (workspace, wa_id); returns the stored contact. */
export async function upsertContact(db: Db, workspaceId: string, input: ContactUpsert): Promise<ContactRecord> {
  const now = input.now ?? Date.now();
  const row = await UPSERT_CONTACT.first(db, {
    id: newId('ct', now), workspaceId, waId: input.waId, e164: input.e164 ?? null, name: input.name ?? null,
    country: input.country ?? null, market: input.market ?? null, inboundAt: input.inboundAt ?? null, now,
  });
  return toContactRecord(row!);
}

/** Every inbound message runs it (services/recipients.ts): compiled once (store/prepared.ts). */
const UPSERT_CONTACT = preparedQuery('contacts.upsert', (db, p: {
  id: string; workspaceId: string; waId: string; e164: string | null; name: string | null;
  country: string | null; market: string | null; inboundAt: number | null; now: number;
}) => db
  .insertInto('contacts')
  .values({
    id: p.id,
    workspace_id: p.workspaceId,
    wa_id: p.waId,
    e164: p.e164,
    name: p.name,
    country: p.country,
    market: p.market,
    attributes: '{}',
    tags: '[]',
    blocked: 0,
    marketing_opt_out: 0,
    last_inbound_at: p.inboundAt,
    created_at: p.now,
    updated_at: p.now,
  })
  .onConflict((oc) =>
    oc.columns(['workspace_id', 'wa_id']).doUpdateSet((eb) => ({
      e164: eb.fn.coalesce('excluded.e164', 'contacts.e164'),
      name: eb.fn.coalesce('excluded.name', 'contacts.name'),
      country: eb.fn.coalesce('excluded.country', 'contacts.country'),
      market: eb.fn.coalesce('excluded.market', 'contacts.market'),
      last_inbound_at: eb
        .case()
        .when('contacts.last_inbound_at', 'is', null)
        .then(eb.ref('excluded.last_inbound_at'))
        .when('excluded.last_inbound_at', '>', eb.ref('contacts.last_inbound_at'))
        .then(eb.ref('excluded.last_inbound_at'))
        .else(eb.ref('contacts.last_inbound_at'))
        .end(),
      updated_at: eb.ref('excluded.updated_at'),
    })),
  )
  .returningAll());

export async function getContact(db: Db, workspaceId: string, contactId: string): Promise<ContactRecord | undefined> {
  const row = await CONTACT_BY_ID.first(db, { workspaceId, contactId });
  return row && toContactRecord(row);
}

const CONTACT_BY_ID = preparedQuery('contacts.byId', (db, p: { workspaceId: string; contactId: string }) =>
  db.selectFrom('contacts').selectAll().where('workspace_id', '=', p.workspaceId).where('id', '=', p.contactId));

/** Like getContact, but throws AppError('contact_not_found'). */
export async function requireContact(db: Db, workspaceId: string, contactId: string): Promise<ContactRecord> {
  const contact = await getContact(db, workspaceId, contactId);
  if (!contact) throw new AppError('contact_not_found');
  return contact;
}

export async function findContactByWaId(db: Db, workspaceId: string, waId: string): Promise<ContactRecord | undefined> {
  const row = await CONTACT_BY_WA_ID.first(db, { workspaceId, waId });
  return row && toContactRecord(row);
}

const CONTACT_BY_WA_ID = preparedQuery('contacts.byWaId', (db, p: { workspaceId: string; waId: string }) =>
  db.selectFrom('contacts').selectAll().where('workspace_id', '=', p.workspaceId).where('wa_id', '=', p.waId));

export async function updateContact(db: Db, workspaceId: string, contactId: string, patch: ContactPatch, now = Date.now()): Promise<ContactRecord | undefined> {
  const optOut = patch.marketingOptOut;
  const row = await db
    .updateTable('contacts')
    .set({
      name: patch.name,
      attributes: patch.attributes === undefined ? undefined : toJson(patch.attributes),
      tags: patch.tags === undefined ? undefined : toJson(patch.tags),
      blocked: patch.blocked === undefined ? undefined : toFlag(patch.blocked),
      marketing_opt_out: optOut === undefined ? undefined : toFlag(optOut),
      marketing_opt_out_at: optOut === undefined ? undefined : optOut ? now : null,
      marketing_pref_at: optOut === undefined ? undefined : now,
      language: patch.language,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .returningAll()
    .executeTakeFirst();
  return row && toContactRecord(row);
}

/**
 * A customer's marketing stop / resume from Meta's user_preferences webhook, applied only if it is
 * newer than the preference stored (webhooks can arrive out of order). Returns false when it was older.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences
 */
export async function applyMarketingPreference(
  db: Db, workspaceId: string, contactId: string, pref: { optOut: boolean; at: number; now?: number },
): Promise<boolean> {
  const result = await db
    .updateTable('contacts')
    .set({
      marketing_opt_out: toFlag(pref.optOut), marketing_opt_out_at: pref.optOut ? pref.at : null,
      marketing_pref_at: pref.at, updated_at: pref.now ?? Date.now(),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    // Equal times (Meta stamps whole seconds): the later arrival wins.
    .where((eb) => eb.or([eb('marketing_pref_at', 'is', null), eb('marketing_pref_at', '<=', pref.at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listContacts(
  db: Db,
  workspaceId: string,
  opts: { limit?: number; cursor?: string; tag?: string; q?: string } = {},
): Promise<Page<ContactRecord>> {
  const limit = pageSize(opts.limit);
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
  let query = db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]),
    );
  }
  if (opts.tag !== undefined) {
    // Tags are a JSON array in text; find the quoted element so "vip" does not match "vip2".
    const position = dialectOf(db) === 'postgres' ? 'strpos' : 'instr';
    const needle = JSON.stringify(opts.tag);
    query = query.where((eb) => eb(eb.fn<number>(position, ['tags', eb.val(needle)]), '>', 0));
  }
  if (opts.q !== undefined && opts.q.trim() !== '') query = query.where(matchesSearch(opts.q.trim()));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  return toPage(rows.map(toContactRecord), limit, (c) => ({ at: c.createdAt, id: c.id }));
}

const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Name contains q (case-insensitively; on SQLite only for ASCII letters, its lower() knows no other)
 * or, when q has digits, the number contains them ("+44 7911" finds 447911123456).
 */
function matchesSearch(q: string) {
  const name = `%${likeEscape(q.toLowerCase())}%`;
  const digits = q.replace(/\D/g, '');
  return (eb: ExpressionBuilder<Tables, 'contacts'>) => eb.or([
    sql<boolean>`lower(${eb.ref('name')}) like ${name} escape '\\'`,
    ...(digits === '' ? [] : [eb('wa_id', 'like', `%${digits}%`)]),
  ]);
}

export interface NewContact {
  waId: string;
  e164: string;
  country: string | null;
  market: string | null;
  name?: string | null;
  attributes?: Record<string, unknown>;
  tags?: string[];
  now: number;
}

/** Creates a contact; a number already in the workspace is AppError('contact_exists') with its id. */
export async function createContact(db: Db, workspaceId: string, input: NewContact): Promise<ContactRecord> {
  const row = await db
    .insertInto('contacts')
    .values({
      id: newId('ct', input.now), workspace_id: workspaceId, wa_id: input.waId, e164: input.e164, name: input.name ?? null,
      country: input.country, market: input.market, attributes: toJson(input.attributes ?? {}), tags: toJson(input.tags ?? []),
      blocked: 0, marketing_opt_out: 0, last_inbound_at: null, created_at: input.now, updated_at: input.now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'wa_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) return toContactRecord(row);
  const existing = await findContactByWaId(db, workspaceId, input.waId);
  throw new AppError('contact_exists', undefined, { contactId: existing?.id ?? null });
}
