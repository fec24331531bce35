// SLA (issue 14): one response-time policy per workspace ('*') and per team, and each breach applied
// (conversation + the wait it broke), so escalation happens once per breach, across restarts.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_policies')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    /** '*' = the workspace default; otherwise a team id (deleted with the team by the service). */
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('amber_percent', 'integer', (c) => c.notNull())
    .addColumn('raise_priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_user_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('reassign_team_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_policies_pk', ['workspace_id', 'scope'])
    .execute();
  await db.schema
    .createTable('sla_breaches')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('waiting_since', 'bigint', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('breached_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_breaches_pk', ['conversation_id', 'waiting_since'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_breaches').execute();
  await db.schema.dropTable('sla_policies').execute();
}
