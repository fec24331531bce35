// The initial schema, portable across SQLite and PostgreSQL: text ids, bigint epoch-ms timestamps,
// JSON as text, booleans as integer 0/1.

import type { Kysely } from 'kysely';

// Migrations are frozen in time: they must not depend on today's row types.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await createTenancy(db);
  await createInboxesAndContacts(db);
  await createConversationsAndMessages(db);
  await createQueues(db);
  await createTemplates(db);
}

async function createTenancy(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_workspace').on('api_keys').column('workspace_id').execute();
}

async function createInboxesAndContacts(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('inboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('phone_number_id', 'text', (c) => c.notNull().unique())
    .addColumn('waba_id', 'text', (c) => c.notNull())
    .addColumn('display_phone_number', 'text', (c) => c.notNull())
    .addColumn('verified_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quality_rating', 'text')
    .addColumn('messaging_limit', 'integer', (c) => c.notNull())
    .addColumn('throughput_mps', 'integer', (c) => c.notNull())
    .addColumn('access_token_enc', 'text')
    .addColumn('app_secret_enc', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inboxes_workspace').on('inboxes').column('workspace_id').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('e164', 'text')
    .addColumn('name', 'text')
    .addColumn('country', 'text')
    .addColumn('market', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('marketing_opt_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('marketing_opt_out_at', 'bigint')
    .addColumn('last_inbound_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contacts_workspace_wa_id', ['workspace_id', 'wa_id'])
    .execute();
  await db.schema.createIndex('contacts_workspace_created').on('contacts').columns(['workspace_id', 'created_at', 'id']).execute();
}

async function createConversationsAndMessages(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('inbox_id', 'text', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_inbound_at', 'bigint')
    .addColumn('window_expires_at', 'bigint')
    .addColumn('last_message_at', 'bigint', (c) => c.notNull())
    .addColumn('entry_point_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('conversations_inbox_contact', ['inbox_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('conversations_listing')
    .on('conversations')
    .columns(['workspace_id', 'last_message_at', 'id'])
    .execute();
  await db.schema.createIndex('conversations_contact').on('conversations').columns(['workspace_id', 'contact_id']).execute();

  await createMedia(db);
  await createMessages(db);
}

async function createMedia(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('inbox_id', 'text', (c) => c.references('inboxes.id').onDelete('set null'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('meta_media_id', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('path', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('media_workspace').on('media').column('workspace_id').execute();
  await db.schema.createIndex('media_meta_id').on('media').columns(['workspace_id', 'meta_media_id']).execute();
}

async function createMessages(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('inbox_id', 'text', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('template_name', 'text')
    .addColumn('template_language', 'text')
    .addColumn('template_params', 'text')
    .addColumn('template_category', 'text')
    .addColumn('reply_to_message_id', 'text')
    .addColumn('reply_to_wamid', 'text')
    .addColumn('wamid', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('read_at', 'bigint')
    .addColumn('failed_at', 'bigint')
    .addColumn('error_code', 'integer')
    .addColumn('error_title', 'text')
    .addColumn('error_details', 'text')
    .addColumn('policy', 'text')
    .addColumn('pricing_category', 'text')
    .addColumn('pricing_type', 'text')
    .addColumn('pricing_billable', 'integer')
    .addColumn('cost_micros', 'bigint')
    .addColumn('outside_window', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('media_id', 'text', (c) => c.references('media.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('messages_inbox_wamid', ['inbox_id', 'wamid'])
    .execute();
  await db.schema
    .createIndex('messages_conversation')
    .on('messages')
    .columns(['conversation_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('messages_workspace_created').on('messages').columns(['workspace_id', 'created_at']).execute();
  await db.schema
    .createIndex('messages_outside_window')
    .on('messages')
    .columns(['workspace_id', 'outside_window', 'created_at'])
    .execute();
}

async function createQueues(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('signature_ok', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('payload_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'bigint')
    .addColumn('processed_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('webhook_events_claimable').on('webhook_events').columns(['status', 'claimed_until']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().unique().references('messages.id').onDelete('cascade'))
    .addColumn('inbox_id', 'text', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['not_before', 'id']).execute();
  await db.schema.createIndex('outbox_workspace').on('outbox').column('workspace_id').execute();
}

async function createTemplates(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('inbox_id', 'text', (c) => c.references('inboxes.id').onDelete('set null'))
    .addColumn('waba_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quality', 'text')
    .addColumn('parameter_format', 'text', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('meta_template_id', 'text')
    .addColumn('rejected_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('templates_identity', ['workspace_id', 'waba_id', 'name', 'language'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['templates', 'outbox', 'webhook_events', 'messages', 'media', 'conversations', 'contacts', 'inboxes', 'api_keys', 'workspaces']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
