// When a contact's marketing preference last changed (Meta's user_preferences timestamp, or the
// operator's edit), so stop / resume events applied out of order cannot undo a newer choice.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('marketing_pref_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('marketing_pref_at').execute();
}
