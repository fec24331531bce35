// CSAT (issue 14 §6): per-workspace survey settings, and one survey row per resolve that asked (or
// tried to ask) the customer for a 1–5 rating — what was sent, why not, and the answer.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('csat_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('template_name', 'text')
    .addColumn('template_language', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('csat_surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    /** asked (sent, waiting) | answered | skipped (nothing went out: see reason). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    /** interactive | template; null when skipped before choosing. */
    .addColumn('channel', 'text')
    .addColumn('message_id', 'text')
    .addColumn('asked_at', 'bigint', (c) => c.notNull())
    .addColumn('rating', 'integer')
    .addColumn('answered_at', 'bigint')
    .addColumn('answer_message_id', 'text')
    .execute();
  await db.schema.createIndex('csat_surveys_conversation').on('csat_surveys').columns(['conversation_id', 'asked_at']).execute();
  await db.schema.createIndex('csat_surveys_asked').on('csat_surveys').columns(['workspace_id', 'asked_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('csat_surveys').execute();
  await db.schema.dropTable('csat_settings').execute();
}
