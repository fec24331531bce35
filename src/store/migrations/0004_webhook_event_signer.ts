// Which app secret signed a stored webhook event (its SHA-256, never the secret): the worker applies
// the event only to inboxes holding that secret, so one workspace cannot sign events for another's numbers.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_events').addColumn('signer_hash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_events').dropColumn('signer_hash').execute();
}
