// Work distribution (issue 14 §4): each team's routing mode (no row = manual), each member's turn in
// a team (round robin survives restarts and works across processes), the workspace's default team
// for new conversations and its auto-resolve delay, and a partial index of the routing queue (open,
// unassigned conversations): small, and untouched by the per-message updates of other columns.

import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('team_routing')
    .addColumn('team_id', 'text', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('max_open_per_agent', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_routing_workspace').on('team_routing').columns(['workspace_id']).execute();
  await db.schema
    .createTable('team_routing_turns')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    /** Increases by one per chat the router gives in the team: the lowest turn is next. */
    .addColumn('turn', 'bigint', (c) => c.notNull())
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_routing_turns_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('routing_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    /** No foreign key: a deleted team simply stops being the default (reads join teams). */
    .addColumn('default_team_id', 'text')
    .addColumn('auto_resolve_after_hours', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create index conversations_routing_queue on conversations (workspace_id, team_id) where state = 'open' and assignee_id is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_routing_queue').execute();
  await db.schema.dropTable('routing_settings').execute();
  await db.schema.dropTable('team_routing_turns').execute();
  await db.schema.dropTable('team_routing').execute();
}
