// Language-aware routing (issue 14, work distribution): the languages each operator answers in (a JSON
// array of ISO 639-1 codes, none by default), a contact's language when set by hand (null = guess it
// from their text at routing time), and a team's "match language" option (off by default).

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('contacts').addColumn('language', 'text').execute();
  await db.schema.alterTable('team_routing').addColumn('match_language', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('team_routing').dropColumn('match_language').execute();
  await db.schema.alterTable('contacts').dropColumn('language').execute();
  await db.schema.alterTable('users').dropColumn('languages').execute();
}
