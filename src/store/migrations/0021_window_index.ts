// The inbox's "window open" filter (a customer wrote in the last 24 hours) reads an index of when
// each conversation's customer last wrote: the few open windows are found directly and sorted,
// instead of walking every conversation in activity order looking for them (bench/inbox: p99 275 ms
// at 100,000 conversations). One more index entry moves per inbound message.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('conversations_last_inbound').on('conversations').columns(['workspace_id', 'last_inbound_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_last_inbound').execute();
}
