// Full-text search (migration 0017): messages and contacts of a workspace whose text holds every
// term as a word prefix, newest first, narrowed by the viewer's visibility (the conversations' scope
// rule of core/visibility.ts, in its SQL form). SQLite: FTS5 MATCH; PostgreSQL: the GIN expression
// indexes, so the expressions here must stay exactly those of the migration.

import { sql, type Expression, type SqlBool } from 'kysely';
import { previewOf } from '../../core/message-preview.js';
import { ftsMatch, tsQuery } from '../../core/search.js';
import type { ScopePredicate } from '../../core/visibility.js';
import { fromJson } from '../codec.js';
import { dialectOf, type Db } from '../db.js';
import type { MessageStatus } from '../rows.js';
import { scopeSql } from './conversation-views.js';

export interface MessageHit {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  type: string;
  preview: string | null;
  status: MessageStatus;
  createdAt: number;
  contact: { id: string; name: string | null; e164: string | null; waId: string };
}

export interface ContactHit { id: string; name: string | null; e164: string | null; waId: string; lastInboundAt: number | null }

export interface SearchOptions { limit: number; cursor?: string; scope: ScopePredicate }

export interface MessagePage { hits: MessageHit[]; nextCursor: string | null }

/** SQLite reads matches newest first straight from the FTS index, this many at a time (never all of them). */
const FTS_WINDOW = 400;
/** At most this many windows per page: a viewer who may see few of the matches still gets an answer soon. */
const FTS_WINDOWS = 5;

function contactMatch(db: Db, terms: string[]): Expression<SqlBool> {
  return dialectOf(db) === 'postgres'
    ? sql<SqlBool>`to_tsvector('simple', parley_contact_text(ct.name, ct.e164, ct.wa_id, ct.attributes)) @@ to_tsquery('simple', ${tsQuery(terms)})`
    : sql<SqlBool>`ct.id in (select contact_id from contact_search where contact_search match ${ftsMatch(terms)})`;
}

function messageQuery(db: Db, workspaceId: string, scope: ScopePredicate) {
  return db.selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .innerJoin('contacts as ct', 'ct.id', 'm.contact_id')
    .select([
      'm.id', 'm.conversation_id', 'm.direction', 'm.type', 'm.content', 'm.status', 'm.created_at',
      'ct.id as contact_id', 'ct.name as contact_name', 'ct.e164 as contact_e164', 'ct.wa_id as contact_wa_id',
    ])
    .where('m.workspace_id', '=', workspaceId)
    .where((eb) => scopeSql(eb as never, scope));
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof messageQuery>['execute']>>[number];

function toHit(r: MessageRow): MessageHit {
  return {
    id: r.id, conversationId: r.conversation_id!, direction: r.direction, type: r.type,
    preview: previewOf(r.type, fromJson(r.content)), status: r.status, createdAt: Number(r.created_at),
    contact: { id: r.contact_id, name: r.contact_name, e164: r.contact_e164, waId: r.contact_wa_id },
  };
}

/**
 * Messages holding every term, newest first, a page at a time (`cursor`: the previous page's
 * nextCursor). SQLite: in the order they were stored (the FTS index's own order, so a common word
 * costs a window of rows, not a sort of every match); PostgreSQL: by createdAt.
 */
export async function searchMessages(db: Db, workspaceId: string, terms: string[], opts: SearchOptions): Promise<MessagePage> {
  return dialectOf(db) === 'postgres' ? searchMessagesPg(db, workspaceId, terms, opts) : searchMessagesSqlite(db, workspaceId, terms, opts);
}

async function searchMessagesSqlite(db: Db, workspaceId: string, terms: string[], opts: SearchOptions): Promise<MessagePage> {
  const hits: MessageHit[] = [];
  let below = opts.cursor === undefined ? undefined : Number(opts.cursor);
  for (let w = 0; w < FTS_WINDOWS; w++) {
    const { rows: window } = await sql<{ r: number; message_id: string }>`
      select rowid as r, message_id from message_search
      where message_search match ${ftsMatch(terms)} ${below === undefined ? sql`` : sql`and rowid < ${below}`}
      order by rowid desc limit ${FTS_WINDOW}`.execute(db);
    if (window.length === 0) return { hits, nextCursor: null };
    const rows = await messageQuery(db, workspaceId, opts.scope).where('m.id', 'in', window.map((h) => h.message_id)).execute();
    const found = new Map(rows.map((r) => [r.id, r]));
    for (const { r, message_id } of window) {
      const row = found.get(message_id);
      if (!row) continue;
      hits.push(toHit(row));
      if (hits.length === opts.limit) return { hits, nextCursor: String(r) };
    }
    if (window.length < FTS_WINDOW) return { hits, nextCursor: null };
    below = window[window.length - 1]!.r;
  }
  return { hits, nextCursor: String(below) };
}

async function searchMessagesPg(db: Db, workspaceId: string, terms: string[], opts: SearchOptions): Promise<MessagePage> {
  let query = messageQuery(db, workspaceId, opts.scope)
    .where(sql<SqlBool>`to_tsvector('simple', parley_message_text(m.content)) @@ to_tsquery('simple', ${tsQuery(terms)})`);
  const after = opts.cursor === undefined ? undefined : /^(\d+):(.+)$/.exec(opts.cursor);
  if (after) {
    const at = Number(after[1]);
    const id = after[2]!;
    query = query.where((eb) => eb.or([eb('m.created_at', '<', at), eb.and([eb('m.created_at', '=', at), eb('m.id', '<', id)])]));
  }
  const rows = await query.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(opts.limit + 1).execute();
  const hits = rows.slice(0, opts.limit).map(toHit);
  const last = hits[hits.length - 1];
  return { hits, nextCursor: rows.length > opts.limit && last ? `${last.createdAt}:${last.id}` : null };
}

/**
 * Contacts holding every term in their name, number or attributes, most recently heard from first.
 * Under a narrowed visibility only contacts with a conversation the viewer can see are listed.
 */
export async function searchContacts(db: Db, workspaceId: string, terms: string[], opts: { limit: number; scope: ScopePredicate }): Promise<ContactHit[]> {
  let query = db.selectFrom('contacts as ct')
    .select(['ct.id', 'ct.name', 'ct.e164', 'ct.wa_id', 'ct.last_inbound_at'])
    .where('ct.workspace_id', '=', workspaceId)
    .where(contactMatch(db, terms));
  if (opts.scope !== true) {
    const scope = opts.scope;
    query = query.where((eb) => eb.exists(eb.selectFrom('conversations as c').select('c.id')
      .whereRef('c.contact_id', '=', 'ct.id').where((inner) => scopeSql(inner as never, scope))));
  }
  const rows = await query.orderBy(sql`coalesce(ct.last_inbound_at, 0)`, 'desc').orderBy('ct.id').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, e164: r.e164, waId: r.wa_id, lastInboundAt: r.last_inbound_at === null ? null : Number(r.last_inbound_at),
  }));
}
