// The read API's conversation filters get indexes that serve the filter AND the list's order
// (last_message_at desc, id desc), so a page reads only its own rows: before, `contactId=` walked the
// listing index (86 ms at 1M messages) because the planner prefers an index that avoids a sort.
// Conversations also remember how far an operator has read (`last_read_at`, see POST …/read).

import type { Kysely } from 'kysely';

const LISTINGS: Array<[name: string, columns: string[]]> = [
  ['conversations_contact_listing', ['workspace_id', 'contact_id', 'last_message_at', 'id']],
  ['conversations_inbox_listing', ['workspace_id', 'inbox_id', 'last_message_at', 'id']],
  ['conversations_state_listing', ['workspace_id', 'state', 'last_message_at', 'id']],
  ['conversations_inbox_state_listing', ['workspace_id', 'inbox_id', 'state', 'last_message_at', 'id']],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('last_read_at', 'bigint').execute();
  for (const [name, columns] of LISTINGS) await db.schema.createIndex(name).on('conversations').columns(columns).execute();
  // The contact listing index starts with the same columns, so it serves every lookup this one did.
  await db.schema.dropIndex('conversations_contact').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('conversations_contact').on('conversations').columns(['workspace_id', 'contact_id']).execute();
  for (const [name] of LISTINGS) await db.schema.dropIndex(name).execute();
  await db.schema.alterTable('conversations').dropColumn('last_read_at').execute();
}
