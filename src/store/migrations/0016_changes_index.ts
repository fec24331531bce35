// Resync ("what changed since?", GET /api/v1/changes) reads conversations and messages by
// (workspace_id, updated_at). The messages index replaces messages_workspace_created, which no query
// used, so a message costs no extra index write; conversations get one more (they change per message anyway).

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_workspace_updated').on('messages').columns(['workspace_id', 'updated_at', 'id']).execute();
  await db.schema.dropIndex('messages_workspace_created').execute();
  await db.schema.createIndex('conversations_workspace_updated').on('conversations').columns(['workspace_id', 'updated_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_workspace_updated').execute();
  await db.schema.createIndex('messages_workspace_created').on('messages').columns(['workspace_id', 'created_at']).execute();
  await db.schema.dropIndex('messages_workspace_updated').execute();
}
