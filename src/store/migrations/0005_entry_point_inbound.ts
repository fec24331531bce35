// When the customer last wrote through a free entry point (click-to-WhatsApp ad or Page button):
// the business's reply within 24 h of it opens the 72 h free entry point window.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('entry_point_inbound_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('entry_point_inbound_at').execute();
}
