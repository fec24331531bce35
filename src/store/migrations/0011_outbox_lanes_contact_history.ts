// Outbox lanes and bounded per-contact history lookups.
// - outbox.priority: 0 for replies, automation and single API sends, 1 for campaigns; claims take
//   the lowest lane first, then the oldest due row, off one index in that order (no sort).
// - Two partial indexes serve the policy's marketing facts as index ranges: marketing deliveries to a
//   contact since a time, and a contact's 131049 failures since a time (they were scans of the
//   contact's whole history: 49.5 ms at 100k messages). Partial, so other messages never write them.

import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.dropIndex('outbox_due').execute();
  await db.schema.createIndex('outbox_lanes').on('outbox').columns(['priority', 'not_before', 'id']).execute();
  await db.schema.createIndex('messages_marketing_delivered').on('messages')
    .columns(['workspace_id', 'contact_id', 'delivered_at'])
    .where(sql.ref('direction'), '=', sql.lit('out')).where(sql.ref('template_category'), '=', sql.lit('MARKETING')).execute();
  await db.schema.createIndex('messages_ecosystem_failed').on('messages')
    .columns(['workspace_id', 'contact_id', 'failed_at'])
    .where(sql.ref('direction'), '=', sql.lit('out')).where(sql.ref('error_code'), '=', sql.lit(131049)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_ecosystem_failed').execute();
  await db.schema.dropIndex('messages_marketing_delivered').execute();
  await db.schema.dropIndex('outbox_lanes').execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['not_before', 'id']).execute();
  await db.schema.alterTable('outbox').dropColumn('priority').execute();
}
