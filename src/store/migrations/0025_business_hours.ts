// SLA business hours (issue 14, SLA timers): a policy may count only open time, read in the
// workspace's weekly timetable (time zone, open intervals per weekday, closed dates) stored as JSON.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  /** 1 = the targets count only business hours; 0 = around the clock (what every policy did before). */
  await db.schema.alterTable('sla_policies').addColumn('business_hours', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('sla_business_hours')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    /** core/business-hours.ts BusinessHours: { timeZone, week: { mon: [{ from, to }], … }, holidays }. */
    .addColumn('timetable', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_business_hours').execute();
  await db.schema.alterTable('sla_policies').dropColumn('business_hours').execute();
}
