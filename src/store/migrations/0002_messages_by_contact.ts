// Index for per-contact message facts the policy reads on every send (messaging-limit recipient
// check, marketing frequency caps, last ecosystem failure).

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_contact').on('messages').columns(['workspace_id', 'contact_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_contact').execute();
}
