// Full-text search over messages and contacts, of any age (issue 14): SQLite FTS5 (unicode61, which
// folds case and diacritics in every script, unlike SQLite's lower()) and PostgreSQL full text
// ('simple' configuration: no stemming, so a word matches in Russian and English alike).
// SQLite: messages go into an FTS5 table by trigger, keyed by the message id (stored UNINDEXED, not
// the rowid, which VACUUM may renumber in a table without an integer key; a contentless table with
// contentless_unindexed would save the text's copy, but SQLite 3.53 cannot drop it cleanly). Messages
// are never updated in their content nor deleted today, so only inserts are indexed — the search
// joins back to messages, so a row left behind would match nothing. Contacts change: a changed
// name, number or attributes replaces the contact's row.
// PostgreSQL: GIN indexes over to_tsvector of the same text.

import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../db.js';

/** The searchable text of a message's content JSON (`c`): what message-preview.ts reads, every part. */
const MESSAGE_FIELDS = ['body', 'caption', 'filename', 'name', 'address', 'text', 'title'];

function sqliteMessageText(c: string): string {
  const parts = [...MESSAGE_FIELDS.map((f) => `'$.${f}'`), `'$.contacts[0].name.formattedName'`]
    .map((path) => `coalesce(json_extract(${c}, ${path}), '')`);
  return `case when json_valid(${c}) then trim(${parts.join(` || ' ' || `)}) else '' end`;
}

const sqliteContactText = (r: string): string =>
  `trim(coalesce(${r}.name, '') || ' ' || coalesce(${r}.e164, '') || ' ' || ${r}.wa_id || ' ' || coalesce(${r}.attributes, ''))`;

const SQLITE_UP = [
  `create virtual table message_search using fts5(message_id unindexed, body, tokenize='unicode61 remove_diacritics 2')`,
  `create trigger message_search_insert after insert on messages begin
     insert into message_search(message_id, body) values (new.id, ${sqliteMessageText('new.content')});
   end`,
  `insert into message_search(message_id, body) select id, ${sqliteMessageText('content')} from messages`,
  `create virtual table contact_search using fts5(contact_id unindexed, body, tokenize='unicode61 remove_diacritics 2')`,
  `create trigger contact_search_insert after insert on contacts begin
     insert into contact_search(contact_id, body) values (new.id, ${sqliteContactText('new')});
   end`,
  `create trigger contact_search_update after update of name, e164, attributes on contacts
   when old.name is not new.name or old.e164 is not new.e164 or old.attributes is not new.attributes begin
     delete from contact_search where contact_id = old.id;
     insert into contact_search(contact_id, body) values (new.id, ${sqliteContactText('new')});
   end`,
  `create trigger contact_search_delete after delete on contacts begin
     delete from contact_search where contact_id = old.id;
   end`,
  `insert into contact_search(contact_id, body) select id, ${sqliteContactText('contacts')} from contacts`,
];

function pgMessageText(c: string): string {
  const j = `(${c})::jsonb`;
  const parts = [...MESSAGE_FIELDS.map((f) => `coalesce(${j}->>'${f}', '')`), `coalesce(${j}->'contacts'->0->'name'->>'formattedName', '')`];
  return `trim(${parts.join(` || ' ' || `)})`;
}

const PG_UP = [
  // Immutable (an index expression needs it); content is always JSON written by Parley, and a value
  // that is not still gets an empty text rather than a failed insert.
  `create function parley_message_text(content text) returns text language plpgsql immutable parallel safe as $$
   begin
     return ${pgMessageText('content')};
   exception when others then
     return '';
   end $$`,
  `create index messages_search on messages using gin (to_tsvector('simple', parley_message_text(content)))`,
  `create function parley_contact_text(name text, e164 text, wa_id text, attributes text) returns text language sql immutable parallel safe as $$
     select trim(coalesce(name, '') || ' ' || coalesce(e164, '') || ' ' || wa_id || ' ' || coalesce(attributes, ''))
   $$`,
  `create index contacts_search on contacts using gin (to_tsvector('simple', parley_contact_text(name, e164, wa_id, attributes)))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of dialectOf(db) === 'postgres' ? PG_UP : SQLITE_UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = dialectOf(db) === 'postgres'
    ? ['drop index contacts_search', 'drop function parley_contact_text', 'drop index messages_search', 'drop function parley_message_text']
    : ['drop trigger contact_search_delete', 'drop trigger contact_search_update', 'drop trigger contact_search_insert', 'drop table contact_search',
      'drop trigger message_search_insert', 'drop table message_search'];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
