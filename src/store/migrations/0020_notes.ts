// Private notes on a conversation (issue 14, N): never sent to the customer; each @mention of a user
// is a row that stays unseen until that user opens the conversation (the Mentions folder).

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notes_conversation').on('notes').columns(['workspace_id', 'conversation_id', 'created_at']).execute();
  await db.schema
    .createTable('note_mentions')
    .addColumn('note_id', 'text', (c) => c.notNull().references('notes.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint')
    .addPrimaryKeyConstraint('note_mentions_pk', ['note_id', 'user_id'])
    .execute();
  await db.schema.createIndex('note_mentions_user').on('note_mentions').columns(['workspace_id', 'user_id', 'seen_at', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('note_mentions').execute();
  await db.schema.dropTable('notes').execute();
}
