// Send later (issue 14): a message an operator (or an API caller) wrote now to go out at a chosen time.
// It is decided by the policy when it goes, not when written (the window, consent and limits of that
// moment), by the timers worker; the row keeps what became of it: the message sent, or why not.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scheduled_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('reply_to_message_id', 'text')
    /** Who wrote it: the reply guard is applied to them when it goes; null for an API key. */
    .addColumn('created_by_user_id', 'text')
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    /** scheduled → sent | failed, or cancelled (by an operator; also a failed one dismissed). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The timers worker's question: what is due (across workspaces, oldest first).
  await db.schema.createIndex('scheduled_messages_due').on('scheduled_messages').columns(['status', 'send_at']).execute();
  await db.schema.createIndex('scheduled_messages_conversation').on('scheduled_messages').columns(['workspace_id', 'conversation_id', 'send_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduled_messages').execute();
}
